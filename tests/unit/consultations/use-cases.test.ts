/**
 * The consultation use cases and workflow tasks with in-memory ports (fakes.ts): the paths an
 * emulator makes hard to reach on demand (a race lost on the first clinician, a workflow start
 * that failed after the booking, an outcome racing the end of the outcome watch).
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NewCareRelationship } from '../../../shared/use-cases/ports.js';
import { InMemoryAuditLog, InMemoryCareTeam } from '../access/fakes.js';
import { DEFAULT_CONSULTATION_SETTINGS } from '../../../shared/config/scheduling.js';
import { clinicianPreference, consultationJoinUrl, joinLinkShown } from '../../../shared/domain/consultations.js';
import {
  ChangeTooLateError,
  ConsultationClosedError,
  EmailNotVerifiedError,
  FreeConsultationUsedError,
  HoldLimitReachedError,
  NotFoundError,
  OutcomeAlreadyRecordedError,
  OutcomeTooEarlyError,
  SlotTakenError,
  ValidationError,
} from '../../../shared/domain/errors.js';
import type { Caller } from '../../../shared/domain/roles.js';
import { bookConsultation } from '../../../shared/use-cases/consultations/book-consultation.js';
import { cancelConsultation, rescheduleConsultation } from '../../../shared/use-cases/consultations/change-consultation.js';
import type { ConsultationDeps } from '../../../shared/use-cases/consultations/dependencies.js';
import { holdSlot } from '../../../shared/use-cases/consultations/hold-slot.js';
import { listSlots } from '../../../shared/use-cases/consultations/list-slots.js';
import type { ConsultationClinician } from '../../../shared/use-cases/consultations/ports.js';
import { getConsultation, listConsultations } from '../../../shared/use-cases/consultations/read-consultations.js';
import { recordOutcome } from '../../../shared/use-cases/consultations/record-outcome.js';
import {
  checkOutcome,
  readSchedule,
  sendCancellation,
  sendConfirmation,
  sendRebookOffer,
  sendReminder,
  type ConsultationTaskDeps,
} from '../../../shared/use-cases/consultations/workflow-tasks.js';
import type { JsonValue, WorkflowStarter } from '../../../shared/use-cases/ports.js';
import { FakeClientRecords, FakeEmailSender } from '../workflow-tasks/fakes.js';
import { FakeConsultationRecords, FakeDirectory } from './fakes.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-07T12:00:00Z'); // Monday, 07:00 in New York
const MON_0900 = '2026-12-07T14:00:00.000Z';
const TUE_0900 = '2026-12-08T14:00:00.000Z';
const TUE_0930 = '2026-12-08T14:30:00.000Z';

class Starter implements WorkflowStarter {
  readonly names: string[] = [];
  failNext = false;
  async start({ name }: { name: string; input: { [key: string]: JsonValue } }) {
    if (this.failNext) {
      this.failNext = false;
      throw Object.assign(new Error('Step Functions unavailable (simulated)'), { name: 'ServiceUnavailable' });
    }
    this.names.push(name);
    return { executionArn: `arn:test:${name}`, alreadyStarted: false };
  }
}

function clinician(id: string, overrides: Partial<ConsultationClinician> = {}): ConsultationClinician {
  return {
    clinicianId: id,
    firstName: 'Jordan',
    lastName: `Reyland-${id}`,
    pronouns: 'they/them',
    credential: 'lpcc',
    email: `${id}@example.com`,
    timezone: 'America/New_York',
    videoRoomUrl: `https://video.example.com/rooms/${id}`,
    availability: { weekly: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '09:00', end: '17:00' })), exceptions: [] },
    offersConsultations: true,
    licenses: [{ state: 'WY', expiresOn: '2027-12-31' }],
    ...overrides,
  };
}

let clock: number;
let clients: FakeClientRecords;
let records: FakeConsultationRecords;
let starter: Starter;
let email: FakeEmailSender;
let careTeam: ClientCareTeam;
let auditLog: InMemoryAuditLog;

/** The care team of the clients the fake client records hold. */
class ClientCareTeam extends InMemoryCareTeam {
  constructor(private readonly records: FakeClientRecords) {
    super();
  }
  override async begin(input: NewCareRelationship) {
    if (this.records.profiles.has(input.clientId)) this.clients.add(input.clientId);
    return super.begin(input);
  }
}

