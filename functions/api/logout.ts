import { createCognitoTokenRevocation } from '../../shared/adapters/cognito/token-revocation.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { logOut } from '../../shared/use-cases/auth/log-out.js';

const revocation = createCognitoTokenRevocation();

export const handler = apiHandler('logout', async ({ body }) => {
  await logOut(revocation, body.refreshToken);
  return { status: 204 };
});
