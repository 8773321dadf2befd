/**
 * The ports of the risk-escalation workflow tasks and the risk-task routes, implemented by
 * shared/adapters/dynamodb/risk-task-repository.ts and by in-memory fakes in the unit tests.
 */
import type { RiskFlag } from '../../domain/instruments/risk-flags.js';
import type { StaffRole } from '../../domain/roles.js';
import type { Referral, RiskAssessmentRecord, RiskSourceRef, RiskTask } from '../../domain/risk-tasks.js';

/**
 * The record that raised a risk flag (an assessment or a check-in), read by id: the workflow's
 * execution carries ids only, and OpenRiskTask reads the level and the flag's time from here
 * (shared/adapters/dynamodb/risk-source-reader.ts).
 */
export interface RiskSources {
  /** The record's risk flags and its own time (submittedAt / recordedAt); undefined when this client has no such record. Consistent. */
  get(clientId: string, source: RiskSourceRef): Promise<{ riskFlags: readonly Pick<RiskFlag, 'level'>[]; at: string } | undefined>;
}

/**
 * An email about a task, claimed before it is sent (see sendOnce in workflow-tasks.ts):
 * `claimed` - ours to send now; `sent` - already sent; `in_flight` - claimed by another attempt
 * at `claimedAt`, not confirmed (yet).
 */
export type EmailClaim = { state: 'claimed' } | { state: 'sent' } | { state: 'in_flight'; claimedAt: string };

export type AcknowledgeResult =
  | { outcome: 'acknowledged' | 'already_acknowledged'; task: RiskTask }
  | { outcome: 'acknowledged_by_other' | 'closed'; task: RiskTask }
  | { outcome: 'not_found' };

export type AssessResult = { outcome: 'assessed'; task: RiskTask } | { outcome: 'closed'; task: RiskTask } | { outcome: 'not_found' };

export interface RiskTasks {
  /**
   * Puts the task, its supervisors' open-list item and the client's pointer in ONE transaction,
   * each only if absent. `exists`: nothing written, the stored task returned (a retry, or a
   * second start for the same source).
   */
  create(task: RiskTask): Promise<{ outcome: 'created' | 'exists'; task: RiskTask }>;
  /** Strongly consistent. */
  get(taskId: string): Promise<RiskTask | undefined>;
  /** Open tasks assigned to this staff member (GSI1, may lag a moment), by deadline. */
  listOpenAssignedTo(staffId: string): Promise<RiskTask[]>;
  /** Every open task (the supervisors' list), by deadline. */
  listOpen(): Promise<RiskTask[]>;
  /** Whether the client has an open task. Consistent. */
  hasOpenTask(clientId: string): Promise<boolean>;
  /** The deadlines (`dueAt`) of the client's open tasks (supervisors' `openRiskTasks` for the access policy). Consistent. */
  openTaskDeadlines(clientId: string): Promise<string[]>;
  /**
   * Sets acknowledgedAt/By and status `acknowledged` only while nobody has acknowledged
   * (open, escalated, unresolved). The same person again: `already_acknowledged`.
   */
  acknowledge(taskId: string, by: string, at: string): Promise<AcknowledgeResult>;
  /**
   * Stores the assessment and closes the task (status `assessed`, off both open lists, the
   * client's pointer closed) and, with a referral, the client's referral record, in ONE
   * transaction, only while the task is not assessed. Acknowledges too when nobody had.
   */
  assess(taskId: string, assessment: RiskAssessmentRecord, referral: Referral | undefined): Promise<AssessResult>;
  /** Appends round `round` to the escalations once (a retried round changes nothing); `open` becomes `escalated`. */
  recordEscalation(taskId: string, round: { round: number; at: string; notified: number }): Promise<'recorded' | 'already_recorded' | 'not_found'>;
  /** Status `unresolved` and unresolvedAt, only while open or escalated. */
  markUnresolved(taskId: string, at: string): Promise<'marked' | 'already_marked' | 'handled' | 'not_found'>;
  claimEmail(taskId: string, key: string, claimId: string, at: string): Promise<EmailClaim>;
  /** Marks our claim sent. */
  confirmEmail(taskId: string, key: string, claimId: string, messageId: string, at: string): Promise<void>;
  /** Gives up our claim (the send failed for sure): a retry may send. */
  releaseEmail(taskId: string, key: string, claimId: string): Promise<void>;
  /** A claim that died unconfirmed: recorded as of unknown outcome, never sent again. */
  abandonEmail(taskId: string, key: string, at: string): Promise<void>;
}

export interface StaffContact {
  staffId: string;
  role: StaffRole;
  email: string;
  createdAt: string;
}

/** Staff records (STAFF#<id> / PROFILE) and the by-role index (GSI1 ROLE#<role>). */
export interface StaffDirectory {
  contact(staffId: string): Promise<StaffContact | undefined>;
  /** Every staff member of the role (a small set: supervisors, coordinators). */
  byRole(role: StaffRole): Promise<StaffContact[]>;
}
