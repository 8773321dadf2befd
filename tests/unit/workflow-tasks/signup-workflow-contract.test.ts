/** The contract between POST /v1/signup and the signup workflow (shared/domain/signup-workflow.ts). */
import { describe, expect, it } from 'vitest';
import { now } from '../../../shared/adapters/clock.js';
import { signupRequestSchema } from '../../../shared/domain/signup.js';
import {
  SIGNUP_WORKFLOW_ERRORS,
  SignupWorkflowInputSchema,
  SignupWorkflowOutputSchema,
  toSignupWorkflowInput,
} from '../../../shared/domain/signup-workflow.js';

const request = signupRequestSchema(now).parse({
  email: 'Jamie.Q@Example.COM',
  password: 'Valid-Pass-1!',
  firstName: 'Jamie',
  lastName: 'Quill',
  dateOfBirth: '1992-07-01',
  clientType: 'student',
  state: 'CA',
  timezone: 'America/Los_Angeles',
  phone: '+15555550123',
  ageConfirmed: true,
  consents: { privacyPolicy: '2026-11-01', termsAndConditions: '2026-11-01', disclaimer: '2026-11-01' },
});

describe('toSignupWorkflowInput', () => {
  it('builds a valid workflow input: normalized email, one consent per document, the consent evidence', () => {
    const input = toSignupWorkflowInput(request, {
      requestId: 'req-7',
      ipAddress: '192.0.2.10',
      userAgent: 'Mozilla/5.0',
      acceptedAt: new Date('2026-11-20T10:00:00.000Z'),
    });
    expect(SignupWorkflowInputSchema.parse(input)).toEqual(input);
    expect(input.account).toMatchObject({ email: 'jamie.q@example.com', phone: '+15555550123', clientType: 'student' });
    expect(input.consents).toEqual([
      { document: 'privacyPolicy', version: '2026-11-01' },
      { document: 'termsAndConditions', version: '2026-11-01' },
      { document: 'disclaimer', version: '2026-11-01' },
    ]);
    expect(input.consentContext).toEqual({ ipAddress: '192.0.2.10', userAgent: 'Mozilla/5.0', acceptedAt: '2026-11-20T10:00:00.000Z' });
  });

  it('cuts an oversized user agent instead of failing the signup', () => {
    const input = toSignupWorkflowInput(request, { requestId: 'r', ipAddress: '192.0.2.10', userAgent: 'x'.repeat(5000), acceptedAt: new Date() });
    expect(input.consentContext.userAgent).toHaveLength(512);
    expect(SignupWorkflowInputSchema.safeParse(input).success).toBe(true);
  });
});

describe('signup workflow schemas', () => {
  const valid = toSignupWorkflowInput(request, { requestId: 'r', ipAddress: '192.0.2.10', userAgent: 'ua', acceptedAt: new Date() });

  it('refuses an email that is not normalized, an unknown field, a document accepted twice', () => {
    expect(SignupWorkflowInputSchema.safeParse({ ...valid, account: { ...valid.account, email: 'Jamie@Example.com' } }).success).toBe(false);
    expect(SignupWorkflowInputSchema.safeParse({ ...valid, extra: 1 }).success).toBe(false);
    expect(SignupWorkflowInputSchema.safeParse({ ...valid, consents: [valid.consents[0], valid.consents[0]] }).success).toBe(false);
  });

  it('outputs exactly {outcome: verification_sent, clientId} or {outcome: account_exists}', () => {
    expect(SignupWorkflowOutputSchema.parse({ outcome: 'verification_sent', clientId: 'c-1' })).toEqual({ outcome: 'verification_sent', clientId: 'c-1' });
    expect(SignupWorkflowOutputSchema.parse({ outcome: 'account_exists' })).toEqual({ outcome: 'account_exists' });
    expect(SignupWorkflowOutputSchema.safeParse({ outcome: 'account_exists', clientId: 'c-1' }).success).toBe(false);
    expect(SignupWorkflowOutputSchema.safeParse({ outcome: 'verification_sent', clientId: 'c-1', email: 'x' }).success).toBe(false);
    expect(SignupWorkflowOutputSchema.safeParse({ clientId: 'c-1', status: 'awaiting_consultation' }).success).toBe(false);
  });

  it('names the one error a failed execution ends with (a taken email is not a failure)', () => {
    expect(SIGNUP_WORKFLOW_ERRORS).toEqual({ signupFailed: 'SignupFailed' });
  });
});
