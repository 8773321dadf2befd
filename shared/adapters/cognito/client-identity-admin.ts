/**
 * The client user pool, administered: create a confirmed client with a permanent password,
 * put them in the `client` group, find and delete them. Users are addressed by their
 * normalized email (the pool signs in with email); their id is the `sub`.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { EmailAlreadyRegisteredError } from '../../domain/errors.js';
import type { ClientIdentityAdmin } from '../../use-cases/ports.js';

/**
 * The signup request that created the user. A custom attribute of the client user pool
 * (infra: customAttributes.signupRequestId), so that a retried CreateIdentity whose first
 * attempt created the user but lost its response recognises that user as its own.
 */
export const SIGNUP_REQUEST_ATTRIBUTE = 'custom:signupRequestId';

/** One client per cold start; the endpoint comes from AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER locally. */
export function createCognitoClient(): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ maxAttempts: 3 });
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

export function createCognitoClientIdentityAdmin(options: {
  client: CognitoIdentityProviderClient;
  userPoolId: string;
}): ClientIdentityAdmin {
  const { client, userPoolId: UserPoolId } = options;
  return {
    async createUser({ email, firstName, lastName, signupRequestId }) {
      try {
        const { User } = await client.send(
          new AdminCreateUserCommand({
            UserPoolId,
            Username: email,
            // The person chose a password and saw our terms: no invitation, no temporary password.
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
              { Name: 'given_name', Value: firstName },
              { Name: 'family_name', Value: lastName },
              { Name: SIGNUP_REQUEST_ATTRIBUTE, Value: signupRequestId },
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
    },

    async setPermanentPassword(email, password) {
      await client.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: email, Password: password, Permanent: true }));
    },

    async addToGroup(email, group) {
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: group }));
    },

    async findUser(email) {
      try {
        const user = await client.send(new AdminGetUserCommand({ UserPoolId, Username: email }));
        const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
        const userId = attribute('sub');
        if (!userId) throw new Error('Cognito returned a user without a sub.');
        const signupRequestId = attribute(SIGNUP_REQUEST_ATTRIBUTE);
        return signupRequestId === undefined ? { userId } : { userId, signupRequestId };
      } catch (error) {
        if (isNamed(error, 'UserNotFoundException')) return undefined;
        throw error;
      }
    },

    async deleteUser(email) {
      try {
        await client.send(new AdminDeleteUserCommand({ UserPoolId, Username: email }));
        return 'deleted';
      } catch (error) {
        if (isNamed(error, 'UserNotFoundException')) return 'not_found';
        throw error;
      }
    },
  };
}
