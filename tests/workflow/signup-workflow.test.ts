/**
 * The REAL workflows/signup.asl.json, executed locally against the emulators of the local
 * stack: the happy path through the Step Functions emulator with the SDK (as the API runs it),
 * and the failure paths through the runner in this process, where faults can be injected
 * (aws-sdk-client-mock for what an emulator cannot fail on demand; task interceptors for lost
 * responses that make Step Functions retry).
 */
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSfnClient, createSyncWorkflowClient } from '../../shared/adapters/sfn/sync-workflow-client.js';
import { SIGNUP_WORKFLOW_ERRORS, SignupWorkflowOutputSchema, type SignupWorkflowInput } from '../../shared/domain/signup-workflow.js';
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

const json = (input: SignupWorkflowInput) => JSON.parse(JSON.stringify(input)) as Parameters<LocalWorkflow['run']>[0];

const HAPPY_PATH = ['CreateIdentity', 'DropPassword', 'PersistClient', 'SendWelcomeEmail', 'StartCareLifecycle', 'ReturnSignupResult', 'SignupSucceeded'];

describe('signup workflow', () => {
  it('creates the identity, the records, the welcome email and the care lifecycle (through the Step Functions emulator)', async () => {
    const input = signupInput({ firstName: 'Rowan' });
    const result = await createSyncWorkflowClient(sfn).run(process.env.SIGNUP_STATE_MACHINE_ARN as string, `test-${input.requestId}`, input);

    expect(result.status).toBe('SUCCEEDED');
    const output = SignupWorkflowOutputSchema.parse(result.status === 'SUCCEEDED' ? result.output : undefined);
    expect(output.status).toBe('awaiting_consultation');
    expect(JSON.stringify(output)).not.toContain(TEST_PASSWORD);
    const { clientId } = output;

    // Identity: confirmed, verified email, in the client group, signs in with the chosen password.
    const user = await findClientUser(input.account.email);
    expect(user).toMatchObject({ sub: clientId, status: 'CONFIRMED', groups: ['client'] });
    expect(user?.attributes).toMatchObject({ email: input.account.email, email_verified: 'true', given_name: 'Rowan', family_name: 'Testwood' });
    expect(await signInGroups(input.account.email, TEST_PASSWORD)).toEqual(['client']);

    // Records: profile, 3 consents, the welcome notification; the email owned by this client.
    const items = await clientItems(clientId);
    expect([...items.keys()].sort()).toEqual([
      'CONSENT#disclaimer#2026-11-01',
      'CONSENT#privacyPolicy#2026-11-01',
      'CONSENT#termsAndConditions#2026-11-01',
      'NOTIFICATION#welcome',
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
    expect(items.get('CONSENT#privacyPolicy#2026-11-01')).toMatchObject({
      document: 'privacyPolicy',
      version: '2026-11-01',
      acceptedAt: input.consentContext.acceptedAt,
      ipAddress: '203.0.113.7',
      userAgent: 'vitest',
    });
    expect((await emailRecord(input.account.email))?.owner).toEqual({ userId: clientId, kind: 'client' });
    for (const item of items.values()) expect(JSON.stringify(item)).not.toContain(TEST_PASSWORD);

    // The welcome email, HTML and text, with the consultation offer and no password.
    const email = await waitForEmail({ to: input.account.email, subjectIncludes: 'consultation' });
    expect(email.body.html).toContain('free 15-minute consultation');
    expect(email.body.text).toContain('free 15-minute consultation');
    expect(email.body.text).toContain(`${process.env.APP_BASE_URL}/consultation`);
    expect(`${email.body.html}${email.body.text}`).not.toContain(TEST_PASSWORD);

    // The care lifecycle runs for this client, and the profile knows its execution.
    const executionArn = profile?.careLifecycleExecutionArn as string;
    expect(executionArn).toMatch(new RegExp(`:execution:moodrx-local-care-lifecycle:client-${clientId}-1$`));
    const lifecycle = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(lifecycle.status).toBe('RUNNING');
    expect(JSON.parse(lifecycle.input ?? '{}')).toEqual({ clientId, generation: 1, wakeUps: 0 });
  });

  it('drops the password from the state right after CreateIdentity', async () => {
    const record = await signup.run(json(signupInput()));
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record)).toEqual(HAPPY_PATH);
    const dropped = record.events.findIndex((event) => event.type === 'StateExited' && event.state?.name === 'DropPassword');
    expect(dropped).toBeGreaterThan(0);
    expect(JSON.stringify(record.events[dropped]?.state?.output)).not.toContain(TEST_PASSWORD);
    const later = record.events.slice(dropped + 1);
    expect(later.map((event) => event.state?.name ?? event.type)).toContain('StartCareLifecycle');
    for (const event of later) expect(JSON.stringify(event)).not.toContain(TEST_PASSWORD);
    expect(record.output).not.toContain(TEST_PASSWORD);
  });

  it('refuses a duplicate email with EmailAlreadyRegisteredError, creating nothing and touching nothing of the original', async () => {
    const original = signupInput({ firstName: 'Original' });
    expect((await signup.run(json(original))).status).toBe('SUCCEEDED');
    const originalUser = await findClientUser(original.account.email);

    const duplicate = signupInput({ email: original.account.email, firstName: 'Impostor', password: 'Another-Pass-7?' });
    const record = await signup.run(json(duplicate));

    expect(record).toMatchObject({ status: 'FAILED', error: SIGNUP_WORKFLOW_ERRORS.emailAlreadyRegistered });
    // Nothing to compensate: the existing identity is someone else's and must not be deleted.
    expect(statesEntered(record)).toEqual(['CreateIdentity', 'FailEmailAlreadyRegistered']);

    const user = await findClientUser(original.account.email);
    expect(user).toEqual(originalUser);
    expect(await canSignIn(original.account.email, TEST_PASSWORD)).toBe(true);
    expect(await canSignIn(original.account.email, 'Another-Pass-7?')).toBe(false);
    const items = await clientItems(originalUser?.sub as string);
    expect(items.get('PROFILE')?.firstName).toBe('Original');
    expect(items.size).toBe(5);
    expect(await emailsTo(original.account.email)).toHaveLength(1);
  });

  it('compensates when a staff member owns the email: the new identity is deleted, 409 error, the staff claim kept', async () => {
    const input = signupInput();
    const staffId = await claimEmailForStaff(input.account.email);

    const record = await signup.run(json(input));

    expect(record).toMatchObject({ status: 'FAILED', error: SIGNUP_WORKFLOW_ERRORS.emailAlreadyRegistered });
    expect(statesEntered(record)).toEqual([
      'CreateIdentity',
      'DropPassword',
      'PersistClient',
      'RemoveClientRecords',
      'DeleteIdentity',
      'ChooseFailureError',
      'FailEmailAlreadyRegistered',
    ]);
    const clientId = createdClientId(record);
    expect(await findClientUser(input.account.email)).toBeUndefined();
    expect((await clientItems(clientId)).size).toBe(0);
    expect((await emailRecord(input.account.email))?.owner).toEqual({ userId: staffId, kind: 'staff' });
    expect(await emailsTo(input.account.email)).toHaveLength(0);
  });

  it('compensates when SendWelcomeEmail fails: SignupFailed, no identity, no records, the email free again', async () => {
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
      'SendWelcomeEmail',
      'RemoveClientRecords',
      'DeleteIdentity',
      'ChooseFailureError',
      'FailSignup',
    ]);
    // The caught error, as Lambda reports it: the SDK error's name, a JSON cause.
    const caught = record.events.find((event) => event.type === 'StateFailed' && event.state?.name === 'SendWelcomeEmail');
    expect(caught?.Error).toBe('MessageRejected');
    expect(JSON.parse(String(caught?.Cause))).toMatchObject({ errorType: 'MessageRejected', errorMessage: 'Email address is not verified (simulated)' });

    const clientId = createdClientId(record);
    expect(await findClientUser(input.account.email)).toBeUndefined();
    expect((await clientItems(clientId)).size).toBe(0);
    expect(await emailRecord(input.account.email)).toBeUndefined();

    // Nothing half-made remains: the same person can sign up again.
    expect((await signup.run(json({ ...input, requestId: `${input.requestId}-again` }))).status).toBe('SUCCEEDED');
  });

  it('compensates when StartCareLifecycle fails, removing the welcome notification record too', async () => {
    const stepFunctions = mockClient(SFNClient);
    stepFunctions.on(StartExecutionCommand).rejects(Object.assign(new Error('Rate exceeded (simulated)'), { name: 'ThrottlingException' }));
    let record: ExecutionRecord;
    try {
      record = await signup.run(json(signupInput()));
    } finally {
      stepFunctions.restore();
    }
    const input = JSON.parse(record.input) as SignupWorkflowInput;

    expect(record).toMatchObject({ status: 'FAILED', error: SIGNUP_WORKFLOW_ERRORS.signupFailed });
    expect(statesEntered(record).slice(-5)).toEqual(['StartCareLifecycle', 'RemoveClientRecords', 'DeleteIdentity', 'ChooseFailureError', 'FailSignup']);
    expect(await findClientUser(input.account.email)).toBeUndefined();
    expect((await clientItems(createdClientId(record))).size).toBe(0);
    expect(await emailRecord(input.account.email)).toBeUndefined();
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
    const { clientId } = SignupWorkflowOutputSchema.parse(JSON.parse(record.output ?? '{}'));
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
    const { clientId } = SignupWorkflowOutputSchema.parse(JSON.parse(record.output ?? '{}'));
    const items = await clientItems(clientId);
    expect([...items.keys()].filter((sk) => sk.startsWith('CONSENT#'))).toHaveLength(3);
    expect(items.get('PROFILE')?.stage).toBe('awaiting_consultation');
  });

  it('retries SendWelcomeEmail after a lost response without sending the email twice', async () => {
    const input = signupInput();
    let attempts = 0;
    const record = await signup.run(json(input), {
      retryIntervalOverrides: { SendWelcomeEmail: 0 },
      taskInterceptors: {
        SendWelcomeEmail: async (event, invoke) => {
          attempts += 1;
          const output = await invoke(event);
          if (attempts === 1) throw transientLambdaError();
          return output;
        },
      },
    });

    expect(record.status).toBe('SUCCEEDED');
    expect(attempts).toBe(2);
    expect(await emailsTo(input.account.email)).toHaveLength(1);
  });

  it('does not retry a business error: EmailAlreadyRegisteredError from PersistClient runs once', async () => {
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
    expect(record.error).toBe(SIGNUP_WORKFLOW_ERRORS.emailAlreadyRegistered);
    expect(attempts).toBe(1);
  });
});
