import { createCognitoSignIn } from '../../shared/adapters/cognito/sign-in.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { answerMfa } from '../../shared/use-cases/auth/sign-in.js';

const signInPort = createCognitoSignIn();

export const handler = apiHandler('answer-mfa', async ({ body }) => ({
  status: 200,
  body: await answerMfa(signInPort, body),
}));
