/**
 * Pieces the monitoring repositories (assessments, check-ins, diagnoses) share: the submission
 * pointer (keys.ts pattern 26), the pending risk-escalation marker (pattern 29) and pages.
 */
import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { RiskSource } from '../../use-cases/ports.js';
import { RISK_LEVELS } from '../../domain/instruments/risk-flags.js';
import type { Page, PageRequest, PendingRiskEscalation, PendingRiskEscalations, SaveOptions, SaveResult } from '../../use-cases/monitor/ports.js';
import { uuidV7LowerBound } from '../../use-cases/monitor/record-ids.js';
import { now } from '../clock.js';
import { keys } from './keys.js';
import { cancellationReasons, conditionFailed, queryAll as queryAllPages, withoutAttributes, type Item } from './table-operations.js';

export type { Item };

export const SUBMISSION_ENTITY = 'submission';
export const PENDING_RISK_ESCALATION_ENTITY = 'risk-escalation-pending';

/** As long as Powertools keeps the Idempotency-Key (shared/http/idempotency.ts). */
export const SUBMISSION_LIFETIME_SECONDS = 24 * 60 * 60;

/** Attributes of the table, not of the record. */
const STORAGE_ATTRIBUTES = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entityType', 'expiresAt']);

/** The Put of a submission pointer: absent, or expired (TTL deletes lazily). */
export function submissionPut(tableName: string, clientId: string, keyHash: string, target: Item, nowMs: number) {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.submission(clientId, keyHash),
        entityType: SUBMISSION_ENTITY,
        ...target,
        expiresAt: Math.floor(nowMs / 1000) + SUBMISSION_LIFETIME_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :nowSeconds',
      ExpressionAttributeValues: { ':nowSeconds': Math.floor(nowMs / 1000) },
    },
  };
}

/** The pointer's target, unless it is absent or expired. */
export async function readSubmission(db: DynamoDBDocumentClient, tableName: string, clientId: string, keyHash: string): Promise<Item | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.submission(clientId, keyHash), ConsistentRead: true }));
  if (!Item || (typeof Item.expiresAt === 'number' && Item.expiresAt < Math.floor(now().getTime() / 1000))) return undefined;
  return Item;
}

/**
 * Writes a new record (assessment, check-in) in ONE transaction: `items` starting with the
 * ConditionCheck of the client profile, then the submission pointer and the pending escalation
 * that `options` ask for. A submission pointer already taken resolves to the record it names.
 */
export async function saveNewRecord<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  input: {
    clientId: string;
    record: T;
    items: NonNullable<TransactWriteCommandInput['TransactItems']>;
    /** What the submission pointer names, and when it was submitted (for its lifetime). */
    pointer: { recordType: string; recordId: string; at: string };
    options: SaveOptions;
    /** The repository's reads, to find the record an earlier submission with the same key created. */
    lookup: { findBySubmissionKey(clientId: string, submissionKey: string): Promise<string | undefined>; get(clientId: string, recordId: string): Promise<T | undefined> };
  },
): Promise<SaveResult<T>> {
  const { clientId, items, pointer, options } = input;
  const submissionIndex = options.submissionKey ? items.length : -1;
  if (options.submissionKey) {
    items.push(submissionPut(tableName, clientId, options.submissionKey, { recordType: pointer.recordType, recordId: pointer.recordId }, Date.parse(pointer.at)));
  }
  if (options.pendingEscalation) items.push(pendingEscalationPut(tableName, options.pendingEscalation));
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return { outcome: 'created', record: input.record };
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (!reasons) throw error;
    if (conditionFailed(reasons[0])) return { outcome: 'client_not_found' };
    if (submissionIndex >= 0 && conditionFailed(reasons[submissionIndex])) {
      const earlier = await input.lookup.findBySubmissionKey(clientId, options.submissionKey!);
      const record = earlier === undefined ? undefined : await input.lookup.get(clientId, earlier);
      if (record) return { outcome: 'existing', record };
    }
    throw error;
  }
}

export function pendingEscalationPut(tableName: string, pending: PendingRiskEscalation) {
  const { clientId, source } = pending;
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.pendingRiskEscalation(clientId, source.type, source.id),
        ...keys.pendingRiskEscalationIndex(clientId, source.type, source.id, pending.flaggedAt),
        entityType: PENDING_RISK_ESCALATION_ENTITY,
        clientId,
        level: pending.level,
        sourceType: source.type,
        sourceId: source.id,
        flaggedAt: pending.flaggedAt,
      },
    },
  };
}

/**
 * Queries one page (newest first) of the client's items under `prefix`, starting after the
 * item whose sort key is `prefix + after`. Reads one item more than asked to know whether
 * another page follows, so the last page never points at an empty one.
 *
 * With `page.within` (a former clinician's windows), each window is its own key range,
 * newest window first: `prefix + uuidV7LowerBound(from)` to `prefix + uuidV7LowerBound(to)`
 * (that bound sorts after every id made before `to` and before every id made at or after it),
 * cut at `after`. Rows outside the windows are never read, so `lastKey` (the next cursor) is
 * always a row the caller may see: the ids of other rows, which carry their creation time, do
 * not leak.
 */
