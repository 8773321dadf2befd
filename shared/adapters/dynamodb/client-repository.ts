/**
 * The client's records in the single table (see keys.ts for the access patterns):
 * - profile            CLIENT#<id> / PROFILE
 * - consents           CLIENT#<id> / CONSENT#<document>#<version>
 * - sent notifications CLIENT#<id> / NOTIFICATION#<key>
 * - email verification CLIENT#<id> / EMAIL_VERIFICATION (the code's hash, never the code)
 * - email owner        EMAIL#<email> / EMAIL (shared with staff; email-owner-record.ts)
 *
 * Invariants live in condition expressions and transactions, never in read-then-write.
 */
import {
  BatchWriteCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { VERIFICATION_MAX_ATTEMPTS, type EmailVerificationRecord } from '../../domain/email-verification.js';
import type { ClientProfile, ClientRecords, CreateClientResult, NewClient, SentNotification } from '../../use-cases/ports.js';
import { ClientNotFoundError } from '../../use-cases/workflow-errors.js';
import { stageAttributes } from './client-stage.js';
import { emailOwnerItem, readEmailOwner } from './email-owner-record.js';
import { keys } from './keys.js';
import { cancellationReasons, isConditionalCheckFailure, queryAll, withoutAttributes } from './table-operations.js';

/** `entityType` of each item (the staff records use 'staff'; email records 'email'). */
export const CLIENT_PROFILE_ENTITY = 'client';
export const CONSENT_ENTITY = 'consent';
export const NOTIFICATION_ENTITY = 'notification';
export const EMAIL_VERIFICATION_ENTITY = 'email_verification';

/** A used or dead code record is kept this long after its expiry, then DynamoDB's TTL removes it. */
const VERIFICATION_RECORD_RETENTION_SECONDS = 30 * 86_400;

/** Attributes of every item that are storage, not data. */
const STORAGE_ATTRIBUTES = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entityType', 'expiresAt', 'signupRequestId']);

/** BatchWriteItem takes at most 25 requests; unprocessed ones are sent again a few times. */
const BATCH_SIZE = 25;
const BATCH_ATTEMPTS = 5;

function toProfile(item: Record<string, unknown>): ClientProfile {
  const profile = withoutAttributes(item, STORAGE_ATTRIBUTES);
  return profile as unknown as ClientProfile;
}

export function createClientRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): ClientRecords {
  const { documentClient: db, tableName: TableName } = options;

  async function deleteKeys(itemKeys: Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < itemKeys.length; start += BATCH_SIZE) {
      let requests = itemKeys.slice(start, start + BATCH_SIZE).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 1; requests.length > 0; attempt += 1) {
        if (attempt > BATCH_ATTEMPTS) throw new Error(`Could not delete ${requests.length} items after ${BATCH_ATTEMPTS} attempts.`);
        const result = await db.send(new BatchWriteCommand({ RequestItems: { [TableName]: requests } }));
        requests = (result.UnprocessedItems?.[TableName] ?? []) as typeof requests;
      }
    }
  }

  async function getEmailOwner(email: string) {
    const { Item } = await db.send(new GetCommand({ TableName, Key: keys.emailOwner(email), ConsistentRead: true }));
    return readEmailOwner(Item);
  }

  return {
    getEmailOwner,

    async createClient(client: NewClient): Promise<CreateClientResult> {
      const { clientId, account, consentContext, createdAt, requestId } = client;
      const ifAbsent = 'attribute_not_exists(PK)';
      const profile = {
        ...keys.clientProfile(clientId),
        entityType: CLIENT_PROFILE_ENTITY,
        clientId,
        ...account,
        // The stage and its place in the stage index (the care-lifecycle reconciler reads it).
        ...stageAttributes(clientId, client.stage),
        createdAt,
        updatedAt: createdAt,
        signupRequestId: requestId,
        ...(client.emailVerifiedAt === undefined ? {} : { emailVerifiedAt: client.emailVerifiedAt }),
      };
      const consents = client.consents.map((consent) => ({
        ...keys.consent(clientId, consent.document, consent.version),
        entityType: CONSENT_ENTITY,
        clientId,
        document: consent.document,
        version: consent.version,
        acceptedAt: consentContext.acceptedAt,
        ipAddress: consentContext.ipAddress,
        userAgent: consentContext.userAgent,
        signupRequestId: requestId,
      }));
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName, Item: profile, ConditionExpression: ifAbsent } },
              // Index 1: the email record, inspected below when the transaction is cancelled.
              { Put: { TableName, Item: emailOwnerItem(account.email, { userId: clientId, kind: 'client' }, createdAt), ConditionExpression: ifAbsent } },
              ...consents.map((Item) => ({ Put: { TableName, Item, ConditionExpression: ifAbsent } })),
            ],
          }),
        );
        return { outcome: 'created' };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (reasons[1]?.Code === 'ConditionalCheckFailed') {
          return { outcome: 'email_taken', owner: await getEmailOwner(account.email) };
        }
        if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) return { outcome: 'client_exists' };
        // TransactionConflict, throttling...: nothing was written; the caller may retry.
        throw error;
      }
    },

    async getProfile(clientId) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.clientProfile(clientId), ConsistentRead: true }));
      return Item ? toProfile(Item) : undefined;
    },

    async setCareLifecycleExecution(clientId, executionArn, at) {
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: keys.clientProfile(clientId),
            UpdateExpression: 'SET careLifecycleExecutionArn = :arn, updatedAt = :at',
            // Never resurrect a profile that compensation removed.
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':arn': executionArn, ':at': at },
          }),
        );
      } catch (error) {
        if (isConditionalCheckFailure(error)) throw new ClientNotFoundError(clientId);
        throw error;
      }
    },

    async hasNotification(clientId, key) {
      const { Item } = await db.send(
        new GetCommand({ TableName, Key: keys.notification(clientId, key), ConsistentRead: true, ProjectionExpression: 'PK' }),
      );
      return Item !== undefined;
    },

    async recordNotification(clientId, notification: SentNotification) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              // The profile must still exist: a late retry must not leave records behind compensation.
              { ConditionCheck: { TableName, Key: keys.clientProfile(clientId), ConditionExpression: 'attribute_exists(PK)' } },
              {
                Put: {
                  TableName,
                  Item: { ...keys.notification(clientId, notification.key), entityType: NOTIFICATION_ENTITY, clientId, ...notification },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        );
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons?.[0]?.Code === 'ConditionalCheckFailed') throw new ClientNotFoundError(clientId);
        if (reasons?.[1]?.Code === 'ConditionalCheckFailed') return; // already recorded
        throw error;
      }
    },

    async putEmailVerification(clientId, record) {
      const Item = {
        ...keys.emailVerification(clientId),
        entityType: EMAIL_VERIFICATION_ENTITY,
        clientId,
        codeHash: record.codeHash,
        createdAt: record.createdAt,
        codeExpiresAt: record.codeExpiresAt,
        attempts: 0,
        expiresAt: Math.floor(Date.parse(record.codeExpiresAt) / 1000) + VERIFICATION_RECORD_RETENTION_SECONDS,
      };
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              // Never leave a code behind compensation (the profile gone).
              { ConditionCheck: { TableName, Key: keys.clientProfile(clientId), ConditionExpression: 'attribute_exists(PK)' } },
              { Put: { TableName, Item } },
            ],
          }),
        );
      } catch (error) {
        if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') throw new ClientNotFoundError(clientId);
        throw error;
      }
    },

    async getEmailVerification(clientId) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.emailVerification(clientId), ConsistentRead: true }));
      if (!Item) return undefined;
      const record: EmailVerificationRecord = {
        codeHash: Item.codeHash as string,
        createdAt: Item.createdAt as string,
        codeExpiresAt: Item.codeExpiresAt as string,
        attempts: Item.attempts as number,
      };
      if (typeof Item.usedAt === 'string') record.usedAt = Item.usedAt;
      return record;
    },

    async countWrongCode(clientId, codeHash) {
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: keys.emailVerification(clientId),
            UpdateExpression: 'ADD attempts :one',
            ConditionExpression: 'codeHash = :hash',
            ExpressionAttributeValues: { ':one': 1, ':hash': codeHash },
          }),
        );
      } catch (error) {
        // A newer code replaced this one meanwhile: the wrong try counts against nothing.
        if (!isConditionalCheckFailure(error)) throw error;
      }
    },

    async completeEmailVerification(clientId, codeHash, at) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName,
                  Key: keys.emailVerification(clientId),
                  UpdateExpression: 'SET usedAt = :at',
                  // Single use, under the limit, unexpired: checked here, not only by the caller's read.
                  ConditionExpression: 'codeHash = :hash AND attribute_not_exists(usedAt) AND attempts < :max AND codeExpiresAt > :at',
                  ExpressionAttributeValues: { ':hash': codeHash, ':at': at, ':max': VERIFICATION_MAX_ATTEMPTS },
                },
              },
              {
                Update: {
                  TableName,
                  Key: keys.clientProfile(clientId),
                  UpdateExpression: 'SET emailVerifiedAt = :at, updatedAt = :at',
                  ConditionExpression: 'attribute_exists(PK)',
                  ExpressionAttributeValues: { ':at': at },
                },
              },
            ],
          }),
        );
        return 'verified';
      } catch (error) {
        if (cancellationReasons(error)?.some((reason) => reason.Code === 'ConditionalCheckFailed')) return 'rejected';
        throw error;
      }
    },

    async removeClient(clientId, email) {
      const itemKeys = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId) },
        ProjectionExpression: 'PK, SK',
        ConsistentRead: true,
      });
      await deleteKeys(itemKeys);

      let emailReleased = true;
      try {
        await db.send(
          new DeleteCommand({
            TableName,
            Key: keys.emailOwner(email),
            // Only this client's claim: the email may belong to someone else (e.g. staff).
            ConditionExpression: '#owner.userId = :clientId',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':clientId': clientId },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
        emailReleased = false;
      }
      return { removedItems: itemKeys.length, emailReleased };
    },
  };
}
