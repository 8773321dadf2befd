/** What every risk-escalation task function builds once per cold start. */
import { now } from '../../../shared/adapters/clock.js';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../../shared/adapters/dynamodb/care-team-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createRiskSourceReader } from '../../../shared/adapters/dynamodb/risk-source-reader.js';
import { createRiskTaskRepository, createStaffDirectory } from '../../../shared/adapters/dynamodb/risk-task-repository.js';
import { createSesClient, createSesEmailSender } from '../../../shared/adapters/ses/email-sender.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { readRiskEscalationSettings } from '../../../shared/config/risk-escalation.js';
import type { RiskTaskDeps } from '../../../shared/use-cases/risk/workflow-tasks.js';
import type { EmailSender } from '../../../shared/use-cases/ports.js';

const refuses: EmailSender = { send: () => Promise.reject(new Error('This task function does not send email.')) };

/** Tasks without `email:send` get a sender that refuses (and need no email configuration). */
export function riskTaskDependencies(options: { sendsEmail: boolean }): RiskTaskDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  let email = refuses;
  let appBaseUrl = '';
  if (options.sendsEmail) {
    const env = readEnvironment(['EMAIL_FROM', 'SES_CONFIGURATION_SET', 'APP_BASE_URL']);
    // One SES attempt per call: an SDK-level retry of a send whose answer was lost would be a
    // duplicate the claim cannot see; the state machine retries instead, through the claim.
    email = createSesEmailSender({ client: createSesClient({ maxAttempts: 1 }), from: env.EMAIL_FROM, configurationSet: env.SES_CONFIGURATION_SET });
    appBaseUrl = env.APP_BASE_URL;
  }
  return {
    tasks: createRiskTaskRepository({ documentClient, tableName }),
    sources: createRiskSourceReader({ documentClient, tableName }),
    staff: createStaffDirectory({ documentClient, tableName }),
    careTeam: createCareTeamRepository({ documentClient, tableName }),
    email,
    auditLog: createAuditLog({ documentClient, tableName }),
    settings: readRiskEscalationSettings(),
    appBaseUrl,
    now,
  };
}
