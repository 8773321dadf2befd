/**
 * Signup task PersistClient: the client's records, all or nothing.
 *
 * 1. Write, in one transaction and each only if absent: the profile (stage
 *    awaiting_consultation), the email owner record naming this client, one consent record per
 *    accepted document (version, time, IP address, user agent).
 * 2. If the email record was already there: ours (a retry of a write that succeeded) -> done;
 *    someone else's (another client, a staff member) -> EmailAlreadyRegisteredError.
 */
import * as z from 'zod';
import { EmailAlreadyRegisteredError } from '../../domain/errors.js';
import type { ClientStage } from '../../domain/signup.js';
import { ConsentAcceptanceSchema, ConsentContextSchema, INITIAL_CLIENT_STAGE, SignupAccountSchema } from '../../domain/signup-workflow.js';
import type { ClientRecords } from '../ports.js';
import { ClientRecordsConflictError } from '../workflow-errors.js';

export const PersistClientInputSchema = z.strictObject({
  requestId: z.string().min(1),
  clientId: z.string().min(1),
  account: SignupAccountSchema,
  consents: z.array(ConsentAcceptanceSchema).min(1),
  consentContext: ConsentContextSchema,
});
export type PersistClientInput = z.infer<typeof PersistClientInputSchema>;

export interface PersistClientOutput {
  status: ClientStage;
  /** False when an earlier attempt had already written everything. */
  created: boolean;
}

export async function persistClient(
  input: PersistClientInput,
  deps: { clients: ClientRecords; now: () => Date },
): Promise<PersistClientOutput> {
  const result = await deps.clients.createClient({
    clientId: input.clientId,
    account: input.account,
    stage: INITIAL_CLIENT_STAGE,
    consents: input.consents,
    consentContext: input.consentContext,
    requestId: input.requestId,
    createdAt: deps.now().toISOString(),
  });
  switch (result.outcome) {
    case 'created':
      return { status: INITIAL_CLIENT_STAGE, created: true };
    case 'email_taken':
      if (result.owner?.kind === 'client' && result.owner.userId === input.clientId) {
        return { status: INITIAL_CLIENT_STAGE, created: false };
      }
      throw new EmailAlreadyRegisteredError();
    case 'client_exists':
      throw new ClientRecordsConflictError(input.clientId);
  }
}
