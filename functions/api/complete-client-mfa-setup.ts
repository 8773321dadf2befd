import { createCognitoSoftwareToken } from '../../shared/adapters/cognito/software-token.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { accessTokenFrom } from '../../shared/http/caller.js';
import { completeClientMfaSetup } from '../../shared/use-cases/auth/client-mfa.js';

const softwareToken = createCognitoSoftwareToken();

export const handler = apiHandler('complete-client-mfa-setup', async ({ headers, body }) => {
  await completeClientMfaSetup(softwareToken, accessTokenFrom(headers), body.code);
  return { status: 204 };
});
