/**
 * Issue 9, finding 4: the signup email is proven by a code before anything else is sent to it.
 * The verification use cases with in-memory ports: the code is stored hashed, expires after 24
 * hours, dies after 5 wrong tries and after one use; every failure is the same error, for an
 * unknown email too; only verification sends the welcome email and starts the care lifecycle.
 */
import { describe, expect, it } from 'vitest';
import { decideVerification, VERIFICATION_MAX_ATTEMPTS, VerifySignupRequestSchema } from '../../../shared/domain/email-verification.js';
import { VerificationFailedError } from '../../../shared/domain/errors.js';
import { withMinimumDuration } from '../../../shared/http/minimum-duration.js';
import { SIGNUP_NOTICE_SUBJECT, VERIFICATION_SUBJECT } from '../../../shared/notifications/signup-emails.js';
import { sendSignupNotice } from '../../../shared/use-cases/signup/send-signup-notice.js';
import { sendVerificationEmail } from '../../../shared/use-cases/signup/send-verification-email.js';
import { hashVerificationCode } from '../../../shared/use-cases/signup/verification-code.js';
import { verifyEmail, type VerifyEmailDependencies } from '../../../shared/use-cases/signup/verify-email.js';
import { FakeClientRecords, FakeEmailSender, FakeIdentityAdmin, FakeWorkflowStarter } from '../workflow-tasks/fakes.js';

const EMAIL = 'casey@example.com';
const CODE = '042917';
const ISSUED = new Date('2026-11-20T15:00:00.000Z');
const HOUR = 3_600_000;

async function signedUp(options: { now?: Date } = {}) {
  const clients = new FakeClientRecords();
  const identities = new FakeIdentityAdmin();
  const email = new FakeEmailSender();
  const careLifecycle = new FakeWorkflowStarter();
  const { userId: clientId } = await identities.createUser({ email: EMAIL, firstName: 'Casey', lastName: 'Fernhill', signupRequestId: 'req-1' });
  await clients.createClient({
    clientId,
    account: { email: EMAIL, firstName: 'Casey', lastName: 'Fernhill', dateOfBirth: '1988-02-29', clientType: 'individual', state: 'NY', timezone: 'America/New_York' },
    stage: 'awaiting_consultation',
    consents: [{ document: 'privacyPolicy', version: '2026-11-01' }],
    consentContext: { ipAddress: '198.51.100.4', userAgent: 'unit', acceptedAt: ISSUED.toISOString() },
    requestId: 'req-1',
    createdAt: ISSUED.toISOString(),
  });
  await sendVerificationEmail({ requestId: 'req-1', clientId, email: EMAIL }, { clients, email, now: () => ISSUED, newCode: () => CODE });
  let now = options.now ?? new Date(ISSUED.getTime() + HOUR);
  const deps: VerifyEmailDependencies = { clients, identities, email, careLifecycle, appBaseUrl: 'https://app.example', now: () => now };
  return {
    clientId,
    clients,
    identities,
    email,
    careLifecycle,
    deps,
    setNow: (at: Date) => {
      now = at;
    },
    verify: (code: string, address = EMAIL) => verifyEmail(deps, VerifySignupRequestSchema.parse({ email: address, code }), { requestId: 'req-v' }),
  };
}

describe('sendVerificationEmail (signup task)', () => {
  it('sends the code and nothing else, and stores only its hash, bound to the client, for 24 hours', async () => {
    const { clientId, clients, email } = await signedUp();
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]).toMatchObject({ to: EMAIL, subject: VERIFICATION_SUBJECT });
    expect(email.sent[0]!.text).toContain(CODE);
    expect(email.sent[0]!.text).not.toMatch(/https?:\/\//);
    const record = clients.verifications.get(clientId);
    expect(record).toEqual({ codeHash: hashVerificationCode(clientId, CODE), createdAt: ISSUED.toISOString(), codeExpiresAt: '2026-11-21T15:00:00.000Z', attempts: 0 });
    expect(JSON.stringify(record)).not.toContain(CODE);
    expect(hashVerificationCode('another-client', CODE)).not.toBe(record?.codeHash);
  });
});

describe('sendSignupNotice (signup task, the email already has an account)', () => {
  it('tells the owner someone tried, with no link, no name, no kind of account', async () => {
    const email = new FakeEmailSender();
    await sendSignupNotice({ requestId: 'req-2', email: EMAIL }, { email });
    expect(email.sent).toHaveLength(1);
    const [notice] = email.sent;
    expect(notice).toMatchObject({ to: EMAIL, subject: SIGNUP_NOTICE_SUBJECT });
    expect(`${notice!.html}${notice!.text}`).not.toMatch(/https?:\/\/|href=|client|therap|Casey/i);
  });
});