function deps(clinicians: ConsultationClinician[] = [clinician('c-1')]): ConsultationDeps {
  return {
    consultations: records,
    directory: new FakeDirectory(clinicians),
    clients,
    workflow: starter,
    careTeam,
    auditLog,
    settings: DEFAULT_CONSULTATION_SETTINGS,
    now: () => new Date(clock),
    newId: randomUUID,
  };
}

function taskDeps(clinicians: ConsultationClinician[] = [clinician('c-1')]): ConsultationTaskDeps {
  return {
    consultations: records,
    clients,
    directory: new FakeDirectory(clinicians),
    email,
    settings: DEFAULT_CONSULTATION_SETTINGS,
    appBaseUrl: 'https://app.example',
    emailFrom: 'MoodRx <no-reply@moodrx.example>',
    now: () => new Date(clock),
  };
}

async function addClient(clientId = randomUUID(), timezone = 'America/Denver', options: { verified?: boolean } = {}): Promise<Caller> {
  await clients.createClient({
    ...(options.verified === false ? {} : { emailVerifiedAt: new Date(NOW).toISOString() }),
    clientId,
    account: { email: `${clientId}@example.com`, firstName: 'Avery', lastName: 'Testwood', dateOfBirth: '1990-04-12', clientType: 'individual', state: 'WY', timezone },
    stage: 'awaiting_consultation',
    consents: [],
    consentContext: { ipAddress: '203.0.113.7', userAgent: 'vitest', acceptedAt: new Date(NOW).toISOString() },
    requestId: 'test',
    createdAt: new Date(NOW).toISOString(),
  });
  return { userId: clientId, role: 'client', groups: ['client'] };
}

const clinicianCaller = (id = 'c-1'): Caller => ({ userId: id, role: 'coordinator', groups: ['coordinator'] });

beforeEach(() => {
  clock = NOW;
  clients = new FakeClientRecords();
  records = new FakeConsultationRecords(clients);
  starter = new Starter();
  email = new FakeEmailSender();
  careTeam = new ClientCareTeam(clients);
  auditLog = new InMemoryAuditLog();
});

describe('slots', () => {
  it('lists free starts after the notice, in the client zone, without booked times', async () => {
    const client = await addClient();
    const other = await addClient();
    await bookConsultation({ clientId: other.userId, start: MON_0900, clinicianId: 'c-1' }, deps());
    const result = await listSlots({ clientId: client.userId, to: '2026-12-07T15:00:00Z' }, deps());
    expect(result.timezone).toBe('America/Denver');
    expect(result.slots.map((s) => [s.start, s.startLocal])).toEqual([
      // 14:00 is booked; 14:15 is within its buffer.
      ['2026-12-07T14:30:00.000Z', '2026-12-07T07:30:00.000-07:00'],
      ['2026-12-07T14:45:00.000Z', '2026-12-07T07:45:00.000-07:00'],
    ]);
    expect(result.slots[0]!.clinicians).toEqual([{ id: 'c-1', displayName: 'Jordan Reyland-c-1, LPCC', credential: 'LPCC', pronouns: 'they/them' }]);
  });

  it('keeps the clinician\'s 09:00 across the fall-back week and shows each start with the client\'s offset of that day', async () => {
    clock = Date.parse('2026-10-29T12:00:00Z'); // Thursday; the US falls back on Sunday 1 November
    const client = await addClient();
    const hours = clinician('c-1', {
      availability: {
        weekly: (['fri', 'mon'] as const).map((day) => ({ day, start: '09:00', end: '09:30' })),
        exceptions: [{ kind: 'unavailable', date: '2026-11-06' }],
      },
    });
    const result = await listSlots({ clientId: client.userId, to: '2026-11-10T00:00:00Z' }, deps([hours]));
    expect(result.slots.map((s) => [s.start, s.startLocal])).toEqual([
      ['2026-10-30T13:00:00.000Z', '2026-10-30T07:00:00.000-06:00'], // Friday, EDT / MDT
      ['2026-10-30T13:15:00.000Z', '2026-10-30T07:15:00.000-06:00'],
      ['2026-11-02T14:00:00.000Z', '2026-11-02T07:00:00.000-07:00'], // Monday, EST / MST
      ['2026-11-02T14:15:00.000Z', '2026-11-02T07:15:00.000-07:00'],
      // Friday 6 November is a day off; Monday 9 November is back.
      ['2026-11-09T14:00:00.000Z', '2026-11-09T07:00:00.000-07:00'],
      ['2026-11-09T14:15:00.000Z', '2026-11-09T07:15:00.000-07:00'],
    ]);
  });

  it('leaves out starts after the clinician license expires', async () => {
    const client = await addClient();
    const result = await listSlots({ clientId: client.userId }, deps([clinician('c-1', { licenses: [{ state: 'WY', expiresOn: '2026-12-07' }] })]));
    expect(result.slots.length).toBeGreaterThan(0);
    expect(result.slots.every((s) => s.start < '2026-12-08T00:00:00.000Z')).toBe(true);
  });
});

