/**
 * The stores the monitoring use cases (assessments, check-ins, diagnoses) need, implemented by
 * shared/adapters/dynamodb/{assessment,check-in,diagnosis}-repository.ts and by in-memory
 * fakes in the unit tests. Every record lives under its client (CLIENT#<clientId>).
 */
import type { InstrumentId } from '../../domain/instruments/definition.js';
import type { RiskLevel } from '../../domain/instruments/risk-flags.js';
import type { StoredAssessment } from '../../domain/monitor/assessments.js';
import type { StoredCheckIn } from '../../domain/monitor/check-ins.js';
import type { DiagnosisVersion } from '../../domain/monitor/diagnoses.js';
import type { RiskSource } from '../ports.js';

/** A risk escalation to start, kept with the record until the start succeeded (for a reconciler). */
export interface PendingRiskEscalation {
  clientId: string;
  level: RiskLevel;
  source: RiskSource;
  /** The record's own time: the same value on every start of the same source (the workflow input). */
  flaggedAt: string;
}

export interface SaveOptions {
  /**
   * The caller's Idempotency-Key, hashed with the route and the caller: written with the
   * record, "if absent". A retry after a partial failure (the record stored, the response
   * lost or the escalation not started) finds the record it made instead of making another.
   */
  submissionKey?: string;
  /** Written in the same transaction when the record raised a risk flag. */
  pendingEscalation?: PendingRiskEscalation;
}

/**
 * `created`: written now. `existing`: the submission key was already used by this caller on
 * this route; nothing was written and the record it made is returned. `client_not_found`: no
 * client profile (nothing written).
 */
export type SaveResult<T> = { outcome: 'created' | 'existing'; record: T } | { outcome: 'client_not_found' };

/** A page, newest first; `lastKey` names the last item when more may follow. */
export interface Page<T> {
  items: T[];
  lastKey?: string;
}

export interface PageRequest {
  limit: number;
  /** The `lastKey` of the previous page: the page starts after it. */
  after?: string;
  /**
   * Only records created within these half-open windows [from, to) (UTC ISO; a former
   * clinician's access scope): the query's key range stops at each window's bounds (ids are
   * UUIDv7), so no row outside them is read, returned or made into `lastKey`.
   */
  within?: readonly { from: string; to: string }[];
}

export interface ScorePointRecord {
  assessmentId: string;
  total: number;
  at: string;
}

export interface AssessmentRecords {
  save(assessment: StoredAssessment, options?: SaveOptions): Promise<SaveResult<StoredAssessment>>;
  /** The id of the record a submission key made, if any (consistent read). */
  findBySubmissionKey(clientId: string, submissionKey: string): Promise<string | undefined>;
  get(clientId: string, assessmentId: string): Promise<StoredAssessment | undefined>;
  /** Which of these ids are assessments of this client. */
  existing(clientId: string, assessmentIds: readonly string[]): Promise<Set<string>>;
  /** Newest first; all instruments, or one. */
  list(clientId: string, page: PageRequest & { instrument?: InstrumentId }): Promise<Page<StoredAssessment>>;
  /** Every total of one instrument, oldest first (for outcome rules). */
  series(clientId: string, instrument: InstrumentId): Promise<ScorePointRecord[]>;
}

export interface CheckInRecords {
  save(checkIn: StoredCheckIn, options?: SaveOptions): Promise<SaveResult<StoredCheckIn>>;
  findBySubmissionKey(clientId: string, submissionKey: string): Promise<string | undefined>;
  get(clientId: string, checkInId: string): Promise<StoredCheckIn | undefined>;
  /** Newest first. */
  list(clientId: string, page: PageRequest): Promise<Page<StoredCheckIn>>;
  /** Every check-in recorded at or after `from` (UTC ISO), newest first. */
  since(clientId: string, from: string): Promise<StoredCheckIn[]>;
}

/**
 * `created` / `existing` as SaveResult. `conflict`: the version after `revises` exists (another
 * change came first). `revised_not_found`: no such diagnosis version of this client.
 */
export type RecordDiagnosisResult =
  | { outcome: 'created' | 'existing'; record: DiagnosisVersion }
  | { outcome: 'client_not_found' | 'conflict' | 'revised_not_found' };

export interface DiagnosisRecords {
  /** Writes version `diagnosis.version`: if absent, and (for version > 1) only when version - 1 exists. */
  record(diagnosis: DiagnosisVersion, options?: Pick<SaveOptions, 'submissionKey'>): Promise<RecordDiagnosisResult>;
  findBySubmissionKey(clientId: string, submissionKey: string): Promise<{ diagnosisId: string; version: number } | undefined>;
  /** Every version of every diagnosis of the client. */
  list(clientId: string): Promise<DiagnosisVersion[]>;
}

/** The risk escalations stored but not (yet known to be) started. */
export interface PendingRiskEscalations {
  /** Removes the marker once the workflow start succeeded. Idempotent. */
  clear(clientId: string, source: RiskSource): Promise<void>;
  /** The oldest pending ones first: what a reconciler starts again. */
  listPending(limit: number): Promise<PendingRiskEscalation[]>;
}
