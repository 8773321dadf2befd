import { createCognitoSignIn } from '../../shared/adapters/cognito/sign-in.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { refreshTokens } from '../../shared/use-cases/auth/sign-in.js';

const signInPort = createCognitoSignIn();

export const handler = apiHandler('refresh', async ({ body }) => ({
  status: 200,
  body: await refreshTokens(signInPort, body.refreshToken),
}));
