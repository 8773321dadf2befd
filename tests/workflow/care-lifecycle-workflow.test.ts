/**
 * The REAL workflows/care-lifecycle.asl.json with its real task handlers, DynamoDB Local, the
 * SES emulator and (for the next generation) the stack's Step Functions emulator, on a
 * compressed time scale: one lifecycle day in 86.4 ms. The emulator's Waits and the rules'
 * clock share the factor (shared/config/care-lifecycle.ts), set here before the handlers load.
 * Nothing sleeps: every expectation polls with a deadline; "then none" is checked after the
 * lifecycle has reviewed the client again well past the last due instant.
 */
import { DescribeExecutionCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../local/emulators/wait.js';
import { LocalWorkflow, statesEntered, type LocalExecution } from '../../local/step-functions/runner.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareLifecycleRepository } from '../../shared/adapters/dynamodb/care-lifecycle-repository.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { stageUpdate } from '../../shared/adapters/dynamodb/client-stage.js';
import { createStaffRepository } from '../../shared/adapters/dynamodb/staff-repository.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { readCareLifecycleSettings } from '../../shared/config/care-lifecycle.js';
import type { Specialty } from '../../shared/domain/clinicians.js';
import type { ClientStage } from '../../shared/domain/signup.js';
import {
  BASELINE_REQUEST_SUBJECT,
  BOOKING_REMINDER_SUBJECTS,
  CLIENT_INTRODUCTION_SUBJECT,
  DISENGAGEMENT_FLAG_SUBJECT,
  MEASURE_REMINDER_SUBJECT,
  OUTREACH_SUBJECT,
  THERAPIST_INTRODUCTION_SUBJECT,
} from '../../shared/notifications/care-lifecycle-emails.js';
import { dischargeClient } from '../../shared/use-cases/care-lifecycle/client-care.js';
import { uuidV7 } from '../../shared/use-cases/monitor/record-ids.js';
import { emailsTo, type InboxEmail } from '../support/inbox.js';
import { createStaff, type Person } from '../integration/risk/support.js';
import { clientItems, tableClient, tableName } from './support.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../../shared/domain/legal-documents.js';

// Before any handler module loads (LocalWorkflow.load imports them): one lifecycle day = 86.4 ms.
// (Hundreds of wake-ups per test: their INFO lines would drown the report.)
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
const SCALE = 1 / 1_000_000;
process.env.CARE_LIFECYCLE_TIME_SCALE = String(SCALE);
process.env.CARE_LIFECYCLE_CLOCK_ORIGIN = new Date().toISOString();
const settings = readCareLifecycleSettings();
const DAY = 86_400_000;

let instance: LocalWorkflow | undefined;
const running: LocalExecution[] = [];
const sfn = new SFNClient({});

afterAll(async () => {
  for (const execution of running) execution.stop();
  await Promise.all(running.map((execution) => execution.done));
  await instance?.idle();
});

async function ready(): Promise<void> {
  instance ??= await LocalWorkflow.load('careLifecycle', { waitTimeScale: SCALE });
}

/** Starts an execution under its deterministic name; stopped after the file if still running. */
function start(input: { clientId: string; generation: number; wakeUps: number; sleptSeconds?: number; totalWakeUps?: number }): LocalExecution {
  if (!instance) throw new Error('await ready() first');
  const execution = instance.start(input, { name: `client-${input.clientId}-${input.generation}` });
  running.push(execution);
  return execution;
}

/** Lifecycle days since a real instant (the client's createdAt, a relationship's start). */
const daysSince = (fromReal: string, toReal: string | number) =>
  (settings.clock.toLifecycle(new Date(toReal)).getTime() - settings.clock.toLifecycle(fromReal).getTime()) / DAY;

async function newClient(stage: ClientStage): Promise<{ id: string; email: string; createdAt: string }> {
  const id = randomUUID();
  const email = `lifecycle-${id.slice(0, 8)}@example.com`;
  const createdAt = new Date().toISOString();
  const result = await createClientRepository({ documentClient: createDocumentClient(), tableName: tableName() }).createClient({
    clientId: id,
    account: { email, firstName: 'Wren', lastName: 'Halloway', dateOfBirth: '1991-06-01', clientType: 'individual', state: 'OH', timezone: 'America/New_York' },
    stage,
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.7', userAgent: 'vitest', acceptedAt: createdAt },
    requestId: `test-${id}`,
    createdAt,
  });
  if (result.outcome !== 'created') throw new Error(result.outcome);
  return { id, email, createdAt };
}

/** What accept does (the matching issue's transaction, in short): a therapist relationship and stage in_care. */
async function match(clientId: string, concerns: Specialty[] = []): Promise<{ therapist: Person; startedAt: string }> {
  const therapist = await createStaff('therapist', { signIn: false });
  const startedAt = new Date().toISOString();
  const begun = await createCareTeamRepository({ documentClient: tableClient(), tableName: tableName() }).begin({ clientId, clinicianId: therapist.id, kind: 'therapist', startedAt });
  if (begun.outcome !== 'begun') throw new Error(begun.outcome);
  if (concerns.length > 0) {
    await tableClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.intake(clientId, 'confirmed'), clientId, version: 'confirmed', intake: { concerns: concerns.map((concern, i) => ({ concern, primary: i === 0 })) } },
      }),
    );
  }
  const stage = stageUpdate(clientId, 'in_care');
  await tableClient().send(
    new UpdateCommand({ TableName: tableName(), Key: keys.clientProfile(clientId), UpdateExpression: `SET ${stage.set}${stage.remove}`, ExpressionAttributeValues: stage.values }),
  );
  return { therapist, startedAt };
}

