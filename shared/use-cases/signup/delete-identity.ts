/**
 * Signup compensation, step 2: delete the identity CreateIdentity made.
 *
 * 1. Look the user up by email; gone -> done (idempotent).
 * 2. Delete it only if its id is this client's: the email could, in principle, name a newer
 *    identity by now, and that one is not ours to delete.
 */
import * as z from 'zod';
import { NormalizedEmailSchema } from '../../domain/signup-workflow.js';
import type { ClientIdentityAdmin } from '../ports.js';

export const DeleteIdentityInputSchema = z.strictObject({
  requestId: z.string().min(1),
  clientId: z.string().min(1),
  email: NormalizedEmailSchema,
});
export type DeleteIdentityInput = z.infer<typeof DeleteIdentityInputSchema>;

export type DeleteIdentityOutput = { outcome: 'deleted' | 'already_gone' | 'not_ours' };

export async function deleteIdentity(input: DeleteIdentityInput, deps: { identities: ClientIdentityAdmin }): Promise<DeleteIdentityOutput> {
  const user = await deps.identities.findUser(input.email);
  if (user === undefined) return { outcome: 'already_gone' };
  if (user.userId !== input.clientId) return { outcome: 'not_ours' };
  const result = await deps.identities.deleteUser(input.email);
  return { outcome: result === 'deleted' ? 'deleted' : 'already_gone' };
}
