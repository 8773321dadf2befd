/**
 * Signup task CreateIdentity: the client's identity in the client user pool.
 *
 * 1. Create the user (email as username, email verified, names; no invitation message).
 *    Username taken -> EmailAlreadyRegisteredError: the account is someone else's, touch nothing.
 * 2. Set the chosen password as permanent.
 * 3. Add the user to the `client` group.
 * If 2 or 3 fails, delete the user made in 1 and rethrow: the task is all-or-nothing, so the
 * workflow never has to guess whether an existing identity is ours to delete.
 */
import { z } from 'zod';
import type { Role } from '../../domain/roles.js';
import { NormalizedEmailSchema } from '../../domain/signup-workflow.js';
import type { ClientIdentityAdmin } from '../ports.js';

export const CLIENT_GROUP: Role = 'client';

export const CreateIdentityInputSchema = z.strictObject({
  requestId: z.string().min(1),
  email: NormalizedEmailSchema,
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  password: z.string().min(1),
});
export type CreateIdentityInput = z.infer<typeof CreateIdentityInputSchema>;

export interface CreateIdentityOutput {
  clientId: string;
}

export async function createIdentity(
  input: CreateIdentityInput,
  deps: { identities: ClientIdentityAdmin },
): Promise<CreateIdentityOutput> {
  const { identities } = deps;
  const { userId } = await identities.createUser({ email: input.email, firstName: input.firstName, lastName: input.lastName });
  try {
    await identities.setPermanentPassword(input.email, input.password);
    await identities.addToGroup(input.email, CLIENT_GROUP);
  } catch (error) {
    // Undo our own half-made user. If that fails too, the original error is still the one
    // that explains the failure; the cleanup error rides along as its cause.
    try {
      await identities.deleteUser(input.email);
    } catch (cleanupError) {
      if (error instanceof Error && error.cause === undefined) error.cause = cleanupError;
    }
    throw error;
  }
  return { clientId: userId };
}
