/**
 * Signup task SendVerificationEmail: the ONLY email a new, unproven address gets.
 *
 * 1. Draw a code; store its hash with its expiry (24 h) and no tries yet, replacing any earlier
 *    code (only while the profile exists).
 * 2. Send the code (shared/notifications/signup-emails.ts: the code, nothing else).
 * A retry draws a new code and sends it again: the latest email's code is the one that works.
 */
import * as z from 'zod';
import { codeExpiry } from '../../domain/email-verification.js';
import { NormalizedEmailSchema } from '../../domain/signup-workflow.js';
import { renderVerificationEmail } from '../../notifications/signup-emails.js';
import type { ClientRecords, EmailSender } from '../ports.js';
import { generateVerificationCode, hashVerificationCode } from './verification-code.js';

export const SendVerificationEmailInputSchema = z.strictObject({
  requestId: z.string().min(1),
  clientId: z.string().min(1),
  email: NormalizedEmailSchema,
});
export type SendVerificationEmailInput = z.infer<typeof SendVerificationEmailInputSchema>;

export async function sendVerificationEmail(
  input: SendVerificationEmailInput,
  deps: { clients: Pick<ClientRecords, 'putEmailVerification'>; email: EmailSender; now: () => Date; newCode?: () => string },
): Promise<{ messageId: string }> {
  const code = (deps.newCode ?? generateVerificationCode)();
  const issuedAt = deps.now();
  await deps.clients.putEmailVerification(input.clientId, {
    codeHash: hashVerificationCode(input.clientId, code),
    createdAt: issuedAt.toISOString(),
    codeExpiresAt: codeExpiry(issuedAt),
  });
  return deps.email.send({ to: input.email, ...renderVerificationEmail({ code }) });
}
