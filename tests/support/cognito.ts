/** Sign-in for tests, straight against the user pools (not through the API under test). */
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { inject } from 'vitest';
import { DEMO_PASSWORD } from '../../local/seed.js';

export interface TestTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

/** USER_PASSWORD_AUTH in the staff or client pool; the endpoint comes from AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER. */
export async function signInDirectly(email: string, options: { pool?: 'staff' | 'client'; password?: string } = {}): Promise<TestTokens> {
  const stack = inject('localStack');
  const pool = options.pool === 'client' ? stack.clientPool : stack.staffPool;
  const client = new CognitoIdentityProviderClient({});
  try {
    const output = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: pool.clientId,
        AuthParameters: { USERNAME: email, PASSWORD: options.password ?? DEMO_PASSWORD },
      }),
    );
    const result = output.AuthenticationResult;
    if (!result?.AccessToken || !result.IdToken || !result.RefreshToken) {
      throw new Error(`Sign-in of ${email} ended in challenge ${output.ChallengeName ?? 'none'}, not tokens`);
    }
    return { accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken };
  } finally {
    client.destroy();
  }
}
