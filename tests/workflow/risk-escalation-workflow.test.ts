/**
 * The REAL workflows/risk-escalation.asl.json, its real task handlers, DynamoDB Local and an SES
 * emulator, on the controlled clock (tests/workflow/controlled-time.ts): time moves only when a
 * test advances it, and every assertion about when something happens is an exact virtual instant
 * (the alert at the flag's instant, the supervisor escalation at exactly the level's deadline,
 * the next rounds exactly one re-escalation interval apart, unresolved after the last round).
 * Nothing sleeps and nothing polls against wall-clock time: an advance returns once every
 * execution waits again or has ended, task retries included (their intervals are real
 * milliseconds, `FAST_RETRIES`).
 *
 * Emails are told apart by the task id in their link; supervisors are whoever the stack has
 * (the seeded one), read the way the workflow reads them. Executions are stopped by the test
 * that starts them, so no Wait of one test falls due in another's advance.
 */
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { statesEntered, type LocalExecution, type LocalWorkflow, type RunOptions } from '../../local/step-functions/runner.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { DEFAULT_RISK_ESCALATION_SETTINGS, readRiskEscalationSettings } from '../../shared/config/risk-escalation.js';
import type { RiskLevel } from '../../shared/domain/instruments/risk-flags.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../../shared/domain/legal-documents.js';
import { chooseResponsible, riskTaskIdFor, type RiskSourceRef } from '../../shared/domain/risk-tasks.js';
import { RISK_ALERT_SUBJECT, RISK_ESCALATION_SUBJECT } from '../../shared/notifications/risk-emails.js';
import { acknowledgeRiskTask } from '../../shared/use-cases/risk/risk-task-routes.js';
import type { RiskEscalationInput } from '../../shared/use-cases/risk/workflow-tasks.js';
import { CLIENT_FIRST_NAME, CLIENT_LAST_NAME, db, emailsAbout, recipients, repositories, tag } from '../integration/risk/support.js';
import { HOUR_MS, useControlledTime, type SentEmail } from './controlled-time.js';
import { disallowedHistoryFields, tableName, transientLambdaError } from './support.js';

const time = useControlledTime();

/** The documented defaults (shared/config/risk-escalation.ts), which the exact instants below assume. */
const DEADLINE_HOURS: Readonly<Record<RiskLevel, number>> = { high: 1, moderate: 4, low: 24 };
const RE_ESCALATION_HOURS = 1;
const ROUNDS = 3;

/** Retries at once (the definition's intervals are seconds of real time). */
const FAST_RETRIES: RunOptions['retryIntervalOverrides'] = {
  AlertResponsibleClinician: 5,
  EscalateToSupervisors: 5,
  CheckAcknowledged: 5,
  OpenRiskTask: 5,
  ResolveResponsibleClinician: 5,
  MarkUnresolved: 5,
};

let instance: LocalWorkflow | undefined;

/** The workflow on this file's clock (and the emulators up: SES then points at this file's). */
async function ready(): Promise<void> {
  instance ??= await time.workflow('riskEscalation');
}

/** Starts an execution; stopped after the file if still running. */
function start(input: Flagged['input'], options: RunOptions = {}): LocalExecution {
  if (!instance) throw new Error('await ready() first');
  return time.started(instance.start(input, options));
}

/** Lets every execution run to its next Wait (or its end) without moving the clock. */
const settle = () => time.advance({ seconds: 0 });

const nowIso = () => time.clock.now().toISOString();
const plus = (from: string, offset: { hours?: number; minutes?: number; seconds?: number }) =>
  new Date(Date.parse(from) + (offset.hours ?? 0) * HOUR_MS + (offset.minutes ?? 0) * 60_000 + (offset.seconds ?? 0) * 1_000).toISOString();

/** The Waits this execution is sleeping on: [state, due]. */
const waitsOf = (execution: LocalExecution) =>
  time.clock
    .pending()
    .filter((wait) => wait.execution === execution.record.name)
    .map((wait) => [wait.state, wait.due]);

async function stop(execution: LocalExecution): Promise<void> {
  execution.stop();
  await execution.done;
}

