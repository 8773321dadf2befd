/**
 * The client user pool, administered: create a confirmed client (email not yet verified) with a permanent password,
 * put them in the `client` group, find and delete them. Users are addressed by their
 * normalized email (the pool signs in with email); their id is the `sub`.
 */
import {
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ClientIdentityAdmin } from '../../use-cases/ports.js';
import { addUserToGroup, createSuppressedUser, deleteUserByEmail, isNamed } from './user-pool-admin.js';

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

export function createCognitoClientIdentityAdmin(options: {
  client: CognitoIdentityProviderClient;
  userPoolId: string;
}): ClientIdentityAdmin {
  const { client, userPoolId: UserPoolId } = options;
  return {
    async createUser({ email, firstName, lastName, signupRequestId }) {
      // The person chose a password and saw our terms: no invitation, no temporary password.
      // The email is unproven until the signup code comes back (markEmailVerified).
      return createSuppressedUser(client, UserPoolId, {
        email,
        firstName,
        lastName,
        emailVerified: false,
        extraAttributes: [{ Name: SIGNUP_REQUEST_ATTRIBUTE, Value: signupRequestId }],
      });
    },

    async setPermanentPassword(email, password) {
      await client.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: email, Password: password, Permanent: true }));
    },

    async markEmailVerified(email) {
      // The same address with email_verified true, in one call: with "keep original attribute
      // value" on email, that is how Cognito takes an email as verified without sending its own
      // code (and cognito-local, like AWS's API reference, wants the email beside its flag).
      await client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
    },

    async addToGroup(email, group) {
      await addUserToGroup(client, UserPoolId, email, group);
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

    deleteUser: (email) => deleteUserByEmail(client, UserPoolId, email),
  };
}
