/**
 * The REAL workflows/care-lifecycle.asl.json with its real task handlers, DynamoDB Local and an
 * SES emulator, on the controlled clock (tests/workflow/controlled-time.ts): time moves only when
 * a test advances it, and every assertion is an exact virtual instant (the first booking reminder
 * at exactly day 2, the measure reminders at exactly days 14 and 28). Nothing sleeps and nothing
 * polls against wall-clock time.
 */
import { DescribeExecutionCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { statesEntered, type LocalExecution, type LocalWorkflow } from '../../local/step-functions/runner.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareLifecycleRepository } from '../../shared/adapters/dynamodb/care-lifecycle-repository.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { stageUpdate } from '../../shared/adapters/dynamodb/client-stage.js';
import { createStaffRepository } from '../../shared/adapters/dynamodb/staff-repository.js';
import { createSessionRepository } from '../../shared/adapters/dynamodb/session-repository.js';
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
import { careLifecycleWaker } from '../../shared/use-cases/care-lifecycle/wake.js';
import { createWorkflowStarter } from '../../shared/adapters/sfn/workflow-starter.js';
import { uuidV7 } from '../../shared/use-cases/monitor/record-ids.js';
import { createStaff, type Person } from '../integration/risk/support.js';
import { disallowedHistoryFields, clientItems, tableClient, tableName } from './support.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../../shared/domain/legal-documents.js';
import { DAY_MS, HOUR_MS, useControlledTime } from './controlled-time.js';

// Hundreds of wake-ups per test: their INFO lines would drown the report.
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
// session: a referral's cancellation notices of the client's future sessions run here.
const time = useControlledTime({ stepFunctionsWorkflows: ['careLifecycle', 'session'] });
const settings = readCareLifecycleSettings();

let instance: LocalWorkflow | undefined;
let sfnClient: SFNClient | undefined;
/** After the emulators are up: the client must reach this file's Step Functions emulator. */
const sfn = (): SFNClient => (sfnClient ??= new SFNClient({}));

async function ready(): Promise<void> {
  instance ??= await time.workflow('careLifecycle');
}

/** Starts an execution under its deterministic name; stopped after the file if still running. */
function start(input: { clientId: string; generation: number; wakeUps: number; sleptSeconds?: number; totalWakeUps?: number }): LocalExecution {
  if (!instance) throw new Error('await ready() first');
  return time.started(instance.start(input, { name: `client-${input.clientId}-${input.generation}` }));
}

/** Now on the controlled clock, and an instant `days` (+ `hours`) after `from`, as stored (ISO). */
const nowIso = () => time.clock.now().toISOString();
const plus = (from: string, days: number, hours = 0) => new Date(Date.parse(from) + days * DAY_MS + hours * HOUR_MS).toISOString();

async function newClient(stage: ClientStage): Promise<{ id: string; email: string; createdAt: string }> {
  const id = randomUUID();
  const email = `lifecycle-${id.slice(0, 8)}@example.com`;
  const createdAt = nowIso();
  const result = await createClientRepository({ documentClient: createDocumentClient(), tableName: tableName() }).createClient({
    clientId: id,
    account: { email, firstName: 'Wren', lastName: 'Halloway', dateOfBirth: '1991-06-01', clientType: 'individual', state: 'OH', timezone: 'America/New_York' },
    stage,
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.7', userAgent: 'vitest', acceptedAt: createdAt },
    requestId: `test-${id}`,
    // A signed-up client who has verified the email (issue 9): books and gets emails.
    emailVerifiedAt: createdAt,
    createdAt,
  });
  if (result.outcome !== 'created') throw new Error(result.outcome);
  return { id, email, createdAt };
}

/** What accept does (the matching issue's transaction, in short): a therapist relationship and stage in_care. */
async function match(clientId: string, concerns: Specialty[] = []): Promise<{ therapist: Person; startedAt: string }> {
  const therapist = await createStaff('therapist', { signIn: false });
  const startedAt = nowIso();
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
  const at = time.clock.now();
  await tableClient().send(new PutCommand({ TableName: tableName(), Item: { ...keys.checkIn(clientId, uuidV7(at)), clientId, recordedAt: at.toISOString() } }));
  return at.toISOString();
}

/** The lifecycle's sent notification records of the client: key -> sentAt (virtual). */
async function sent(clientId: string): Promise<Map<string, string>> {
  const items = await clientItems(clientId);
  return new Map(
    [...items.values()].filter((item) => String(item.SK).startsWith(keys.lifecycleNotificationPrefix()) && item.state === 'sent').map((item) => [String(item.key), String(item.sentAt)]),
  );
}

/** Subject and virtual send time of every email to `to`, oldest first. */
async function inbox(to: string): Promise<[string, string][]> {
  return (await time.emailsTo(to)).map((email) => [email.subject, email.sentAt]);
}

/** When the execution's current Wait falls due (it is waiting on the clock). */
function nextWakeOf(execution: LocalExecution): string {
  const pending = time.clock.pending().find((wait) => wait.execution === execution.record.name);
  if (!pending) throw new Error(`${execution.record.name} is not waiting: ${statesEntered(execution.record).join(' > ')}`);
  return pending.due;
}

describe('care lifecycle workflow (controlled clock, exact virtual times)', () => {
  it('ends at once for a client who is gone (e.g. a compensated signup)', async () => {
    await ready();
    const record = await start({ clientId: randomUUID(), generation: 1, wakeUps: 0 }).done;
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record)).toEqual(['ReviewClient', 'AnythingDue', 'NothingDue', 'CheckCareStatus', 'EndCareLifecycle']);
  });

  it('awaiting consultation: a reminder to book at exactly 2 days and 7 days, then none', async () => {
    await ready();
    const client = await newClient('awaiting_consultation');
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    const report = await time.advance({ days: 12 });
    const records = await sent(client.id);
    expect(Object.fromEntries(records)).toEqual({
      'lifecycle#booking-reminder#1': plus(client.createdAt, 2),
      'lifecycle#booking-reminder#2': plus(client.createdAt, 7),
    });
    // Each email is dated at its own virtual instant, in order.
    expect(await inbox(client.email)).toEqual([
      [BOOKING_REMINDER_SUBJECTS[0], plus(client.createdAt, 2)],
      [BOOKING_REMINDER_SUBJECTS[1], plus(client.createdAt, 7)],
    ]);
    expect((await time.emailsTo(client.email))[0]?.body.text).toContain('/consultation');
    // Reviewed daily (the longest sleep), and on the reminder instants, up to the end of the jump.
    const wakeUps = report.woken.filter((wake) => wake.execution === execution.record.name).map((wake) => wake.at);
    expect(wakeUps).toEqual(Array.from({ length: 12 }, (_, day) => plus(client.createdAt, day + 1)));
    expect(execution.record.status).toBe('RUNNING');
    execution.stop();
  });

  it('on match: introductions to client and therapist and the baseline request at the first hourly review after the accept, once', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    // Awaiting a match, it reviews hourly.
    await time.advance({ hours: 2, minutes: 30 });
    expect(nextWakeOf(execution)).toBe(plus(client.createdAt, 0, 3));
    const { therapist } = await match(client.id, ['trauma_ptsd']);
    await time.advance({ days: 3 });
    const introducedAt = plus(client.createdAt, 0, 3);
    expect((await inbox(client.email)).sort()).toEqual(
      [
        [BASELINE_REQUEST_SUBJECT, introducedAt],
        [CLIENT_INTRODUCTION_SUBJECT, introducedAt],
      ].sort(),
    );
    expect(await inbox(therapist.email)).toEqual([[THERAPIST_INTRODUCTION_SUBJECT, introducedAt]]);
    const toClient = await time.emailsTo(client.email);
    const toTherapist = await time.emailsTo(therapist.email);
    // Minimum necessary: the therapist's email says nothing about the client.
    expect(`${toTherapist[0]?.subject}${toTherapist[0]?.body.text}${toTherapist[0]?.body.html}`).not.toMatch(/Wren|Halloway|trauma|PCL|ptsd/i);
    expect(`${toClient[0]?.body.text}`).not.toMatch(/trauma|PCL|ptsd/i);
    execution.stop();
  });

  it('an accept wakes the lifecycle: the introductions go out at the accept\'s instant, not at the daily review; the sleeping generation ends at its wake-up', async () => {
    await ready();
    const client = await newClient('awaiting_consultation');
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    const records = createCareLifecycleRepository({ documentClient: tableClient(), tableName: tableName() });
    expect(await records.recordExecution(client.id, 1, execution.record.executionArn)).toBe('recorded');
    await time.advance({ hours: 2, minutes: 30 });
    // Awaiting a consultation it sleeps a day: the next review would be at +1 day.
    const dailyWake = nextWakeOf(execution);
    expect(dailyWake).toBe(plus(client.createdAt, 1));
    const { therapist } = await match(client.id, ['depression']);
    const acceptedAt = nowIso();
    const woken = await careLifecycleWaker({
      clients: createClientRepository({ documentClient: tableClient(), tableName: tableName() }),
      records,
      careLifecycle: createWorkflowStarter({ client: sfn(), stateMachineArn: process.env.CARE_LIFECYCLE_STATE_MACHINE_ARN as string }),
    }).wake(client.id);
    expect(woken?.generation).toBe(2);
    await time.advance({ days: 2 });
    // Sent at the accept's exact virtual instant, once each.
    expect((await inbox(client.email)).sort()).toEqual(
      [
        [BASELINE_REQUEST_SUBJECT, acceptedAt],
        [CLIENT_INTRODUCTION_SUBJECT, acceptedAt],
      ].sort(),
    );
    expect(await inbox(therapist.email)).toEqual([[THERAPIST_INTRODUCTION_SUBJECT, acceptedAt]]);
    // Generation 1 woke at its daily review, saw generation 2 recorded, and ended there.
    const record = await execution.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.stopDate?.toISOString()).toBe(dailyWake);
    expect(statesEntered(record).slice(-5)).toEqual(['ReviewClient', 'AnythingDue', 'NothingDue', 'CheckCareStatus', 'EndCareLifecycle']);
    // Generation 2 is the one running, recorded on the profile, started at the accept.
    const described = await sfn().send(new DescribeExecutionCommand({ executionArn: woken!.executionArn }));
    expect(described.status).toBe('RUNNING');
    expect(described.startDate?.toISOString()).toBe(acceptedAt);
    expect((await clientItems(client.id)).get('PROFILE')).toMatchObject({ careLifecycleGeneration: 2, careLifecycleExecutionArn: woken!.executionArn });
    await sfn().send(new StopExecutionCommand({ executionArn: woken!.executionArn }));
  });

  it('in care: measure reminders at exactly 2 and 4 weeks; 3 weeks without an assessment or check-in -> outreach and a flag for the therapist at exactly day 21, once', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const { therapist, startedAt } = await match(client.id, ['depression']);
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    await time.advance({ days: 31 });
    const records = await sent(client.id);
    expect(records.get(`lifecycle#measures#${therapist.id}#${startedAt}#1`)).toBe(plus(startedAt, 14));
    expect(records.get(`lifecycle#measures#${therapist.id}#${startedAt}#2`)).toBe(plus(startedAt, 28));
    expect(records.get(`lifecycle#outreach#${therapist.id}#${startedAt}#${startedAt}`)).toBe(plus(startedAt, 21));
    const toClient = await inbox(client.email);
    expect(toClient.filter(([subject]) => subject === MEASURE_REMINDER_SUBJECT)).toEqual([
      [MEASURE_REMINDER_SUBJECT, plus(startedAt, 14)],
      [MEASURE_REMINDER_SUBJECT, plus(startedAt, 28)],
    ]);
    expect(toClient.filter(([subject]) => subject === OUTREACH_SUBJECT)).toEqual([[OUTREACH_SUBJECT, plus(startedAt, 21)]]);
    expect(await inbox(therapist.email)).toEqual([
      [THERAPIST_INTRODUCTION_SUBJECT, startedAt],
      [DISENGAGEMENT_FLAG_SUBJECT, plus(startedAt, 21)],
    ]);
    const flags = [...(await clientItems(client.id)).values()].filter((item) => String(item.SK).startsWith(keys.lifecycleFlagPrefix()));
    expect(flags).toMatchObject([{ kind: 'disengaged', since: startedAt, therapistId: therapist.id }]);
    execution.stop();
  });

  it('activity resets the disengagement clock: a check-in at day 10 -> outreach at exactly day 31, not 21', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const { therapist, startedAt } = await match(client.id);
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    await time.advance({ days: 10 });
    const checkedInAt = await checkIn(client.id);
    expect(checkedInAt).toBe(plus(startedAt, 10));
    await time.advance({ days: 15 });
    expect([...(await sent(client.id)).keys()].filter((key) => key.includes('#outreach#'))).toEqual([]);
    await time.advance({ days: 7 });
    const outreach = [...(await sent(client.id)).entries()].filter(([key]) => key.includes('#outreach#'));
    expect(outreach).toEqual([[`lifecycle#outreach#${therapist.id}#${startedAt}#${checkedInAt}`, plus(checkedInAt, 21)]]);
    execution.stop();
  });

  it('a discharge mid-wait ends the lifecycle at its next wake-up, exactly', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const { therapist } = await match(client.id);
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    await time.advance({ hours: 5 });
    expect((await sent(client.id)).size).toBe(3);
    const documentClient = tableClient();
    await dischargeClient(
      { caller: { userId: therapist.id, role: 'therapist' }, clientId: client.id, request: { reason: 'goals_met' } },
      {
        careTeam: createCareTeamRepository({ documentClient, tableName: tableName() }),
        auditLog: createAuditLog({ documentClient, tableName: tableName() }),
        records: createCareLifecycleRepository({ documentClient, tableName: tableName() }),
        staff: createStaffRepository(documentClient, tableName()),
        settings,
        now: () => time.clock.now(),
      },
    );
    const wake = nextWakeOf(execution);
    await time.advance({ days: 1 });
    const record = await execution.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.stopDate?.toISOString()).toBe(wake);
    expect(statesEntered(record).slice(-5)).toEqual(['ReviewClient', 'AnythingDue', 'NothingDue', 'CheckCareStatus', 'EndCareLifecycle']);
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({ review: { end: true } });
    const profile = (await clientItems(client.id)).get('PROFILE');
    expect(profile).toMatchObject({ stage: 'discharged' });
    expect(profile?.GSI1PK).toBeUndefined();
  });

  it('a referral to a higher level of care closes care at the next wake-up: stage referred, therapist relationship ended, future sessions cancelled, lifecycle ended', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const { therapist } = await match(client.id);
    // A session booked with the therapist for a week ahead (its cells held).
    const sessions = createSessionRepository({ documentClient: tableClient(), tableName: tableName() });
    const sessionId = randomUUID();
    const sessionStart = plus(nowIso(), 7);
    const cell = sessionStart;
    const booked = await sessions.book(
      {
        sessionId,
        clientId: client.id,
        therapistId: therapist.id,
        therapist: { id: therapist.id, displayName: 'Synthetic Therapist, LPCC', credential: 'LPCC' },
        type: 'individual',
        start: sessionStart,
        end: new Date(Date.parse(sessionStart) + 50 * 60_000).toISOString(),
        status: 'booked',
        joinUrl: `https://video.example.com/rooms/${sessionId}`,
        therapistTimezone: 'America/Denver',
        clientTimezone: 'America/Denver',
        scheduleVersion: 1,
        scheduledAt: nowIso(),
        createdAt: nowIso(),
        updatedAt: nowIso(),
        bookedBy: 'therapist',
        lockCells: [cell],
      },
      time.clock.now(),
    );
    expect(booked).toBe('booked');
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 0 });
    await time.advance({ hours: 1 });
    const taskId = `risk-assessment-${randomUUID()}`;
    await tableClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.referral(client.id, taskId), entityType: 'referral', clientId: client.id, taskId, levelOfCare: 'inpatient', to: 'Synthetic Hospital', reason: 'Synthetic.', referredBy: therapist.id, referredAt: nowIso() },
      }),
    );
    const wake = nextWakeOf(execution);
    await time.advance({ days: 1 });
    const record = await execution.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.stopDate?.toISOString()).toBe(wake);
    expect(statesEntered(record).slice(-4)).toEqual(['AnythingDue', 'DoDueActions', 'CheckCareStatus', 'EndCareLifecycle']);
    const items = await clientItems(client.id);
    expect(items.get('PROFILE')).toMatchObject({ stage: 'referred' });
    expect(items.get(`REFERRAL#${taskId}`)?.appliedAt).toBe(wake);
    const relationship = [...items.values()].find((item) => String(item.SK).startsWith(`CARE#therapist#${therapist.id}`));
    expect(relationship).toMatchObject({ endReason: 'referred' });
    expect(await sessions.get(sessionId)).toMatchObject({ status: 'cancelled_care_ended', cancelledBy: 'system', cancelledAt: wake });
    expect(await tableClient().send(new GetCommand({ TableName: tableName(), Key: keys.slotLock(therapist.id, cell), ConsistentRead: true }))).not.toHaveProperty('Item');
    // Issue 9: the history never says "referral" (no stage, no action kinds, no referral id).
    expect(disallowedHistoryFields(record)).toEqual([]);
    expect(JSON.stringify([record.input, record.output, record.events])).not.toMatch(/referr|apply_referral|in_care|awaiting_match|risk-assessment/);
  });

  it('continues as new after 500 wake-ups: generation 2 with the carried state, recorded on the profile; this one ends', async () => {
    await ready();
    const client = await newClient('awaiting_match');
    const execution = start({ clientId: client.id, generation: 1, wakeUps: 497, totalWakeUps: 1_497 });
    await time.advance({ hours: 4 });
    const record = await execution.done;
    expect(record.status).toBe('SUCCEEDED');
    // Reviews at +0, +1 h, +2 h, +3 h (hourly while awaiting a match): the 500th wake-up continues.
    expect(statesEntered(record).filter((name) => name === 'ReviewClient')).toHaveLength(4);
    expect(record.stopDate?.toISOString()).toBe(plus(client.createdAt, 0, 3));
    expect(statesEntered(record).slice(-2)).toEqual(['ContinueAsNew', 'ContinuedAsNew']);
    const next = JSON.parse(record.output ?? '{}') as { continued: { executionArn: string; generation: number } };
    expect(next.continued).toMatchObject({ generation: 2, recorded: true });
    expect(next.continued.executionArn).toMatch(new RegExp(`:client-${client.id}-2$`));
    // Generation 2 runs on this file's Step Functions emulator, on the same clock.
    const described = await sfn().send(new DescribeExecutionCommand({ executionArn: next.continued.executionArn }));
    expect(described.status).toBe('RUNNING');
    expect(described.startDate?.toISOString()).toBe(plus(client.createdAt, 0, 3));
    expect(JSON.parse(described.input ?? '{}')).toEqual({ clientId: client.id, generation: 2, wakeUps: 0, sleptSeconds: 0, totalWakeUps: 1_500 });
    expect((await clientItems(client.id)).get('PROFILE')).toMatchObject({ careLifecycleGeneration: 2, careLifecycleExecutionArn: next.continued.executionArn });
    await sfn().send(new StopExecutionCommand({ executionArn: next.continued.executionArn }));
  });

  it('continues as new before a sleep would pass 300 days', async () => {
    await ready();
    const client = await newClient('awaiting_consultation');
    const execution = start({ clientId: client.id, generation: 3, wakeUps: 20, sleptSeconds: 300 * 86_400 - 86_400 - 3_600 });
    await time.advance({ days: 2 });
    const record = await execution.done;
    expect(statesEntered(record).slice(-2)).toEqual(['ContinueAsNew', 'ContinuedAsNew']);
    const output = JSON.parse(record.output ?? '{}') as { continued: { executionArn: string }; review: { wakeUps: number } };
    expect(output.review.wakeUps).toBe(21);
    await sfn().send(new StopExecutionCommand({ executionArn: output.continued.executionArn }));
  });
});
