/**
 * Signup compensation, step 1: remove what the workflow wrote for this client (profile,
 * consents, notifications: the whole CLIENT#<id> partition) and the email record only if it
 * names this client. Idempotent: removing what is already gone is success.
 */
import * as z from 'zod';
import { NormalizedEmailSchema } from '../../domain/signup-workflow.js';
import type { ClientRecords } from '../ports.js';

export const RemoveClientRecordsInputSchema = z.strictObject({
  requestId: z.string().min(1),
  clientId: z.string().min(1),
  email: NormalizedEmailSchema,
});
export type RemoveClientRecordsInput = z.infer<typeof RemoveClientRecordsInputSchema>;

export async function removeClientRecords(
  input: RemoveClientRecordsInput,
  deps: { clients: ClientRecords },
): Promise<{ removedItems: number; emailReleased: boolean }> {
  return deps.clients.removeClient(input.clientId, input.email);
}
