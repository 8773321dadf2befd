/**
 * The ports of the consultation use cases: the consultation records (bookings, holds, lock
 * cells, the free-consultation record; shared/adapters/dynamodb/consultation-repository.ts) and
 * the clinician directory (shared/use-cases/ports.ts, implemented by the clinician repository).
 * Unit tests pass in-memory fakes with the same contracts (tests/unit/consultations/fakes.ts).
 */
import type {
  ConsultationActor,
  ConsultationOutcome,
  ConsultationStatus,
  FreeConsultationState,
  SlotClinician,
} from '../../domain/consultations.js';
import type { SentNotification } from '../ports.js';

export type { ConsultationClinician, ConsultationDirectory } from '../ports.js';

/** A consultation as stored (CONSULTATION#<id> / CONSULTATION). Instants are UTC ISO strings. */
export interface StoredConsultation {
  consultationId: string;
  clientId: string;
  clinicianId: string;
  /** The clinician's public bits at booking (staff data, no client data), for views without a directory read. */
  clinician: SlotClinician;
  /** The clinician's video room at booking. */
  joinUrl: string;
  /** The clinician's zone at booking, for the clinician's local times. */
  clinicianTimezone: string;
  start: string;
  end: string;
  status: ConsultationStatus;
  /** 1 at booking, +1 at each reschedule: names the workflow execution that owns the time. */
  scheduleVersion: number;
  /** When this version's time was booked or moved (decides which reminders are still worth sending). */
  scheduledAt: string;
  createdAt: string;
  updatedAt: string;
  /** The client's zone at booking, for the client's local times. */
  clientTimezone: string;
  /**
   * The lock cells (UTC ISO) this booking holds, as written: released from this list, never
   * recomputed, so a later change of the buffer cannot leave cells behind.
   */
  lockCells: string[];
  /** The Idempotency-Key of the booking request, so a retry after a partial failure finds its booking. */
  requestKey?: string;
  cancelledAt?: string;
  cancelledBy?: ConsultationActor;
  outcome?: ConsultationOutcome;
  outcomeRecordedAt?: string;
  /** Set by the workflow when it stops waiting for the outcome; a later no-show then starts its own follow-up. */
  outcomeWatch?: 'closed';
}

/** CLIENT#<id> / FREE_CONSULTATION (see the state diagram in shared/domain/consultations.ts). */
export interface FreeConsultationRecord {
  clientId: string;
  state: FreeConsultationState;
  /** The consultation that holds it while `booked` (and the last one otherwise). */
  consultationId?: string;
  noShows: number;
  updatedAt: string;
}

export interface StoredHold {
  holdId: string;
  clientId: string;
  clinicianId: string;
  start: string;
  /** ISO; the lock cells carry the same expiry (epoch seconds). */
  expiresAt: string;
  /** Which of the client's numbered hold places it takes (1..max). */
  place: number;
  createdAt: string;
}

export interface NewBooking {
  /** Its `lockCells` are the cells the transaction takes (`occupiedCells`). */
  consultation: StoredConsultation;
  /** The client's hold being converted, if any. */
  hold?: Pick<StoredHold, 'holdId' | 'place'>;
  now: Date;
}

export type BookingResult = { outcome: 'booked' } | { outcome: 'slot_taken' } | { outcome: 'free_consultation_used' };

export interface NewHold {
  hold: Omit<StoredHold, 'place'>;
  cells: readonly number[];
  maxHolds: number;
  now: Date;
}

export type HoldResult =
  | { outcome: 'held'; hold: StoredHold }
  | { outcome: 'slot_taken' }
  | { outcome: 'hold_limit_reached' }
  | { outcome: 'free_consultation_used' };

export interface Reschedule {
  consultation: StoredConsultation;
  start: string;
  end: string;
  newCells: readonly number[];
  now: Date;
}

export interface OutcomeRecord {
  consultation: StoredConsultation;
  outcome: ConsultationOutcome;
  notes?: string;
  /** The free-consultation record as read, so the update is conditional on what it was. */
  free: FreeConsultationRecord;
  now: Date;
}

export interface ConsultationNotes {
  notes: string;
  recordedAt: string;
}

export interface ConsultationRecords {
  /** Cells (epoch ms) in [from, to) locked by a booking or an unexpired hold at `now`. Query, consistent. */
  lockedCells(clinicianId: string, from: number, to: number, now: Date): Promise<number[]>;
  /** Consultation, client pointer, free-consultation record and every lock cell in ONE transaction. */
  book(booking: NewBooking): Promise<BookingResult>;
  /** A numbered hold place and the lock cells in one transaction; tries each place in turn. */
  hold(request: NewHold): Promise<HoldResult>;
  /** The client's hold with this id, unexpired at `now`. */
  findHold(clientId: string, holdId: string, now: Date): Promise<StoredHold | undefined>;
  get(consultationId: string): Promise<StoredConsultation | undefined>;
  listForClient(clientId: string): Promise<StoredConsultation[]>;
  /** The clinician's consultations starting at or after `fromIso`, by start. */
  listForClinician(clinicianId: string, fromIso: string): Promise<StoredConsultation[]>;
  getFreeConsultation(clientId: string): Promise<FreeConsultationRecord | undefined>;
  /** `conflict`: the consultation is no longer booked at this version (re-read it). */
  cancel(consultation: StoredConsultation, by: ConsultationActor, now: Date): Promise<'cancelled' | 'conflict'>;
  /** Old cells released and new cells taken atomically, the version incremented. */
  reschedule(change: Reschedule): Promise<'rescheduled' | 'slot_taken' | 'conflict'>;
  /** Outcome, free-consultation record and (completed) the client's stage in one transaction; notes stored apart. */
  recordOutcome(record: OutcomeRecord): Promise<'recorded' | 'conflict'>;
  getNotes(consultationId: string): Promise<ConsultationNotes | undefined>;
  /** The workflow stops waiting for the outcome: `closed`, or `outcome_recorded` when an outcome came first. */
  closeOutcomeWatch(consultationId: string, scheduleVersion: number, now: Date): Promise<'closed' | 'outcome_recorded' | 'not_current'>;
  hasNotification(consultationId: string, key: string): Promise<boolean>;
  /** A record already there is fine. */
  recordNotification(consultationId: string, notification: SentNotification): Promise<void>;
}
