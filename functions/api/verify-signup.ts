import { now } from '../../shared/adapters/clock.js';
import { createCognitoClient, createCognitoClientIdentityAdmin } from '../../shared/adapters/cognito/client-identity-admin.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createSesClient, createSesEmailSender } from '../../shared/adapters/ses/email-sender.js';
import { createSfnClient } from '../../shared/adapters/sfn/sync-workflow-client.js';
import { createWorkflowStarter } from '../../shared/adapters/sfn/workflow-starter.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { VERIFY_MINIMUM_RESPONSE_MS } from '../../shared/config/signup.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { withMinimumDuration } from '../../shared/http/minimum-duration.js';
import { verifyEmail } from '../../shared/use-cases/signup/verify-email.js';

const env = readEnvironment(['TABLE_NAME', 'CLIENT_USER_POOL_ID', 'EMAIL_FROM', 'SES_CONFIGURATION_SET', 'APP_BASE_URL', 'CARE_LIFECYCLE_STATE_MACHINE_ARN']);
const dependencies = {
  clients: createClientRepository({ documentClient: createDocumentClient(), tableName: env.TABLE_NAME }),
  identities: createCognitoClientIdentityAdmin({ client: createCognitoClient(), userPoolId: env.CLIENT_USER_POOL_ID }),
  email: createSesEmailSender({ client: createSesClient(), from: env.EMAIL_FROM, configurationSet: env.SES_CONFIGURATION_SET }),
  careLifecycle: createWorkflowStarter({ client: createSfnClient(), stateMachineArn: env.CARE_LIFECYCLE_STATE_MACHINE_ARN }),
  appBaseUrl: env.APP_BASE_URL,
  now,
};

export const handler = apiHandler('verify-signup', async ({ body, requestId }) => ({
  status: 200,
  body: await withMinimumDuration(VERIFY_MINIMUM_RESPONSE_MS, () => verifyEmail(dependencies, body, { requestId })),
}));
