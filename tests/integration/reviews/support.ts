/** Progress reviews in the integration suites: the workflow's use cases in process, on the suite's table. */
import { now } from '../../../shared/adapters/clock.js';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createProgressReviewStore, createReviewFactsSource, createTherapistDirectory } from '../../../shared/adapters/dynamodb/progress-review-repository.js';
import { DEFAULT_PROGRESS_REVIEW_SETTINGS, type ProgressReviewDeps } from '../../../shared/use-cases/reviews/progress-reviews.js';
import { db } from '../risk/support.js';

/** Build-and-store dependencies (no email: a send here is a bug). */
export function reviewBuildDeps(): ProgressReviewDeps {
  const tableName = process.env.TABLE_NAME as string;
  const documentClient = db();
  return {
    store: createProgressReviewStore({ documentClient, tableName }),
    therapists: createTherapistDirectory({ documentClient, tableName }),
    facts: createReviewFactsSource({ documentClient, tableName }),
    email: { send: () => Promise.reject(new Error('No email from the test process.')) },
    auditLog: createAuditLog({ documentClient, tableName }),
    settings: { ...DEFAULT_PROGRESS_REVIEW_SETTINGS, reviewUrlBase: 'https://app.example.test/reviews' },
    now,
  };
}
