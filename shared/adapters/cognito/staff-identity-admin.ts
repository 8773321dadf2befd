/**
 * The staff user pool, administered: create a clinician's identity with a temporary password
 * and no message from Cognito (our own invitation email carries it), put them in their role's
 * group, find and delete them. Users are addressed by their normalized email (the pool signs
 * in with email); their id is the `sub`. Only the staff pool: the capability
 * `identity:admin-staff` grants nothing on the client pool.
 */
import { AdminGetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { StaffIdentityAdmin } from '../../use-cases/ports.js';
import { addUserToGroup, createSuppressedUser, deleteUserByEmail, isNamed } from './user-pool-admin.js';

export function createCognitoStaffIdentityAdmin(options: { client: CognitoIdentityProviderClient; userPoolId: string }): StaffIdentityAdmin {
  const { client, userPoolId: UserPoolId } = options;
  return {
    async createUser({ email, firstName, lastName, temporaryPassword }) {
      // Our invitation (shared/notifications/staff-invitation-email.ts) replaces Cognito's; the
      // admin vouches for the address (verified), the invitation proves it at first sign-in.
      return createSuppressedUser(client, UserPoolId, { email, firstName, lastName, temporaryPassword, emailVerified: true });
    },

    async addToGroup(email, group) {
      await addUserToGroup(client, UserPoolId, email, group);
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

    deleteUser: (email) => deleteUserByEmail(client, UserPoolId, email),
  };
}