interface Flagged {
  /** The execution input: ids only (RiskEscalationInputSchema). */
  input: RiskEscalationInput;
  taskId: string;
  /** The flagged record's own time, which the workflow reads from the record. */
  flaggedAt: string;
}

/**
 * A new flagged record of this client, made now (virtual), and the workflow input for it: the
 * record holds the level (its risk flag) and the time, the input only ids. The record's item
 * is written directly, in the shape the repositories read (a check-in: riskFlags, recordedAt;
 * an assessment: result.riskFlags, submittedAt).
 */
async function flagged(clientId: string, level: RiskLevel, type: RiskSourceRef['type'] = 'assessment'): Promise<Flagged> {
  const source = { type, id: randomUUID() };
  const flaggedAt = nowIso();
  const riskFlags = [{ kind: type === 'assessment' ? 'cssrs_screener' : 'check_in_self_harm', level, reason: 'synthetic', action: 'synthetic' }];
  const item =
    type === 'assessment'
      ? { ...keys.assessment(clientId, source.id), entityType: 'assessment', assessmentId: source.id, clientId, instrument: 'cssrs_screener', submittedAt: flaggedAt, result: { riskFlags } }
      : { ...keys.checkIn(clientId, source.id), entityType: 'check-in', checkInId: source.id, clientId, recordedAt: flaggedAt, riskFlags };
  await db().send(new PutCommand({ TableName: tableName(), Item: item }));
  return { input: { clientId, source }, taskId: riskTaskIdFor(source), flaggedAt };
}

/** A client profile (no identity: the workflow needs only the record), created now (virtual). */
async function newClient(): Promise<{ id: string }> {
  const id = randomUUID();
  const createdAt = nowIso();
  const created = await repositories().clients.createClient({
    clientId: id,
    account: { email: `risk.client.${tag()}@example.com`, firstName: CLIENT_FIRST_NAME, lastName: CLIENT_LAST_NAME, dateOfBirth: '1990-04-12', clientType: 'individual', state: 'OH', timezone: 'America/New_York' },
    stage: 'in_care',
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.7', userAgent: 'vitest', acceptedAt: createdAt },
    requestId: `test-${id}`,
    // A signed-up client who has verified the email (issue 9): books and gets emails.
    emailVerifiedAt: createdAt,
    createdAt,
  });
  if (created.outcome !== 'created') throw new Error(`Client not created: ${created.outcome}`);
  return { id };
}

/** A client with an active therapist (a bare staff record, in no by-role listing), both from now (virtual). */
async function clientWithTherapist(): Promise<{ client: { id: string }; therapist: { id: string; email: string } }> {
  const client = await newClient();
  const therapist = { id: randomUUID(), email: `risk.therapist.${tag()}@example.com` };
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.staffProfile(therapist.id), entityType: 'staff', userId: therapist.id, role: 'therapist', email: therapist.email, firstName: 'Sam', lastName: `Synth${tag()}`, createdAt: nowIso() },
    }),
  );
  const begun = await repositories().careTeam.begin({ clientId: client.id, clinicianId: therapist.id, kind: 'therapist', startedAt: nowIso() });
  if (begun.outcome !== 'begun') throw new Error(`Relationship not begun: ${begun.outcome}`);
  return { client, therapist };
}

async function supervisorEmails(): Promise<string[]> {
  return (await repositories().staff.byRole('supervisor')).map((s) => s.email.toLowerCase()).sort();
}

/** Emails about this task (this file's SES emulator), oldest first, with their virtual send time. */
async function emailsOf(taskId: string): Promise<SentEmail[]> {
  return (await emailsAbout(taskId)).map((email) => ({ ...email, sentAt: new Date(email.at * 1000).toISOString() }));
}

/** [recipient, virtual send time] of every email of this subject about the task, sorted. */
async function sentOf(taskId: string, subject: string): Promise<[string, string][]> {
  return (await emailsOf(taskId))
    .filter((email) => email.subject === subject)
    .flatMap((email) => email.destination.to.map((to): [string, string] => [to.toLowerCase(), email.sentAt]))
    .sort(([a, x], [b, y]) => x.localeCompare(y) || a.localeCompare(b));
}

