/**
 * The ports of the weekly progress review (issue 11): implemented by
 * shared/adapters/dynamodb/progress-review-repository.ts and by in-memory fakes in the unit
 * tests (tests/unit/reviews/progress-reviews.test.ts).
 */
import type { StoredPlan } from '../../domain/plans/plan.js';
import type { PlanReviewTask } from '../../domain/plans/views.js';
import type { Disposition, ReviewRiskFlag, ReviewRiskTask, ReviewScorePoint, ReviewSession } from '../../domain/reviews/facts.js';
import type { ProgressReview } from '../../domain/reviews/review.js';
import type { ReviewPreferences } from '../../domain/reviews/schedule.js';
import type { ObjectiveInstrument } from '../../domain/plans/plan.js';
import type { EmailClaim } from '../risk/ports.js';

export type { EmailClaim };

/** One stored review, as listed (no client data: counts and the period). */
export interface ReviewListEntry {
  reviewId: string;
  therapistId: string;
  period: { start: string; end: string };
  generatedAt: string;
  clientsInCare: number;
  listed: number;
}

/** Reviews, dispositions, preferences and email claims (keys.ts patterns 100-103). */
export interface ProgressReviewStore {
  getPreferences(therapistId: string): Promise<ReviewPreferences | undefined>;
  /** Many therapists' preferences at once (BatchGet); absent: none stored. */
  preferencesOf(therapistIds: readonly string[]): Promise<Map<string, ReviewPreferences>>;
  putPreferences(therapistId: string, preferences: ReviewPreferences): Promise<void>;
  /** Put "if absent": `exists` when this therapist already has a review for this period end (a retry). */
  save(review: ProgressReview): Promise<'stored' | 'exists'>;
  /** Consistent. */
  get(therapistId: string, periodEnd: string): Promise<ProgressReview | undefined>;
  /** Newest first; `cursor` is the previous page's. */
  list(therapistId: string, page: { limit: number; cursor?: string }): Promise<{ items: ReviewListEntry[]; cursor?: string }>;
  /** The newest review whose period ends before `periodEnd`. */
  latestBefore(therapistId: string, periodEnd: string): Promise<ProgressReview | undefined>;
  /** clientId -> disposition, for one review. */
  dispositions(therapistId: string, periodEnd: string): Promise<Map<string, Disposition>>;
  /** Put "if absent": one disposition per client per review; `exists` returns the stored one. */
  recordDisposition(therapistId: string, periodEnd: string, clientId: string, disposition: Disposition): Promise<{ outcome: 'recorded' | 'exists'; disposition: Disposition }>;
  claimEmail(therapistId: string, periodEnd: string, claimId: string, at: string): Promise<EmailClaim>;
  confirmEmail(therapistId: string, periodEnd: string, claimId: string, messageId: string, at: string): Promise<void>;
  releaseEmail(therapistId: string, periodEnd: string, claimId: string): Promise<void>;
  abandonEmail(therapistId: string, periodEnd: string, at: string): Promise<void>;
}

export interface TherapistEntry {
  therapistId: string;
  /** The profile's IANA zone; absent on a bare profile. */
  timeZone?: string;
  email?: string;
}

/** Therapists (GSI1 ROLE#therapist, pattern 6) and one therapist's profile. */
export interface TherapistDirectory {
  listTherapists(): Promise<TherapistEntry[]>;
  get(therapistId: string): Promise<TherapistEntry | undefined>;
}

/** A client in care with the therapist: what the stores hold, before the review's due-vs-done rules. */
export interface ClientReviewRecords {
  clientId: string;
  firstName: string;
  lastName: string;
  careStartedAt: string;
  scores: Partial<Record<ObjectiveInstrument, ReviewScorePoint[]>>;
  /** The active plan version, if any. */
  plan?: StoredPlan;
  planReviews: PlanReviewTask[];
  /** Sessions with THIS therapist. */
  sessions: ReviewSession[];
  /** Instants of the client's check-ins since care started. */
  checkInsAt: string[];
  /** Risk flags of assessments and check-ins (kind, level, instant only). */
  riskFlags: ReviewRiskFlag[];
  openRiskTasks: ReviewRiskTask[];
}

/** What the review reads, per therapist; `reads()` counts the DynamoDB requests it made (issue 11's bench). */
export interface ReviewFactsSource {
  clientsInCare(therapistId: string): Promise<{ clientId: string; startedAt: string }[]>;
  clientRecords(clientId: string, therapistId: string, careStartedAt: string): Promise<ClientReviewRecords | undefined>;
  reads(): number;
}
