/** What every progress-review task function builds once per cold start. */
import { now } from '../../../shared/adapters/clock.js';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createProgressReviewStore, createReviewFactsSource, createTherapistDirectory } from '../../../shared/adapters/dynamodb/progress-review-repository.js';
import { createSesClient, createSesEmailSender } from '../../../shared/adapters/ses/email-sender.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { readProgressReviewSettings } from '../../../shared/config/progress-reviews.js';
import type { EmailSender } from '../../../shared/use-cases/ports.js';
import type { ProgressReviewDeps } from '../../../shared/use-cases/reviews/progress-reviews.js';

const refuses: EmailSender = { send: () => Promise.reject(new Error('This task function does not send email.')) };

/** Tasks without `email:send` get a sender that refuses (and need no email configuration). */
export function progressReviewDependencies(options: { sendsEmail: boolean }): ProgressReviewDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  let email = refuses;
  let appBaseUrl = 'https://app.invalid';
  if (options.sendsEmail) {
    const env = readEnvironment(['EMAIL_FROM', 'SES_CONFIGURATION_SET', 'APP_BASE_URL']);
    // One SES attempt per call: an SDK-level retry of a send whose answer was lost would be a
    // duplicate the claim cannot see; the state machine retries instead, through the claim.
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
