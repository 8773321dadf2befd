import { createCognitoSignIn } from '../../shared/adapters/cognito/sign-in.js';
import { apiHandler } from '../../shared/http/api-handler.js';

const signInPort = createCognitoSignIn();

export const handler = apiHandler('begin-mfa-setup', async ({ body }) => ({
  status: 200,
  body: await signInPort.beginMfaSetup(body.session),
}));
