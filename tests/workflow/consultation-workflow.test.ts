/**
 * The REAL workflows/consultation.asl.json, run in this process by the local runner with its
 * real task handlers against DynamoDB Local and an SES emulator, on the controlled clock
 * (tests/workflow/controlled-time.ts): time moves only when a test advances it, and every
 * assertion is an exact virtual instant (the confirmation at the booking, the day-before reminder
 * at exactly start - 24 h, the hour-before at exactly start - 1 h, an outcome check at the end
 * and every 15 minutes after it, the watch closed at its limit). Nothing sleeps and nothing
 * polls against wall-clock time.
 *
 * Consultations are booked, cancelled and moved through the real use cases at the clock's time,
 * and the runs they start (as StartExecution would: one per name) run here on the same clock.
 * The clinician's actions happen between two advances, at an instant the test chooses.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { consultationExecutionName, type ConsultationView, type ConsultationWorkflowInput } from '../../shared/domain/consultations.js';
import { formatWhen } from '../../shared/notifications/consultation-emails.js';
import { icsDateTime } from '../../shared/notifications/consultation-ics.js';
import { bookConsultation } from '../../shared/use-cases/consultations/book-consultation.js';
import { cancelConsultation, rescheduleConsultation } from '../../shared/use-cases/consultations/change-consultation.js';
import { recordOutcome } from '../../shared/use-cases/consultations/record-outcome.js';
import type { JsonValue, WorkflowStarter } from '../../shared/use-cases/ports.js';
import type { Json } from '../../local/step-functions/definition.js';
import { statesEntered, type ExecutionRecord, type LocalExecution, type LocalWorkflow, type RunOptions } from '../../local/step-functions/runner.js';
import { createClient, createConsultationClinician, gridStart, RecordingStarter, repositories, useCaseDeps, type TestClient, type TestClinician } from '../integration/consultations/support.js';
import type { AdvanceReport } from '../../local/clock/virtual-clock.js';
import { HOUR_MS, useControlledTime, type SentEmail } from './controlled-time.js';
import { disallowedHistoryFields, tableClient, tableName } from './support.js';

// 288 outcome checks in one test: their INFO lines would drown the report.
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
const time = useControlledTime();
const MINUTE_MS = 60_000;
/** DEFAULT_CONSULTATION_SETTINGS: the outcome is checked every 15 minutes for up to 72 hours. */
const OUTCOME_CHECK_MS = 15 * MINUTE_MS;
const OUTCOME_CHECKS = (72 * 60) / 15;

let workflow: LocalWorkflow;

beforeAll(async () => {
  workflow = await time.workflow('consultation');
});

// Every test runs its consultations' runs to their end: none is left asleep for the next one to wake.
afterEach(() => {
  expect(time.clock.pending()).toEqual([]);
});

/** Starts runs on this file's workflow, on the controlled clock (as StartExecution would: one run per name). */
class LocalStarter implements WorkflowStarter {
  readonly runs = new Map<string, LocalExecution>();
  constructor(private readonly options: (name: string) => RunOptions = () => ({})) {}

  async start({ name, input }: { name: string; input: { [key: string]: JsonValue } }) {
    const existing = this.runs.get(name);
    const run = existing ?? time.started(workflow.start(input as Json, { name, ...this.options(name) }));
    this.runs.set(name, run);
    return { executionArn: run.record.executionArn, alreadyStarted: existing !== undefined };
  }

  run(name: string): LocalExecution {
    const run = this.runs.get(name);
    if (!run) throw new Error(`No run ${name}; started: ${[...this.runs.keys()].join(', ')}`);
    return run;
  }
}

/** Virtual time: now, and an instant `ms` after `from`, as ISO (the form of `sentAt` and the records). */
const nowMs = () => time.clock.now().getTime();
const nowIso = () => time.clock.now().toISOString();
const plus = (from: string, ms: number) => new Date(Date.parse(from) + ms).toISOString();
/** A Wait state's timestamp as ReadSchedule writes it (whole seconds, no milliseconds). */
const waitTimestamp = (iso: string) => iso.replace('.000Z', 'Z');

interface Booking {
  clinician: TestClinician;
  client: TestClient;
  consultation: ConsultationView;
  /** The virtual instant of the booking. */
  bookedAt: string;
  /** The runs the use cases start for this consultation (the booking's own v1 run first). */
  starter: LocalStarter;
}