describe('booking', () => {
  // Issue 9, finding 4: on 65e63bb a client whose email nobody had proven could book (and the
  // confirmation and reminders went to that address).
  it('refuses to hold or book for a client whose email is not verified: 403 email_not_verified, nothing written', async () => {
    const client = await addClient(randomUUID(), 'America/Denver', { verified: false });
    await expect(holdSlot({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps())).rejects.toBeInstanceOf(EmailNotVerifiedError);
    await expect(bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps())).rejects.toBeInstanceOf(EmailNotVerifiedError);
    expect(starter.names).toEqual([]);
    expect(await records.getFreeConsultation(client.userId)).toBeUndefined();
  });

  it('books the chosen clinician and starts the workflow for version 1', async () => {
    const client = await addClient();
    const view = await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps());
    expect(view).toMatchObject({ status: 'booked', start: TUE_0900, end: '2026-12-08T14:15:00.000Z', startLocal: '2026-12-08T07:00:00.000-07:00', scheduleVersion: 1 });
    // Its own room, not the clinician's standing one (issue 9, finding 7).
    expect(view.joinUrl).toBe(`https://video.example.com/rooms/${view.id}`);
    expect(starter.names).toEqual([`consultation-${view.id}-v1`]);
    expect(await records.getFreeConsultation(client.userId)).toMatchObject({ state: 'booked', consultationId: view.id, noShows: 0 });
  });

  it('without a clinician, tries them in preference order and takes the next when the first loses a race', async () => {
    const client = await addClient();
    const order = clinicianPreference(Date.parse(TUE_0900), ['c-1', 'c-2', 'c-3']);
    records.loseNextRaceOn.add(order[0]!);
    const view = await bookConsultation({ clientId: client.userId, start: TUE_0900 }, deps([clinician('c-1'), clinician('c-2'), clinician('c-3')]));
    expect(view.clinician.id).toBe(order[1]);
  });

  it('refuses a start the hours do not offer, and a clinician not licensed in the client state', async () => {
    const client = await addClient();
    for (const start of ['2026-12-08T14:05:00.000Z', '2026-12-08T22:00:00.000Z', '2026-12-07T13:00:00.000Z', '2026-12-22T14:00:00.000Z']) {
      await expect(bookConsultation({ clientId: client.userId, start, clinicianId: 'c-1' }, deps()), start).rejects.toBeInstanceOf(ValidationError);
    }
    const elsewhere = clinician('c-9', { licenses: [{ state: 'OH', expiresOn: '2027-12-31' }] });
    await expect(bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-9' }, deps([elsewhere]))).rejects.toBeInstanceOf(ValidationError);
  });

  it('answers a lost race with other free times of any clinician of the state', async () => {
    const client = await addClient();
    records.loseNextRaceOn.add('c-1');
    const error = await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlotTakenError);
    const alternatives = (error as SlotTakenError).extensions.alternatives as { start: string; startLocal: string }[];
    // The nearest free starts: 14:15 is within the taken one's buffer, 13:45 is before opening hours.
    expect(alternatives.map((a) => a.start)).toEqual(['2026-12-08T14:30:00.000Z', '2026-12-08T14:45:00.000Z', '2026-12-08T15:00:00.000Z']);
    expect(alternatives[0]!.startLocal).toBe('2026-12-08T07:30:00.000-07:00');
  });

  it('allows one free consultation: a second is refused, a retry with the same Idempotency-Key gets the first (and its workflow)', async () => {
    const client = await addClient();
    starter.failNext = true;
    await expect(bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1', idempotencyKey: 'key-1' }, deps())).rejects.toThrow(/unavailable/);
    // The booking was stored before the workflow start failed.
    const retry = await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1', idempotencyKey: 'key-1' }, deps());
    expect(starter.names).toEqual([`consultation-${retry.id}-v1`]);
    await expect(bookConsultation({ clientId: client.userId, start: TUE_0930, clinicianId: 'c-1' }, deps())).rejects.toBeInstanceOf(FreeConsultationUsedError);
    await expect(bookConsultation({ clientId: client.userId, start: TUE_0930, clinicianId: 'c-1', idempotencyKey: 'key-2' }, deps())).rejects.toThrow(/already have a free consultation booked/);
  });
});