describe('verifyEmail', () => {
  it('on the right code: marks profile and identity verified, then (only then) welcomes and starts the care lifecycle', async () => {
    const { verify, clientId, clients, identities, email, careLifecycle } = await signedUp();
    expect(careLifecycle.executions.size).toBe(0);
    expect(email.sent.map((e) => e.subject)).toEqual([VERIFICATION_SUBJECT]);

    expect(await verify(CODE)).toEqual({ status: 'verified', links: { login: '/v1/auth/login', me: '/v1/me' } });

    expect(clients.profiles.get(clientId)?.emailVerifiedAt).toBe('2026-11-20T16:00:00.000Z');
    expect(identities.users.get(EMAIL)?.emailVerified).toBe(true);
    expect(email.sent.map((e) => e.subject)).toEqual([VERIFICATION_SUBJECT, expect.stringMatching(/^Welcome/)]);
    expect([...careLifecycle.executions.keys()]).toEqual([`client-${clientId}-1`]);
    expect(clients.profiles.get(clientId)?.careLifecycleExecutionArn).toContain(`client-${clientId}-1`);
  });

  it('is single use: the same code again fails, and sends nothing more', async () => {
    const { verify, email } = await signedUp();
    await verify(CODE);
    await expect(verify(CODE)).rejects.toBeInstanceOf(VerificationFailedError);
    expect(email.sent).toHaveLength(2);
  });

  it('finishes a verification whose follow-ups failed when the same code comes again, once', async () => {
    const { verify, email, clientId, clients, careLifecycle } = await signedUp();
    email.failNext = new Error('SES down');
    await expect(verify(CODE)).rejects.toThrow('SES down');
    expect(clients.profiles.get(clientId)?.emailVerifiedAt).toBeDefined();
    expect(careLifecycle.executions.size).toBe(0);

    expect(await verify(CODE)).toMatchObject({ status: 'verified' });
    expect(careLifecycle.executions.size).toBe(1);
    await expect(verify(CODE)).rejects.toBeInstanceOf(VerificationFailedError);
    await expect(verify('111111')).rejects.toBeInstanceOf(VerificationFailedError);
  });

  it('counts wrong codes and locks after 5: then even the right code fails', async () => {
    const { verify, clientId, clients, email } = await signedUp();
    for (let attempt = 1; attempt <= VERIFICATION_MAX_ATTEMPTS; attempt += 1) {
      await expect(verify('000000')).rejects.toBeInstanceOf(VerificationFailedError);
      expect(clients.verifications.get(clientId)?.attempts).toBe(attempt);
    }
    await expect(verify(CODE)).rejects.toBeInstanceOf(VerificationFailedError);
    expect(clients.profiles.get(clientId)?.emailVerifiedAt).toBeUndefined();
    expect(email.sent).toHaveLength(1);
  });

  it('accepts the right code after 4 wrong ones', async () => {
    const { verify } = await signedUp();
    for (let attempt = 1; attempt < VERIFICATION_MAX_ATTEMPTS; attempt += 1) await expect(verify('000000')).rejects.toBeInstanceOf(VerificationFailedError);
    expect(await verify(CODE)).toMatchObject({ status: 'verified' });
  });

  it('expires the code 24 hours after it was sent', async () => {
    const { verify, setNow, clientId, clients } = await signedUp();
    setNow(new Date(ISSUED.getTime() + 24 * HOUR));
    await expect(verify(CODE)).rejects.toBeInstanceOf(VerificationFailedError);
    setNow(new Date(ISSUED.getTime() + 24 * HOUR - 1));
    expect(await verify(CODE)).toMatchObject({ status: 'verified' });
    expect(clients.profiles.get(clientId)?.emailVerifiedAt).toBe(new Date(ISSUED.getTime() + 24 * HOUR - 1).toISOString());
  });

  it('answers an unknown email and a staff email with the very same error as a wrong code', async () => {
    const { verify, clients } = await signedUp();
    clients.emailOwners.set('staff@example.com', { userId: 'staff-1', kind: 'staff' });
    const errors = await Promise.all(
      [verify('000000'), verify(CODE, 'nobody@example.com'), verify(CODE, 'staff@example.com')].map((p) => p.then(() => undefined, (e: unknown) => e)),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(VerificationFailedError);
      expect((error as Error).message).toBe((errors[0] as Error).message);
    }
  });

  it('a newer code replaces the older one', async () => {
    const { verify, deps, clientId } = await signedUp();
    await sendVerificationEmail({ requestId: 'req-1', clientId, email: EMAIL }, { clients: deps.clients, email: deps.email, now: () => ISSUED, newCode: () => '555555' });
    await expect(verify(CODE)).rejects.toBeInstanceOf(VerificationFailedError);
    expect(await verify('555555')).toMatchObject({ status: 'verified' });
  });
});

describe('decideVerification', () => {
  const record = { codeHash: 'h', createdAt: ISSUED.toISOString(), codeExpiresAt: '2026-11-21T15:00:00.000Z', attempts: 0 };
  const at = new Date('2026-11-21T14:59:59.999Z');
  it.each([
    ['accept', record, 'h', at],
    ['wrong_code', record, 'x', at],
    ['expired', record, 'h', new Date('2026-11-21T15:00:00.000Z')],
    ['locked', { ...record, attempts: VERIFICATION_MAX_ATTEMPTS }, 'h', at],
    ['used', { ...record, usedAt: ISSUED.toISOString() }, 'h', at],
  ] as const)('%s', (expected, stored, hash, now) => {
    expect(decideVerification(stored, hash, now)).toBe(expected);
  });
});

describe('withMinimumDuration', () => {
  it('holds a quick answer, and a quick failure, until the minimum has passed', async () => {
    let clock = 0;
    const slept: number[] = [];
    const stopwatch = { elapsed: () => clock, sleep: async (ms: number) => void slept.push(ms) };
    expect(await withMinimumDuration(1_500, async () => ((clock += 200), 'ok'), stopwatch)).toBe('ok');
    await expect(withMinimumDuration(1_500, async () => ((clock += 300), Promise.reject(new Error('no'))), stopwatch)).rejects.toThrow('no');
    await withMinimumDuration(1_500, async () => void (clock += 2_000), stopwatch);
    expect(slept).toEqual([1_300, 1_200]);
  });
});
