/**
 * What the plan use cases need from storage, implemented by
 * shared/adapters/dynamodb/plan-repository.ts and by in-memory fakes in the unit tests. Every
 * record lives under its client (CLIENT#<clientId>, keys.ts patterns 49-52).
 */
import type { PlanAcknowledgement, StoredPlan } from '../../domain/plans/plan.js';
import type { PlanReviewTask } from '../../domain/plans/views.js';

export type WriteResult = 'written' | 'conflict' | 'client_not_found';

/** A signature: the draft becomes active; the version it replaces (if any) becomes revised; the reviews it answers close. */
export interface SignPlan {
  plan: StoredPlan;
  /** The active version this draft replaces, as read (its `updatedAt` guards the write). */
  replaced?: StoredPlan;
  /** Open review tasks of the replaced version, closed by this revision. */
  closeReviews: readonly string[];
}

export interface PlanRecords {
  /** Every version of the client's plan, oldest first (consistent read). */
  versions(clientId: string): Promise<StoredPlan[]>;
  /** The ACTIVE_PLAN pointer. */
  activePointer(clientId: string): Promise<{ planId: string; version: number } | undefined>;
  /** Puts a new draft version "if absent" (and only for an existing client). */
  createDraft(plan: StoredPlan): Promise<WriteResult>;
  /** Replaces a draft while it is still a draft last updated at `expectedUpdatedAt`. */
  updateDraft(plan: StoredPlan, expectedUpdatedAt: string): Promise<Exclude<WriteResult, 'client_not_found'>>;
  /** ONE transaction (see SignPlan and keys.ts pattern 50): `conflict` when anything moved. */
  sign(sign: SignPlan): Promise<Exclude<WriteResult, 'client_not_found'>>;
  /** Active -> completed/ended and the pointer removed, in one transaction. */
  end(plan: StoredPlan, expectedUpdatedAt: string): Promise<Exclude<WriteResult, 'client_not_found'>>;
  acknowledgements(clientId: string): Promise<PlanAcknowledgement[]>;
  /** "If absent": `existing` returns the first one. */
  acknowledge(clientId: string, acknowledgement: PlanAcknowledgement): Promise<{ outcome: 'created' | 'existing'; acknowledgement: PlanAcknowledgement }>;
  reviews(clientId: string): Promise<PlanReviewTask[]>;
  /** "If absent" (the id is the trigger's key): `exists` when it was already opened (open or closed). */
  openReview(task: PlanReviewTask): Promise<'opened' | 'exists' | 'client_not_found'>;
  /** Closes an open review with a "no change" outcome: `not_open` if it is closed (or absent). */
  closeReview(clientId: string, reviewId: string, closure: Required<Pick<PlanReviewTask, 'closedAt' | 'closedBy' | 'reason'>>): Promise<'closed' | 'not_open'>;
}

/** Attended sessions since an instant (the sessions repository's client pointers). */
export interface AttendedSessions {
  attendedSince(clientId: string, since: string): Promise<number>;
}
