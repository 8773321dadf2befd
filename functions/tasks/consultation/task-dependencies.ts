/** What every consultation task function builds once per cold start. */
import { now } from '../../../shared/adapters/clock.js';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createClinicianRepository } from '../../../shared/adapters/dynamodb/clinician-repository.js';
import { createConsultationRepository } from '../../../shared/adapters/dynamodb/consultation-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createSesClient, createSesEmailSender } from '../../../shared/adapters/ses/email-sender.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { readConsultationSettings } from '../../../shared/config/scheduling.js';
import type { ConsultationTaskDeps } from '../../../shared/use-cases/consultations/workflow-tasks.js';

/** Tasks that read only (no email) get the table alone. */
export function tableDependencies(): Pick<ConsultationTaskDeps, 'consultations' | 'settings' | 'now'> {
  const env = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  return {
    consultations: createConsultationRepository({ documentClient, tableName: env.TABLE_NAME }),
    settings: readConsultationSettings(),
    now,
  };
}

export function emailDependencies(): ConsultationTaskDeps {
  const env = readEnvironment(['TABLE_NAME', 'EMAIL_FROM', 'SES_CONFIGURATION_SET', 'APP_BASE_URL']);
  const documentClient = createDocumentClient();
  return {
    consultations: createConsultationRepository({ documentClient, tableName: env.TABLE_NAME }),
    clients: createClientRepository({ documentClient, tableName: env.TABLE_NAME }),
    directory: createClinicianRepository({ documentClient, tableName: env.TABLE_NAME }),
    email: createSesEmailSender({ client: createSesClient(), from: env.EMAIL_FROM, configurationSet: env.SES_CONFIGURATION_SET }),
    settings: readConsultationSettings(),
    appBaseUrl: env.APP_BASE_URL,
    emailFrom: env.EMAIL_FROM,
    now,
  };
}
