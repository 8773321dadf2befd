/**
 * The REAL workflows/consultation.asl.json, run in this process by the local runner with its
 * real task handlers against DynamoDB Local and the SES emulator. Days of waiting run on a
 * time scale of one millionth (a day is ~86 ms); the clinician's actions happen inside task
 * interceptors, i.e. exactly when the run wakes up. Consultations are booked through the real
 * use case; runs are started by a starter that runs them here.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationView } from '../../shared/domain/consultations.js';
import { formatWhen } from '../../shared/notifications/consultation-emails.js';
import { bookConsultation } from '../../shared/use-cases/consultations/book-consultation.js';
import { cancelConsultation, rescheduleConsultation } from '../../shared/use-cases/consultations/change-consultation.js';
import { recordOutcome } from '../../shared/use-cases/consultations/record-outcome.js';
import type { JsonValue, WorkflowStarter } from '../../shared/use-cases/ports.js';
import type { Json } from '../../local/step-functions/definition.js';
import { LocalWorkflow, statesEntered, type ExecutionRecord, type LocalExecution, type RunOptions } from '../../local/step-functions/runner.js';
import { createClient, createConsultationClinician, gridStart, repositories, useCaseDeps, type TestClient, type TestClinician } from '../integration/consultations/support.js';
import { emailsTo, type InboxEmail } from '../support/inbox.js';

const HOUR = 3_600_000;
let workflow: LocalWorkflow;
let realTime: LocalWorkflow;

beforeAll(async () => {
  workflow = await LocalWorkflow.load('consultation', { waitTimeScale: 1 / 1_000_000 });
  realTime = await LocalWorkflow.load('consultation');
});

afterAll(async () => {
  await Promise.all([workflow.idle(), realTime.idle()]);
});

/** Starts runs on a local workflow (as StartExecution would: one run per name). */
class LocalStarter implements WorkflowStarter {
  readonly runs = new Map<string, LocalExecution>();
  constructor(
    private readonly on: LocalWorkflow,
    private readonly options: (name: string) => RunOptions = () => ({}),
  ) {}

  async start({ name, input }: { name: string; input: { [key: string]: JsonValue } }) {
    const existing = this.runs.get(name);
    const run = existing ?? this.on.start(input as Json, { name, ...this.options(name) });
    this.runs.set(name, run);
    return { executionArn: run.record.executionArn, alreadyStarted: existing !== undefined };
  }

  run(name: string): LocalExecution {
    const run = this.runs.get(name);
    if (!run) throw new Error(`No run ${name}; started: ${[...this.runs.keys()].join(', ')}`);
    return run;
  }
}

interface Booking {
  clinician: TestClinician;
  client: TestClient;
  consultation: ConsultationView;
}

async function booking(hoursAhead: number, options: { bookedAt?: number } = {}): Promise<Booking> {
  const clinician = await createConsultationClinician();
  const client = await createClient();
  const bookedAt = options.bookedAt ?? Date.now();
  const consultation = await bookConsultation(
    { clientId: client.clientId, start: gridStart(hoursAhead, bookedAt), clinicianId: clinician.clinicianId },
    useCaseDeps({ now: () => new Date(bookedAt) }),
  );
  return { clinician, client, consultation };
}

const scheduleInput = (consultation: ConsultationView, scheduleVersion = 1): Json => ({ consultationId: consultation.id, scheduleVersion, phase: 'schedule' });

/** Records the outcome as the clinician would, at the run's first outcome check. */
function outcomeAtFirstCheck(b: Booking, outcome: 'completed' | 'no_show'): RunOptions['taskInterceptors'] {
  let recorded = false;
  return {
    CheckOutcome: async (event, invoke) => {
      if (!recorded) {
        recorded = true;
        const deps = useCaseDeps({ now: () => new Date(Date.parse(b.consultation.start) + 20 * 60_000) });
        await recordOutcome({ consultationId: b.consultation.id, outcome, caller: { userId: b.clinician.clinicianId, role: 'coordinator', groups: ['coordinator'] } }, deps);
      }
      return invoke(event);
    },
  };
}

function output(record: ExecutionRecord): Record<string, unknown> {
  return JSON.parse(record.output ?? '{}') as Record<string, unknown>;
}

const subjects = (emails: InboxEmail[]) => emails.map((e) => e.subject);

const calendar = (email: InboxEmail) =>
  Buffer.from(email.attachments.find((a) => a.contentType.startsWith('text/calendar'))?.content ?? '', 'base64').toString('utf8');

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

