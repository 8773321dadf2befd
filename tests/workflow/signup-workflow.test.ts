/**
 * The REAL workflows/signup.asl.json, executed locally against the emulators of the local
 * stack: the happy path through the Step Functions emulator with the SDK (as the API runs it),
 * and the failure paths through the runner in this process, where faults can be injected
 * (aws-sdk-client-mock for what an emulator cannot fail on demand; task interceptors for lost
 * responses that make Step Functions retry).
 */
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSfnClient, createSyncWorkflowClient } from '../../shared/adapters/sfn/sync-workflow-client.js';
import { SIGNUP_WORKFLOW_ERRORS, SignupWorkflowOutputSchema, type SignupWorkflowInput } from '../../shared/domain/signup-workflow.js';
import { SIGNUP_NOTICE_SUBJECT, VERIFICATION_SUBJECT } from '../../shared/notifications/signup-emails.js';
import { hashVerificationCode } from '../../shared/use-cases/signup/verification-code.js';
import { verificationCodeIn } from '../support/signup.js';
import { LocalWorkflow, statesEntered, type ExecutionRecord } from '../../local/step-functions/runner.js';
import { emailsTo, waitForEmail } from '../support/inbox.js';
import {
  canSignIn,
  claimEmailForStaff,
  clientItems,
  emailRecord,
  findClientUser,
  signInGroups,
  signupInput,
  TEST_PASSWORD,
  transientLambdaError,
} from './support.js';

let signup: LocalWorkflow;
const sfn = createSfnClient();

beforeAll(async () => {
  signup = await LocalWorkflow.load('signup');
});

afterAll(async () => {
  await signup.idle();
  sfn.destroy();
});

/** The client id CreateIdentity returned, read from the execution's history. */
function createdClientId(record: ExecutionRecord): string {
  const exited = record.events.find((event) => event.type === 'StateExited' && event.state?.name === 'CreateIdentity');
  const output = exited?.state?.output as { identity?: { clientId?: string } } | undefined;
  if (!output?.identity?.clientId) throw new Error(`CreateIdentity did not succeed: ${statesEntered(record).join(' > ')}`);
  return output.identity.clientId;
}

/** The new client's id from a successful execution's output (outcome verification_sent). */
function newClientId(output: unknown): string {
  const parsed = SignupWorkflowOutputSchema.parse(typeof output === 'string' ? JSON.parse(output) : output);
  if (parsed.outcome !== 'verification_sent') throw new Error(`Expected a new account, got ${parsed.outcome}`);
  return parsed.clientId;
}

const json = (input: SignupWorkflowInput) => JSON.parse(JSON.stringify(input)) as Parameters<LocalWorkflow['run']>[0];

const HAPPY_PATH = ['CreateIdentity', 'DropPassword', 'PersistClient', 'SendVerificationEmail', 'ReturnSignupResult', 'SignupSucceeded'];
const NOTICE_PATH = ['SendSignupNotice', 'ReturnAccountExists', 'SignupSucceeded'];

