/**
 * POST /v1/signup/verify: the person proves the signup email with the code we sent to it; only
 * then does the service write to that address or let the client book.
 *
 * 1. Find the client that owns the email (EMAIL#<email>); none, or a staff member -> failure.
 * 2. Read the code record; decide (shared/domain/email-verification.ts): used, locked (5 wrong
 *    tries) or expired -> failure; a wrong code counts a try -> failure.
 * 3. Right code: in ONE transaction mark the code used and the profile verified (conditions
 *    re-check single use, tries and expiry, so two concurrent uses cannot both pass).
 * 4. Mark the identity's email verified (Cognito email_verified), send the welcome email
 *    (recorded, so never twice) and start the care lifecycle (deterministic name).
 * Every failure is the SAME VerificationFailedError, whether the email is unknown or the code is
 * wrong, so the route tells nobody who has an account.
 *
 * If step 4 fails, the profile is verified and the code used: the same email and code again
 * finish step 4 (each part idempotent) as long as the care lifecycle is not recorded on the
 * profile yet; once it is, the used code is dead like any other.
 */
import { decideVerification, type VerifySignupRequest, type VerifySignupResponse } from '../../domain/email-verification.js';
import { VerificationFailedError } from '../../domain/errors.js';
import type { ClientIdentityAdmin, ClientRecords, EmailSender, WorkflowStarter } from '../ports.js';
import { sendWelcomeEmail } from './send-welcome-email.js';
import { startCareLifecycle } from './start-care-lifecycle.js';
import { hashVerificationCode } from './verification-code.js';

export interface VerifyEmailDependencies {
  clients: ClientRecords;
  identities: Pick<ClientIdentityAdmin, 'markEmailVerified'>;
  email: EmailSender;
  careLifecycle: WorkflowStarter;
  appBaseUrl: string;
  now: () => Date;
}

const VERIFIED: VerifySignupResponse = { status: 'verified', links: { login: '/v1/auth/login', me: '/v1/me' } };

export async function verifyEmail(deps: VerifyEmailDependencies, request: VerifySignupRequest, context: { requestId: string }): Promise<VerifySignupResponse> {
  const owner = await deps.clients.getEmailOwner(request.email);
  if (owner?.kind !== 'client') throw new VerificationFailedError();
  const clientId = owner.userId;
  const record = await deps.clients.getEmailVerification(clientId);
  if (!record) throw new VerificationFailedError();

  const presented = hashVerificationCode(clientId, request.code);
  const now = deps.now();
  const decision = decideVerification(record, presented, now);
  if (decision === 'wrong_code') {
    await deps.clients.countWrongCode(clientId, record.codeHash);
    throw new VerificationFailedError();
  }
  if (decision === 'used') {
    // Only a retry of a verification whose follow-ups failed: the same code, lifecycle not yet recorded.
    const profile = await deps.clients.getProfile(clientId);
    if (record.codeHash !== presented || profile?.emailVerifiedAt === undefined || profile.careLifecycleExecutionArn !== undefined) {
      throw new VerificationFailedError();
    }
  } else if (decision !== 'accept') {
    throw new VerificationFailedError();
  } else if ((await deps.clients.completeEmailVerification(clientId, presented, now.toISOString())) === 'rejected') {
    throw new VerificationFailedError();
  }

  await deps.identities.markEmailVerified(request.email);
  const profile = await deps.clients.getProfile(clientId);
  if (!profile) throw new VerificationFailedError();
  await sendWelcomeEmail(
    { requestId: context.requestId, clientId, email: request.email, firstName: profile.firstName },
    { clients: deps.clients, email: deps.email, appBaseUrl: deps.appBaseUrl, now: deps.now },
  );
  await startCareLifecycle({ requestId: context.requestId, clientId }, { careLifecycle: deps.careLifecycle, clients: deps.clients, now: deps.now });
  return VERIFIED;
}
