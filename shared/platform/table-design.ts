/**
 * The one DynamoDB table's physical shape, shared by infra (CDK) and the local stack, so the
 * emulator's table is the deployed table. Key VALUES are built only in
 * shared/adapters/dynamodb/keys.ts, whose header lists the access patterns.
 */
export const TABLE_DESIGN = {
  partitionKey: 'PK',
  sortKey: 'SK',
  globalSecondaryIndexes: [{ indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
  /** Epoch seconds; DynamoDB deletes expired items (idempotency records, holds). */
  timeToLiveAttribute: 'expiresAt',
} as const;