/**
 * Books through the real use case at the clock's time (or `hoursAgo` before it), for the first
 * start on the grid `hoursAhead` after the booking. The booking starts its v1 run on `workflow`
 * (default: a LocalStarter on this file's clock).
 */
async function booking(hoursAhead: number, options: { hoursAgo?: number; runOptions?: RunOptions; workflow?: WorkflowStarter } = {}): Promise<Booking> {
  const clinician = await createConsultationClinician();
  const client = await createClient();
  const bookedAt = new Date(nowMs() - (options.hoursAgo ?? 0) * HOUR_MS);
  const starter = new LocalStarter(() => options.runOptions ?? {});
  const consultation = await bookConsultation(
    { clientId: client.clientId, start: gridStart(hoursAhead, bookedAt.getTime()), clinicianId: clinician.clinicianId },
    useCaseDeps({ now: () => bookedAt, workflow: options.workflow ?? starter }),
  );
  return { clinician, client, consultation, bookedAt: bookedAt.toISOString(), starter };
}

const runName = (b: Booking, phase: ConsultationWorkflowInput['phase'] = 'schedule', scheduleVersion = 1) =>
  consultationExecutionName({ consultationId: b.consultation.id, scheduleVersion, phase });

/** The use cases at the clock's time, starting runs with the booking's starter. */
const depsNow = (b: Booking) => useCaseDeps({ now: () => time.clock.now(), workflow: b.starter });
const asClient = (b: Booking) => ({ userId: b.client.clientId, role: 'client' as const, groups: ['client'] });
const asClinician = (b: Booking) => ({ userId: b.clinician.clinicianId, role: 'coordinator' as const, groups: ['coordinator'] });

/** The clinician records the outcome now (virtual). */
async function recordNow(b: Booking, outcome: 'completed' | 'no_show'): Promise<void> {
  await recordOutcome({ consultationId: b.consultation.id, outcome, caller: asClinician(b) }, depsNow(b));
}

function output(record: ExecutionRecord): Record<string, unknown> {
  return JSON.parse(record.output ?? '{}') as Record<string, unknown>;
}

/** Subject and virtual send time of every email to `to`, oldest first. */
async function inbox(to: string): Promise<[string, string][]> {
  return (await time.emailsTo(to)).map((email) => [email.subject, email.sentAt]);
}

const calendar = (email: SentEmail | undefined) =>
  Buffer.from(email?.attachments.find((a) => a.contentType.startsWith('text/calendar'))?.content ?? '', 'base64').toString('utf8');

/** The consultation's sent-notification records: key -> sentAt (the task's virtual now, to the millisecond). */
async function notifications(consultationId: string): Promise<Record<string, string>> {
  const { Items = [] } = await tableClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :notification)',
      ExpressionAttributeValues: { ':pk': keys.consultation(consultationId).PK, ':notification': 'NOTIFICATION#' },
      ConsistentRead: true,
    }),
  );
  return Object.fromEntries(Items.map((item) => [String(item.key), String(item.sentAt)]));
}

/** The run's pending Wait (state and due instant), or undefined when it is not waiting on the clock. */
function waitOf(run: LocalExecution): { state: string; due: string } | undefined {
  const pending = time.clock.pending().find((wait) => wait.execution === run.record.name);
  return pending && { state: pending.state, due: pending.due };
}

/** The Wait states of `run` that an advance woke, with their instants. */
const wokenOf = (report: AdvanceReport, run: LocalExecution) =>
  report.woken.filter((wake) => wake.execution === run.record.name).map((wake) => [wake.state, wake.at]);

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
  'WaitUntilEnd',
  'StartOutcomeWatch',
  'CheckOutcome',
  'RouteOutcome',
];

