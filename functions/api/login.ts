import { createCognitoSignIn } from '../../shared/adapters/cognito/sign-in.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { signIn } from '../../shared/use-cases/auth/sign-in.js';

const signInPort = createCognitoSignIn();

export const handler = apiHandler('login', async ({ body }) => ({
  status: 200,
  body: await signIn(signInPort, body.email, body.password),
}));