describe('holds', () => {
  it('caps holds per client, frees a place when a hold expires, and converts a hold into the booking', async () => {
    const client = await addClient();
    const other = await addClient();
    const first = await holdSlot({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps());
    expect(first.expiresAt).toBe(new Date(NOW + 10 * 60_000).toISOString());
    await holdSlot({ clientId: client.userId, start: TUE_0930, clinicianId: 'c-1' }, deps());
    await expect(holdSlot({ clientId: client.userId, start: '2026-12-08T15:00:00.000Z', clinicianId: 'c-1' }, deps())).rejects.toBeInstanceOf(HoldLimitReachedError);
    await expect(bookConsultation({ clientId: other.userId, start: TUE_0900, clinicianId: 'c-1' }, deps())).rejects.toBeInstanceOf(SlotTakenError);

    const booked = await bookConsultation({ clientId: client.userId, start: TUE_0900, holdId: first.holdId }, deps());
    expect(booked.clinician.id).toBe('c-1');
    expect(await records.findHold(client.userId, first.holdId, new Date(clock))).toBeUndefined();
  });

  it('lets anyone book the cells of an expired hold', async () => {
    const client = await addClient();
    const other = await addClient();
    await holdSlot({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps());
    clock += 11 * 60_000;
    expect((await bookConsultation({ clientId: other.userId, start: TUE_0900, clinicianId: 'c-1' }, deps())).status).toBe('booked');
  });
});

describe('cancel and reschedule', () => {
  it('cancels until the cutoff, releasing the time and the free consultation; a retry gets the same answer', async () => {
    const client = await addClient();
    const view = await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps());
    clock = Date.parse(TUE_0900) - 2 * HOUR - 1;
    const cancelled = await cancelConsultation({ consultationId: view.id, caller: client }, deps());
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'client' });
    expect(await records.lockedCells('c-1', Date.parse(TUE_0900), Date.parse(TUE_0900) + HOUR, new Date(clock))).toEqual([]);
    expect(await records.getFreeConsultation(client.userId)).toMatchObject({ state: 'available' });
    expect(starter.names.at(-1)).toBe(`consultation-${view.id}-cancelled`);
    expect((await cancelConsultation({ consultationId: view.id, caller: client }, deps())).status).toBe('cancelled');
  });

  it('makes the booked clinician the consultation clinician; a cancel ends it; a booking with another clinician ends a stale one', async () => {
    const client = await addClient();
    const view = await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1', idempotencyKey: 'k1' }, deps());
    expect(await careTeam.activeFor(client.userId)).toEqual([{ clientId: client.userId, clinicianId: 'c-1', kind: 'consultation', startedAt: new Date(NOW).toISOString() }]);
    // A retry of the booking begins nothing new.
    await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1', idempotencyKey: 'k1' }, deps());
    expect(careTeam.items).toHaveLength(1);

    clock = NOW + HOUR;
    await cancelConsultation({ consultationId: view.id, caller: client }, deps());
    expect(await careTeam.activeFor(client.userId)).toEqual([]);
    expect(careTeam.items[0]).toMatchObject({ endedAt: new Date(NOW + HOUR).toISOString(), endReason: 'consultation_closed' });

    // A relationship left active by an earlier booking gives way to the new clinician.
    await careTeam.begin({ clientId: client.userId, clinicianId: 'c-1', kind: 'consultation', startedAt: new Date(NOW + HOUR).toISOString() });
    clock = NOW + 2 * HOUR;
    await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-2' }, deps([clinician('c-1'), clinician('c-2')]));
    expect((await careTeam.activeFor(client.userId)).map((r) => r.clinicianId)).toEqual(['c-2']);
  });

  it('refuses changes after the cutoff, and changes by anyone but its client or clinician', async () => {
    const client = await addClient();
    const stranger = await addClient();
    const view = await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps());
    await expect(cancelConsultation({ consultationId: view.id, caller: stranger }, deps())).rejects.toBeInstanceOf(NotFoundError);
    await expect(cancelConsultation({ consultationId: view.id, caller: clinicianCaller('c-2') }, deps())).rejects.toBeInstanceOf(NotFoundError);
    clock = Date.parse(TUE_0900) - 2 * HOUR + 1;
    await expect(cancelConsultation({ consultationId: view.id, caller: client }, deps())).rejects.toBeInstanceOf(ChangeTooLateError);
    await expect(rescheduleConsultation({ consultationId: view.id, caller: client, start: '2026-12-09T14:00:00.000Z' }, deps())).rejects.toBeInstanceOf(ChangeTooLateError);
  });

  it('reschedules to a free start of the same clinician with a new version; the same start again is a retry', async () => {
    const client = await addClient();
    const view = await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps());
    const moved = await rescheduleConsultation({ consultationId: view.id, caller: clinicianCaller(), start: TUE_0930 }, deps());
    expect(moved).toMatchObject({ start: TUE_0930, scheduleVersion: 2, timezone: 'America/New_York', client: { id: client.userId } });
    expect(starter.names).toEqual([`consultation-${view.id}-v1`, `consultation-${view.id}-v2`]);
    const again = await rescheduleConsultation({ consultationId: view.id, caller: client, start: TUE_0930 }, deps());
    expect(again.scheduleVersion).toBe(2);
    expect(starter.names.at(-1)).toBe(`consultation-${view.id}-v2`);
    const locked = await records.lockedCells('c-1', Date.parse(TUE_0900), Date.parse(TUE_0900) + 2 * HOUR, new Date(clock));
    expect(locked.map((c) => new Date(c).toISOString())).toEqual(['2026-12-08T14:30:00.000Z', '2026-12-08T14:35:00.000Z', '2026-12-08T14:40:00.000Z', '2026-12-08T14:45:00.000Z']);
  });

  it('refuses to move onto a taken time, offering the same clinician only', async () => {
    const client = await addClient();
    const other = await addClient();
    const view = await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps([clinician('c-1'), clinician('c-2')]));
    await bookConsultation({ clientId: other.userId, start: '2026-12-08T16:00:00.000Z', clinicianId: 'c-1' }, deps([clinician('c-1'), clinician('c-2')]));
    const error = await rescheduleConsultation({ consultationId: view.id, caller: client, start: '2026-12-08T16:00:00.000Z' }, deps([clinician('c-1'), clinician('c-2')])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlotTakenError);
    const alternatives = (error as SlotTakenError).extensions.alternatives as { clinicians: { id: string }[] }[];
    expect(alternatives.flatMap((a) => a.clinicians.map((c) => c.id))).toEqual(alternatives.map(() => 'c-1'));
  });
});

