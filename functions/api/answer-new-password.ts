import { createCognitoSignIn } from '../../shared/adapters/cognito/sign-in.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { answerNewPassword } from '../../shared/use-cases/auth/sign-in.js';

const signInPort = createCognitoSignIn();

export const handler = apiHandler('answer-new-password', async ({ body }) => ({
  status: 200,
  body: await answerNewPassword(signInPort, body),
}));