async function checkIn(clientId: string): Promise<string> {
  const at = new Date();
  await tableClient().send(new PutCommand({ TableName: tableName(), Item: { ...keys.checkIn(clientId, uuidV7(at)), clientId, recordedAt: at.toISOString() } }));
  return at.toISOString();
}

/** The lifecycle's sent notification records of the client: key -> sentAt (real). */
async function sent(clientId: string): Promise<Map<string, string>> {
  const items = await clientItems(clientId);
  return new Map(
    [...items.values()].filter((item) => String(item.SK).startsWith(keys.lifecycleNotificationPrefix()) && item.state === 'sent').map((item) => [String(item.key), String(item.sentAt)]),
  );
}

const withSubject = (emails: readonly InboxEmail[], subject: string) => emails.filter((email) => email.subject === subject);

/** Until the execution has reviewed the client at lifecycle day `day` (since `fromReal`) or later. */
async function reviewedPast(execution: LocalExecution, fromReal: string, day: number): Promise<void> {
  await pollUntil(
    `a review at lifecycle day ${day}`,
    async () => {
      const reviews = execution.record.events.filter((event) => event.type === 'StateEntered' && event.state?.name === 'ReviewClient');
      const last = reviews.at(-1);
      if (!last || daysSince(fromReal, last.timestamp) < day) throw new Error(`last review at day ${last ? daysSince(fromReal, last.timestamp).toFixed(2) : '-'}`);
    },
    { deadlineMs: 20_000, intervalMs: 25 },
  );
}

async function waiting(execution: LocalExecution): Promise<void> {
  await pollUntil(
    'the lifecycle to wait',
    async () => {
      if (!statesEntered(execution.record).includes('WaitForNextReview')) throw new Error(statesEntered(execution.record).join(' > '));
    },
    { deadlineMs: 10_000, intervalMs: 10 },
  );
}