describe('outcome', () => {
  async function booked() {
    const client = await addClient();
    const view = await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps());
    return { client, view };
  }

  it('is for its clinician, from the start on', async () => {
    const { client, view } = await booked();
    await expect(recordOutcome({ consultationId: view.id, outcome: 'completed', caller: clinicianCaller() }, deps())).rejects.toBeInstanceOf(OutcomeTooEarlyError);
    clock = Date.parse(TUE_0900);
    await expect(recordOutcome({ consultationId: view.id, outcome: 'completed', caller: client }, deps())).rejects.toBeInstanceOf(NotFoundError);
    await expect(recordOutcome({ consultationId: view.id, outcome: 'completed', caller: clinicianCaller('c-2') }, deps())).rejects.toBeInstanceOf(NotFoundError);
  });

  it('completed: the client awaits matching; the notes are the clinician\'s alone; the same outcome again is a retry', async () => {
    const { client, view } = await booked();
    clock = Date.parse(TUE_0900) + 20 * 60_000;
    const done = await recordOutcome({ consultationId: view.id, outcome: 'completed', notes: 'Synthetic note.', caller: clinicianCaller() }, deps());
    expect(done).toMatchObject({ status: 'completed', outcome: { outcome: 'completed', notes: 'Synthetic note.' }, client: { stage: 'awaiting_match' } });
    expect((await clients.getProfile(client.userId))?.stage).toBe('awaiting_match');
    expect((await recordOutcome({ consultationId: view.id, outcome: 'completed', caller: clinicianCaller() }, deps())).status).toBe('completed');
    await expect(recordOutcome({ consultationId: view.id, outcome: 'no_show', caller: clinicianCaller() }, deps())).rejects.toBeInstanceOf(OutcomeAlreadyRecordedError);
    const seen = await getConsultation({ consultationId: view.id, caller: client }, deps());
    expect(JSON.stringify(seen)).not.toContain('Synthetic note');
    expect(JSON.stringify(await listConsultations(client, deps()))).not.toContain('Synthetic note');
    await expect(bookConsultation({ clientId: client.userId, start: '2026-12-09T14:00:00.000Z', clinicianId: 'c-1' }, deps())).rejects.toThrow(/had your free consultation/);
    await expect(cancelConsultation({ consultationId: view.id, caller: client }, deps())).rejects.toBeInstanceOf(ConsultationClosedError);
  });

  it('no-show: a follow-up run only once the workflow stopped waiting; one rebook, then forfeited', async () => {
    const { client, view } = await booked();
    clock = Date.parse(TUE_0900) + 20 * 60_000;
    await recordOutcome({ consultationId: view.id, outcome: 'no_show', caller: clinicianCaller() }, deps());
    expect(starter.names).toEqual([`consultation-${view.id}-v1`]);
    expect(await records.getFreeConsultation(client.userId)).toMatchObject({ state: 'available', noShows: 1 });

    const again = await bookConsultation({ clientId: client.userId, start: '2026-12-09T14:00:00.000Z', clinicianId: 'c-1' }, deps());
    expect(await records.closeOutcomeWatch(again.id, 1)).toBe('closed');
    clock = Date.parse('2026-12-09T15:00:00Z');
    await recordOutcome({ consultationId: again.id, outcome: 'no_show', caller: clinicianCaller() }, deps());
    expect(starter.names.at(-1)).toBe(`consultation-${again.id}-no-show`);
    expect(await records.getFreeConsultation(client.userId)).toMatchObject({ state: 'forfeited', noShows: 2 });
    await expect(bookConsultation({ clientId: client.userId, start: '2026-12-10T14:00:00.000Z', clinicianId: 'c-1' }, deps())).rejects.toThrow(/missed/);
  });
});

