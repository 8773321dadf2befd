import { now } from '../../shared/adapters/clock.js';
import { createCognitoClient } from '../../shared/adapters/cognito/client-identity-admin.js';
import { createCognitoStaffIdentityAdmin } from '../../shared/adapters/cognito/staff-identity-admin.js';
import { createClinicianRepository } from '../../shared/adapters/dynamodb/clinician-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createSesClient, createSesEmailSender } from '../../shared/adapters/ses/email-sender.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware, replayWithRoleCheckOnly } from '../../shared/http/idempotency.js';
import { createClinician } from '../../shared/use-cases/clinicians/create-clinician.js';

const env = readEnvironment(['TABLE_NAME', 'STAFF_USER_POOL_ID', 'EMAIL_FROM', 'SES_CONFIGURATION_SET', 'APP_BASE_URL']);
const dependencies = {
  identities: createCognitoStaffIdentityAdmin({ client: createCognitoClient(), userPoolId: env.STAFF_USER_POOL_ID }),
  clinicians: createClinicianRepository({ documentClient: createDocumentClient(), tableName: env.TABLE_NAME }),
  emails: createSesEmailSender({ client: createSesClient(), from: env.EMAIL_FROM, configurationSet: env.SES_CONFIGURATION_SET }),
  appBaseUrl: env.APP_BASE_URL,
  now,
};

export const handler = apiHandler(
  'create-clinician',
  async ({ body }) => ({ status: 201, body: await createClinician(dependencies, body) }),
  { idempotency: idempotencyMiddleware, replay: replayWithRoleCheckOnly },
);