/** One escalation email to every supervisor per instant, as sentOf lists them. */
const roundsTo = (supervisors: readonly string[], instants: readonly string[]): [string, string][] =>
  instants.flatMap((instant) => supervisors.map((supervisor): [string, string] => [supervisor, instant]));

describe('risk escalation workflow (controlled clock, exact virtual times)', () => {
  it('runs on the documented settings: deadlines high 1 h, moderate 4 h, low 24 h; re-escalation every 1 h; 3 rounds', () => {
    // What the task handlers of this process read (the exact instants below assume them).
    expect(readRiskEscalationSettings()).toEqual(DEFAULT_RISK_ESCALATION_SETTINGS);
    expect(DEFAULT_RISK_ESCALATION_SETTINGS).toMatchObject({
      acknowledgeWithinMinutes: { high: DEADLINE_HOURS.high * 60, moderate: DEADLINE_HOURS.moderate * 60, low: DEADLINE_HOURS.low * 60 },
      reEscalationMinutes: RE_ESCALATION_HOURS * 60,
      maxEscalationRounds: ROUNDS,
    });
  });

  it('alerts the therapist at the flag instant with nothing but a link; acknowledged a minute before the 1 h deadline -> ends at exactly the deadline, no escalation', async () => {
    await ready();
    const { client, therapist } = await clientWithTherapist();
    const { input, taskId, flaggedAt: flagTime } = await flagged(client.id, 'high');
    const flaggedAt = flagTime;
    const execution = start(input, { name: taskId });
    await settle();

    const emails = await emailsOf(taskId);
    expect(emails.map((email) => [email.subject, email.destination.to, email.sentAt])).toEqual([[RISK_ALERT_SUBJECT, [therapist.email], flaggedAt]]);
    const alert = emails[0] as SentEmail;
    // Minimum necessary: no client name, no instrument, no answers, no score, no level.
    const content = `${alert.subject}\n${alert.body.text ?? ''}\n${alert.body.html ?? ''}`;
    for (const forbidden of [CLIENT_FIRST_NAME, CLIENT_LAST_NAME, client.id, 'PHQ', 'C-SSRS', 'item 9', 'score', 'high', 'answer', 'suicid']) {
      expect(content.toLowerCase()).not.toContain(forbidden.toLowerCase());
    }
    expect(alert.body.text).toContain(`/risk-tasks/${taskId}`);
    const deadline = plus(flaggedAt, { hours: DEADLINE_HOURS.high });
    expect(waitsOf(execution)).toEqual([['WaitUntilDue', deadline]]);
    expect(await repositories().tasks.get(taskId)).toMatchObject({ status: 'open', responsibility: 'therapist', responsibleClinicianId: therapist.id, flaggedAt, createdAt: flaggedAt, dueAt: deadline });

    // A minute before the deadline: still waiting, nothing more sent.
    await time.advance({ minutes: 59 });
    expect(execution.record.status).toBe('RUNNING');
    expect(waitsOf(execution)).toEqual([['WaitUntilDue', deadline]]);
    expect((await emailsOf(taskId)).map((email) => email.subject)).toEqual([RISK_ALERT_SUBJECT]);
    const acknowledgedAt = nowIso();
    expect(acknowledgedAt).toBe(plus(flaggedAt, { minutes: 59 }));
    await acknowledgeRiskTask({ caller: { userId: therapist.id, role: 'therapist' }, taskId }, { ...repositories(), now: () => time.clock.now() });

    // The deadline: the check finds it acknowledged and the execution ends, then and there.
    const report = await time.advance({ minutes: 1 });
    expect(report.woken.filter((wake) => wake.execution === taskId)).toEqual([{ at: deadline, execution: taskId, state: 'WaitUntilDue' }]);
    const record = await execution.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.stopDate?.toISOString()).toBe(deadline);
    expect(statesEntered(record)).toEqual([
      'ResolveResponsibleClinician',
      'OpenRiskTask',
      'AlertResponsibleClinician',
      'StartWatch',
      'WaitUntilDue',
      'CheckAcknowledged',
      'IsHandled',
      'RiskTaskHandled',
    ]);
    expect((await emailsOf(taskId)).map((email) => email.subject)).toEqual([RISK_ALERT_SUBJECT]);
    // Issue 9: the history holds ids, counters and the deadline; the level is only in the table.
    expect(JSON.parse(record.input)).toEqual({ clientId: client.id, source: input.source });
    expect(disallowedHistoryFields(record)).toEqual([]);
    expect(JSON.stringify(record.events)).not.toMatch(/"high"|"level"|flaggedAt/);
    expect(await repositories().tasks.get(taskId)).toMatchObject({ level: 'high' });
    expect(await repositories().tasks.get(taskId)).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: therapist.id,
      acknowledgedAt,
      responsibility: 'therapist',
      dueAt: deadline,
      escalations: [],
    });
  });

  it('not acknowledged (moderate): nothing a second before the 4 h deadline; at exactly the deadline every supervisor gets exactly one escalation email for round 1', async () => {
    await ready();
    const { client, therapist } = await clientWithTherapist();
    const { input, taskId, flaggedAt: flagTime } = await flagged(client.id, 'moderate', 'check_in');
    const supervisors = await supervisorEmails();
    expect(supervisors.length).toBeGreaterThan(0);
    const flaggedAt = flagTime;
    const deadline = plus(flaggedAt, { hours: DEADLINE_HOURS.moderate });
    const execution = start(input, { name: taskId });
    await settle();
    expect(await sentOf(taskId, RISK_ALERT_SUBJECT)).toEqual([[therapist.email, flaggedAt]]);
    expect(waitsOf(execution)).toEqual([['WaitUntilDue', deadline]]);

    await time.advance({ hours: DEADLINE_HOURS.moderate - 1, minutes: 59, seconds: 59 });
    expect(await sentOf(taskId, RISK_ESCALATION_SUBJECT)).toEqual([]);
    expect(await repositories().tasks.get(taskId)).toMatchObject({ status: 'open', escalations: [] });

    await time.advance({ seconds: 1 });
    const task = await repositories().tasks.get(taskId);
    expect(task).toMatchObject({ status: 'escalated', dueAt: deadline, escalations: [{ round: 1, at: deadline, notified: supervisors.length }] });
    expect(await sentOf(taskId, RISK_ESCALATION_SUBJECT)).toEqual(roundsTo(supervisors, [deadline]));
    // Round 2 is exactly one re-escalation interval later; round 1 is looked at alone.
    expect(waitsOf(execution)).toEqual([['WaitBeforeReEscalation', plus(deadline, { hours: RE_ESCALATION_HOURS })]]);
    expect(statesEntered(execution.record).slice(-4)).toEqual(['CheckAcknowledged', 'IsHandled', 'EscalateToSupervisors', 'WaitBeforeReEscalation']);
    await stop(execution);
  });

  it('a failing email step is retried without duplicates (lost responses after the send, for the alert and a round)', async () => {
    await ready();
    const { client, therapist } = await clientWithTherapist();
    const { input, taskId, flaggedAt: flagTime } = await flagged(client.id, 'high');
    const supervisors = await supervisorEmails();
    const flaggedAt = flagTime;
    const deadline = plus(flaggedAt, { hours: DEADLINE_HOURS.high });
    const calls = { alert: 0, escalate: 0 };
    const execution = start(input, {
      name: taskId,
      retryIntervalOverrides: FAST_RETRIES,
      taskInterceptors: {
        // The email goes, then the answer is lost (a Lambda timeout or throttling after the send).
        AlertResponsibleClinician: async (event, invoke) => {
          calls.alert += 1;
          const result = await invoke(event);
          if (calls.alert <= 2) throw transientLambdaError();
          return result;
        },
        EscalateToSupervisors: async (event, invoke) => {
          calls.escalate += 1;
          const result = await invoke(event);
          if (calls.escalate === 1) throw transientLambdaError();
          return result;
        },
      },
    });

    // The alert's retries are done (the execution waits for the deadline): one email, at the flag instant.
    await settle();
    expect(calls).toEqual({ alert: 3, escalate: 0 });
    expect(await sentOf(taskId, RISK_ALERT_SUBJECT)).toEqual([[therapist.email, flaggedAt]]);
    expect(waitsOf(execution)).toEqual([['WaitUntilDue', deadline]]);

    // At the deadline, round 1: its lost answer retried, every supervisor emailed once, the round recorded once.
    await time.advance({ hours: DEADLINE_HOURS.high });
    expect(calls).toEqual({ alert: 3, escalate: 2 });
    expect(await sentOf(taskId, RISK_ESCALATION_SUBJECT)).toEqual(roundsTo(supervisors, [deadline]));
    expect(await sentOf(taskId, RISK_ALERT_SUBJECT)).toEqual([[therapist.email, flaggedAt]]);
    expect((await repositories().tasks.get(taskId))?.escalations).toEqual([{ round: 1, at: deadline, notified: supervisors.length }]);
    const path = statesEntered(execution.record);
    expect(path.filter((state) => state === 'EscalateToSupervisors')).toHaveLength(1);
    expect(path).not.toContain('EscalateAfterFailedAlert');
    expect(waitsOf(execution)).toEqual([['WaitBeforeReEscalation', plus(deadline, { hours: RE_ESCALATION_HOURS })]]);
    await stop(execution);
  });

  it('an SES failure releases the claim and the retry sends exactly once, at the flag instant', async () => {
    await ready();
    const { client, therapist } = await clientWithTherapist();
    const { input, taskId, flaggedAt: flagTime } = await flagged(client.id, 'high');
    const flaggedAt = flagTime;
    // SES refuses the first send (aws-sdk-client-mock on this process's SES clients), then the
    // emulator answers again.
    const ses = mockClient(SESClient);
    let refused = 0;
    let attempts = 0;
    ses.on(SendEmailCommand).callsFakeOnce(() => {
      refused += 1;
      ses.restore();
      const error = new Error('Simulated SES refusal');
      error.name = 'ServiceUnavailable';
      throw error;
    });
    let execution: LocalExecution;
    try {
      execution = start(input, {
        name: taskId,
        retryIntervalOverrides: FAST_RETRIES,
        taskInterceptors: {
          AlertResponsibleClinician: (event, invoke) => {
            attempts += 1;
            return invoke(event);
          },
        },
      });
      await settle();
    } finally {
      ses.restore();
    }
    expect({ refused, attempts }).toEqual({ refused: 1, attempts: 2 });
    expect(await sentOf(taskId, RISK_ALERT_SUBJECT)).toEqual([[therapist.email, flaggedAt]]);
    expect(recipients(await emailsAbout(taskId))).toEqual([therapist.email]);
    // Delivered on the retry: the normal watch, not the failed-alert path.
    expect(statesEntered(execution.record)).not.toContain('EscalateAfterFailedAlert');
    expect(waitsOf(execution)).toEqual([['WaitUntilDue', plus(flaggedAt, { hours: DEADLINE_HOURS.high })]]);
    await stop(execution);
  });

  it('keeps escalating (low): round 1 at exactly the 24 h deadline, then every hour exactly, 3 rounds, then marks the task unresolved and fails (alarm)', async () => {
    await ready();
    const { client } = await clientWithTherapist();
    const { input, taskId, flaggedAt: flagTime } = await flagged(client.id, 'low');
    const supervisors = await supervisorEmails();
    const flaggedAt = flagTime;
    const deadline = plus(flaggedAt, { hours: DEADLINE_HOURS.low });
    const rounds = Array.from({ length: ROUNDS }, (_, i) => plus(deadline, { hours: i * RE_ESCALATION_HOURS }));
    const unresolvedAt = plus(deadline, { hours: ROUNDS * RE_ESCALATION_HOURS });
    const execution = start(input, { name: taskId });

    await time.advance({ hours: DEADLINE_HOURS.low - 1, minutes: 59, seconds: 59 });
    expect(await sentOf(taskId, RISK_ESCALATION_SUBJECT)).toEqual([]);
    expect(waitsOf(execution)).toEqual([['WaitUntilDue', deadline]]);

    const report = await time.advance({ until: plus(unresolvedAt, { hours: 1 }) });
    const record = await execution.done;
    expect(report.woken.filter((wake) => wake.execution === taskId).map((wake) => [wake.state, wake.at])).toEqual([
      ['WaitUntilDue', deadline],
      ...[...rounds.slice(1), unresolvedAt].map((at) => ['WaitBeforeReEscalation', at]),
    ]);
    expect(record.status).toBe('FAILED');
    expect(record.error).toBe('RiskTaskUnresolved');
    expect(record.stopDate?.toISOString()).toBe(unresolvedAt);
    expect(statesEntered(record).filter((s) => s === 'EscalateToSupervisors')).toHaveLength(ROUNDS);
    expect(statesEntered(record).slice(-5)).toEqual(['CheckAcknowledged', 'IsHandled', 'MarkUnresolved', 'WasMarkedUnresolved', 'RiskTaskUnresolved']);
    const task = await repositories().tasks.get(taskId);
    expect(task).toMatchObject({ status: 'unresolved', dueAt: deadline, unresolvedAt });
    expect(task?.escalations).toEqual(rounds.map((at, i) => ({ round: i + 1, at, notified: supervisors.length })));
    expect(await repositories().tasks.hasOpenTask(client.id)).toBe(true);
    // Every supervisor exactly once per round, each round at its own instant.
    expect(await sentOf(taskId, RISK_ESCALATION_SUBJECT)).toEqual(roundsTo(supervisors, rounds));
  });

  it('acknowledged between the last check and the mark: the task stays acknowledged and the execution succeeds (no false unresolved alarm)', async () => {
    await ready();
    const { client, therapist } = await clientWithTherapist();
    const { input, taskId, flaggedAt: flagTime } = await flagged(client.id, 'high');
    const unresolvedAt = plus(flagTime, { hours: DEADLINE_HOURS.high + ROUNDS * RE_ESCALATION_HOURS });
    const execution = start(input, {
      name: taskId,
      retryIntervalOverrides: FAST_RETRIES,
      taskInterceptors: {
        // The therapist acknowledges at the very moment the last round ran out.
        MarkUnresolved: async (event, invoke) => {
          await acknowledgeRiskTask({ caller: { userId: therapist.id, role: 'therapist' }, taskId }, { ...repositories(), now: () => time.clock.now() });
          return invoke(event);
        },
      },
    });
    await time.advance({ until: plus(unresolvedAt, { hours: 1 }) });
    const record = await execution.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.stopDate?.toISOString()).toBe(unresolvedAt);
    expect(statesEntered(record).slice(-3)).toEqual(['MarkUnresolved', 'WasMarkedUnresolved', 'RiskTaskHandled']);
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({ unresolved: { marked: false } });
    expect(await repositories().tasks.get(taskId)).toMatchObject({ status: 'acknowledged', acknowledgedBy: therapist.id, acknowledgedAt: unresolvedAt });
  });

  it('no clinician for the client: the on-call coordinator gets the alert at the flag instant', async () => {
    await ready();
    const client = await newClient();
    const { input, taskId, flaggedAt: flagTime } = await flagged(client.id, 'high');
    const expected = chooseResponsible([], await repositories().staff.byRole('coordinator'));
    expect(expected.kind).toBe('on_call');
    const coordinator = (await repositories().staff.contact(expected.kind === 'on_call' ? expected.staffId : ''))!;
    // The longest-serving coordinator: the seeded demo account on this stack.
    expect(coordinator.email).toBe('coordinator@example.com');

    const execution = start(input, { name: taskId });
    await settle();
    expect(await sentOf(taskId, RISK_ALERT_SUBJECT)).toEqual([[coordinator.email, flagTime]]);
    expect(recipients(await emailsAbout(taskId))).toEqual([coordinator.email]);
    expect(await repositories().tasks.get(taskId)).toMatchObject({ responsibility: 'on_call', responsibleClinicianId: coordinator.staffId, status: 'open' });
    expect(waitsOf(execution)).toEqual([['WaitUntilDue', plus(flagTime, { hours: DEADLINE_HOURS.high })]]);
    await stop(execution);
  });

  it('nobody to alert (no clinician, no coordinator): the supervisors are escalated to at the flag instant, without waiting for the deadline; round 2 exactly 1 h later', async () => {
    await ready();
    const client = await newClient();
    const { input, taskId, flaggedAt: flagTime } = await flagged(client.id, 'low');
    const supervisors = await supervisorEmails();
    const flaggedAt = flagTime;
    // The shared stack always has a coordinator: the resolver's answer is stood in for.
    const execution = start(input, {
      name: taskId,
      taskInterceptors: { ResolveResponsibleClinician: () => Promise.resolve({ kind: 'unassigned' }) },
    });
    await settle();
    const path = statesEntered(execution.record);
    expect(path).toEqual([
      'ResolveResponsibleClinician',
      'OpenRiskTask',
      'AlertResponsibleClinician',
      'EscalateAfterFailedAlert',
      'CheckAcknowledged',
      'IsHandled',
      'EscalateToSupervisors',
      'WaitBeforeReEscalation',
    ]);
    expect(await repositories().tasks.get(taskId)).toMatchObject({
      responsibility: 'unassigned',
      status: 'escalated',
      dueAt: plus(flaggedAt, { hours: DEADLINE_HOURS.low }),
      escalations: [{ round: 1, at: flaggedAt, notified: supervisors.length }],
    });
    expect(await sentOf(taskId, RISK_ALERT_SUBJECT)).toEqual([]);
    expect(await sentOf(taskId, RISK_ESCALATION_SUBJECT)).toEqual(roundsTo(supervisors, [flaggedAt]));

    const round2 = plus(flaggedAt, { hours: RE_ESCALATION_HOURS });
    expect(waitsOf(execution)).toEqual([['WaitBeforeReEscalation', round2]]);
    await time.advance({ hours: RE_ESCALATION_HOURS });
    expect((await repositories().tasks.get(taskId))?.escalations.map((round) => [round.round, round.at])).toEqual([
      [1, flaggedAt],
      [2, round2],
    ]);
    expect(await sentOf(taskId, RISK_ESCALATION_SUBJECT)).toEqual(roundsTo(supervisors, [flaggedAt, round2]));
    expect(statesEntered(execution.record)).not.toContain('WaitUntilDue');
    await stop(execution);
  });

  it('a second start for the same source opens no second task and sends no second alert, nor a second escalation at the deadline', async () => {
    await ready();
    const { client, therapist } = await clientWithTherapist();
    const { input, taskId, flaggedAt: flagTime } = await flagged(client.id, 'high');
    const supervisors = await supervisorEmails();
    const flaggedAt = flagTime;
    const deadline = plus(flaggedAt, { hours: DEADLINE_HOURS.high });
    // Two runs of the same input (Step Functions would refuse the second name; a replay could still reach the tasks).
    const first = start(input, { name: taskId });
    await settle();
    expect(await sentOf(taskId, RISK_ALERT_SUBJECT)).toEqual([[therapist.email, flaggedAt]]);

    await time.advance({ minutes: 10 });
    const second = start(input, { name: `${taskId}-replay` });
    await settle();
    // The stored task, not a new one: created at the first run, same deadline for both.
    expect(await repositories().tasks.get(taskId)).toMatchObject({ createdAt: flaggedAt, dueAt: deadline, status: 'open' });
    const opened = second.record.events.find((event) => event.type === 'StateExited' && event.state?.name === 'OpenRiskTask');
    expect((opened?.state?.output as { task?: unknown } | undefined)?.task).toMatchObject({ taskId, dueAt: deadline, created: false });
    expect(waitsOf(first)).toEqual([['WaitUntilDue', deadline]]);
    expect(waitsOf(second)).toEqual([['WaitUntilDue', deadline]]);
    expect(await sentOf(taskId, RISK_ALERT_SUBJECT)).toEqual([[therapist.email, flaggedAt]]);

    // Both wake at the deadline: round 1 goes once to each supervisor and is recorded once.
    await time.advance({ minutes: 50 });
    expect(await sentOf(taskId, RISK_ESCALATION_SUBJECT)).toEqual(roundsTo(supervisors, [deadline]));
    expect((await repositories().tasks.get(taskId))?.escalations).toEqual([{ round: 1, at: deadline, notified: supervisors.length }]);
    expect(recipients(await emailsAbout(taskId)).filter((to) => to === therapist.email)).toEqual([therapist.email]);
    await Promise.all([stop(first), stop(second)]);
  });
});
