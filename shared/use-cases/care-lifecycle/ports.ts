/**
 * What the care-lifecycle use cases need from storage and from Step Functions, implemented by
 * shared/adapters/dynamodb/care-lifecycle-repository.ts, shared/adapters/sfn/* and by
 * in-memory fakes in the unit tests.
 */
import type { CareEndReason, CareRelationship } from '../../domain/access.js';
import type { ActiveClientStage } from '../../domain/care-lifecycle.js';
import type { DischargeReason } from '../../domain/discharge.js';
import type { FreeConsultationState } from '../../domain/consultations.js';
import type { InstrumentId } from '../../domain/instruments/definition.js';
import type { Specialty } from '../../domain/clinicians.js';
import type { StoredPlan } from '../../domain/plans/plan.js';
import type { PlanReviewTask } from '../../domain/plans/views.js';
import type { ClientProfile } from '../ports.js';

/** A lifecycle notification record (CLIENT#<id> / NOTIFICATION#lifecycle#...). */
export interface LifecycleNotification {
  key: string;
  /** `sending`: claimed by an attempt that has not confirmed (yet). */
  state: 'sending' | 'sent';
  claimedAt: string;
}

/** Everything one wake-up reads about a client, as stored (real time). */
export interface LifecycleSnapshot {
  profile: ClientProfile;
  /** The client's relationships, ended ones included, oldest first. */
  relationships: CareRelationship[];
  /** The free consultation record's state, while awaiting a consultation (undefined: none yet). */
  freeConsultation?: FreeConsultationState;
  /** The confirmed intake's concerns (empty: no intake). */
  concerns: Specialty[];
  lastAssessmentAt?: string;
  lastCheckInAt?: string;
  lastMeasured: Partial<Record<InstrumentId, string>>;
  /** Referrals to a higher level of care not yet applied, oldest first. */
  pendingReferrals: { referralId: string; referredAt: string }[];
  notifications: LifecycleNotification[];
  /** The active treatment plan version, in care (CheckPlanProgress reads it again itself). */
  activePlan?: StoredPlan;
  /**
   * The active plans of the client's care units in joint care (shared/use-cases/plans/
   * unit-plan-check.ts), read by ReviewClient only: the lifecycle wakes at their next check.
   */
  unitPlans?: StoredPlan[];
  /** The plan review tasks still open, in care (oldest first). */
  openPlanReviews?: PlanReviewTask[];
  /** Disengagement flags raised (since = the quiet spell's start, stored value). */
  flags: { kind: 'disengaged'; since: string; therapistId: string; raisedAt: string }[];
}

export type ClaimResult = 'claimed' | 'sent' | 'in_flight' | 'client_not_found';

/** The discharge as stored (CLIENT#<id> / DISCHARGE#<dischargedAt>): the summary is clinical, never emailed. */
export interface DischargeRecord {
  clientId: string;
  therapistId: string;
  reason: DischargeReason;
  summary?: string;
  dischargedBy: string;
  dischargedAt: string;
  /** The hash of the request's Idempotency-Key (shared/use-cases/request-key.ts): a retry with it finishes the discharge. */
  requestKey?: string;
}

export interface CloseCare {
  clientId: string;
  stage: 'discharged' | 'referred';
  /** Only from one of these stages (the condition on the profile). */
  from: readonly ActiveClientStage[];
  at: string;
  endReason: Extract<CareEndReason, 'discharged' | 'referred'>;
  /** The active relationships to end, as just read: each ends only if still active as read. */
  relationships: readonly CareRelationship[];
  /** A referral this applies (stamped `appliedAt`, only once). */
  referralId?: string;
  discharge?: DischargeRecord;
}

/** `conflict`: something changed since it was read (re-read and decide again). */
export type CloseCareResult = 'closed' | 'conflict' | 'client_not_found';

export interface CareLifecycleRecords {
  /** Undefined when the client is gone. */
  snapshot(clientId: string): Promise<LifecycleSnapshot | undefined>;
  /** Claims a notification key before sending ("if absent", or taking over a claim older than `staleBefore`). */
  claimNotification(clientId: string, key: string, claimId: string, at: string, staleBefore: string): Promise<ClaimResult>;
  confirmNotification(clientId: string, key: string, claimId: string, messageId: string, sentAt: string): Promise<void>;
  /** Gives a claim back after a send that failed for sure, so that a retry sends. */
  releaseNotification(clientId: string, key: string, claimId: string): Promise<void>;
  /** Puts the flag "if absent"; `exists` on a retry. */
  raiseDisengagementFlag(clientId: string, flag: { since: string; therapistId: string; raisedAt: string }): Promise<'raised' | 'exists' | 'client_not_found'>;
  /** Stage -> discharged/referred, the active relationships ended (therapist caseload -1), referral applied, discharge stored: ONE transaction. */
  closeCare(close: CloseCare): Promise<CloseCareResult>;
  /** The latest discharge of the client, if any. */
  latestDischarge(clientId: string): Promise<DischargeRecord | undefined>;
  /** Records the lifecycle execution on the profile, only moving forward (generation > recorded). */
  recordExecution(clientId: string, generation: number, executionArn: string): Promise<'recorded' | 'stale' | 'client_not_found'>;
  /** One page of the clients in an active stage (the stage index). */
  clientsInStage(stage: ActiveClientStage, page: { limit: number; cursor?: string }): Promise<{ clientIds: string[]; cursor?: string }>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/** The care-lifecycle executions, by name (DescribeExecution). */
export interface LifecycleExecutions {
  /** Undefined when no execution has this name. */
  describe(name: string): Promise<{ executionArn: string; status: ExecutionStatus } | undefined>;
}