describe('signup workflow', () => {
  // Issue 9, finding 4: on 65e63bb this path forced email_verified=true, sent the welcome email
  // and started the care lifecycle for an address nobody had proven.
  it('creates an unverified identity and the records, and sends only the verification code (through the Step Functions emulator)', async () => {
    const input = signupInput({ firstName: 'Rowan' });
    const result = await createSyncWorkflowClient(sfn).run(process.env.SIGNUP_STATE_MACHINE_ARN as string, `test-${input.requestId}`, input);

    expect(result.status).toBe('SUCCEEDED');
    const output = result.status === 'SUCCEEDED' ? result.output : undefined;
    expect(JSON.stringify(output)).not.toContain(TEST_PASSWORD);
    const clientId = newClientId(output);

    // Identity: confirmed, email NOT verified, in the client group, signs in with the chosen password.
    const user = await findClientUser(input.account.email);
    expect(user).toMatchObject({ sub: clientId, status: 'CONFIRMED', groups: ['client'] });
    expect(user?.attributes).toMatchObject({ email: input.account.email, email_verified: 'false', given_name: 'Rowan', family_name: 'Testwood' });
    expect(await signInGroups(input.account.email, TEST_PASSWORD)).toEqual(['client']);

    // Records: profile (unverified), 3 consents, the code's record (its hash only); no welcome notification.
    const items = await clientItems(clientId);
    expect([...items.keys()].sort()).toEqual([
      'CONSENT#disclaimer#2026-11-01',
      'CONSENT#privacyPolicy#2026-11-01',
      'CONSENT#termsAndConditions#2026-11-01',
      'EMAIL_VERIFICATION',
      'PROFILE',
    ]);
    const profile = items.get('PROFILE');
    expect(profile).toMatchObject({
      clientId,
      email: input.account.email,
      stage: 'awaiting_consultation',
      dateOfBirth: '1990-04-12',
      state: 'OH',
      timezone: 'America/New_York',
    });
    expect(profile).not.toHaveProperty('emailVerifiedAt');
    expect(profile).not.toHaveProperty('careLifecycleExecutionArn');
    expect(items.get('CONSENT#privacyPolicy#2026-11-01')).toMatchObject({
      document: 'privacyPolicy',
      version: '2026-11-01',
      acceptedAt: input.consentContext.acceptedAt,
      ipAddress: '203.0.113.7',
      userAgent: 'vitest',
    });
    expect((await emailRecord(input.account.email))?.owner).toEqual({ userId: clientId, kind: 'client' });
    for (const item of items.values()) expect(JSON.stringify(item)).not.toContain(TEST_PASSWORD);

    // The one email: the code, whose hash (never the code) is stored, valid 24 hours.
    const email = await waitForEmail({ to: input.account.email, subjectIncludes: VERIFICATION_SUBJECT });
    const code = verificationCodeIn(email);
    const stored = items.get('EMAIL_VERIFICATION');
    expect(stored).toMatchObject({ codeHash: hashVerificationCode(clientId, code), attempts: 0 });
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(Date.parse(stored?.codeExpiresAt as string) - Date.parse(stored?.createdAt as string)).toBe(24 * 3_600_000);
    expect(`${email.body.html}${email.body.text}`).not.toContain(TEST_PASSWORD);
    expect((await emailsTo(input.account.email)).map((e) => e.subject)).toEqual([VERIFICATION_SUBJECT]);

    // No care lifecycle before verification (it would email reminders to the unproven address).
    const lifecycleArn = `${(process.env.CARE_LIFECYCLE_STATE_MACHINE_ARN as string).replace(':stateMachine:', ':execution:')}:client-${clientId}-1`;
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: lifecycleArn }))).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('drops the password from the state right after CreateIdentity', async () => {
    const record = await signup.run(json(signupInput()));
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record)).toEqual(HAPPY_PATH);
    const dropped = record.events.findIndex((event) => event.type === 'StateExited' && event.state?.name === 'DropPassword');
    expect(dropped).toBeGreaterThan(0);
    expect(JSON.stringify(record.events[dropped]?.state?.output)).not.toContain(TEST_PASSWORD);
    const later = record.events.slice(dropped + 1);
    expect(later.map((event) => event.state?.name ?? event.type)).toContain('SendVerificationEmail');
    for (const event of later) expect(JSON.stringify(event)).not.toContain(TEST_PASSWORD);
    expect(record.output).not.toContain(TEST_PASSWORD);
  });

  // Issue 9, finding 4: on 65e63bb a duplicate FAILED with EmailAlreadyRegisteredError (the API's 409).
  it('answers a duplicate email by noticing its owner, succeeding like a new account, touching nothing of the original', async () => {
    const original = signupInput({ firstName: 'Original' });
    expect((await signup.run(json(original))).status).toBe('SUCCEEDED');
    const originalUser = await findClientUser(original.account.email);
    const originalItems = await clientItems(originalUser?.sub as string);

    const duplicate = signupInput({ email: original.account.email, firstName: 'Impostor', password: 'Another-Pass-7?' });
    const record = await signup.run(json(duplicate));

    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output ?? '{}')).toEqual({ outcome: 'account_exists' });
    // Nothing to compensate: the existing identity is someone else's and must not be deleted.
    expect(statesEntered(record)).toEqual(['CreateIdentity', ...NOTICE_PATH]);

    const user = await findClientUser(original.account.email);
    expect(user).toEqual(originalUser);
    expect(await canSignIn(original.account.email, TEST_PASSWORD)).toBe(true);
    expect(await canSignIn(original.account.email, 'Another-Pass-7?')).toBe(false);
    const items = await clientItems(originalUser?.sub as string);
    expect(items.get('PROFILE')?.firstName).toBe('Original');
    expect(items).toEqual(originalItems);
    // The owner's inbox: their code, then the notice (no link, no name, not which kind of account).
    await waitForEmail({ to: original.account.email, subjectIncludes: SIGNUP_NOTICE_SUBJECT });
    const inbox = await emailsTo(original.account.email);
    expect(inbox.map((e) => e.subject)).toEqual([VERIFICATION_SUBJECT, SIGNUP_NOTICE_SUBJECT]);
    expect(`${inbox[1]?.body.html}${inbox[1]?.body.text}`).not.toMatch(/https?:\/\/|Impostor|Original/);
  });

  it('compensates when a staff member owns the email: the new identity is deleted, the staff claim kept, the owner noticed', async () => {
    const input = signupInput();
    const staffId = await claimEmailForStaff(input.account.email);

    const record = await signup.run(json(input));

    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output ?? '{}')).toEqual({ outcome: 'account_exists' });
    expect(statesEntered(record)).toEqual([
      'CreateIdentity',
      'DropPassword',
      'PersistClient',
      'RemoveClientRecords',
      'DeleteIdentity',
      'ChooseFailureError',
      ...NOTICE_PATH,
    ]);
    const clientId = createdClientId(record);
    expect(await findClientUser(input.account.email)).toBeUndefined();
    expect((await clientItems(clientId)).size).toBe(0);
    expect((await emailRecord(input.account.email))?.owner).toEqual({ userId: staffId, kind: 'staff' });
    await waitForEmail({ to: input.account.email, subjectIncludes: SIGNUP_NOTICE_SUBJECT });
    expect((await emailsTo(input.account.email)).map((e) => e.subject)).toEqual([SIGNUP_NOTICE_SUBJECT]);
  });

  it('compensates when SendVerificationEmail fails: SignupFailed, no identity, no records, the email free again', async () => {
    const ses = mockClient(SESClient);
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified (simulated)'), { name: 'MessageRejected' }));
    let record: ExecutionRecord;
    try {
      record = await signup.run(json(signupInput()));
    } finally {
      ses.restore();
    }
    const input = JSON.parse(record.input) as SignupWorkflowInput;

    expect(record).toMatchObject({ status: 'FAILED', error: SIGNUP_WORKFLOW_ERRORS.signupFailed });
    expect(statesEntered(record)).toEqual([
      'CreateIdentity',
      'DropPassword',
      'PersistClient',
      'SendVerificationEmail',
      'RemoveClientRecords',
      'DeleteIdentity',
      'ChooseFailureError',
      'FailSignup',
    ]);
    // The caught error, as Lambda reports it: the SDK error's name, a JSON cause.
    const caught = record.events.find((event) => event.type === 'StateFailed' && event.state?.name === 'SendVerificationEmail');
    expect(caught?.Error).toBe('MessageRejected');
    expect(JSON.parse(String(caught?.Cause))).toMatchObject({ errorType: 'MessageRejected', errorMessage: 'Email address is not verified (simulated)' });

    const clientId = createdClientId(record);
    expect(await findClientUser(input.account.email)).toBeUndefined();
    expect((await clientItems(clientId)).size).toBe(0);
    expect(await emailRecord(input.account.email)).toBeUndefined();

    // Nothing half-made remains: the same person can sign up again.
    expect((await signup.run(json({ ...input, requestId: `${input.requestId}-again` }))).status).toBe('SUCCEEDED');
  });

  it('fails with SignupFailed when the notice cannot be sent, touching nothing of the existing account', async () => {
    const original = signupInput();
    expect((await signup.run(json(original))).status).toBe('SUCCEEDED');
    const originalUser = await findClientUser(original.account.email);
    const ses = mockClient(SESClient);
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Throttled (simulated)'), { name: 'Throttling' }));
    let record: ExecutionRecord;
    try {
      record = await signup.run(json(signupInput({ email: original.account.email })), { retryIntervalOverrides: { SendSignupNotice: 0 } });
    } finally {
      ses.restore();
    }
    expect(record).toMatchObject({ status: 'FAILED', error: SIGNUP_WORKFLOW_ERRORS.signupFailed });
    expect(statesEntered(record)).toEqual(['CreateIdentity', 'SendSignupNotice', 'FailSignup']);
    expect(await findClientUser(original.account.email)).toEqual(originalUser);
  });

  it('retries CreateIdentity after a lost response and carries on with the identity its first attempt made', async () => {
    const input = signupInput();
    let attempts = 0;
    const record = await signup.run(json(input), {
      retryIntervalOverrides: { CreateIdentity: 0 },
      taskInterceptors: {
        CreateIdentity: async (event, invoke) => {
          attempts += 1;
          const output = await invoke(event);
          if (attempts === 1) throw transientLambdaError();
          return output;
        },
      },
    });

    expect(record.status).toBe('SUCCEEDED');
    expect(attempts).toBe(2);
    const clientId = newClientId(record.output);
    expect(await findClientUser(input.account.email)).toMatchObject({ sub: clientId, groups: ['client'] });
    expect(await signInGroups(input.account.email, TEST_PASSWORD)).toEqual(['client']);
  });

  it('retries PersistClient after a lost response and succeeds without writing twice', async () => {
    let attempts = 0;
    const record = await signup.run(json(signupInput()), {
      retryIntervalOverrides: { PersistClient: 0 },
      taskInterceptors: {
        // The transaction commits, then the response is lost: Step Functions sees a Lambda error.
        PersistClient: async (event, invoke) => {
          attempts += 1;
          const output = await invoke(event);
          if (attempts === 1) throw transientLambdaError();
          return output;
        },
      },
    });

    expect(record.status).toBe('SUCCEEDED');
    expect(attempts).toBe(2);
    expect(record.events.filter((event) => event.type === 'StateRetried').map((event) => event.state?.name)).toEqual(['PersistClient']);
    const clientId = newClientId(record.output);
    const items = await clientItems(clientId);
    expect([...items.keys()].filter((sk) => sk.startsWith('CONSENT#'))).toHaveLength(3);
    expect(items.get('PROFILE')?.stage).toBe('awaiting_consultation');
  });

  it('retries SendVerificationEmail after a lost response: a new code, and only the latest one is stored', async () => {
    const input = signupInput();
    let attempts = 0;
    const record = await signup.run(json(input), {
      retryIntervalOverrides: { SendVerificationEmail: 0 },
      taskInterceptors: {
        SendVerificationEmail: async (event, invoke) => {
          attempts += 1;
          const output = await invoke(event);
          if (attempts === 1) throw transientLambdaError();
          return output;
        },
      },
    });

    expect(record.status).toBe('SUCCEEDED');
    expect(attempts).toBe(2);
    const clientId = newClientId(record.output);
    const emails = await emailsTo(input.account.email);
    expect(emails.map((e) => e.subject)).toEqual([VERIFICATION_SUBJECT, VERIFICATION_SUBJECT]);
    const stored = (await clientItems(clientId)).get('EMAIL_VERIFICATION')?.codeHash;
    expect(stored).toBe(hashVerificationCode(clientId, verificationCodeIn(emails[1] as (typeof emails)[number])));
  });

  it('does not retry a business error: EmailAlreadyRegisteredError from PersistClient runs once (then the notice)', async () => {
    const input = signupInput();
    await claimEmailForStaff(input.account.email);
    let attempts = 0;
    const record = await signup.run(json(input), {
      retryIntervalOverrides: { PersistClient: 0 },
      taskInterceptors: {
        PersistClient: async (event, invoke) => {
          attempts += 1;
          return invoke(event);
        },
      },
    });
    expect(JSON.parse(record.output ?? '{}')).toEqual({ outcome: 'account_exists' });
    expect(attempts).toBe(1);
  });
});
