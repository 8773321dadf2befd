import { createCognitoSignIn } from '../../shared/adapters/cognito/sign-in.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { completeMfaSetup } from '../../shared/use-cases/auth/sign-in.js';

const signInPort = createCognitoSignIn();

export const handler = apiHandler('complete-mfa-setup', async ({ body }) => ({
  status: 200,
  body: await completeMfaSetup(signInPort, body),
}));
