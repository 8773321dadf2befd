import { describe, expect, it } from 'vitest';
import type { SyncExecutionResult, SyncWorkflowPort } from '../../../shared/adapters/sfn/sync-workflow-client.js';
import { SignupFailedError } from '../../../shared/domain/errors.js';
import { CURRENT_LEGAL_DOCUMENTS } from '../../../shared/domain/legal-documents.js';
import { signupRequestSchema } from '../../../shared/domain/signup.js';
import { SignupWorkflowInputSchema } from '../../../shared/domain/signup-workflow.js';
import { signUp } from '../../../shared/use-cases/signup/sign-up.js';

const now = () => new Date('2026-11-26T10:00:00Z');

const request = signupRequestSchema(now).parse({
  email: 'Jordan.Lee@Example.com',
  password: 'Quiet-River-7',
  firstName: 'Jordan',
  lastName: 'Lee',
  dateOfBirth: '1988-06-01',
  clientType: 'couple',
  state: 'CA',
  timezone: 'America/Los_Angeles',
  ageConfirmed: true,
  consents: {
    privacyPolicy: CURRENT_LEGAL_DOCUMENTS.privacyPolicy.version,
    termsAndConditions: CURRENT_LEGAL_DOCUMENTS.termsAndConditions.version,
    disclaimer: CURRENT_LEGAL_DOCUMENTS.disclaimer.version,
  },
});

function fakeWorkflow(result: SyncExecutionResult) {
  const calls: { arn: string; name: string; input: unknown }[] = [];
  const port: SyncWorkflowPort = {
    run: async (arn, name, input) => {
      calls.push({ arn, name, input });
      return result;
    },
  };
  return { port, calls };
}

const context = { requestId: 'c0ffee00-1111-2222-3333-444455556666', ipAddress: '198.51.100.7', userAgent: 'MoodRx iOS 1.0' };

describe('sign up', () => {
  it('runs the signup workflow with the account, the password and one consent per document', async () => {
    const { port, calls } = fakeWorkflow({ status: 'SUCCEEDED', output: { outcome: 'verification_sent', clientId: 'client-1' } });
    const response = await signUp({ workflow: port, signupStateMachineArn: 'arn:sm:signup', now }, request, context);

    expect(response).toMatchObject({ status: 'verification_required', email: 'jordan.lee@example.com' });
    expect(response.links).toMatchObject({ verify: '/v1/signup/verify', login: '/v1/auth/login' });
    expect(JSON.stringify(response)).not.toContain('client-1');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.arn).toBe('arn:sm:signup');
    expect(calls[0]!.name).toBe(`signup-${context.requestId}`);
    const input = SignupWorkflowInputSchema.parse(calls[0]!.input);
    expect(input.consents.map((c) => c.document).sort()).toEqual(['disclaimer', 'privacyPolicy', 'termsAndConditions']);
    expect(input.consentContext).toEqual({ ipAddress: '198.51.100.7', userAgent: 'MoodRx iOS 1.0', acceptedAt: '2026-11-26T10:00:00.000Z' });
    expect(input.account).not.toHaveProperty('ageConfirmed');
  });

  // Issue 9, finding 4: on 65e63bb a taken email was a 409 `email_already_registered`, and a
  // new one answered with its client id and stage. Now both answer the very same body.
  it('answers a taken email exactly as a new one: the same body, no client id', async () => {
    const fresh = await signUp(
      { workflow: fakeWorkflow({ status: 'SUCCEEDED', output: { outcome: 'verification_sent', clientId: 'client-1' } }).port, signupStateMachineArn: 'arn', now },
      request,
      context,
    );
    const taken = await signUp(
      { workflow: fakeWorkflow({ status: 'SUCCEEDED', output: { outcome: 'account_exists' } }).port, signupStateMachineArn: 'arn', now },
      request,
      context,
    );
    expect(JSON.stringify(taken)).toBe(JSON.stringify(fresh));
    expect(Object.keys(fresh).sort()).toEqual(['detail', 'email', 'links', 'status']);
  });

  it.each<SyncExecutionResult>([
    { status: 'FAILED', error: 'SignupFailed' },
    { status: 'FAILED', error: undefined },
    { status: 'TIMED_OUT', error: undefined },
  ])('reports any other outcome as a failed signup (%j)', async (result) => {
    const { port } = fakeWorkflow(result);
    await expect(signUp({ workflow: port, signupStateMachineArn: 'arn', now }, request, context)).rejects.toBeInstanceOf(
      SignupFailedError,
    );
  });

  it('refuses a success whose output is not the contract', async () => {
    const { port } = fakeWorkflow({ status: 'SUCCEEDED', output: { outcome: 'verification_sent' } });
    await expect(signUp({ workflow: port, signupStateMachineArn: 'arn', now }, request, context)).rejects.toThrow();
  });
});
