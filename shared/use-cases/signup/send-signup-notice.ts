/**
 * Signup task SendSignupNotice: the email already has an account (a client's or a staff
 * member's), so instead of a code its owner gets a notice that someone tried to sign up with
 * it (shared/notifications/signup-emails.ts: no link, no name, not which kind of account).
 * Nothing is read or written: the notice goes to the address, and only its owner reads it.
 */
import * as z from 'zod';
import { NormalizedEmailSchema } from '../../domain/signup-workflow.js';
import { renderSignupNoticeEmail } from '../../notifications/signup-emails.js';
import type { EmailSender } from '../ports.js';

export const SendSignupNoticeInputSchema = z.strictObject({
  requestId: z.string().min(1),
  email: NormalizedEmailSchema,
});
export type SendSignupNoticeInput = z.infer<typeof SendSignupNoticeInputSchema>;

export async function sendSignupNotice(input: SendSignupNoticeInput, deps: { email: EmailSender }): Promise<{ messageId: string }> {
  return deps.email.send({ to: input.email, ...renderSignupNoticeEmail() });
}
