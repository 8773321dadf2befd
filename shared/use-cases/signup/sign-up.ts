/**
 * Sign up a client.
 *
 * 1. Build the signup workflow's input: the validated account, the password, and one consent
 *    per current legal document with when, from where and with what the person accepted it.
 * 2. Run the `signup` Express workflow synchronously (workflows/signup.asl.json): a new email
 *    gets an unverified identity, the records (profile + email owner + consents in one
 *    transaction) and a verification code by email; an email that already has an account (a
 *    client's or a staff member's) gets a notice to its owner, and nothing is created.
 * 3. Answer the SAME for both (issue 9, finding 4: being a client here is health information):
 *    "check your email", with nothing that differs (no client id, no stage). The handler also
 *    holds every answer to a minimum duration, so timing does not tell them apart either. A
 *    failed execution (compensated, nothing kept) is a signup_failed problem with the request id.
 */
import { SignupFailedError } from '../../domain/errors.js';
import type { SignupRequest, SignupResponse } from '../../domain/signup.js';
import { SignupWorkflowOutputSchema, toSignupWorkflowInput } from '../../domain/signup-workflow.js';
import type { SyncWorkflowPort } from '../../adapters/sfn/sync-workflow-client.js';
import { VERIFICATION_CODE_DIGITS, VERIFICATION_CODE_TTL_HOURS } from '../../domain/email-verification.js';

export interface SignUpDependencies {
  workflow: SyncWorkflowPort;
  signupStateMachineArn: string;
  now: () => Date;
}

export interface SignUpContext {
  requestId: string;
  ipAddress: string | undefined;
  userAgent: string | undefined;
}

export async function signUp(deps: SignUpDependencies, request: SignupRequest, context: SignUpContext): Promise<SignupResponse> {
  const input = toSignupWorkflowInput(request, {
    requestId: context.requestId,
    ipAddress: context.ipAddress ?? 'unknown',
    userAgent: context.userAgent ?? 'unknown',
    acceptedAt: deps.now(),
  });

  const result = await deps.workflow.run(deps.signupStateMachineArn, executionName(context.requestId), input);
  if (result.status !== 'SUCCEEDED') throw new SignupFailedError();
  // Validated for its shape only: both outcomes get the one answer below.
  SignupWorkflowOutputSchema.parse(result.output);
  return checkYourEmail(input.account.email);
}

/** The one answer to every accepted signup. */
export function checkYourEmail(email: string): SignupResponse {
  return {
    status: 'verification_required',
    email,
    detail: `Check your email: enter the ${VERIFICATION_CODE_DIGITS}-digit code we sent to finish signing up (it works for ${VERIFICATION_CODE_TTL_HOURS} hours).`,
    links: { verify: '/v1/signup/verify', login: '/v1/auth/login', legalDocuments: '/v1/legal/documents' },
  };
}

/** Execution names allow [A-Za-z0-9-_] up to 80 characters; request ids fit once cleaned. */
function executionName(requestId: string): string {
  return `signup-${requestId.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 80);
}
