/**
 * Email verification at signup (issue 9, finding 4): an account's email is proven before the
 * service sends it anything but the code, and before the client can book.
 *
 * - A 6-digit code, valid 24 hours, at most 5 wrong tries, single use; only its hash is stored
 *   (CLIENT#<id> / EMAIL_VERIFICATION). A new code replaces the previous one.
 * - Every failure (unknown email, wrong, expired, locked or used code) gets the same answer, so
 *   the verify route cannot tell who has an account.
 * - Signup answers the same for a new and a taken email: the new one gets the code, the owner
 *   of the taken one a content-free notice.
 */
import * as z from 'zod';
import { EmailSchema, normalizeEmail } from './signup.js';

export const VERIFICATION_CODE_DIGITS = 6;
export const VERIFICATION_CODE_TTL_HOURS = 24;
export const VERIFICATION_MAX_ATTEMPTS = 5;

/** The stored state of a code (never the code itself). */
export interface EmailVerificationRecord {
  codeHash: string;
  createdAt: string;
  /** ISO instant after which the code no longer verifies. */
  codeExpiresAt: string;
  /** Wrong codes presented so far. */
  attempts: number;
  /** Set once the code verified the email. */
  usedAt?: string;
}

export type VerificationDecision = 'accept' | 'wrong_code' | 'expired' | 'locked' | 'used';

/**
 * What a presented code (by its hash) does to a stored record at `now`. Order matters: a used
 * or locked code stays dead even when the right code comes; an expired one too.
 */
export function decideVerification(record: EmailVerificationRecord, presentedHash: string, now: Date): VerificationDecision {
  if (record.usedAt !== undefined) return 'used';
  if (record.attempts >= VERIFICATION_MAX_ATTEMPTS) return 'locked';
  if (now.getTime() >= Date.parse(record.codeExpiresAt)) return 'expired';
  return record.codeHash === presentedHash ? 'accept' : 'wrong_code';
}

/** When a code issued at `issuedAt` stops working. */
export function codeExpiry(issuedAt: Date): string {
  return new Date(issuedAt.getTime() + VERIFICATION_CODE_TTL_HOURS * 3_600_000).toISOString();
}

export const VerifySignupRequestSchema = z
  .strictObject({
    email: EmailSchema,
    code: z
      .string({ error: `Enter the ${VERIFICATION_CODE_DIGITS}-digit code from the email.` })
      .trim()
      .regex(new RegExp(`^\\d{${VERIFICATION_CODE_DIGITS}}$`), { error: `Enter the ${VERIFICATION_CODE_DIGITS}-digit code from the email.` }),
  })
  .transform((input) => ({ ...input, email: normalizeEmail(input.email) }))
  .meta({ id: 'VerifySignupRequest' });
export type VerifySignupRequest = z.output<typeof VerifySignupRequestSchema>;

export const VerifySignupResponseSchema = z
  .strictObject({
    status: z.literal('verified'),
    links: z.record(z.string(), z.string()),
  })
  .meta({ id: 'VerifySignupResponse' });
export type VerifySignupResponse = z.infer<typeof VerifySignupResponseSchema>;
