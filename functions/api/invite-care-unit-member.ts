import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createSesClient, createSesEmailSender } from '../../shared/adapters/ses/email-sender.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { inviteMember } from '../../shared/use-cases/care-units/units.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

const env = readEnvironment(['TABLE_NAME', 'EMAIL_FROM', 'SES_CONFIGURATION_SET', 'APP_BASE_URL']);
const deps = {
  ...careUnitDependencies(),
  invitationEmails: {
    email: createSesEmailSender({ client: createSesClient(), from: env.EMAIL_FROM, configurationSet: env.SES_CONFIGURATION_SET }),
    appBaseUrl: env.APP_BASE_URL,
    notifications: createClientRepository({ documentClient: createDocumentClient(), tableName: env.TABLE_NAME }),
  },
};

export const handler = apiHandler('invite-care-unit-member', async ({ caller, params, body, requestId }) => ({
  status: 202,
  body: await inviteMember({ caller, unitId: params.unitId, request: body, requestId }, deps),
}));
