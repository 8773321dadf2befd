/**
 * The stores the match use cases need, implemented by shared/adapters/dynamodb/
 * match-repository.ts (intake, pin, assigning and ending a therapist) and
 * clinician-repository.ts (the therapist directory), and by in-memory fakes in the unit tests.
 */
import type { CareEndReason, CareRelationship } from '../../domain/access.js';
import type { ClinicianProfile } from '../../domain/clinicians.js';
import type { IntakeRecord, MatchPin, RematchReason } from '../../domain/matches.js';
import type { WeeklyRule } from '../../domain/scheduling.js';
import type { ClientStage } from '../../domain/signup.js';
import type { UsStateCode } from '../../domain/us-states.js';

/** A therapist as the directory holds them, for ranking. */
export interface DirectoryTherapist {
  profile: ClinicianProfile;
  /** Regular weekly hours in the therapist's zone (empty: none published). */
  weekly: WeeklyRule[];
  /**
   * The caseload counter: clients in care now, and the capacity and accepting flag the accept
   * transaction enforces (copied from the profile). Absent: no counter, treated as full.
   */
  caseload?: { count: number; capacity: number; accepting: boolean };
}

export interface TherapistDirectory {
  /**
   * Therapists (role `therapist`) with a license in `state` that is valid on `onDate`
   * according to the listing; the profile read with it has the last word (the engine checks
   * it again). Query GSI1 + BatchGet, no Scan.
   */
  listTherapists(state: UsStateCode, onDate: string): Promise<DirectoryTherapist[]>;
}

/** `written`: stored now. `client_not_found`: no client profile, nothing written. */
export type WriteOutcome = 'written' | 'client_not_found';

export interface AssignTherapist {
  clientId: string;
  therapistId: string;
  /** UTC ISO instant: the relationship's start. */
  startedAt: string;
  /** The client's active consultation relationship, ended with reason `matched` in the same transaction. */
  consultation?: CareRelationship;
}

/**
 * `assigned`: all of it in one transaction. Otherwise nothing was written:
 * `therapist_full` (no room, or not accepting now), `therapist_active` (the client already has
 * an active therapist), `stage_changed` (the client is not awaiting a match, or is gone),
 * `conflict` (the consultation relationship changed meanwhile: read again and retry).
 */
export type AssignOutcome = 'assigned' | 'therapist_full' | 'therapist_active' | 'stage_changed' | 'conflict';

export interface EndTherapistCare {
  clientId: string;
  /** The active therapist relationship to end. */
  relationship: CareRelationship;
  /** UTC ISO instant, not before the relationship's start. */
  endedAt: string;
  endReason: CareEndReason;
  /** The client's stage must be `from`; it becomes `to` in the same transaction. */
  stage: { from: ClientStage; to: ClientStage };
  /** A rematch: its record (reason and the client's note) under the client, in the same transaction. */
  rematch?: { reason: RematchReason; note?: string; requestKey?: string };
}

/** A rematch as stored (CLIENT#<id> / REMATCH#<endedAt>, pattern 38). */
export interface StoredRematch {
  therapistId: string;
  endedAt: string;
  reason: RematchReason;
  note?: string;
  /** The hash of the request's Idempotency-Key (shared/use-cases/request-key.ts): a retry with it finishes the rematch. */
  requestKey?: string;
}

/**
 * `ended`: relationship ended, caseload released, stage moved (and the rematch recorded) in one
 * transaction. Nothing written otherwise: `not_active` (that relationship is not active any
 * more), `stage_changed` (the client is not in stage `from`, or is gone), `conflict` (a
 * concurrent change: read again and retry).
 */
export type EndTherapistOutcome = 'ended' | 'not_active' | 'stage_changed' | 'conflict';

export interface MatchRecords {
  getIntakes(clientId: string): Promise<{ draft?: IntakeRecord; confirmed?: IntakeRecord }>;
  /** Replaces one version, only while the client profile exists. */
  putIntake(record: IntakeRecord): Promise<WriteOutcome>;
  getPin(clientId: string): Promise<MatchPin | undefined>;
  putPin(pin: MatchPin): Promise<WriteOutcome>;
  clearPin(clientId: string): Promise<void>;
  /**
   * ONE transaction: the therapist's caseload + 1 only if below capacity and accepting; the
   * therapist relationship begins (one active per client); the consultation relationship ends
   * (`matched`); the client's stage awaiting_match -> in_care.
   */
  assignTherapist(input: AssignTherapist): Promise<AssignOutcome>;
  /**
   * ONE transaction: the therapist relationship ends, the caseload - 1, the stage moves (and a
   * rematch is recorded). For rematch here, and discharge or referral in the care lifecycle.
   */
  endTherapistCare(input: EndTherapistCare): Promise<EndTherapistOutcome>;
  /** The client's latest rematch, if any (consistent read). */
  latestRematch(clientId: string): Promise<StoredRematch | undefined>;
}
