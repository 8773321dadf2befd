/**
 * Sign up a client.
 *
 * 1. Build the signup workflow's input: the validated account, the password, and one consent
 *    per current legal document with when, from where and with what the person accepted it.
 * 2. Run the `signup` Express workflow synchronously (workflows/signup.asl.json): it creates the
 *    identity, persists profile + email owner + consents in one transaction, sends the welcome
 *    email and starts the care lifecycle, compensating if any step fails.
 * 3. Translate its outcome: success -> the new client and where to go next; the email taken ->
 *    409; anything else -> a signup_failed problem carrying the request id (nothing was kept).
 */
import { EmailAlreadyRegisteredError, SignupFailedError } from '../../domain/errors.js';
import type { SignupRequest, SignupResponse } from '../../domain/signup.js';
import { SIGNUP_WORKFLOW_ERRORS, SignupWorkflowOutputSchema, toSignupWorkflowInput } from '../../domain/signup-workflow.js';
import type { SyncWorkflowPort } from '../../adapters/sfn/sync-workflow-client.js';

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
  if (result.status === 'SUCCEEDED') {
    const { clientId, status } = SignupWorkflowOutputSchema.parse(result.output);
    return {
      clientId,
      status,
      email: input.account.email,
      links: {
        login: '/v1/auth/login',
        me: '/v1/me',
        legalDocuments: '/v1/legal/documents',
      },
    };
  }
  if (result.status === 'FAILED' && result.error === SIGNUP_WORKFLOW_ERRORS.emailAlreadyRegistered) {
    throw new EmailAlreadyRegisteredError();
  }
  throw new SignupFailedError();
}

/** Execution names allow [A-Za-z0-9-_] up to 80 characters; request ids fit once cleaned. */
function executionName(requestId: string): string {
  return `signup-${requestId.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 80);
}
