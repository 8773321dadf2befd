/**
 * The claim cell of an email that must go out at most once (risk task alerts, progress review
 * emails): put "claimed" if absent BEFORE calling SES, "sent" with the message id after it,
 * deleted if SES refused (so a retry sends), "unknown" once a claim is too old to be in flight
 * (the send may or may not have happened: never resent, reconciled from SES's own records).
 * One item per email, keyed by its owner's repository; the state machine is the same for all.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmailClaim } from '../../use-cases/risk/ports.js';
import { isConditionalCheckFailure } from './table-operations.js';

type Key = { PK: string; SK: string };

export interface EmailClaimCells {
  /** `attributes`: what the owner stores beside the claim (entity type, ids). */
  claim(key: Key, attributes: Record<string, unknown>, claimId: string, at: string): Promise<EmailClaim>;
  confirm(key: Key, claimId: string, messageId: string, at: string): Promise<void>;
  release(key: Key, claimId: string): Promise<void>;
  abandon(key: Key, at: string): Promise<void>;
}

export function emailClaimCells(db: DynamoDBDocumentClient, TableName: string): EmailClaimCells {
  /** A write that may find the cell already moved on: that is the answer, not an error. */
  const unlessMovedOn = async (write: () => Promise<unknown>): Promise<void> => {
    try {
      await write();
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  };
  return {
    async claim(key, attributes, claimId, at) {
      // Twice at most: a claim released between our put and our read leaves nothing to read.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        try {
          await db.send(new PutCommand({ TableName, Item: { ...key, ...attributes, state: 'claimed', claimId, claimedAt: at }, ConditionExpression: 'attribute_not_exists(PK)' }));
          return { state: 'claimed' };
        } catch (error) {
          if (!isConditionalCheckFailure(error)) throw error;
        }
        const { Item } = await db.send(new GetCommand({ TableName, Key: key, ConsistentRead: true }));
        if (!Item) continue;
        return Item.state === 'claimed' ? { state: 'in_flight', claimedAt: String(Item.claimedAt) } : { state: 'sent' };
      }
      return { state: 'in_flight', claimedAt: at };
    },

    async confirm(key, claimId, messageId, at) {
      await db.send(
        new UpdateCommand({
          TableName,
          Key: key,
          UpdateExpression: 'SET #state = :sent, messageId = :messageId, sentAt = :at',
          ConditionExpression: 'claimId = :claimId',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sent': 'sent', ':messageId': messageId, ':at': at, ':claimId': claimId },
        }),
      );
    },

    release: (key, claimId) =>
      unlessMovedOn(() =>
        db.send(
          new DeleteCommand({
            TableName,
            Key: key,
            ConditionExpression: 'claimId = :claimId AND #state = :claimed',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':claimId': claimId, ':claimed': 'claimed' },
          }),
        ),
      ),

    abandon: (key, at) =>
      unlessMovedOn(() =>
        db.send(
          new UpdateCommand({
            TableName,
            Key: key,
            UpdateExpression: 'SET #state = :unknown, abandonedAt = :at',
            ConditionExpression: '#state = :claimed',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':unknown': 'unknown', ':at': at, ':claimed': 'claimed' },
          }),
        ),
      ),
  };
}