describe('access and audit of consultation data (issue 9, finding 5)', () => {
  async function completed() {
    const client = await addClient();
    const view = await bookConsultation({ clientId: client.userId, start: TUE_0900, clinicianId: 'c-1' }, deps());
    clock = Date.parse(TUE_0900) + 20 * 60_000;
    await recordOutcome({ consultationId: view.id, outcome: 'completed', notes: 'Synthetic note.', caller: clinicianCaller(), requestId: 'req-outcome' }, deps());
    return { client, view };
  }

  it('audits the outcome write, every read of the record with its notes and every showing of the client\'s name', async () => {
    const { client, view } = await completed();
    const events = () => auditLog.events(client.userId).map((e) => `${e.action} ${e.record.category} ${e.outcome} ${e.actor.userId}`);
    expect(events()).toEqual(['update consultation success c-1', 'read profile success c-1']);
    expect(auditLog.events(client.userId)[0]).toMatchObject({ record: { id: view.id }, purpose: 'treatment', basis: 'consultation_clinician', requestId: 'req-outcome' });
    const seen = await getConsultation({ consultationId: view.id, caller: clinicianCaller(), requestId: 'req-read' }, deps());
    expect(seen).toMatchObject({ outcome: { notes: 'Synthetic note.' }, client: { firstName: 'Avery', stage: 'awaiting_match' } });
    expect(events().slice(2)).toEqual(['read consultation success c-1', 'read profile success c-1']);
    await listConsultations(clinicianCaller(), deps(), 'req-list');
    expect(events().slice(4)).toEqual(['read profile success c-1']);
  });

  it('a former consultation clinician sees no name or stage, cannot write the outcome, and loses the record after the window', async () => {
    const { client, view } = await completed();
    // Matched with a therapist: the consultation clinician's part is over.
    await careTeam.begin({ clientId: client.userId, clinicianId: 't-1', kind: 'therapist', startedAt: new Date(clock).toISOString() });
    await careTeam.end({ clientId: client.userId, clinicianId: 'c-1', kind: 'consultation', endedAt: new Date(clock).toISOString(), endReason: 'matched' });
    clock += HOUR;
    const seen = await getConsultation({ consultationId: view.id, caller: clinicianCaller() }, deps());
    expect(seen.client).toBeUndefined();
    expect(seen).toMatchObject({ id: view.id, start: TUE_0900 });
    const [listed] = await listConsultations(clinicianCaller(), deps());
    expect(listed).toMatchObject({ id: view.id, start: TUE_0900 });
    expect(listed!.client).toBeUndefined();
    expect(JSON.stringify(listed)).not.toMatch(/Avery|awaiting_match/);
    expect(auditLog.events(client.userId).at(-1)).toMatchObject({ action: 'read', record: { category: 'profile' }, outcome: 'denied', denialReason: 'created_outside_relationship' });
    await expect(recordOutcome({ consultationId: view.id, outcome: 'completed', caller: clinicianCaller() }, deps())).rejects.toBeInstanceOf(NotFoundError);
    expect(auditLog.events(client.userId).at(-1)).toMatchObject({ action: 'update', outcome: 'denied', denialReason: 'relationship_ended' });
    // 90 days after the end, the record itself is gone for them.
    clock += 90 * 24 * HOUR;
    await expect(getConsultation({ consultationId: view.id, caller: clinicianCaller() }, deps())).rejects.toBeInstanceOf(NotFoundError);
    expect(auditLog.events(client.userId).at(-1)).toMatchObject({ action: 'read', record: { category: 'consultation' }, outcome: 'denied', denialReason: 'former_access_expired' });
  });
});