describe('consultation workflow (controlled clock, exact virtual times)', () => {
  it('confirms at the booking, reminds at exactly start - 24 h and start - 1 h, and hands a consultation completed during the call over to matching at its end', async () => {
    const b = await booking(72);
    const run = b.starter.run(runName(b));
    const start = b.consultation.start;
    const dayBefore = plus(start, -24 * HOUR_MS);
    const hourBefore = plus(start, -HOUR_MS);
    await time.clock.settled();
    // Confirmed at once, then asleep until exactly a day before.
    expect(run.record.startDate.toISOString()).toBe(b.bookedAt);
    expect(waitOf(run)).toEqual({ state: 'WaitUntilDayBefore', due: dayBefore });
    const when = formatWhen(new Date(start), b.client.timezone);
    expect(await inbox(b.client.email)).toEqual([[`Your free consultation is booked: ${when}`, b.bookedAt]]);
    expect(await inbox(b.clinician.email)).toEqual([[`New consultation: Avery T., ${formatWhen(new Date(start), b.clinician.timezone)}`, b.bookedAt]]);

    // A second short of the reminder: nothing yet.
    await time.advance({ until: plus(dayBefore, -1_000) });
    expect(waitOf(run)).toEqual({ state: 'WaitUntilDayBefore', due: dayBefore });
    expect(await inbox(b.client.email)).toHaveLength(1);
    // Into the call: both reminders, each at its own instant; then asleep until the end.
    const report = await time.advance({ until: plus(start, 5 * MINUTE_MS) });
    expect(wokenOf(report, run)).toEqual([
      ['WaitUntilDayBefore', dayBefore],
      ['WaitUntilHourBefore', hourBefore],
    ]);
    expect(waitOf(run)).toEqual({ state: 'WaitUntilEnd', due: b.consultation.end });
    const toClient = await time.emailsTo(b.client.email);
    expect(toClient.map((email) => [email.subject, email.sentAt])).toEqual([
      [`Your free consultation is booked: ${when}`, b.bookedAt],
      [`Reminder: your free consultation is tomorrow (${when})`, dayBefore],
      [`Reminder: your free consultation is in one hour (${when})`, hourBefore],
    ]);
    expect(calendar(toClient[0])).toContain(`UID:${b.consultation.id}`);
    expect(toClient[1]?.body.text).toContain(b.consultation.joinUrl);
    expect(await notifications(b.consultation.id)).toEqual({
      'confirmation-v1-client': b.bookedAt,
      'confirmation-v1-clinician': b.bookedAt,
      'reminder-24h-v1': dayBefore,
      'reminder-1h-v1': hourBefore,
    });

    // The clinician records it during the call: the first check, at exactly the end, sees it.
    await recordNow(b, 'completed');
    const end = await time.advance({ until: b.consultation.end });
    expect(wokenOf(end, run)).toEqual([['WaitUntilEnd', b.consultation.end]]);
    const record = await run.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.stopDate?.toISOString()).toBe(b.consultation.end);
    expect(statesEntered(record)).toEqual([...REMINDER_PATH, 'HandedOverToMatching']);
    // Issue 9: ids, flags and Wait instants only in the history.
    expect(disallowedHistoryFields(record)).toEqual([]);
    expect(output(record).schedule).toEqual({
      current: true,
      start: waitTimestamp(start),
      remindDayBefore: true,
      dayBeforeAt: waitTimestamp(dayBefore),
      remindHourBefore: true,
      hourBeforeAt: waitTimestamp(hourBefore),
      endsAt: waitTimestamp(b.consultation.end),
      outcomeCheckSeconds: OUTCOME_CHECK_MS / 1000,
      maxOutcomeChecks: OUTCOME_CHECKS,
    });
    expect(output(record).outcome).toEqual({ state: 'completed', checks: 0 });
    expect(await inbox(b.client.email)).toHaveLength(3);
    expect(await inbox(b.clinician.email)).toHaveLength(1);
  });

  it('sends no reminder for a consultation cancelled while the run sleeps: the notice at the cancellation, the run ends at exactly its wake-up', async () => {
    const b = await booking(72);
    const run = b.starter.run(runName(b));
    const dayBefore = plus(b.consultation.start, -24 * HOUR_MS);
    await time.advance({ days: 1 });
    const cancelledAt = nowIso();
    await cancelConsultation({ consultationId: b.consultation.id, caller: asClient(b) }, depsNow(b));
    await time.clock.settled();
    // The run sleeps on: it learns of the cancellation when it wakes and re-reads.
    expect(run.record.status).toBe('RUNNING');
    expect(waitOf(run)).toEqual({ state: 'WaitUntilDayBefore', due: dayBefore });

    const report = await time.advance({ until: plus(b.consultation.end, OUTCOME_CHECK_MS) });
    expect(wokenOf(report, run)).toEqual([['WaitUntilDayBefore', dayBefore]]);
    const record = await run.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.stopDate?.toISOString()).toBe(dayBefore);
    expect(statesEntered(record).slice(-3)).toEqual(['SendDayBeforeReminder', 'IsCurrentAfterDayBeforeReminder', 'RunSuperseded']);
    expect(output(record).dayBeforeReminder).toEqual({ current: false, sent: 0 });
    const when = formatWhen(new Date(b.consultation.start), b.client.timezone);
    expect(await inbox(b.client.email)).toEqual([
      [`Your free consultation is booked: ${when}`, b.bookedAt],
      [`Cancelled: free consultation on ${when}`, cancelledAt],
    ]);
    expect(Object.keys(await notifications(b.consultation.id)).filter((key) => key.startsWith('reminder-'))).toEqual([]);
  });

  it('follows a reschedule: the old run ends unsent at its wake-up, the new run confirms at the move and reminds at exactly the new times only', async () => {
    const b = await booking(72);
    const first = b.starter.run(runName(b));
    const oldDayBefore = plus(b.consultation.start, -24 * HOUR_MS);
    await time.advance({ days: 1 });
    const movedAt = nowIso();
    const newStart = gridStart(96, nowMs());
    await rescheduleConsultation({ consultationId: b.consultation.id, start: newStart, caller: asClient(b) }, depsNow(b));
    const second = b.starter.run(runName(b, 'schedule', 2));
    await time.clock.settled();
    expect(second.record.startDate.toISOString()).toBe(movedAt);
    const newEnd = plus(newStart, 15 * MINUTE_MS);
    const newDayBefore = plus(newStart, -24 * HOUR_MS);
    const newHourBefore = plus(newStart, -HOUR_MS);
    expect(waitOf(first)).toEqual({ state: 'WaitUntilDayBefore', due: oldDayBefore });
    expect(waitOf(second)).toEqual({ state: 'WaitUntilDayBefore', due: newDayBefore });

    const report = await time.advance({ until: plus(newStart, 5 * MINUTE_MS) });
    expect(wokenOf(report, first)).toEqual([['WaitUntilDayBefore', oldDayBefore]]);
    expect(wokenOf(report, second)).toEqual([
      ['WaitUntilDayBefore', newDayBefore],
      ['WaitUntilHourBefore', newHourBefore],
    ]);
    const firstRecord = await first.done;
    expect(firstRecord.stopDate?.toISOString()).toBe(oldDayBefore);
    expect(statesEntered(firstRecord).slice(-3)).toEqual(['SendDayBeforeReminder', 'IsCurrentAfterDayBeforeReminder', 'RunSuperseded']);
    expect(output(firstRecord).dayBeforeReminder).toEqual({ current: false, sent: 0 });

    await recordNow(b, 'completed');
    await time.advance({ until: newEnd });
    const secondRecord = await second.done;
    expect(secondRecord.status).toBe('SUCCEEDED');
    expect(secondRecord.stopDate?.toISOString()).toBe(newEnd);
    expect(statesEntered(secondRecord)).toEqual([...REMINDER_PATH, 'HandedOverToMatching']);
    expect(output(secondRecord).schedule).toMatchObject({ dayBeforeAt: waitTimestamp(newDayBefore), hourBeforeAt: waitTimestamp(newHourBefore), endsAt: waitTimestamp(newEnd) });

    const toClient = await time.emailsTo(b.client.email);
    const oldWhen = formatWhen(new Date(b.consultation.start), b.client.timezone);
    const newWhen = formatWhen(new Date(newStart), b.client.timezone);
    expect(toClient.map((email) => [email.subject, email.sentAt])).toEqual([
      [`Your free consultation is booked: ${oldWhen}`, b.bookedAt],
      [`Your free consultation was moved to ${newWhen}`, movedAt],
      [`Reminder: your free consultation is tomorrow (${newWhen})`, newDayBefore],
      [`Reminder: your free consultation is in one hour (${newWhen})`, newHourBefore],
    ]);
    expect(calendar(toClient[1])).toMatch(new RegExp(`UID:${b.consultation.id}[\\s\\S]*SEQUENCE:2`));
    expect((await inbox(b.clinician.email)).map(([subject, sentAt]) => [subject.split(':')[0], sentAt])).toEqual([
      ['New consultation', b.bookedAt],
      ['Consultation moved', movedAt],
    ]);
  });

  it('after a no-show, offers the client one rebook by email at the check that sees it: checks at the end and every 15 minutes after, so one recorded at end + 20 min is followed up at exactly end + 30 min', async () => {
    const b = await booking(30);
    const run = b.starter.run(runName(b));
    const end = b.consultation.end;
    await time.advance({ until: plus(end, 20 * MINUTE_MS) });
    // Checked at the end and 15 minutes later: pending both times; the next check at +30 min.
    expect(waitOf(run)).toEqual({ state: 'WaitBeforeNextOutcomeCheck', due: plus(end, 2 * OUTCOME_CHECK_MS) });
    expect(statesEntered(run.record).filter((state) => state === 'CheckOutcome')).toHaveLength(2);
    expect(await inbox(b.client.email)).toHaveLength(3);

    await recordNow(b, 'no_show');
    const report = await time.advance({ hours: 1 });
    expect(wokenOf(report, run)).toEqual([['WaitBeforeNextOutcomeCheck', plus(end, 2 * OUTCOME_CHECK_MS)]]);
    const record = await run.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.stopDate?.toISOString()).toBe(plus(end, 2 * OUTCOME_CHECK_MS));
    expect(statesEntered(record)).toEqual([
      ...REMINDER_PATH,
      'WaitBeforeNextOutcomeCheck',
      'CheckOutcome',
      'RouteOutcome',
      'WaitBeforeNextOutcomeCheck',
      'CheckOutcome',
      'RouteOutcome',
      'SendRebookOffer',
      'NoShowFollowedUp',
    ]);
    expect(output(record).outcome).toEqual({ state: 'no_show', checks: 2 });
    expect(output(record).rebookOffer).toEqual({ sent: true });
    const offers = (await time.emailsTo(b.client.email)).filter((email) => email.subject === 'We missed you: book your free consultation again');
    expect(offers.map((email) => email.sentAt)).toEqual([plus(end, 2 * OUTCOME_CHECK_MS)]);
    expect(offers[0]?.body.text).toContain('book it once more');
    expect(await repositories().consultations.getFreeConsultation(b.client.clientId)).toMatchObject({ state: 'available', noShows: 1 });
  });

  it('skips the day-before reminder of a consultation booked less than a day ahead; the hour-before comes at exactly start - 1 h', async () => {
    const b = await booking(3);
    const run = b.starter.run(runName(b));
    const hourBefore = plus(b.consultation.start, -HOUR_MS);
    await time.clock.settled();
    expect(waitOf(run)).toEqual({ state: 'WaitUntilHourBefore', due: hourBefore });
    await time.advance({ until: plus(b.consultation.start, 5 * MINUTE_MS) });
    await recordNow(b, 'completed');
    await time.advance({ until: b.consultation.end });
    const record = await run.done;
    expect(record.stopDate?.toISOString()).toBe(b.consultation.end);
    expect(statesEntered(record)).toEqual(
      [...REMINDER_PATH, 'HandedOverToMatching'].filter((state) => !['WaitUntilDayBefore', 'SendDayBeforeReminder', 'IsCurrentAfterDayBeforeReminder'].includes(state)),
    );
    expect(output(record).schedule).toMatchObject({ remindDayBefore: false, remindHourBefore: true });
    expect(output(record).dayBeforeReminder).toBeUndefined();
    const when = formatWhen(new Date(b.consultation.start), b.client.timezone);
    expect(await inbox(b.client.email)).toEqual([
      [`Your free consultation is booked: ${when}`, b.bookedAt],
      [`Reminder: your free consultation is in one hour (${when})`, hourBefore],
    ]);
  });

  it('passes waits whose time is over at once (no virtual time passes), and sends no reminder after its time', async () => {
    // Booked three days ago for yesterday; its run only starts now (e.g. after an outage). The
    // booking's start request is held back, then made now.
    const recorded = new RecordingStarter();
    const b = await booking(48, { hoursAgo: 72, workflow: recorded });
    expect(recorded.started.map((start) => start.name)).toEqual([runName(b)]);
    expect(Date.parse(b.consultation.end)).toBeLessThan(nowMs());
    const startedAt = nowIso();
    let checks = 0;
    const late = new LocalStarter(() => ({
      taskInterceptors: {
        // The clinician records the outcome as the run first checks for it (an outcome recorded
        // before the run re-reads would make it end as superseded: the consultation is no longer booked).
        CheckOutcome: async (event, invoke) => {
          checks += 1;
          if (checks === 1) await recordNow(b, 'completed');
          return invoke(event);
        },
      },
    }));
    for (const start of recorded.started) await late.start(start);
    const record = await late.run(runName(b)).done;
    expect(checks).toBe(1);
    expect(record.status).toBe('SUCCEEDED');
    expect(record.startDate.toISOString()).toBe(startedAt);
    expect(record.stopDate?.toISOString()).toBe(startedAt);
    expect(nowIso()).toBe(startedAt);
    expect(statesEntered(record)).toEqual([...REMINDER_PATH, 'HandedOverToMatching']);
    expect(output(record).dayBeforeReminder).toEqual({ current: true, sent: 0, skipped: 'too_late' });
    expect(output(record).hourBeforeReminder).toEqual({ current: true, sent: 0, skipped: 'too_late' });
    expect(await inbox(b.client.email)).toEqual([[`Your free consultation is booked: ${formatWhen(new Date(b.consultation.start), b.client.timezone)}`, startedAt]]);
  });

  it(`stops waiting for an outcome after its limit (${OUTCOME_CHECKS} checks, the last at exactly end + 71 h 45 min); a no-show recorded at end + 72 h gets its own follow-up run`, async () => {
    const b = await booking(30);
    const run = b.starter.run(runName(b));
    const end = b.consultation.end;
    const lastCheck = plus(end, (OUTCOME_CHECKS - 1) * OUTCOME_CHECK_MS);
    // A second before the last check: still waiting, the watch open.
    const before = await time.advance({ until: plus(lastCheck, -1_000) });
    expect(run.record.status).toBe('RUNNING');
    expect(waitOf(run)).toEqual({ state: 'WaitBeforeNextOutcomeCheck', due: lastCheck });
    expect((await repositories().consultations.get(b.consultation.id))?.outcomeWatch).toBeUndefined();
    const after = await time.advance({ until: plus(end, 72 * HOUR_MS) });
    // Woken at the reminders, the end, then every 15 minutes: check n at end + (n - 1) x 15 min.
    expect([...wokenOf(before, run), ...wokenOf(after, run)]).toEqual([
      ['WaitUntilDayBefore', plus(b.consultation.start, -24 * HOUR_MS)],
      ['WaitUntilHourBefore', plus(b.consultation.start, -HOUR_MS)],
      ['WaitUntilEnd', end],
      ...Array.from({ length: OUTCOME_CHECKS - 1 }, (_, n) => ['WaitBeforeNextOutcomeCheck', plus(end, (n + 1) * OUTCOME_CHECK_MS)]),
    ]);
    const record = await run.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.stopDate?.toISOString()).toBe(lastCheck);
    expect(statesEntered(record).filter((state) => state === 'CheckOutcome')).toHaveLength(OUTCOME_CHECKS);
    expect(statesEntered(record).slice(-6)).toEqual(['CheckOutcome', 'RouteOutcome', 'WaitBeforeNextOutcomeCheck', 'CheckOutcome', 'RouteOutcome', 'OutcomeNotRecorded']);
    expect(output(record).outcome).toEqual({ state: 'overdue', checks: OUTCOME_CHECKS });
    expect((await repositories().consultations.get(b.consultation.id))?.outcomeWatch).toBe('closed');

    const recordedAt = nowIso();
    expect(recordedAt).toBe(plus(end, 72 * HOUR_MS));
    await recordNow(b, 'no_show');
    const followUp = await b.starter.run(runName(b, 'noShowFollowUp')).done;
    expect(followUp.status).toBe('SUCCEEDED');
    expect(followUp.startDate.toISOString()).toBe(recordedAt);
    expect(followUp.stopDate?.toISOString()).toBe(recordedAt);
    expect(statesEntered(followUp)).toEqual(['RouteByPhase', 'SendRebookOffer', 'NoShowFollowedUp']);
    expect((await inbox(b.client.email)).filter(([subject]) => subject.startsWith('We missed you'))).toEqual([['We missed you: book your free consultation again', recordedAt]]);
  });

  it('sends a cancellation with a calendar update to both at the instant it is cancelled; the schedule run ends at its next wake-up', async () => {
    const b = await booking(30);
    const run = b.starter.run(runName(b));
    await time.advance({ hours: 1 });
    const cancelledAt = nowIso();
    await cancelConsultation({ consultationId: b.consultation.id, caller: asClinician(b) }, depsNow(b));
    const notice = await b.starter.run(runName(b, 'cancelled')).done;
    expect(statesEntered(notice)).toEqual(['RouteByPhase', 'SendCancellation', 'CancellationSent']);
    expect(notice.stopDate?.toISOString()).toBe(cancelledAt);
    expect(output(notice).cancellation).toEqual({ sent: 2 });
    for (const to of [b.client.email, b.clinician.email]) {
      const cancellations = (await time.emailsTo(to)).filter((email) => email.subject.startsWith('Cancelled'));
      expect(cancellations.map((email) => email.sentAt)).toEqual([cancelledAt]);
      expect(calendar(cancellations[0])).toMatch(new RegExp(`METHOD:CANCEL[\\s\\S]*UID:${b.consultation.id}[\\s\\S]*SEQUENCE:2[\\s\\S]*STATUS:CANCELLED`));
      // Stamped with the virtual instant of the cancellation.
      expect(calendar(cancellations[0])).toContain(`DTSTAMP:${icsDateTime(new Date(cancelledAt))}`);
    }
    const dayBefore = plus(b.consultation.start, -24 * HOUR_MS);
    expect(waitOf(run)).toEqual({ state: 'WaitUntilDayBefore', due: dayBefore });
    await time.advance({ until: dayBefore });
    const record = await run.done;
    expect(record.stopDate?.toISOString()).toBe(dayBefore);
    expect(statesEntered(record).at(-1)).toBe('RunSuperseded');
  });

  it('sends each email once when a task is retried after it sent (lost response)', async () => {
    let attempts = 0;
    const b = await booking(30, {
      runOptions: {
        // Retry intervals keep real time (the clock's header): 1 ms instead of up to 2 s.
        retryIntervalOverrides: { SendConfirmation: 1 },
        taskInterceptors: {
          SendConfirmation: async (event, invoke) => {
            attempts += 1;
            const result = await invoke(event);
            if (attempts === 1) throw Object.assign(new Error('Rate exceeded (simulated)'), { name: 'Lambda.TooManyRequestsException' });
            return result;
          },
        },
      },
    });
    const run = b.starter.run(runName(b));
    await time.clock.settled();
    expect(attempts).toBe(2);
    expect(waitOf(run)).toEqual({ state: 'WaitUntilDayBefore', due: plus(b.consultation.start, -24 * HOUR_MS) });
    await time.advance({ until: plus(b.consultation.start, 5 * MINUTE_MS) });
    await recordNow(b, 'completed');
    await time.advance({ until: b.consultation.end });
    const record = await run.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record)).toEqual([...REMINDER_PATH, 'HandedOverToMatching']);
    expect(attempts).toBe(2);
    expect(output(record).confirmation).toEqual({ current: true, sent: 0 });
    // Both sent by the first attempt, at the booking; the retry (same instant) found them recorded.
    expect((await inbox(b.client.email)).filter(([subject]) => subject.includes('is booked'))).toEqual([[expect.stringContaining('is booked'), b.bookedAt]]);
    expect((await inbox(b.clinician.email)).filter(([subject]) => subject.includes('New consultation'))).toEqual([[expect.stringContaining('New consultation'), b.bookedAt]]);
    expect(await notifications(b.consultation.id)).toMatchObject({ 'confirmation-v1-client': b.bookedAt, 'confirmation-v1-clinician': b.bookedAt });
  });

  it('ends at once for a consultation that is gone or at another version', async () => {
    const startedAt = nowIso();
    const gone = await workflow.run({ consultationId: randomUUID(), scheduleVersion: 1, phase: 'schedule' });
    expect(statesEntered(gone)).toEqual(['RouteByPhase', 'ReadSchedule', 'IsScheduleCurrent', 'RunSuperseded']);
    expect(gone.stopDate?.toISOString()).toBe(startedAt);

    // A version the consultation is not at (it is at 1).
    const b = await booking(30, { workflow: new RecordingStarter() });
    const other = await workflow.run({ consultationId: b.consultation.id, scheduleVersion: 2, phase: 'schedule' });
    expect(statesEntered(other)).toEqual(['RouteByPhase', 'ReadSchedule', 'IsScheduleCurrent', 'RunSuperseded']);
    expect(other.stopDate?.toISOString()).toBe(startedAt);
    expect(await inbox(b.client.email)).toEqual([]);
  });
});
