/**
 * The staff user pool, administered: create a clinician's identity with a temporary password
 * and no message from Cognito (our own invitation email carries it), put them in their role's
 * group, find and delete them. Users are addressed by their normalized email (the pool signs
 * in with email); their id is the `sub`. Only the staff pool: the capability
 * `identity:admin-staff` grants nothing on the client pool.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { EmailAlreadyRegisteredError } from '../../domain/errors.js';
import type { StaffIdentityAdmin } from '../../use-cases/ports.js';

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

export function createCognitoStaffIdentityAdmin(options: { client: CognitoIdentityProviderClient; userPoolId: string }): StaffIdentityAdmin {
  const { client, userPoolId: UserPoolId } = options;
  return {
    async createUser({ email, firstName, lastName, temporaryPassword }) {
      try {
        const { User } = await client.send(
          new AdminCreateUserCommand({
            UserPoolId,
            Username: email,
            TemporaryPassword: temporaryPassword,
            // Our invitation (shared/notifications/staff-invitation-email.ts) replaces Cognito's.
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: email },
              // The admin vouches for the address; the invitation proves it at first sign-in.
              { Name: 'email_verified', Value: 'true' },
              { Name: 'given_name', Value: firstName },
              { Name: 'family_name', Value: lastName },
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

    async addToGroup(email, group) {
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: group }));
    },

    async findUser(email) {
      try {
        const user = await client.send(new AdminGetUserCommand({ UserPoolId, Username: email }));
        const userId = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
        if (!userId) throw new Error('Cognito returned a user without a sub.');
        return { userId };
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
