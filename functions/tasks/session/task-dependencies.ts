/** What every session task function builds once per cold start. */
import { now } from '../../../shared/adapters/clock.js';
import { createCareUnitRepository } from '../../../shared/adapters/dynamodb/care-unit-repository.js';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createClinicianRepository } from '../../../shared/adapters/dynamodb/clinician-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { createSesClient, createSesEmailSender } from '../../../shared/adapters/ses/email-sender.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { readSessionPolicy } from '../../../shared/config/sessions.js';
import type { SessionTaskDeps } from '../../../shared/use-cases/sessions/workflow-tasks.js';

/** ReadSchedule reads the session alone. */
export function tableDependencies(): Pick<SessionTaskDeps, 'sessions'> {
  const env = readEnvironment(['TABLE_NAME']);
  return { sessions: createSessionRepository({ documentClient: createDocumentClient(), tableName: env.TABLE_NAME }) };
}

export function emailDependencies(): SessionTaskDeps {
  const env = readEnvironment(['TABLE_NAME', 'EMAIL_FROM', 'SES_CONFIGURATION_SET', 'APP_BASE_URL']);
  const documentClient = createDocumentClient();
  return {
    sessions: createSessionRepository({ documentClient, tableName: env.TABLE_NAME }),
    clients: createClientRepository({ documentClient, tableName: env.TABLE_NAME }),
    directory: createClinicianRepository({ documentClient, tableName: env.TABLE_NAME }),
    units: createCareUnitRepository({ documentClient, tableName: env.TABLE_NAME }),
    email: createSesEmailSender({ client: createSesClient(), from: env.EMAIL_FROM, configurationSet: env.SES_CONFIGURATION_SET }),
    policy: readSessionPolicy(),
    appBaseUrl: env.APP_BASE_URL,
    emailFrom: env.EMAIL_FROM,
    now,
  };
}
