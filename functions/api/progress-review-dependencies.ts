/**
 * The progress review routes' adapters (issue 11, point 4), built once per cold start. Only the
 * list route carries the cursor key (`cursor:sign`); only run-now sends email (`email:send`).
 */
import { now } from '../../shared/adapters/clock.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createProgressReviewStore, createTherapistDirectory } from '../../shared/adapters/dynamodb/progress-review-repository.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { progressReviewDependencies } from '../tasks/progress-reviews/task-dependencies.js';
import type { ReviewRouteDeps } from '../../shared/use-cases/reviews/review-routes.js';

export function reviewRouteDependencies(options: { cursors?: boolean } = {}): ReviewRouteDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  return {
    store: createProgressReviewStore({ documentClient, tableName }),
    therapists: createTherapistDirectory({ documentClient, tableName }),
    auditLog: createAuditLog({ documentClient, tableName }),
    now,
    ...(options.cursors ? { cursorSigningKey: readEnvironment(['CURSOR_SIGNING_KEY']).CURSOR_SIGNING_KEY } : {}),
  };
}

/** Run now and preview: the workflow's own dependencies, built the same way (one SES attempt per call: the claim decides any retry). */
export const reviewBuildDependencies = progressReviewDependencies;