describe('join link (issue 9, finding 7)', () => {
  it('gives each consultation its own room, shown until the end and never once cancelled', async () => {
    const first = await addClient();
    const second = await addClient();
    const a = await bookConsultation({ clientId: first.userId, start: TUE_0900, clinicianId: 'c-1' }, deps());
    const b = await bookConsultation({ clientId: second.userId, start: TUE_0930, clinicianId: 'c-1' }, deps());
    expect(a.joinUrl).toBe(`https://video.example.com/rooms/${a.id}`);
    expect(b.joinUrl).toBe(`https://video.example.com/rooms/${b.id}`);
    expect(a.joinUrl).not.toBe(b.joinUrl);
    // Until the end (TUE_0900 + 15 min), then hidden.
    clock = Date.parse('2026-12-08T14:14:59.999Z');
    expect((await getConsultation({ consultationId: a.id, caller: first }, deps())).joinUrl).toBe(a.joinUrl);
    clock = Date.parse('2026-12-08T14:15:00.000Z');
    expect(await getConsultation({ consultationId: a.id, caller: first }, deps())).not.toHaveProperty('joinUrl');
    clock = NOW;
    const cancelled = await cancelConsultation({ consultationId: b.id, caller: second }, deps());
    expect(cancelled).not.toHaveProperty('joinUrl');
    expect(await getConsultation({ consultationId: b.id, caller: second }, deps())).not.toHaveProperty('joinUrl');
  });

  it('derives the room from the video service of the clinician, never their standing room', () => {
    expect(consultationJoinUrl('https://video.example.com/rooms/c-1', 'abc-123')).toBe('https://video.example.com/rooms/abc-123');
    expect(consultationJoinUrl('https://meet.example.org/dr-reyland?pin=1', 'abc-123')).toBe('https://meet.example.org/rooms/abc-123');
    const booked = { status: 'booked' as const, end: '2026-12-08T14:15:00.000Z' };
    expect(joinLinkShown(booked, Date.parse('2026-12-08T14:14:59.999Z'))).toBe(true);
    expect(joinLinkShown(booked, Date.parse('2026-12-08T14:15:00.000Z'))).toBe(false);
    expect(joinLinkShown({ ...booked, status: 'cancelled' }, NOW)).toBe(false);
  });
});

