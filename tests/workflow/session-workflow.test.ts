/**
 * The REAL workflows/session.asl.json with its real task handlers, against DynamoDB Local and
 * an SES emulator, on the controlled clock (tests/workflow/controlled-time.ts): sessions are
 * booked, moved and cancelled through the real use cases at the clock's time, the runs they
 * start run here, and every assertion is an exact virtual instant (the confirmation at the
 * booking, the reminders at exactly start - 24 h and start - 1 h, nothing after a cancel, the new
 * times only after a reschedule).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import type { SessionView } from '../../shared/domain/sessions/schemas.js';
import { sessionExecutionName, type SessionWorkflowInput } from '../../shared/domain/sessions/workflow.js';
import { formatWhen } from '../../shared/notifications/consultation-emails.js';
import { bookSessions, cancelSession, rescheduleSession } from '../../shared/use-cases/sessions/sessions.js';
import type { JsonValue, WorkflowStarter } from '../../shared/use-cases/ports.js';
import type { Json } from '../../local/step-functions/definition.js';
import { statesEntered, type ExecutionRecord, type LocalExecution, type LocalWorkflow } from '../../local/step-functions/runner.js';
import type { AdvanceReport } from '../../local/clock/virtual-clock.js';
import { createClient, type TestClient } from '../integration/consultations/support.js';
import { createTherapist, type TestTherapist } from '../integration/matching/support.js';
import { assignTherapist, eveningStart, sessionDeps } from '../integration/sessions/support.js';
import { HOUR_MS, useControlledTime, type SentEmail } from './controlled-time.js';
import { disallowedHistoryFields, tableClient, tableName } from './support.js';

const time = useControlledTime();
let workflow: LocalWorkflow;

beforeAll(async () => {
  workflow = await time.workflow('session');
});

afterEach(() => {
  expect(time.clock.pending()).toEqual([]);
});

/** Starts runs on this file's workflow, on the controlled clock (one run per name, as StartExecution). */
class LocalStarter implements WorkflowStarter {
  readonly runs = new Map<string, LocalExecution>();
  async start({ name, input }: { name: string; input: { [key: string]: JsonValue } }) {
    const existing = this.runs.get(name);
    const run = existing ?? time.started(workflow.start(input as Json, { name }));
    this.runs.set(name, run);
    return { executionArn: run.record.executionArn, alreadyStarted: existing !== undefined };
  }
  run(name: string): LocalExecution {
    const run = this.runs.get(name);
    if (!run) throw new Error(`No run ${name}; started: ${[...this.runs.keys()].join(', ')}`);
    return run;
  }
}

const nowMs = () => time.clock.now().getTime();
const nowIso = () => time.clock.now().toISOString();
const plus = (from: string, ms: number) => new Date(Date.parse(from) + ms).toISOString();

interface Booking {
  therapist: TestTherapist;
  client: TestClient;
  session: SessionView;
  bookedAt: string;
  starter: LocalStarter;
}

const asClient = (b: Booking) => ({ userId: b.client.clientId, role: 'client' as const });
const depsNow = (b: Booking) => sessionDeps({ now: () => time.clock.now(), workflow: b.starter });

/** Books one session through the real use case, at the clock's time, `daysAhead` days on at 18:00 Denver. */
async function booking(daysAhead: number): Promise<Booking> {
  const therapist = await createTherapist({ state: 'NM' });
  const client = await createClient({ state: 'NM', timezone: 'America/Denver', stage: 'in_care' });
  await assignTherapist(client.clientId, therapist.clinicianId, new Date(nowMs() - HOUR_MS).toISOString());
  const starter = new LocalStarter();
  const bookedAt = nowIso();
  const b = { therapist, client, bookedAt, starter } as Booking;
  const { sessions } = await bookSessions({ caller: asClient(b), clientId: client.clientId, request: { startsAt: eveningStart(daysAhead, '18:00', { from: nowMs() }) } }, depsNow(b));
  b.session = sessions[0]!;
  return b;
}

const runName = (b: Booking, phase: SessionWorkflowInput['phase'] = 'schedule', scheduleVersion = 1) => sessionExecutionName({ sessionId: b.session.id, scheduleVersion, phase });

function waitOf(run: LocalExecution): { state: string; due: string } | undefined {
  const pending = time.clock.pending().find((wait) => wait.execution === run.record.name);
  return pending && { state: pending.state, due: pending.due };
}

