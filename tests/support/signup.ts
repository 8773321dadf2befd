/**
 * Signup as a new person does it (issue 9, finding 4): POST /v1/signup, then the code from the
 * verification email in the local inbox, then POST /v1/signup/verify. For tests that need a
 * verified client made through the API; tests that make clients straight in the table mark them
 * verified with `emailVerifiedAt` (tests/integration/consultations/support.ts).
 */
import { VERIFICATION_SUBJECT } from '../../shared/notifications/signup-emails.js';
import { postJson, type ApiResponse } from './http.js';
import { emailsTo, waitForEmail, type InboxEmail } from './inbox.js';

/** The 6-digit code in a verification email. */
export function verificationCodeIn(email: InboxEmail): string {
  const code = /verification code is (\d{6})/.exec(email.body.text ?? '')?.[1];
  if (!code) throw new Error(`No verification code in "${email.subject}"`);
  return code;
}

/** The code of the latest verification email to `to` (waits for the first one). */
export async function latestVerificationCode(to: string): Promise<string> {
  await waitForEmail({ to, subjectIncludes: VERIFICATION_SUBJECT });
  const codes = (await emailsTo(to)).filter((email) => email.subject === VERIFICATION_SUBJECT);
  return verificationCodeIn(codes.at(-1) as InboxEmail);
}

/** Verifies `email` with the code the inbox holds for it. */
export async function verifyFromInbox(email: string): Promise<ApiResponse> {
  const code = await latestVerificationCode(email);
  const res = await postJson('/v1/signup/verify', { email, code });
  if (res.status !== 200) throw new Error(`Verification of ${email} answered ${res.status}: ${res.text}`);
  return res;
}
