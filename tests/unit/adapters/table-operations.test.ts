/**
 * The table operations with logic of their own (shared/adapters/dynamodb/table-operations.ts):
 * pages followed to the end, BatchGet chunks and their unprocessed keys (which DynamoDB Local
 * never returns, so injected with aws-sdk-client-mock), and the reading of a cancelled transaction.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import {
  batchGetAll,
  cancellationReasons,
  decodeCursor,
  encodeCursor,
  isConditionalCheckFailure,
  queryAll,
  transactionCancelledOn,
  withoutAttributes,
} from '../../../shared/adapters/dynamodb/table-operations.js';

const TABLE = 'moodrx-test';
const db = createDocumentClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const dynamo = mockClient(DynamoDBDocumentClient);
const key = (n: number) => ({ PK: `CLIENT#${n}`, SK: 'PROFILE' });

function cancelled(codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
}

beforeEach(() => dynamo.reset());

describe('queryAll', () => {
  it('follows LastEvaluatedKey to the last page, passing it as ExclusiveStartKey', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [key(1)], LastEvaluatedKey: key(1) })
      .resolvesOnce({ Items: [key(2)], LastEvaluatedKey: key(2) })
      .resolvesOnce({ Items: [key(3)] });
    const items = await queryAll(db, { TableName: TABLE, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'X' } });
    expect(items).toEqual([key(1), key(2), key(3)]);
    const starts = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input.ExclusiveStartKey);
    expect(starts).toEqual([undefined, key(1), key(2)]);
  });
});

describe('batchGetAll', () => {
  it('reads in chunks of 100 and asks again for the unprocessed keys only', async () => {
    const keys = Array.from({ length: 150 }, (_, n) => key(n));
    dynamo.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Record<string, unknown>[] }> }) => {
      const asked = input.RequestItems[TABLE]!.Keys;
      // The first request of the first chunk leaves its last two keys unprocessed.
      const first = dynamo.commandCalls(BatchGetCommand).length === 1;
      const served = first ? asked.slice(0, -2) : asked;
      return { Responses: { [TABLE]: served }, ...(first ? { UnprocessedKeys: { [TABLE]: { Keys: asked.slice(-2) } } } : {}) };
    });
    const items = await batchGetAll(db, TABLE, keys, { consistent: true, projection: 'PK' });
    expect(items).toHaveLength(150);
    expect(new Set(items.map((item) => item.PK))).toEqual(new Set(keys.map((k) => k.PK)));
    const requests = dynamo.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems![TABLE]!);
    expect(requests.map((request) => request.Keys!.length)).toEqual([100, 2, 50]);
    expect(requests[1]!.Keys).toEqual([key(98), key(99)]);
    expect(requests.every((request) => request.ConsistentRead === true && request.ProjectionExpression === 'PK')).toBe(true);
  });

  it('leaves ConsistentRead out unless asked, and reads chunks in parallel when asked', async () => {
    dynamo.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Record<string, unknown>[] }> }) => ({
      Responses: { [TABLE]: input.RequestItems[TABLE]!.Keys },
    }));
    const items = await batchGetAll(
      db,
      TABLE,
      Array.from({ length: 250 }, (_, n) => key(n)),
      { parallel: 8 },
    );
    expect(items).toHaveLength(250);
    const requests = dynamo.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems![TABLE]!);
    expect(requests).toHaveLength(3);
    expect(requests.some((request) => 'ConsistentRead' in request)).toBe(false);
  });

  it('gives up after 5 requests for a chunk that stays unprocessed', async () => {
    dynamo.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Record<string, unknown>[] }> }) => ({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: input.RequestItems[TABLE]!.Keys } },
    }));
    await expect(batchGetAll(db, TABLE, [key(1), key(2)])).rejects.toThrow('Could not read 2 items after 5 attempts.');
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(5);
  });

  it('sends nothing for no keys', async () => {
    expect(await batchGetAll(db, TABLE, [])).toEqual([]);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(0);
  });
});

describe('conditions and cancelled transactions', () => {
  it('tells a failed single-item condition from anything else', () => {
    expect(isConditionalCheckFailure(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }))).toBe(true);
    expect(isConditionalCheckFailure(cancelled(['ConditionalCheckFailed']))).toBe(false);
    expect(isConditionalCheckFailure('ConditionalCheckFailedException')).toBe(false);
  });

  it('reads the reasons of a cancelled transaction, and nothing of other errors', () => {
    expect(cancellationReasons(cancelled(['None', 'ConditionalCheckFailed']))?.map((reason) => reason.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    const withoutReasons = new Error('cancelled');
    withoutReasons.name = 'TransactionCanceledException';
    expect(cancellationReasons(withoutReasons)).toEqual([]);
    expect(cancellationReasons(new Error('boom'))).toBeUndefined();
  });

  it('says which item of a cancelled transaction failed its condition', () => {
    const error = cancelled(['None', 'ConditionalCheckFailed', 'TransactionConflict']);
    expect(transactionCancelledOn(error)).toBe(true);
    expect(transactionCancelledOn(error, 1)).toBe(true);
    expect(transactionCancelledOn(error, 0)).toBe(false);
    expect(transactionCancelledOn(error, 2)).toBe(false);
    expect(transactionCancelledOn(error, 7)).toBe(false);
    expect(transactionCancelledOn(cancelled(['None', 'TransactionConflict']))).toBe(false);
    expect(transactionCancelledOn(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }))).toBe(false);
  });
});

describe('items and cursors', () => {
  it('drops the named attributes only', () => {
    expect(withoutAttributes({ PK: 'a', SK: 'b', entityType: 'x', name: 'Sam', expiresAt: 1 }, new Set(['PK', 'SK', 'entityType']))).toEqual({ name: 'Sam', expiresAt: 1 });
  });

  it('round-trips a LastEvaluatedKey through an opaque cursor, and has none after the last page', () => {
    const last = { PK: 'CLIENT#1', SK: 'PROFILE', GSI1PK: 'CLIENT_STAGE#matching', GSI1SK: '2026-12-01' };
    const cursor = encodeCursor(last)!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(last);
    expect(encodeCursor(undefined)).toBeUndefined();
  });
});