describe('workflow tasks', () => {
  async function bookedFor(start = TUE_0900) {
    const client = await addClient();
    const view = await bookConsultation({ clientId: client.userId, start, clinicianId: 'c-1' }, deps());
    return { client, view, input: { consultationId: view.id, scheduleVersion: 1 } };
  }

  it('ReadSchedule: times as Wait timestamps, both reminders due a day ahead, the outcome limit in checks', async () => {
    const { input } = await bookedFor();
    expect(await readSchedule(input, taskDeps())).toEqual({
      current: true,
      start: '2026-12-08T14:00:00Z',
      endsAt: '2026-12-08T14:15:00Z',
      remindDayBefore: true,
      dayBeforeAt: '2026-12-07T14:00:00Z',
      remindHourBefore: true,
      hourBeforeAt: '2026-12-08T13:00:00Z',
      outcomeCheckSeconds: 900,
      maxOutcomeChecks: 288,
    });
    expect(await readSchedule({ ...input, scheduleVersion: 2 }, taskDeps())).toEqual({ current: false });
  });

  it('SendConfirmation: client and clinician once each, with a REQUEST invite; the clinician sees the client as "Avery T."', async () => {
    const { client, view, input } = await bookedFor();
    expect(await sendConfirmation(input, taskDeps())).toEqual({ current: true, sent: 2 });
    expect(await sendConfirmation(input, taskDeps())).toEqual({ current: true, sent: 0 });
    const [toClient, toClinician] = email.sent;
    expect(toClient!.to).toBe(`${client.userId}@example.com`);
    expect(toClient!.subject).toBe('Your free consultation is booked: Tuesday, December 8, 2026 at 7:00 AM MST');
    expect(toClient!.attachments?.[0]).toMatchObject({ filename: 'invite.ics', contentType: 'text/calendar', method: 'REQUEST' });
    expect(toClient!.attachments?.[0]?.content).toContain(`UID:${view.id}`);
    expect(toClient!.text).toContain('988');
    expect(toClinician!.to).toBe('c-1@example.com');
    expect(toClinician!.subject).toBe('New consultation: Avery T., Tuesday, December 8, 2026 at 9:00 AM EST');
    expect(`${toClinician!.text}${toClinician!.html}`).not.toContain('Testwood');
    expect(`${toClinician!.text}${toClinician!.html}`).not.toContain(client.userId);
  });

  it('SendReminder: once per version and kind, never for a cancelled consultation or after its time', async () => {
    const { client, input } = await bookedFor();
    clock = Date.parse('2026-12-07T14:00:00Z');
    expect(await sendReminder({ ...input, kind: '24h' }, taskDeps())).toEqual({ current: true, sent: 1 });
    expect(await sendReminder({ ...input, kind: '24h' }, taskDeps())).toEqual({ current: true, sent: 0 });
    clock = Date.parse('2026-12-08T13:55:00Z');
    expect(await sendReminder({ ...input, kind: '1h' }, taskDeps())).toEqual({ current: true, sent: 0, skipped: 'too_late' });
    clock = Date.parse('2026-12-07T20:00:00Z');
    await cancelConsultation({ consultationId: input.consultationId, caller: client }, deps());
    expect(await sendReminder({ ...input, kind: '1h' }, taskDeps())).toEqual({ current: false, sent: 0 });
    expect(email.sent.map((e) => e.subject)).toEqual(['Reminder: your free consultation is tomorrow (Tuesday, December 8, 2026 at 7:00 AM MST)']);
  });

  it('CheckOutcome: counts pending checks, stops at the limit, and reports an outcome that won the race with the close', async () => {
    const { input } = await bookedFor();
    expect(await checkOutcome({ ...input, checks: 0, maxChecks: 3 }, taskDeps())).toEqual({ state: 'pending', checks: 1 });
    expect(await checkOutcome({ ...input, checks: 2, maxChecks: 3 }, taskDeps())).toEqual({ state: 'overdue', checks: 3 });
    expect((await records.get(input.consultationId))?.outcomeWatch).toBe('closed');

    const raced = await bookedFor('2026-12-09T14:00:00.000Z');
    const racing = { ...taskDeps(), consultations: Object.assign(Object.create(records) as FakeConsultationRecords, {
      closeOutcomeWatch: async () => {
        clock = Date.parse('2026-12-09T14:30:00Z');
        await recordOutcome({ consultationId: raced.view.id, outcome: 'no_show', caller: clinicianCaller() }, deps());
        return 'outcome_recorded' as const;
      },
    }) };
    expect(await checkOutcome({ ...raced.input, checks: 2, maxChecks: 3 }, racing)).toEqual({ state: 'no_show', checks: 3 });
  });

  it('SendRebookOffer: after a first no-show only, once', async () => {
    const { client, input } = await bookedFor();
    expect(await sendRebookOffer(input, taskDeps())).toEqual({ sent: false, reason: 'not_a_no_show' });
    clock = Date.parse(TUE_0900) + HOUR;
    await recordOutcome({ consultationId: input.consultationId, outcome: 'no_show', caller: clinicianCaller() }, deps());
    expect(await sendRebookOffer(input, taskDeps())).toEqual({ sent: true });
    expect(await sendRebookOffer(input, taskDeps())).toEqual({ sent: false, reason: 'already_sent' });
    expect(email.sent.map((e) => e.to)).toEqual([`${client.userId}@example.com`]);
  });

  it('SendCancellation: both, with a CANCEL invite whose SEQUENCE passes the last version', async () => {
    const { client, input } = await bookedFor();
    expect(await sendCancellation(input, taskDeps())).toEqual({ sent: 0 });
    await cancelConsultation({ consultationId: input.consultationId, caller: client }, deps());
    expect(await sendCancellation(input, taskDeps())).toEqual({ sent: 2 });
    for (const sent of email.sent) {
      expect(sent.attachments?.[0]?.method).toBe('CANCEL');
      expect(sent.attachments?.[0]?.content).toMatch(/METHOD:CANCEL[\s\S]*SEQUENCE:2/);
    }
  });
});