const wokenOf = (report: AdvanceReport, run: LocalExecution) => report.woken.filter((wake) => wake.execution === run.record.name).map((wake) => [wake.state, wake.at]);
const output = (record: ExecutionRecord) => JSON.parse(record.output ?? '{}') as Record<string, unknown>;
const inbox = async (to: string) => (await time.emailsTo(to)).map((email) => [email.subject, email.sentAt]);
const calendar = (email: SentEmail | undefined) =>
  Buffer.from(email?.attachments.find((a) => a.contentType.startsWith('text/calendar'))?.content ?? '', 'base64').toString('utf8');

/** The session's sent-notification records (pattern 63): key -> sentAt. */
async function notifications(sessionId: string): Promise<Record<string, string>> {
  const { Items = [] } = await tableClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :notification)',
      ExpressionAttributeValues: { ':pk': keys.sessionPartition(sessionId), ':notification': 'NOTIFICATION#' },
      ConsistentRead: true,
    }),
  );
  return Object.fromEntries(Items.map((item) => [String(item.key), String(item.sentAt)]));
}

const REMINDER_PATH = [
  'RouteByPhase',
  'ReadSchedule',
  'IsScheduleCurrent',
  'SendConfirmation',
  'IsCurrentAfterConfirmation',
  'IsDayBeforeReminderDue',
  'WaitUntilDayBefore',
  'SendDayBeforeReminder',
  'IsCurrentAfterDayBeforeReminder',
  'IsHourBeforeReminderDue',
  'WaitUntilHourBefore',
  'SendHourBeforeReminder',
  'IsCurrentAfterHourBeforeReminder',
  'RemindersDone',
];

