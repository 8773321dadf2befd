/**
 * The audit log in the single table (see keys.ts, patterns 22, 23 and 45): one keyed chain per client.
 * - event    AUDIT#<clientId>      / SEQ#<000000000001>  { seq, prevHash, hash, event }  (hash: a MAC)
 * - head     AUDIT_HEAD#<clientId> / HEAD                { seq, hash, updatedAt }
 * - listing  AUDIT_HEAD#<clientId> / CHAIN               GSI1 AUDIT_CHAINS / CLIENT#<clientId>
 *
 * Append-only: this module never updates or deletes an event. An append reads the head,
 * computes the next link with the audit MAC (shared/use-cases/access/audit-chain.ts; a KMS HMAC
 * key in AWS) and writes, in ONE transaction, the event "if absent" and the head "if it is
 * still at the sequence we read" (and, for the first event, the listing item "if absent"). Two
 * concurrent appends cannot both take sequence n, so the chain never forks; the loser reads the
 * new head and tries again (a bounded number of times, with jittered backoff).
 *
 * The partitions are not CLIENT#: removing a client's records (signup compensation, erasure)
 * leaves the audit trail, which has its own retention.
 *
 * What verifyChain finds: a changed, removed, inserted or reordered event, an event rewritten
 * and re-linked without the key, a deleted head, a head rewound behind the stored events, and
 * events cut off behind an unchanged head. What it cannot find alone: the last events deleted
 * AND the head rewound to the last remaining one (a genuine, shorter chain), or a whole chain
 * deleted with its listing item; the copy of every event in write-once storage is what shows
 * those (README, Privacy).
 */
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditEventSchema, type AuditEvent, type ChainVerification } from '../../domain/audit.js';
import { nextLink, verifyLinks, type StoredLink } from '../../use-cases/access/audit-chain.js';
import type { AuditLog, AuditMac } from '../../use-cases/ports.js';
import { lazyAuditMac } from '../audit-mac/audit-mac-from-environment.js';
import { keys } from './keys.js';

export const AUDIT_EVENT_ENTITY = 'audit-event';
export const AUDIT_HEAD_ENTITY = 'audit-head';
export const AUDIT_CHAIN_ENTITY = 'audit-chain';

/** Enough for dozens of simultaneous appends to one client's chain (one wins per round). */
const DEFAULT_MAX_ATTEMPTS = 40;
const BACKOFF_CAP_MS = 50;
/** Verifications of one chain while appends keep moving its head. */
const VERIFY_ATTEMPTS = 3;

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
  /** The client id of every chain, page by page from the AUDIT_CHAINS listing (pattern 45). */
  chains(): AsyncIterable<string>;
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
  /** The chain's MAC; by default the one the environment names, resolved at first use (audit-mac-from-environment.ts). */
  mac?: AuditMac;
}): DynamoAuditLog {
  const { documentClient: db, tableName: TableName } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const mac = options.mac ?? lazyAuditMac();

  async function readHead(clientId: string): Promise<AuditChainHead | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key: keys.auditHead(clientId), ConsistentRead: true }));
    return Item ? { seq: Number(Item.seq), hash: String(Item.hash) } : undefined;
  }

  /** Links from `fromSeq` on, up to `toSeq` (default: every stored one) and at most `limit`. */
  async function queryLinks(clientId: string, fromSeq: number, toSeq?: number, limit?: number): Promise<StoredLink[]> {
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
            // Past the largest 12-digit sequence: every stored event, however many.
            ':to': toSeq === undefined ? `${keys.auditEventPrefix()}~` : keys.auditEvent(clientId, toSeq).SK,
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
        const link = await nextLink(mac, head, event);
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
                // The first event lists the chain for the verifier (written once, never rewritten).
                ...(head
                  ? []
                  : [
                      {
                        Put: {
                          TableName,
                          Item: { ...keys.auditChainListing(event.clientId), entityType: AUDIT_CHAIN_ENTITY, clientId: event.clientId, createdAt: event.at },
                          ConditionExpression: 'attribute_not_exists(PK)',
                        },
                      },
                    ]),
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
      // Every stored event, not only those up to the head: events beyond the head mean a
      // rewound head. An append landing between the head read and the query looks the same
      // for a moment, so a rewound head is confirmed by reading the head again.
      let verification: ChainVerification | undefined;
      for (let attempt = 1; attempt <= VERIFY_ATTEMPTS; attempt += 1) {
        const head = await readHead(clientId);
        verification = await verifyLinks(mac, clientId, await queryLinks(clientId, 1), head);
        if (verification.intact || verification.problem !== 'head_rewound') return verification;
        const again = await readHead(clientId);
        if (again?.seq === head?.seq) return verification;
      }
      return verification!;
    },

    async events(clientId, { afterSeq = 0, limit } = {}) {
      const head = await readHead(clientId);
      if (!head || head.seq <= afterSeq) return [];
      const links = await queryLinks(clientId, afterSeq + 1, head.seq, limit);
      return links.map((link) => AuditEventSchema.parse(link.event));
    },

    async *chains() {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
            ExpressionAttributeValues: { ':pk': keys.auditChainsPartition(), ':prefix': keys.auditChainsSortPrefix() },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) yield String(item.GSI1SK).slice(keys.auditChainsSortPrefix().length);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    },
  };
}