export async function queryPage<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  clientId: string,
  prefix: string,
  page: PageRequest,
  toRecord: (item: Item) => T & { id: string },
): Promise<Page<T>> {
  const pk = keys.clientPartition(clientId);
  const after = page.after === undefined ? undefined : `${prefix}${page.after}`;
  const ranges =
    page.within === undefined
      ? [{ condition: 'PK = :pk AND begins_with(SK, :prefix)', values: { ':prefix': prefix } as Record<string, string>, start: after }]
      : windowRanges(prefix, page.within, after);
  const items: Item[] = [];
  for (const range of ranges) {
    let start = range.start;
    while (items.length <= page.limit) {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: range.condition,
          ExpressionAttributeValues: { ':pk': pk, ...range.values },
          ScanIndexForward: false,
          Limit: page.limit + 1 - items.length,
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: { PK: pk, SK: start } }),
        }),
      );
      items.push(...(result.Items ?? []));
      if (!result.LastEvaluatedKey) break;
      start = String(result.LastEvaluatedKey.SK);
    }
    if (items.length > page.limit) break;
  }
  const records = items.slice(0, page.limit).map(toRecord);
  const more = items.length > page.limit;
  return { items: records.map(({ id: _id, ...record }) => record as T), ...(more ? { lastKey: records.at(-1)!.id } : {}) };
}

/** The key ranges of `windows`, newest first, each ending at `after` when the page starts inside it. */
function windowRanges(prefix: string, windows: readonly { from: string; to: string }[], after: string | undefined) {
  const bound = (iso: string) => {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) throw new RangeError('A window bound is not an ISO instant.');
    return `${prefix}${uuidV7LowerBound(at)}`;
  };
  return [...windows]
    .map((w) => ({ low: bound(w.from), high: bound(w.to) }))
    .filter((w) => w.low < w.high && (after === undefined || w.low < after))
    .sort((a, b) => (a.high < b.high ? 1 : a.high > b.high ? -1 : 0))
    .map((w) => {
      // Newest first: a page that starts after `after` continues below it (BETWEEN is inclusive; the start key excludes it).
      const inside = after !== undefined && after <= w.high;
      return {
        condition: 'PK = :pk AND SK BETWEEN :low AND :high',
        values: { ':low': w.low, ':high': inside ? after : w.high },
        start: inside ? after : undefined,
      };
    });
}

/** Every item of the client under `prefix`, in sort-key order (or reversed). */
export async function queryAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  input: { clientId: string; prefix: string; from?: string; newestFirst?: boolean; projection?: { expression: string; names: Record<string, string> } },
): Promise<Item[]> {
  const range =
    input.from === undefined
      ? { KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', values: { ':prefix': input.prefix } }
      : // '~' sorts after every character of an id: [prefix + from, prefix + '~'] stays under the prefix.
        { KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to', values: { ':from': `${input.prefix}${input.from}`, ':to': `${input.prefix}~` } };
  return queryAllPages(db, {
    TableName: tableName,
    KeyConditionExpression: range.KeyConditionExpression,
    ExpressionAttributeValues: { ':pk': keys.clientPartition(input.clientId), ...range.values },
    ScanIndexForward: !input.newestFirst,
    ConsistentRead: true,
    ...(input.projection ? { ProjectionExpression: input.projection.expression, ExpressionAttributeNames: input.projection.names } : {}),
  });
}

/** Without the table's own attributes: what the record was. */
export function withoutKeys(item: Item): Item {
  return withoutAttributes(item, STORAGE_ATTRIBUTES);
}

export function createPendingRiskEscalations(options: { documentClient: DynamoDBDocumentClient; tableName: string }): PendingRiskEscalations {
  const { documentClient: db, tableName: TableName } = options;
  return {
    async clear(clientId: string, source: RiskSource) {
      await db.send(new DeleteCommand({ TableName, Key: keys.pendingRiskEscalation(clientId, source.type, source.id) }));
    },
    async listPending(limit: number) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.pendingRiskEscalationsPartition() },
          Limit: limit,
        }),
      );
      return Items.map((item) => {
        const level = item.level as PendingRiskEscalation['level'];
        if (!RISK_LEVELS.includes(level)) throw new Error('A pending risk escalation has an unknown level.');
        return {
          clientId: String(item.clientId),
          level,
          source: { type: item.sourceType === 'check_in' ? 'check_in' : 'assessment', id: String(item.sourceId) },
          flaggedAt: String(item.flaggedAt),
        } satisfies PendingRiskEscalation;
      });
    },
  };
}
