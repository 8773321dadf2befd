/**
 * POST /v1/consultations: book the client's free consultation.
 *
 * 1. Read the client's profile (state, zone; an unverified email -> 403 `email_not_verified`) and free-consultation record: a client whose
 *    free consultation is booked, done or forfeited gets 409 `free_consultation_used` at once
 *    (the transaction in step 4 is what enforces it; this only answers early), unless this is
 *    a retry of the request that booked it (same Idempotency-Key): then that booking is returned.
 * 2. The client's own unexpired hold on this start, when `holdId` is given, is converted.
 * 3. Never trust the start: it must be one the clinician's hours offer (on the step grid of an
 *    open block, within notice and horizon) and the clinician must be licensed in the client's
 *    state on that date. Without a clinician, those free then are ranked deterministically
 *    (clinicianPreference) and tried in that order.
 * 4. ONE transaction (consultation-repository.ts `book`): the consultation, the client's
 *    pointer, the free-consultation record (only if absent or available) and every lock cell
 *    (only if absent or an expired hold, or this client's hold). A lost race -> 409
 *    `slot_taken` offering other free times.
 * 5. The clinician becomes the client's consultation clinician (a `consultation` care
 *    relationship, until matching), then the consultation workflow starts for version 1
 *    (confirmation, reminders, outcome). A retry (same Idempotency-Key) does both again,
 *    idempotently, so a failure after step 4 heals.
 */
import {
  consultationEnd,
  consultationJoinUrl,
  type BookConsultationRequest,
  type ConsultationView,
} from '../../domain/consultations.js';
import { FreeConsultationUsedError, SlotTakenError } from '../../domain/errors.js';
import { occupiedCells } from '../../domain/scheduling.js';
import type { UsStateCode } from '../../domain/us-states.js';
import type { ClientProfile } from '../ports.js';
import { consultationView } from './consultation-access.js';
import { beginConsultationCare, startConsultationWorkflow, verifiedClientProfileOf, type ConsultationDeps } from './dependencies.js';
import type { ConsultationClinician, FreeConsultationRecord, StoredConsultation, StoredHold } from './ports.js';
import { alternativesNear, bookingCandidates, clinicianSummary, type SlotSearchDeps } from './slot-search.js';

export interface BookConsultationInput extends BookConsultationRequest {
  clientId: string;
  /** The request's Idempotency-Key, kept on the booking so a retry after a partial failure finds it. */
  idempotencyKey?: string;
}

export function freeConsultationUsed(record: FreeConsultationRecord | undefined): FreeConsultationUsedError {
  switch (record?.state) {
    case 'completed':
      return new FreeConsultationUsedError('You have had your free consultation. Your next step is being matched with a therapist.');
    case 'forfeited':
      return new FreeConsultationUsedError('Your free consultation was missed and cannot be booked again. Contact us and we will help.');
    default:
      return new FreeConsultationUsedError('You already have a free consultation booked. Cancel or reschedule it instead.');
  }
}

export async function bookConsultation(input: BookConsultationInput, deps: ConsultationDeps): Promise<ConsultationView> {
  const { policy } = deps.settings;
  const now = deps.now();
  const start = Date.parse(input.start);
  const profile = await verifiedClientProfileOf(deps.clients, input.clientId);
  const state = profile.state as UsStateCode;
  const search: SlotSearchDeps = { directory: deps.directory, consultations: deps.consultations, policy, now: deps.now };

  const free = await deps.consultations.getFreeConsultation(input.clientId);
  if (free && free.state !== 'available') {
    const replayed = await replay(input, free, deps);
    if (replayed) return replayed;
    throw freeConsultationUsed(free);
  }

  const hold = input.holdId ? await deps.consultations.findHold(input.clientId, input.holdId, now) : undefined;
  const usableHold: StoredHold | undefined =
    hold && Date.parse(hold.start) === start && (input.clinicianId === undefined || input.clinicianId === hold.clinicianId) ? hold : undefined;

  const candidates = await bookingCandidates(input.clinicianId ?? usableHold?.clinicianId, start, state, search);
  for (const clinician of candidates) {
    const consultation = newConsultation(input, profile, clinician, start, deps);
    const convert = usableHold?.clinicianId === clinician.clinicianId ? { holdId: usableHold.holdId, place: usableHold.place } : undefined;
    const result = await deps.consultations.book({ consultation, ...(convert ? { hold: convert } : {}), now });
    if (result.outcome === 'booked') {
      await beginConsultationCare(deps, consultation, now);
      await startConsultationWorkflow(deps.workflow, { consultationId: consultation.consultationId, scheduleVersion: 1, phase: 'schedule' });
      return consultationView(consultation, 'client', deps.now());
    }
    if (result.outcome === 'free_consultation_used') {
      // A concurrent booking of this client won; or this very request, retried.
      const latest = await deps.consultations.getFreeConsultation(input.clientId);
      const replayed = latest && (await replay(input, latest, deps));
      if (replayed) return replayed;
      throw freeConsultationUsed(latest);
    }
  }
  throw new SlotTakenError(await alternativesNear(start, state, profile.timezone, search));
}

function newConsultation(
  input: BookConsultationInput,
  profile: ClientProfile,
  clinician: ConsultationClinician,
  start: number,
  deps: Pick<ConsultationDeps, 'settings' | 'now' | 'newId'>,
): StoredConsultation {
  const { policy } = deps.settings;
  const at = deps.now().toISOString();
  const consultationId = deps.newId();
  return {
    consultationId,
    clientId: input.clientId,
    clinicianId: clinician.clinicianId,
    clinician: clinicianSummary(clinician),
    // A room of its own: the clinician's standing room would let every past client into later sessions.
    joinUrl: consultationJoinUrl(clinician.videoRoomUrl, consultationId),
    clinicianTimezone: clinician.timezone,
    start: new Date(start).toISOString(),
    end: new Date(consultationEnd(start, policy.consultationMinutes)).toISOString(),
    status: 'booked',
    scheduleVersion: 1,
    scheduledAt: at,
    createdAt: at,
    updatedAt: at,
    clientTimezone: profile.timezone,
    lockCells: occupiedCells(start, policy).map((cell) => new Date(cell).toISOString()),
    ...(input.idempotencyKey ? { requestKey: input.idempotencyKey } : {}),
  };
}

/**
 * A retry (same Idempotency-Key) of the request that made the client's current booking: the
 * same consultation again, and its workflow started if the first attempt failed before that.
 */
async function replay(input: BookConsultationInput, free: FreeConsultationRecord, deps: ConsultationDeps): Promise<ConsultationView | undefined> {
  if (!input.idempotencyKey || free.state !== 'booked' || !free.consultationId) return undefined;
  const existing = await deps.consultations.get(free.consultationId);
  if (!existing || existing.requestKey !== input.idempotencyKey || existing.status !== 'booked') return undefined;
  await beginConsultationCare(deps, existing, new Date(existing.createdAt));
  await startConsultationWorkflow(deps.workflow, { consultationId: existing.consultationId, scheduleVersion: existing.scheduleVersion, phase: 'schedule' });
  return consultationView(existing, 'client', deps.now());
}