describe('session workflow (controlled clock, exact virtual times)', () => {
  it('confirms at the booking with an invite (REQUEST, SEQUENCE 1) to client and therapist, and reminds the client at exactly start - 24 h and start - 1 h, once each', async () => {
    const b = await booking(3);
    const run = b.starter.run(runName(b));
    const start = b.session.start;
    const dayBefore = plus(start, -24 * HOUR_MS);
    const hourBefore = plus(start, -HOUR_MS);
    await time.clock.settled();
    expect(run.record.startDate.toISOString()).toBe(b.bookedAt);
    expect(waitOf(run)).toEqual({ state: 'WaitUntilDayBefore', due: dayBefore });
    const when = formatWhen(new Date(start), 'America/Denver');
    expect(await inbox(b.client.email)).toEqual([[`Your session is booked: ${when}`, b.bookedAt]]);
    expect(await inbox(b.therapist.email)).toEqual([[`New session: Avery T., ${when}`, b.bookedAt]]);

    await time.advance({ until: plus(dayBefore, -1_000) });
    expect(await inbox(b.client.email)).toHaveLength(1);
    const report = await time.advance({ until: plus(start, 5 * 60_000) });
    expect(wokenOf(report, run)).toEqual([
      ['WaitUntilDayBefore', dayBefore],
      ['WaitUntilHourBefore', hourBefore],
    ]);
    const record = await run.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.stopDate?.toISOString()).toBe(hourBefore);
    expect(statesEntered(record)).toEqual(REMINDER_PATH);
    expect(disallowedHistoryFields(record)).toEqual([]);

    const toClient = await time.emailsTo(b.client.email);
    expect(toClient.map((email) => [email.subject, email.sentAt])).toEqual([
      [`Your session is booked: ${when}`, b.bookedAt],
      [`Reminder: your session is tomorrow (${when})`, dayBefore],
      [`Reminder: your session is in one hour (${when})`, hourBefore],
    ]);
    const ics = calendar(toClient[0]);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toMatch(new RegExp(`UID:${b.session.id}[\\s\\S]*SEQUENCE:1`));
    expect(calendar(toClient[1])).toBe('');
    // Minimum necessary: the time, the join link, the app; nothing else about the client.
    expect(toClient[1]?.body.text).toContain(b.session.joinUrl ?? 'no join url');
    expect(await inbox(b.therapist.email)).toHaveLength(1);
    expect(await notifications(b.session.id)).toEqual({
      'confirmation-v1-client': b.bookedAt,
      'confirmation-v1-clinician': b.bookedAt,
      'reminder-24h-v1': dayBefore,
      'reminder-1h-v1': hourBefore,
    });
  });

  it('sends no reminder after a cancellation: the notice (METHOD:CANCEL, SEQUENCE 2) at the cancel, the run ends unsent at exactly its wake-up', async () => {
    const b = await booking(3);
    const run = b.starter.run(runName(b));
    const dayBefore = plus(b.session.start, -24 * HOUR_MS);
    await time.advance({ hours: 12 });
    const cancelledAt = nowIso();
    await cancelSession({ caller: asClient(b), sessionId: b.session.id, scope: 'one' }, depsNow(b));
    const notice = b.starter.run(runName(b, 'cancelled'));
    await time.clock.settled();
    const noticeRecord = await notice.done;
    expect(noticeRecord.status).toBe('SUCCEEDED');
    expect(statesEntered(noticeRecord)).toEqual(['RouteByPhase', 'SendCancellation', 'CancellationSent']);
    // The same cancellation again (a retry): the same answer, the notice run found by its name, not run twice.
    const again = await cancelSession({ caller: asClient(b), sessionId: b.session.id, scope: 'one' }, depsNow(b));
    expect(again.sessions.map((s) => s.status)).toEqual(['cancelled']);
    expect([...b.starter.runs.keys()]).toEqual([runName(b), runName(b, 'cancelled')]);
    expect(waitOf(run)).toEqual({ state: 'WaitUntilDayBefore', due: dayBefore });

    const report = await time.advance({ until: plus(b.session.start, HOUR_MS) });
    expect(wokenOf(report, run)).toEqual([['WaitUntilDayBefore', dayBefore]]);
    const record = await run.done;
    expect(record.stopDate?.toISOString()).toBe(dayBefore);
    expect(statesEntered(record).slice(-3)).toEqual(['SendDayBeforeReminder', 'IsCurrentAfterDayBeforeReminder', 'RunSuperseded']);
    expect(output(record).dayBeforeReminder).toEqual({ current: false, sent: 0 });
    const when = formatWhen(new Date(b.session.start), 'America/Denver');
    const toClient = await time.emailsTo(b.client.email);
    expect(toClient.map((email) => [email.subject, email.sentAt])).toEqual([
      [`Your session is booked: ${when}`, b.bookedAt],
      [`Cancelled: session on ${when}`, cancelledAt],
    ]);
    expect(calendar(toClient[1])).toMatch(new RegExp(`METHOD:CANCEL[\\s\\S]*UID:${b.session.id}[\\s\\S]*SEQUENCE:2[\\s\\S]*STATUS:CANCELLED`));
    expect(await inbox(b.therapist.email)).toEqual([
      [`New session: Avery T., ${when}`, b.bookedAt],
      [`Session cancelled: Avery T., ${when}`, cancelledAt],
    ]);
    expect(Object.keys(await notifications(b.session.id)).filter((key) => key.startsWith('reminder-'))).toEqual([]);
  });

  it('follows a reschedule: the old run ends unsent at its wake-up, the new run confirms (REQUEST, SEQUENCE 2) at the move and reminds at exactly the new times only', async () => {
    const b = await booking(3);
    const first = b.starter.run(runName(b));
    const oldDayBefore = plus(b.session.start, -24 * HOUR_MS);
    await time.advance({ hours: 6 });
    const movedAt = nowIso();
    const newStart = eveningStart(1, '19:00', { from: Date.parse(b.session.start) });
    await rescheduleSession({ caller: asClient(b), sessionId: b.session.id, startsAt: newStart }, depsNow(b));
    const second = b.starter.run(runName(b, 'schedule', 2));
    await time.clock.settled();
    const newDayBefore = plus(newStart, -24 * HOUR_MS);
    const newHourBefore = plus(newStart, -HOUR_MS);
    expect(second.record.startDate.toISOString()).toBe(movedAt);
    expect(waitOf(first)).toEqual({ state: 'WaitUntilDayBefore', due: oldDayBefore });
    expect(waitOf(second)).toEqual({ state: 'WaitUntilDayBefore', due: newDayBefore });

    const report = await time.advance({ until: plus(newStart, HOUR_MS) });
    expect(wokenOf(report, first)).toEqual([['WaitUntilDayBefore', oldDayBefore]]);
    expect(wokenOf(report, second)).toEqual([
      ['WaitUntilDayBefore', newDayBefore],
      ['WaitUntilHourBefore', newHourBefore],
    ]);
    const firstRecord = await first.done;
    expect(firstRecord.stopDate?.toISOString()).toBe(oldDayBefore);
    expect(output(firstRecord).dayBeforeReminder).toEqual({ current: false, sent: 0 });
    const secondRecord = await second.done;
    expect(secondRecord.stopDate?.toISOString()).toBe(newHourBefore);
    expect(statesEntered(secondRecord)).toEqual(REMINDER_PATH);

    const oldWhen = formatWhen(new Date(b.session.start), 'America/Denver');
    const newWhen = formatWhen(new Date(newStart), 'America/Denver');
    const toClient = await time.emailsTo(b.client.email);
    expect(toClient.map((email) => [email.subject, email.sentAt])).toEqual([
      [`Your session is booked: ${oldWhen}`, b.bookedAt],
      [`Your session was moved to ${newWhen}`, movedAt],
      [`Reminder: your session is tomorrow (${newWhen})`, newDayBefore],
      [`Reminder: your session is in one hour (${newWhen})`, newHourBefore],
    ]);
    expect(calendar(toClient[1])).toMatch(new RegExp(`METHOD:REQUEST[\\s\\S]*UID:${b.session.id}[\\s\\S]*SEQUENCE:2`));
    expect(Object.keys(await notifications(b.session.id)).sort()).toEqual(['confirmation-v1-client', 'confirmation-v1-clinician', 'confirmation-v2-client', 'confirmation-v2-clinician', 'reminder-1h-v2', 'reminder-24h-v2']);
  });

  it('confirms a weekly series of 3 ONCE per person at the booking (every date, one .ics with a VEVENT per session), and reminds per session at exactly start - 24 h and start - 1 h', async () => {
    const therapist = await createTherapist({ state: 'NM' });
    const client = await createClient({ state: 'NM', timezone: 'America/Denver', stage: 'in_care' });
    await assignTherapist(client.clientId, therapist.clinicianId, new Date(nowMs() - HOUR_MS).toISOString());
    const starter = new LocalStarter();
    const bookedAt = nowIso();
    const deps = sessionDeps({ now: () => time.clock.now(), workflow: starter });
    const { sessions } = await bookSessions(
      { caller: { userId: client.clientId, role: 'client' }, clientId: client.clientId, request: { startsAt: eveningStart(3, '18:00', { from: nowMs() }), repeat: { every: 'week', count: 3 } } },
      deps,
    );
    expect(sessions).toHaveLength(3);
    const runs = sessions.map((s) => starter.run(sessionExecutionName({ sessionId: s.id, scheduleVersion: 1, phase: 'schedule' })));
    await time.clock.settled();
    const whens = sessions.map((s) => formatWhen(new Date(s.start), 'America/Denver'));
    expect(await inbox(client.email)).toEqual([[`Your 3 sessions are booked, from ${whens[0]}`, bookedAt]]);
    expect(await inbox(therapist.email)).toEqual([[`New series of 3 sessions: Avery T., from ${whens[0]}`, bookedAt]]);
    const [confirmation] = await time.emailsTo(client.email);
    for (const when of whens) expect(confirmation?.body.text).toContain(when);
    const ics = calendar(confirmation);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect([...ics.matchAll(/^UID:(.*)\r$/gm)].map((m) => m[1])).toEqual(sessions.map((s) => s.id));

    const last = sessions[2]!.start;
    const report = await time.advance({ until: plus(last, 5 * 60_000) });
    const reminders = sessions.flatMap((s, i) => [
      [`Reminder: your session is tomorrow (${whens[i]})`, plus(s.start, -24 * HOUR_MS)],
      [`Reminder: your session is in one hour (${whens[i]})`, plus(s.start, -HOUR_MS)],
    ]);
    expect(await inbox(client.email)).toEqual([[`Your 3 sessions are booked, from ${whens[0]}`, bookedAt], ...reminders]);
    expect(await inbox(therapist.email)).toHaveLength(1);
    for (const [i, run] of runs.entries()) {
      expect(wokenOf(report, run)).toEqual([
        ['WaitUntilDayBefore', plus(sessions[i]!.start, -24 * HOUR_MS)],
        ['WaitUntilHourBefore', plus(sessions[i]!.start, -HOUR_MS)],
      ]);
      const record = await run.done;
      expect(statesEntered(record)).toEqual(REMINDER_PATH);
      expect(output(record).confirmation).toEqual(i === 0 ? { current: true, sent: 2 } : { current: true, sent: 0, skipped: 'in_series_confirmation' });
    }
    expect(Object.keys(await notifications(sessions[0]!.id)).sort()).toEqual(['reminder-1h-v1', 'reminder-24h-v1', 'series-confirmation-v1-client', 'series-confirmation-v1-clinician']);
    expect(Object.keys(await notifications(sessions[1]!.id)).sort()).toEqual(['reminder-1h-v1', 'reminder-24h-v1']);
  });
});
