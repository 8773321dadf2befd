/**
 * Functions the table's stream invokes (a Lambda event source mapping in AWS:
 * infra/stacks/workflows-stack.ts; the local stack has no stream and runs none of them). Like
 * the registry's tasks and the scheduled functions, each names its handler module and declares
 * its capabilities, which become its IAM and environment; and each says which stream records it
 * may ever see: the mapping's filter drops every other record before an invocation, so the
 * function never receives the rest of the table.
 */
import { ARCHIVED_ENTITY_TYPES } from '../shared/use-cases/access/archive-audit-events.js';
import type { Capability } from '../shared/platform/capabilities.js';

export interface StreamConsumer {
  /** Names the function `moodrx-<stage>-<id>` and its failure queue `moodrx-<stage>-<id>-failures`. */
  readonly id: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly capabilities: readonly Capability[];
  readonly description: string;
  readonly timeoutSeconds: number;
  /**
   * Lambda event filter patterns over the stream record (`eventName`, `dynamodb.NewImage` in
   * DynamoDB JSON); a record that matches none never invokes the function.
   */
  readonly filterPatterns: readonly Record<string, unknown>[];
  /** Records per invocation (at most 10 000). */
  readonly batchSize: number;
  /** Retries of a failed record (and the records after it in its shard) before its batch's position goes to the failure queue. */
  readonly retryAttempts: number;
}

export const STREAM_CONSUMERS = {
  archiveAuditEvents: {
    id: 'archive-audit-events',
    entry: 'functions/streams/archive-audit-events.ts',
    // Reads the stream (the mapping does, with the function's role) and puts objects; it cannot
    // read the table, delete an object or change a retention.
    capabilities: ['table:stream', 'audit:archive'],
    description: 'Copies every new audit event (clients\' and staff chains) into the write-once audit archive (S3 Object Lock, COMPLIANCE)',
    timeoutSeconds: 60,
    // New audit event items only: never another entity, never an update or removal.
    filterPatterns: [{ eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: Object.values(ARCHIVED_ENTITY_TYPES) } } } }],
    batchSize: 100,
    // A record still failing after these goes to the failure queue (alarmed); it stays in the
    // table, from which it can be archived again.
    retryAttempts: 10,
  },
} as const satisfies Record<string, StreamConsumer>;
