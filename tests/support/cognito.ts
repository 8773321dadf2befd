/** Sign-in for tests, straight against the user pools (not through the API under test). */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
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

/**
 * A confirmed test identity in the staff or client pool (no invitation, a permanent password,
 * one group), made directly against cognito-local; resolves to its `sub`.
 */
export async function createTestIdentity(options: {
  pool: 'staff' | 'client';
  email: string;
  group: string;
  password: string;
  firstName?: string;
  lastName?: string;
}): Promise<string> {
  const stack = inject('localStack');
  const UserPoolId = options.pool === 'staff' ? stack.staffPool.userPoolId : stack.clientPool.userPoolId;
  const Username = options.email;
  const names = [
    ...(options.firstName ? [{ Name: 'given_name', Value: options.firstName }] : []),
    ...(options.lastName ? [{ Name: 'family_name', Value: options.lastName }] : []),
  ];
  const client = new CognitoIdentityProviderClient({});
  try {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: Username }, { Name: 'email_verified', Value: 'true' }, ...names],
      }),
    );
    await client.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password: options.password, Permanent: true }));
    await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: options.group }));
    const user = await client.send(new AdminGetUserCommand({ UserPoolId, Username }));
    const sub = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    if (!sub) throw new Error(`No sub for ${Username}`);
    return sub;
  } finally {
    client.destroy();
  }
}
