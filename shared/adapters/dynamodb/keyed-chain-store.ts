/**
 * One append-only, keyed (MACed) chain per owner in the single table: the mechanics shared by
 * the clients' audit trail (audit-log.ts) and the staff audit trail (staff-audit-log.ts).
 * - event    <events partition>  / SEQ#<000000000001>  { seq, prevHash, hash, event }  (hash: a MAC)
 * - head     <head partition>    / HEAD                { seq, hash, updatedAt }
 * - listing  <head partition>    / CHAIN               GSI1 AUDIT_CHAINS / <kind>#<ownerId>
 *
 * An append reads the head, computes the next link with the audit MAC and writes, in ONE
 * transaction, the event "if absent", the head "if it is still at the sequence we read" and, for
 * the first event, the listing item "if absent". Two concurrent appends cannot both take
 * sequence n, so a chain never forks; the loser reads the new head and tries again (a bounded
 * number of times, with jittered backoff). Nothing here updates or deletes an event: events and
 * head live in separate partitions so that IAM can allow PutItem on events and nothing else.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChainVerification } from '../../domain/audit.js';
import type { StoredLink } from '../../use-cases/access/audit-chain.js';
import type { AuditMac } from '../../use-cases/ports.js';

export interface ChainHead {
  seq: number;
  hash: string;
}

type Key = { PK: string; SK: string };

/** What differs between chains: where they live, what an event is, how a chain is verified. */
export interface ChainShape<E> {
  /** For errors and the entity types: 'audit' or 'staff-audit'. */
  name: string;
  eventKey(ownerId: string, seq: number): Key;
  eventsPartition(ownerId: string): string;
  headKey(ownerId: string): Key;
  listingItem(ownerId: string): Key & { GSI1PK: string; GSI1SK: string };
  /** Validates an event before it is chained (a malformed event is a caller's bug). */
  parse(input: unknown): E;
  ownerOf(event: E): string;
  at(event: E): string;
  verify(mac: AuditMac, ownerId: string, links: StoredLink[], head: ChainHead | undefined): Promise<ChainVerification>;
  next(mac: AuditMac, head: ChainHead | undefined, event: E): Promise<{ seq: number; prevHash: string; hash: string; event: E }>;
}

export class ChainAppendError extends Error {
  constructor(chain: string, ownerId: string, attempts: number, options?: { cause?: unknown }) {
    // The owner id is an opaque id, not health data; it tells operators which chain is hot.
    super(`Could not append to the ${chain} chain of ${ownerId} after ${attempts} attempts.`, options);
    this.name = 'ChainAppendError';
  }
}

export interface KeyedChainStore<E> {
  append(event: E): Promise<void>;
  head(ownerId: string): Promise<ChainHead | undefined>;
  /** Every stored event, not only those up to the head: events beyond the head mean a rewound head. */
  verify(ownerId: string): Promise<ChainVerification>;
  /** Events after `afterSeq` up to the head, at most `limit`; nothing is verified here. */
  events(ownerId: string, options?: { afterSeq?: number; limit?: number }): Promise<E[]>;
}

function isRetryable(error: unknown): boolean {
  // A failed condition (another append took the sequence) or a transaction conflict.
  return error instanceof Error && (error.name === 'TransactionCanceledException' || error.name === 'TransactionConflictException');
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const BACKOFF_CAP_MS = 50;
/** Verifications of one chain while appends keep moving its head. */
const VERIFY_ATTEMPTS = 3;
const EVENT_PREFIX = 'SEQ#';

export function createKeyedChainStore<E>(
  shape: ChainShape<E>,
  options: { documentClient: DynamoDBDocumentClient; tableName: string; mac: AuditMac; maxAttempts: number },
): KeyedChainStore<E> {
  const { documentClient: db, tableName: TableName, mac, maxAttempts } = options;

  async function readHead(ownerId: string): Promise<ChainHead | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key: shape.headKey(ownerId), ConsistentRead: true }));
    return Item ? { seq: Number(Item.seq), hash: String(Item.hash) } : undefined;
  }

  /** Links from `fromSeq` on, up to `toSeq` (default: every stored one) and at most `limit`. */
  async function queryLinks(ownerId: string, fromSeq: number, toSeq?: number, limit?: number): Promise<StoredLink[]> {
    const links: StoredLink[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': shape.eventsPartition(ownerId),
            ':from': shape.eventKey(ownerId, fromSeq).SK,
            // Past the largest 12-digit sequence: every stored event, however many.
            ':to': toSeq === undefined ? `${EVENT_PREFIX}~` : shape.eventKey(ownerId, toSeq).SK,
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
    async append(input) {
      const event = shape.parse(input);
      const ownerId = shape.ownerOf(event);
      let lastError: unknown;
      for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
        const head = await readHead(ownerId);
        const link = await shape.next(mac, head, event);
        try {
          await db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName,
                    Item: { ...shape.eventKey(ownerId, link.seq), entityType: `${shape.name}-event`, ...link },
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
                {
                  Put: {
                    TableName,
                    Item: { ...shape.headKey(ownerId), entityType: `${shape.name}-head`, seq: link.seq, hash: link.hash, updatedAt: shape.at(event) },
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
                          Item: { ...shape.listingItem(ownerId), entityType: `${shape.name}-chain`, ownerId, createdAt: shape.at(event) },
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
      throw new ChainAppendError(shape.name, ownerId, maxAttempts, { cause: lastError });
    },

    head: readHead,

    async verify(ownerId) {
      // An append landing between the head read and the query looks like a rewound head for a
      // moment, so a rewound head is confirmed by reading the head again.
      let verification: ChainVerification | undefined;
      for (let attempt = 1; attempt <= VERIFY_ATTEMPTS; attempt += 1) {
        const head = await readHead(ownerId);
        verification = await shape.verify(mac, ownerId, await queryLinks(ownerId, 1), head);
        if (verification.intact || verification.problem !== 'head_rewound') return verification;
        const again = await readHead(ownerId);
        if (again?.seq === head?.seq) return verification;
      }
      return verification!;
    },

    async events(ownerId, { afterSeq = 0, limit } = {}) {
      const head = await readHead(ownerId);
      if (!head || head.seq <= afterSeq) return [];
      const links = await queryLinks(ownerId, afterSeq + 1, head.seq, limit);
      return links.map((link) => shape.parse(link.event));
    },
  };
}

/** Every listed chain (pattern 48) under one sort-key prefix, page by page. */
export async function* listChains(db: DynamoDBDocumentClient, TableName: string, partition: string, prefix: string): AsyncIterable<string> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) yield String(item.GSI1SK).slice(prefix.length);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}
