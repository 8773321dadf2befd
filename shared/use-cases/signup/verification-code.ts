/**
 * Verification codes: drawn from the OS's CSPRNG, stored only as a hash bound to the client
 * (the same code for two clients hashes differently). A 6-digit code has a small space, so the
 * hash alone would not resist someone who can read the table; what protects the code is that it
 * dies after 24 hours, after 5 wrong tries and after one use, and the table is encrypted with a
 * customer-managed key.
 */
import { createHash, randomInt } from 'node:crypto';
import { VERIFICATION_CODE_DIGITS } from '../../domain/email-verification.js';

export function generateVerificationCode(): string {
  return String(randomInt(0, 10 ** VERIFICATION_CODE_DIGITS)).padStart(VERIFICATION_CODE_DIGITS, '0');
}

export function hashVerificationCode(clientId: string, code: string): string {
  return createHash('sha256').update(`moodrx-email-verification:v1:${clientId}:${code}`).digest('hex');
}
