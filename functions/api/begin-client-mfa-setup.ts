import { createCognitoSoftwareToken } from '../../shared/adapters/cognito/software-token.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { accessTokenFrom } from '../../shared/http/caller.js';
import { beginClientMfaSetup } from '../../shared/use-cases/auth/client-mfa.js';

const softwareToken = createCognitoSoftwareToken();

export const handler = apiHandler('begin-client-mfa-setup', async ({ headers }) => ({
  status: 200,
  body: await beginClientMfaSetup(softwareToken, accessTokenFrom(headers)),
}));
