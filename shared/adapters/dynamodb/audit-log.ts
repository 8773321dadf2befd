/**
 * The audit log in the single table (see keys.ts, patterns 22-23): one hash chain per client.
 * - event  AUDIT#<clientId> / SEQ#<000000000001>  { seq, prevHash, hash, event }
 * - head   AUDIT#<clientId> / HEAD                { seq, hash, updatedAt }
 *
 * Append-only: this module has no update or delete. An append reads the head, computes the
 * next link (shared/use-cases/access/audit-chain.ts) and writes, in ONE transaction, the event
 * "if absent" and the head "if it is still at the sequence we read". Two concurrent appends
 * cannot both take sequence n, so the chain never forks; the loser reads the new head and
 * tries again (a bounded number of times, with jittered backoff).
 *
 * The partition is AUDIT#, not CLIENT#: removing a client's records (signup compensation,
 * erasure) leaves the audit trail, which has its own retention.
 *
 * What this does not do: someone who can write the table can rewrite a whole chain and its
 * head consistently. Anchoring heads outside the table (an export to object-locked storage, a
 * signature with a KMS key) is what would make that detectable; verifyChain is the check such a
 * job would run.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditEventSchema, type AuditEvent, type ChainVerification } from '../../domain/audit.js';
import { nextLink, verifyLinks, type StoredLink } from '../../use-cases/access/audit-chain.js';
import type { AuditLog } from '../../use-cases/ports.js';
import { keys } from './keys.js';

export const AUDIT_EVENT_ENTITY = 'audit-event';
export const AUDIT_HEAD_ENTITY = 'audit-head';

/** Enough for dozens of simultaneous appends to one client's chain (one wins per round). */
const DEFAULT_MAX_ATTEMPTS = 40;
const BACKOFF_CAP_MS = 50;

export class AuditAppendError extends Error {
  constructor(clientId: string, attempts: number, options?: { cause?: unknown }) {
    // The client id is an opaque id, not health data; it tells operators which chain is hot.
    super(`Could not append to the audit chain of client ${clientId} after ${attempts} attempts.`, options);
    this.name = 'AuditAppendError';
  }
}

export interface AuditChainHead {
  seq: number;
  hash: string;
}

export interface DynamoAuditLog extends AuditLog {
  /** Recomputes the client's chain up to its head and reports the first broken link. */
  verifyChain(clientId: string): Promise<ChainVerification>;
  /** The last sequence number and hash, or undefined when the client has no events. */
  head(clientId: string): Promise<AuditChainHead | undefined>;
  /** The client's events in order (for an accounting of accesses); nothing is verified here. */
  events(clientId: string, options?: { afterSeq?: number; limit?: number }): Promise<AuditEvent[]>;
}

function isRetryable(error: unknown): boolean {
  // A failed condition (another append took the sequence) or a transaction conflict.
  return error instanceof Error && (error.name === 'TransactionCanceledException' || error.name === 'TransactionConflictException');
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createAuditLog(options: {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  /** Appends tried before AuditAppendError. */
  maxAttempts?: number;
}): DynamoAuditLog {
  const { documentClient: db, tableName: TableName } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

  async function readHead(clientId: string): Promise<AuditChainHead | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key: keys.auditHead(clientId), ConsistentRead: true }));
    return Item ? { seq: Number(Item.seq), hash: String(Item.hash) } : undefined;
  }

  async function queryLinks(clientId: string, fromSeq: number, toSeq: number, limit?: number): Promise<StoredLink[]> {
    const links: StoredLink[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.auditPartition(clientId),
            ':from': keys.auditEvent(clientId, fromSeq).SK,
            ':to': keys.auditEvent(clientId, toSeq).SK,
          },
          ConsistentRead: true,
          ExclusiveStartKey,
          ...(limit === undefined ? {} : { Limit: limit - links.length }),
        }),
      );
      for (const item of page.Items ?? []) links.push({ seq: item.seq, prevHash: item.prevHash, hash: item.hash, event: item.event });
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && (limit === undefined || links.length < limit));
    return links;
  }

  return {
    async record(input: AuditEvent) {
      // A malformed event is a bug in the caller: refuse it rather than chain it.
      const event = AuditEventSchema.parse(input);
      let lastError: unknown;
      for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
        const head = await readHead(event.clientId);
        const link = nextLink(head, event);
        try {
          await db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName,
                    Item: { ...keys.auditEvent(event.clientId, link.seq), entityType: AUDIT_EVENT_ENTITY, ...link },
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
                {
                  Put: {
                    TableName,
                    Item: { ...keys.auditHead(event.clientId), entityType: AUDIT_HEAD_ENTITY, seq: link.seq, hash: link.hash, updatedAt: event.at },
                    ...(head
                      ? { ConditionExpression: 'seq = :seq', ExpressionAttributeValues: { ':seq': head.seq } }
                      : { ConditionExpression: 'attribute_not_exists(PK)' }),
                  },
                },
              ],
            }),
          );
          return;
        } catch (error) {
          if (!isRetryable(error)) throw error;
          lastError = error;
          await pause(Math.random() * Math.min(BACKOFF_CAP_MS, 2 ** attempt));
        }
      }
      throw new AuditAppendError(event.clientId, maxAttempts, { cause: lastError });
    },

    head: readHead,

    async verifyChain(clientId) {
      // The head first: links appended after it are not this verification's business.
      const head = await readHead(clientId);
      const links = head ? await queryLinks(clientId, 1, head.seq) : await queryLinks(clientId, 1, 1);
      return verifyLinks(clientId, links, head);
    },

    async events(clientId, { afterSeq = 0, limit } = {}) {
      const head = await readHead(clientId);
      if (!head || head.seq <= afterSeq) return [];
      const links = await queryLinks(clientId, afterSeq + 1, head.seq, limit);
      return links.map((link) => AuditEventSchema.parse(link.event));
    },
  };
}
