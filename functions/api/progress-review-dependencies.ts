/**
 * The progress review routes' adapters (issue 11, point 4), built once per cold start. Only the
 * list route carries the cursor key (`cursor:sign`); only run-now sends email (`email:send`).
 */
import { now } from '../../shared/adapters/clock.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createProgressReviewStore, createReviewFactsSource, createTherapistDirectory } from '../../shared/adapters/dynamodb/progress-review-repository.js';
import { createSesClient, createSesEmailSender } from '../../shared/adapters/ses/email-sender.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { readProgressReviewSettings } from '../../shared/config/progress-reviews.js';
import type { EmailSender } from '../../shared/use-cases/ports.js';
import type { ProgressReviewDeps } from '../../shared/use-cases/reviews/progress-reviews.js';
import type { ReviewRouteDeps } from '../../shared/use-cases/reviews/review-routes.js';

const refuses: EmailSender = { send: () => Promise.reject(new Error('This function does not send email.')) };

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

/** Run now and preview: the workflow's dependencies (shared/use-cases/reviews/progress-reviews.ts). */
export function reviewBuildDependencies(options: { sendsEmail: boolean }): ProgressReviewDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  let email = refuses;
  let appBaseUrl = 'https://app.invalid';
  if (options.sendsEmail) {
    const env = readEnvironment(['EMAIL_FROM', 'SES_CONFIGURATION_SET', 'APP_BASE_URL']);
    // One SES attempt per call, as the workflow's send task: the claim decides any retry.
    email = createSesEmailSender({ client: createSesClient({ maxAttempts: 1 }), from: env.EMAIL_FROM, configurationSet: env.SES_CONFIGURATION_SET });
    appBaseUrl = env.APP_BASE_URL;
  }
  return {
    store: createProgressReviewStore({ documentClient, tableName }),
    therapists: createTherapistDirectory({ documentClient, tableName }),
    facts: createReviewFactsSource({ documentClient, tableName }),
    email,
    auditLog: createAuditLog({ documentClient, tableName }),
    settings: readProgressReviewSettings(appBaseUrl),
    now,
  };
}
