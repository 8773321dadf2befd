/**
 * Signup task CreateIdentity: the client's identity in the client user pool.
 *
 * 1. Create the user (email as username, email verified, names, the signup request id; no
 *    invitation message). Username taken: if the user carries this signup's request id, an
 *    earlier attempt of this task made it and lost its response (Step Functions retried):
 *    carry on with that user. Otherwise -> EmailAlreadyRegisteredError: the account is someone
 *    else's, touch nothing.
 * 2. Set the chosen password as permanent.
 * 3. Add the user to the `client` group (both idempotent).
 * If 2 or 3 fails, delete the user (ours, made in 1) and rethrow: the task is all-or-nothing,
 * so the workflow never has to guess whether an existing identity is ours to delete.
 */
import * as z from 'zod';
import { EmailAlreadyRegisteredError } from '../../domain/errors.js';
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
  const userId = await createOrResume(input, identities);
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

async function createOrResume(input: CreateIdentityInput, identities: ClientIdentityAdmin): Promise<string> {
  try {
    const { userId } = await identities.createUser({
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      signupRequestId: input.requestId,
    });
    return userId;
  } catch (error) {
    if (!(error instanceof EmailAlreadyRegisteredError)) throw error;
    const existing = await identities.findUser(input.email);
    if (existing?.signupRequestId !== input.requestId) throw error;
    return existing.userId;
  }
}
