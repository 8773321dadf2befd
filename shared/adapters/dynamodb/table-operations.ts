/**
 * Table operations the DynamoDB repositories share: every page of a query, a chunked BatchGet
 * that asks again for unprocessed keys, and the reading of failed conditions and cancelled
 * transactions. Nothing here knows the table design (keys.ts does).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { BatchGetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type QueryCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown>;

/** One item of a TransactWriteItems request. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The key, index and type attributes of a stored item: stripped before a record is returned. */
export const STORAGE_ATTRIBUTES: ReadonlySet<string> = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entityType']);

/** Epoch milliseconds as a UTC ISO string, and as epoch seconds (DynamoDB TTL). */
export const iso = (ms: number): string => new Date(ms).toISOString();
export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);

/** One reason of a cancelled transaction, in the order of its items. */
export interface CancellationReason {
  Code?: string;
}

/** BatchGetItem takes at most 100 keys per request. */
const BATCH_GET_KEYS = 100;
/** Requests per chunk (the first and the retries of unprocessed keys) before giving up. */
const BATCH_GET_ATTEMPTS = 5;

/** Every item of a query, following LastEvaluatedKey until the last page. */
export async function queryAll(db: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/**
 * The items of `keys` that exist, in no particular order. Keys go in chunks of 100, up to
 * `parallel` chunks in flight (default 1, one after the other); the unprocessed keys of a chunk
 * (throttling) are asked again, and a chunk still unread after 5 requests throws.
 */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  options: { consistent?: boolean; projection?: string; parallel?: number } = {},
): Promise<Item[]> {
  const chunks: Item[][] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_KEYS) chunks.push(keys.slice(start, start + BATCH_GET_KEYS));
  const found: Item[] = [];
  const readChunk = async (chunk: Item[]) => {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > BATCH_GET_ATTEMPTS) throw new Error(`Could not read ${pending.length} items after ${BATCH_GET_ATTEMPTS} attempts.`);
      const output = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(options.consistent ? { ConsistentRead: true } : {}),
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
            },
          },
        }),
      );
      found.push(...(output.Responses?.[tableName] ?? []));
      pending = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) await readChunk(chunks[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel ?? 1, chunks.length) }, worker));
  return found;
}

/** Whether a single-item write failed its ConditionExpression. */
export function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The reasons of a cancelled transaction, or undefined when `error` is something else. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (error instanceof Error && error.name === 'TransactionCanceledException') {
    return (error as Error & { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  }
  return undefined;
}

/** Whether a transaction item's condition failed. */
export const conditionFailed = (reason: CancellationReason | undefined): boolean => reason?.Code === 'ConditionalCheckFailed';

/** Whether `error` is a transaction cancelled because a condition failed: on item `index`, or on any item. */
export function transactionCancelledOn(error: unknown, index?: number): boolean {
  const reasons = cancellationReasons(error);
  if (!reasons) return false;
  return index === undefined ? reasons.some(conditionFailed) : conditionFailed(reasons[index]);
}

/** The item without the named attributes (the table's own keys and markers): what the record was. */
export function withoutAttributes(item: Item, attributes: ReadonlySet<string>): Item {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !attributes.has(name)));
}

/** An opaque page cursor for a LastEvaluatedKey (undefined on the last page). */
export function encodeCursor(lastEvaluatedKey: Item | undefined): string | undefined {
  return lastEvaluatedKey ? Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url') : undefined;
}

/** The ExclusiveStartKey of a cursor made by encodeCursor. */
export function decodeCursor(cursor: string): Item {
  return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Item;
}

/**
 * Runs one transaction; resolves to undefined when written, or to the cancellation reasons when
 * a condition failed. Collisions with concurrent transactions (TransactionConflict) are retried
 * with full jitter, up to `attempts`; then `exhausted()` is thrown (a retryable 503, never a
 * guess: nothing was written and nobody is known to have won).
 */
export async function transactWithRetry(
  db: DynamoDBDocumentClient,
  TransactItems: TransactItem[],
  options: { attempts: number; exhausted: () => Error },
): Promise<CancellationReason[] | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems }));
      return undefined;
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      if (reasons.some(conditionFailed)) return reasons;
      if (!reasons.some((reason) => reason.Code === 'TransactionConflict')) throw error;
      if (attempt >= options.attempts) throw options.exhausted();
      // Full jitter: concurrent losers spread out instead of colliding again.
      await delay(Math.random() * Math.min(500, 10 * 2 ** attempt));
    }
  }
}

/** Runs one transaction once: undefined when written, the cancellation reasons when cancelled. */
export async function transactOnce(db: DynamoDBDocumentClient, TransactItems: TransactItem[]): Promise<CancellationReason[] | undefined> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems }));
    return undefined;
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (!reasons) throw error;
    return reasons;
  }
}
