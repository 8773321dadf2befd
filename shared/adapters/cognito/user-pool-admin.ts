/**
 * User-pool administration both pools share (client-identity-admin.ts, staff-identity-admin.ts):
 * users are addressed by their normalized email (the pools sign in with email), their id is the
 * `sub`, and Cognito never sends its own message.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { EmailAlreadyRegisteredError } from '../../domain/errors.js';

export function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/**
 * Creates a user with their names and `extraAttributes`, without a message from Cognito
 * (MessageAction SUPPRESS); with `temporaryPassword` when given. `emailVerified` says whether
 * the address counts as proven: true only where the account's first use proves it (a staff
 * invitation carries the temporary password); a client proves it with the signup code. An
 * email already in the pool is EmailAlreadyRegisteredError.
 */
export async function createSuppressedUser(
  client: CognitoIdentityProviderClient,
  UserPoolId: string,
  user: { email: string; firstName: string; lastName: string; emailVerified: boolean; temporaryPassword?: string; extraAttributes?: AttributeType[] },
): Promise<{ userId: string }> {
  try {
    const { User } = await client.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username: user.email,
        ...(user.temporaryPassword === undefined ? {} : { TemporaryPassword: user.temporaryPassword }),
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: String(user.emailVerified) },
          { Name: 'given_name', Value: user.firstName },
          { Name: 'family_name', Value: user.lastName },
          ...(user.extraAttributes ?? []),
        ],
      }),
    );
    const userId = User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    if (!userId) throw new Error('Cognito created the user without a sub.');
    return { userId };
  } catch (error) {
    if (isNamed(error, 'UsernameExistsException') || isNamed(error, 'AliasExistsException')) {
      throw new EmailAlreadyRegisteredError();
    }
    throw error;
  }
}

export async function addUserToGroup(client: CognitoIdentityProviderClient, UserPoolId: string, email: string, group: string): Promise<void> {
  await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: group }));
}

/** Deletes the user; `not_found` when there was none (a retried delete). */
export async function deleteUserByEmail(client: CognitoIdentityProviderClient, UserPoolId: string, email: string): Promise<'deleted' | 'not_found'> {
  try {
    await client.send(new AdminDeleteUserCommand({ UserPoolId, Username: email }));
    return 'deleted';
  } catch (error) {
    if (isNamed(error, 'UserNotFoundException')) return 'not_found';
    throw error;
  }
}