describe('consultation workflow', () => {
  it('sends the confirmation, then both reminders at their times, then hands a completed consultation over to matching', async () => {
    const b = await booking(72);
    const record = await workflow.run(scheduleInput(b.consultation), { taskInterceptors: outcomeAtFirstCheck(b, 'completed') });
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record)).toEqual([...REMINDER_PATH, 'HandedOverToMatching']);

    const start = Date.parse(b.consultation.start);
    expect(output(record).schedule).toMatchObject({
      current: true,
      remindDayBefore: true,
      dayBeforeAt: new Date(start - 24 * HOUR).toISOString().replace('.000Z', 'Z'),
      remindHourBefore: true,
      hourBeforeAt: new Date(start - HOUR).toISOString().replace('.000Z', 'Z'),
      endsAt: b.consultation.end.replace('.000Z', 'Z'),
    });
    const toClient = await emailsTo(b.client.email);
    expect(subjects(toClient)).toEqual([
      expect.stringContaining('Your free consultation is booked'),
      expect.stringContaining('is tomorrow'),
      expect.stringContaining('is in one hour'),
    ]);
    expect(calendar(toClient[0]!)).toContain(`UID:${b.consultation.id}`);
    expect(toClient[1]!.body.text).toContain(b.consultation.joinUrl);
    expect(subjects(await emailsTo(b.clinician.email))).toEqual([expect.stringContaining('New consultation')]);
  });

  it('sends no reminder for a consultation cancelled before it, and ends', async () => {
    const b = await booking(72);
    const record = await workflow.run(scheduleInput(b.consultation), {
      taskInterceptors: {
        // Cancelled while the run slept: it re-reads when it wakes for the reminder.
        SendDayBeforeReminder: async (event, invoke) => {
          await cancelConsultation({ consultationId: b.consultation.id, caller: { userId: b.client.clientId, role: 'client', groups: ['client'] } }, useCaseDeps());
          return invoke(event);
        },
      },
    });
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record).slice(-3)).toEqual(['SendDayBeforeReminder', 'IsCurrentAfterDayBeforeReminder', 'RunSuperseded']);
    expect(output(record).dayBeforeReminder).toEqual({ current: false, sent: 0 });
    expect(subjects(await emailsTo(b.client.email))).toEqual([expect.stringContaining('is booked')]);
  });

  it('follows a reschedule: the old run ends unsent, the new run confirms and reminds at the new time only', async () => {
    const b = await booking(72);
    const newStart = gridStart(120);
    const starter = new LocalStarter(workflow, () => ({ taskInterceptors: outcomeAtFirstCheck({ ...b, consultation: { ...b.consultation, start: newStart } }, 'completed') }));
    const first = await workflow.run(scheduleInput(b.consultation), {
      name: `consultation-${b.consultation.id}-v1`,
      taskInterceptors: {
        SendDayBeforeReminder: async (event, invoke) => {
          await rescheduleConsultation(
            { consultationId: b.consultation.id, start: newStart, caller: { userId: b.client.clientId, role: 'client', groups: ['client'] } },
            useCaseDeps({ workflow: starter }),
          );
          return invoke(event);
        },
      },
    });
    expect(statesEntered(first).at(-1)).toBe('RunSuperseded');
    const second = await starter.run(`consultation-${b.consultation.id}-v2`).done;
    expect(second.status).toBe('SUCCEEDED');
    expect(statesEntered(second)).toEqual([...REMINDER_PATH, 'HandedOverToMatching']);
    expect((output(second).schedule as { dayBeforeAt: string }).dayBeforeAt).toBe(new Date(Date.parse(newStart) - 24 * HOUR).toISOString().replace('.000Z', 'Z'));

    const toClient = await emailsTo(b.client.email);
    const oldWhen = formatWhen(new Date(b.consultation.start), b.client.timezone);
    const newWhen = formatWhen(new Date(newStart), b.client.timezone);
    expect(subjects(toClient)).toEqual([
      `Your free consultation is booked: ${oldWhen}`,
      `Your free consultation was moved to ${newWhen}`,
      `Reminder: your free consultation is tomorrow (${newWhen})`,
      `Reminder: your free consultation is in one hour (${newWhen})`,
    ]);
    expect(calendar(toClient[1]!)).toMatch(new RegExp(`UID:${b.consultation.id}[\\s\\S]*SEQUENCE:2`));
  });

  it('after a no-show, offers the client one rebook by email', async () => {
    const b = await booking(30);
    const record = await workflow.run(scheduleInput(b.consultation), { taskInterceptors: outcomeAtFirstCheck(b, 'no_show') });
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record).slice(-3)).toEqual(['RouteOutcome', 'SendRebookOffer', 'NoShowFollowedUp']);
    expect(output(record).rebookOffer).toEqual({ sent: true });
    const offer = (await emailsTo(b.client.email)).find((e) => e.subject.includes('We missed you'));
    expect(offer?.body.text).toContain('book it once more');
    expect(await repositories().consultations.getFreeConsultation(b.client.clientId)).toMatchObject({ state: 'available', noShows: 1 });
  });

  it('skips the day-before reminder of a consultation booked less than a day ahead', async () => {
    const b = await booking(3);
    const record = await workflow.run(scheduleInput(b.consultation), { taskInterceptors: outcomeAtFirstCheck(b, 'completed') });
    const path = statesEntered(record);
    expect(path).not.toContain('WaitUntilDayBefore');
    expect(path).toContain('SendHourBeforeReminder');
    expect(subjects(await emailsTo(b.client.email))).toEqual([expect.stringContaining('is booked'), expect.stringContaining('in one hour')]);
  });

  it('passes waits whose time is over at once (real time), and sends no reminder after its time', async () => {
    // Booked three days ago for yesterday, its run only starting now (e.g. after an outage).
    const b = await booking(48, { bookedAt: Date.now() - 72 * HOUR });
    const started = Date.now();
    const record = await realTime.run(scheduleInput(b.consultation), { taskInterceptors: outcomeAtFirstCheck(b, 'completed') });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(statesEntered(record)).toEqual([...REMINDER_PATH, 'HandedOverToMatching']);
    expect(output(record).dayBeforeReminder).toEqual({ current: true, sent: 0, skipped: 'too_late' });
    expect(output(record).hourBeforeReminder).toEqual({ current: true, sent: 0, skipped: 'too_late' });
    expect(subjects(await emailsTo(b.client.email))).toEqual([expect.stringContaining('is booked')]);
  });

  it('stops waiting for an outcome after its limit; a no-show recorded later gets its own follow-up run', async () => {
    const b = await booking(30);
    const record = await workflow.run(scheduleInput(b.consultation), {
      taskInterceptors: {
        // A short limit: two checks.
        ReadSchedule: async (event, invoke) => ({ ...((await invoke(event)) as Record<string, Json>), maxOutcomeChecks: 2 }),
      },
    });
    expect(statesEntered(record).slice(-6)).toEqual(['CheckOutcome', 'RouteOutcome', 'WaitBeforeNextOutcomeCheck', 'CheckOutcome', 'RouteOutcome', 'OutcomeNotRecorded']);
    expect((await repositories().consultations.get(b.consultation.id))?.outcomeWatch).toBe('closed');

    const starter = new LocalStarter(workflow);
    const deps = useCaseDeps({ workflow: starter, now: () => new Date(Date.parse(b.consultation.end) + 3 * 24 * HOUR) });
    await recordOutcome({ consultationId: b.consultation.id, outcome: 'no_show', caller: { userId: b.clinician.clinicianId, role: 'coordinator', groups: ['coordinator'] } }, deps);
    const followUp = await starter.run(`consultation-${b.consultation.id}-no-show`).done;
    expect(statesEntered(followUp)).toEqual(['RouteByPhase', 'SendRebookOffer', 'NoShowFollowedUp']);
    expect(subjects(await emailsTo(b.client.email))).toContain('We missed you: book your free consultation again');
  });

  it('sends a cancellation with a calendar update to both when cancelled', async () => {
    const b = await booking(30);
    const starter = new LocalStarter(workflow);
    await cancelConsultation({ consultationId: b.consultation.id, caller: { userId: b.clinician.clinicianId, role: 'coordinator', groups: ['coordinator'] } }, useCaseDeps({ workflow: starter }));
    const run = await starter.run(`consultation-${b.consultation.id}-cancelled`).done;
    expect(statesEntered(run)).toEqual(['RouteByPhase', 'SendCancellation', 'CancellationSent']);
    for (const to of [b.client.email, b.clinician.email]) {
      const notice = (await emailsTo(to)).find((e) => e.subject.startsWith('Cancelled'));
      expect(calendar(notice!)).toMatch(/METHOD:CANCEL[\s\S]*STATUS:CANCELLED/);
    }
  });

  it('sends each email once when a task is retried after it sent (lost response)', async () => {
    const b = await booking(30);
    let attempts = 0;
    const record = await workflow.run(scheduleInput(b.consultation), {
      retryIntervalOverrides: { SendConfirmation: 1 },
      taskInterceptors: {
        ...outcomeAtFirstCheck(b, 'completed'),
        SendConfirmation: async (event, invoke) => {
          attempts += 1;
          const result = await invoke(event);
          if (attempts === 1) throw Object.assign(new Error('Rate exceeded (simulated)'), { name: 'Lambda.TooManyRequestsException' });
          return result;
        },
      },
    });
    expect(record.status).toBe('SUCCEEDED');
    expect(attempts).toBe(2);
    expect(output(record).confirmation).toEqual({ current: true, sent: 0 });
    expect((await emailsTo(b.client.email)).filter((e) => e.subject.includes('is booked'))).toHaveLength(1);
    expect((await emailsTo(b.clinician.email)).filter((e) => e.subject.includes('New consultation'))).toHaveLength(1);
  });

  it('ends at once for a consultation that is gone or at another version', async () => {
    const record = await workflow.run({ consultationId: randomUUID(), scheduleVersion: 1, phase: 'schedule' });
    expect(statesEntered(record)).toEqual(['RouteByPhase', 'ReadSchedule', 'IsScheduleCurrent', 'RunSuperseded']);
  });
});