describe('care lifecycle workflow (one lifecycle day = 86.4 ms)', () => {
  it('ends at once for a client who is gone (e.g. a compensated signup)', async () => {
    await ready();
    const record = await start({ clientId: randomUUID(), generation: 1, wakeUps: 0 }).done;
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record)).toEqual(['ReviewClient', 'AnythingDue', 'NothingDue', 'CheckCareStatus', 'EndCareLifecycle']);
  });

  it('awaiting consultation: a reminder to book at 2 days and at 7 days, then none', async () => {
    await ready();
    const client = await newClient('awaiting_consultation');
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    await reviewedPast(execution, client.createdAt, 12);
    const records = await sent(client.id);
    expect([...records.keys()].sort()).toEqual(['lifecycle#booking-reminder#1', 'lifecycle#booking-reminder#2']);
    const first = daysSince(client.createdAt, records.get('lifecycle#booking-reminder#1') ?? '');
    const second = daysSince(client.createdAt, records.get('lifecycle#booking-reminder#2') ?? '');
    expect(first).toBeGreaterThanOrEqual(2);
    expect(first).toBeLessThan(3);
    expect(second).toBeGreaterThanOrEqual(7);
    expect(second).toBeLessThan(8);
    const emails = await emailsTo(client.email);
    expect(emails.map((email) => email.subject)).toEqual([BOOKING_REMINDER_SUBJECTS[0], BOOKING_REMINDER_SUBJECTS[1]]);
    expect(emails[0]?.body.text).toContain('/consultation');
    expect(execution.record.status).toBe('RUNNING');
  });

  it('on match: introductions to client and therapist and the baseline request, once', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    await waiting(execution);
    const { therapist, startedAt } = await match(client.id, ['trauma_ptsd']);
    const matchedAt = Date.now();
    await pollUntil(
      'the introductions',
      async () => {
        const toClient = await emailsTo(client.email);
        if (withSubject(toClient, CLIENT_INTRODUCTION_SUBJECT).length === 0 || withSubject(toClient, BASELINE_REQUEST_SUBJECT).length === 0) throw new Error('not yet');
        if (withSubject(await emailsTo(therapist.email), THERAPIST_INTRODUCTION_SUBJECT).length === 0) throw new Error('not yet');
      },
      { deadlineMs: 10_000 },
    );
    // Soon after the accept: while awaiting a match the lifecycle slept at most an hour, and the
    // introductions went out at the first or second review after the stage changed.
    const sleeps = execution.record.events
      .filter((event) => event.type === 'StateExited' && event.state?.name === 'CountWakeUp' && event.timestamp < matchedAt)
      .map((event) => (event.state?.output as { nextWakeInSeconds: number }).nextWakeInSeconds);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(3_600);
    const introducedAt = Date.parse((await sent(client.id)).get(`lifecycle#intro-client#${therapist.id}#${startedAt}`) ?? '');
    const waitsBetween = execution.record.events.filter(
      (event) => event.type === 'StateEntered' && event.state?.name === 'WaitForNextReview' && event.timestamp >= matchedAt && event.timestamp <= introducedAt,
    );
    expect(waitsBetween.length).toBeLessThanOrEqual(1);
    await reviewedPast(execution, startedAt, 3);
    const toClient = await emailsTo(client.email);
    expect(toClient.map((email) => email.subject).sort()).toEqual([BASELINE_REQUEST_SUBJECT, CLIENT_INTRODUCTION_SUBJECT].sort());
    const toTherapist = await emailsTo(therapist.email);
    expect(toTherapist.map((email) => email.subject)).toEqual([THERAPIST_INTRODUCTION_SUBJECT]);
    // Minimum necessary: the therapist's email says nothing about the client.
    expect(`${toTherapist[0]?.subject}${toTherapist[0]?.body.text}${toTherapist[0]?.body.html}`).not.toMatch(/Wren|Halloway|trauma|PCL|ptsd/i);
    expect(`${toClient[0]?.body.text}`).not.toMatch(/trauma|PCL|ptsd/i);
  });

  it('in care: measure reminders at 2 and 4 weeks; 3 weeks without an assessment or check-in -> outreach and a flag for the therapist, once', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const { therapist, startedAt } = await match(client.id, ['depression']);
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    await reviewedPast(execution, startedAt, 31);
    const records = await sent(client.id);
    const reminders = [1, 2].map((period) => daysSince(startedAt, records.get(`lifecycle#measures#${therapist.id}#${startedAt}#${period}`) ?? ''));
    expect(reminders[0]).toBeGreaterThanOrEqual(14);
    expect(reminders[0]).toBeLessThan(15);
    expect(reminders[1]).toBeGreaterThanOrEqual(28);
    expect(reminders[1]).toBeLessThan(29);
    const outreachAt = daysSince(startedAt, records.get(`lifecycle#outreach#${therapist.id}#${startedAt}#${startedAt}`) ?? '');
    expect(outreachAt).toBeGreaterThanOrEqual(21);
    expect(outreachAt).toBeLessThan(22);
    const toClient = (await emailsTo(client.email)).map((email) => email.subject);
    expect(toClient.filter((subject) => subject === MEASURE_REMINDER_SUBJECT)).toHaveLength(2);
    expect(toClient.filter((subject) => subject === OUTREACH_SUBJECT)).toHaveLength(1);
    expect((await emailsTo(therapist.email)).map((email) => email.subject).sort()).toEqual([DISENGAGEMENT_FLAG_SUBJECT, THERAPIST_INTRODUCTION_SUBJECT]);
    const flags = [...(await clientItems(client.id)).values()].filter((item) => String(item.SK).startsWith(keys.lifecycleFlagPrefix()));
    expect(flags).toMatchObject([{ kind: 'disengaged', since: startedAt, therapistId: therapist.id }]);
  });

  it('activity resets the disengagement clock: a check-in at day 10 -> outreach at day 31, not 21', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const { startedAt } = await match(client.id);
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    await reviewedPast(execution, startedAt, 10);
    const checkedInAt = await checkIn(client.id);
    await reviewedPast(execution, startedAt, 25);
    expect([...(await sent(client.id)).keys()].filter((key) => key.includes('#outreach#'))).toEqual([]);
    await reviewedPast(execution, checkedInAt, 22);
    const outreach = [...(await sent(client.id)).entries()].filter(([key]) => key.includes('#outreach#'));
    expect(outreach).toHaveLength(1);
    expect(outreach[0]?.[0]).toContain(checkedInAt);
    expect(daysSince(checkedInAt, outreach[0]?.[1] ?? '')).toBeGreaterThanOrEqual(21);
  });

  it('a discharge mid-wait ends the lifecycle at its next wake-up', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const { therapist } = await match(client.id);
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    await pollUntil('the introductions', async () => {
      if ((await sent(client.id)).size < 3) throw new Error('not yet');
    }, { deadlineMs: 10_000 });
    await waiting(execution);
    const documentClient = tableClient();
    await dischargeClient(
      { caller: { userId: therapist.id, role: 'therapist' }, clientId: client.id, request: { reason: 'goals_met' } },
      {
        careTeam: createCareTeamRepository({ documentClient, tableName: tableName() }),
        auditLog: createAuditLog({ documentClient, tableName: tableName() }),
        records: createCareLifecycleRepository({ documentClient, tableName: tableName() }),
        staff: createStaffRepository(documentClient, tableName()),
        settings,
        now: () => new Date(),
      },
    );
    const record = await execution.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record).slice(-5)).toEqual(['ReviewClient', 'AnythingDue', 'NothingDue', 'CheckCareStatus', 'EndCareLifecycle']);
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({ review: { stage: 'discharged', end: true } });
    const profile = (await clientItems(client.id)).get('PROFILE');
    expect(profile).toMatchObject({ stage: 'discharged' });
    expect(profile?.GSI1PK).toBeUndefined();
  });

  it('a referral to a higher level of care closes care at the next wake-up: stage referred, therapist relationship ended, lifecycle ended', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const { therapist } = await match(client.id);
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    await waiting(execution);
    const taskId = `risk-assessment-${randomUUID()}`;
    await tableClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.referral(client.id, taskId), entityType: 'referral', clientId: client.id, taskId, levelOfCare: 'inpatient', to: 'Synthetic Hospital', reason: 'Synthetic.', referredBy: therapist.id, referredAt: new Date().toISOString() },
      }),
    );
    const record = await execution.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record).slice(-4)).toEqual(['AnythingDue', 'DoDueActions', 'CheckCareStatus', 'EndCareLifecycle']);
    const items = await clientItems(client.id);
    expect(items.get('PROFILE')).toMatchObject({ stage: 'referred' });
    expect(items.get(`REFERRAL#${taskId}`)?.appliedAt).toEqual(expect.any(String));
    const relationship = [...items.values()].find((item) => String(item.SK).startsWith(`CARE#therapist#${therapist.id}`));
    expect(relationship).toMatchObject({ endReason: 'referred' });
  });

  it('continues as new after 500 wake-ups: generation 2 with the carried state, recorded on the profile; this one ends', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 497, totalWakeUps: 1_497 });
    const record = await execution.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record).filter((name) => name === 'ReviewClient')).toHaveLength(4);
    expect(statesEntered(record).slice(-2)).toEqual(['ContinueAsNew', 'ContinuedAsNew']);
    const next = JSON.parse(record.output ?? '{}') as { continued: { executionArn: string; generation: number } };
    expect(next.continued).toMatchObject({ generation: 2, recorded: true });
    expect(next.continued.executionArn).toMatch(new RegExp(`:client-${client.id}-2$`));
    // Generation 2 runs on the stack's Step Functions emulator.
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: next.continued.executionArn }));
    expect(described.status).toBe('RUNNING');
    expect(JSON.parse(described.input ?? '{}')).toEqual({ clientId: client.id, generation: 2, wakeUps: 0, sleptSeconds: 0, totalWakeUps: 1_500 });
    expect((await clientItems(client.id)).get('PROFILE')).toMatchObject({ careLifecycleGeneration: 2, careLifecycleExecutionArn: next.continued.executionArn });
    await sfn.send(new StopExecutionCommand({ executionArn: next.continued.executionArn }));
  });

  it('continues as new before a sleep would pass 300 days', async () => {
    await ready();
    const client = await newClient('awaiting_consultation');
    const record = await start({ clientId: client.id, generation: 3, wakeUps: 20, sleptSeconds: 300 * 86_400 - 86_400 - 3_600 }).done;
    expect(statesEntered(record).slice(-2)).toEqual(['ContinueAsNew', 'ContinuedAsNew']);
    const output = JSON.parse(record.output ?? '{}') as { continued: { executionArn: string }; review: { lifecycle: { wakeUps: number } } };
    expect(output.review.lifecycle.wakeUps).toBe(21);
    await sfn.send(new StopExecutionCommand({ executionArn: output.continued.executionArn }));
  });
});
