/**
 * The audit archiver, invoked by the table's stream (infra/stacks/workflows-stack.ts, the
 * registry workflows/stream-consumers.ts). The event source's filter lets through only INSERTs
 * of audit event items (`audit-event`, `staff-audit-event`), so no other item of the table ever
 * reaches this function; audit events carry ids, never health data.
 *
 * Each link is put into the write-once archive (shared/use-cases/access/archive-audit-events.ts);
 * a record that cannot be archived is answered as a batch item failure (ReportBatchItemFailures),
 * so the stream retries from it without replaying what was stored, and after the retries the
 * batch's position goes to the failure queue (alarmed). Logs sequence numbers, reasons, archive
 * keys (chain owner ids) and error names only, never an event.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { streamedItem } from '../../shared/adapters/dynamodb/stream-records.js';
import { auditArchiveFromEnvironment } from '../../shared/adapters/s3/audit-archive.js';
import { logger } from '../../shared/observability/logger.js';
import { archiveAuditEvents } from '../../shared/use-cases/access/archive-audit-events.js';

const archive = auditArchiveFromEnvironment();

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .handler(async (event) => {
    const result = await archiveAuditEvents(event.Records.map(streamedItem), { archive });
    for (const failure of result.failures) logger.error('Audit event not archived', { ...failure });
    logger.info('Audit events archived', { received: event.Records.length, archived: result.archived, failed: result.failures.length });
    return { batchItemFailures: result.failures.map((failure) => ({ itemIdentifier: failure.id })) };
  });
