/**
 * The progress review in the app (issue 11, point 4), pure: who may do what with a therapist's
 * reviews, the review id, the period an admin's "run now" builds, adherence, and the routes'
 * request and response schemas.
 *
 * Access (one table; denials answer 404 where existence would leak, as shared/domain/access.ts):
 *
 * | caller                         | list / read a review | disposition | preferences | adherence | run now / preview |
 * |--------------------------------|----------------------|-------------|-------------|-----------|-------------------|
 * | the review's therapist         | yes (own only)       | yes         | own         | -         | -                 |
 * | another therapist              | 404                  | 404         | 403         | -         | -                 |
 * | a supervisor                   | yes, while the therapist is in their team | 403 (by role) | 403 | yes | - |
 * | an admin                       | no (403 by role): counts only, through adherence and run/preview | 403 | yes | yes | yes |
 * | a coordinator or a client      | role gate (403)                                                                 |
 *
 * Why:
 * - A review is health data about many clients at once (scores, risk, reasons). It is the
 *   therapist's own caseload review, built from the records of clients in their care; the
 *   therapist reads their reviews (the per-client access policy was applied when the review
 *   was built: only clients with an active therapist relationship enter it).
 * - A supervisor supervises: they read a therapist's review only while that therapist is in
 *   their team ({@link isInSupervisorTeam}: every therapist, until teams exist). They do not
 *   disposition (that is the therapist's clinical act): 403, since they can see the review.
 * - An admin runs operations: run now, preview, preferences, adherence. These answer ids,
 *   outcomes and counts only, never a client's data: an admin never reads a review's content
 *   (the operations basis of access.ts reads the profile only).
 * - Preferences are not health data; a clinician's id is directory data (GET
 *   /v1/clinicians/{id} is open to anyone signed in), so another therapist gets 403, not 404.
 *
 * Audit: reading a review (GET one) appends one event per listed client on that client's chain
 * (action read, category assessment, the review id as the record; purpose treatment: the
 * therapist's own care, or a supervisor's clinical supervision of it, told apart by the actor's
 * role), as the workflow's build does for its system read. A disposition appends a `create`
 * event (category care) on the client's chain. A preview reads every client's records on an
 * admin's request: one `read` event per client in care with the admin as actor and purpose
 * operations (the admin sees counts only). Lists and adherence name no client and carry no
 * health data (periods and counts): they are logged (ids only), not chained.
 */
import * as z from 'zod';
import type { Role } from '../roles.js';
import { DispositionSchema, DISPOSITION_ACTIONS, type Disposition } from './facts.js';
import { dueTherapists, hourTickOf, ReviewPreferencesSchema, type ReviewPeriod, type TherapistReviewSchedule } from './schedule.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export const REVIEW_ID_PREFIX = 'progress-review:';

/** `progress-review:<therapistId>:<periodEndIso>` -> its parts; undefined when it is not one (the id is canonical: toISOString). */
export function parseProgressReviewId(reviewId: string): { therapistId: string; periodEnd: string } | undefined {
  if (!reviewId.startsWith(REVIEW_ID_PREFIX)) return undefined;
  const rest = reviewId.slice(REVIEW_ID_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0) return undefined;
  const therapistId = rest.slice(0, colon);
  const periodEnd = rest.slice(colon + 1);
  const ms = Date.parse(periodEnd);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(therapistId) || Number.isNaN(ms) || new Date(ms).toISOString() !== periodEnd) return undefined;
  return { therapistId, periodEnd };
}

/** A supervisor's team. Defined simply until teams exist (issue 11): every therapist. */
export function isInSupervisorTeam(_supervisorId: string, therapist: { therapistId: string } | undefined): boolean {
  return therapist !== undefined;
}

export const REVIEW_ACTIONS = ['read', 'disposition', 'set_preferences'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export type ReviewAccessDecision =
  | { allowed: true; as: 'own' | 'supervisor' | 'admin' }
  | { allowed: false; reason: 'not_own_review' | 'not_in_team' | 'no_such_therapist' | 'action_not_allowed'; respondAs: 'not_found' | 'forbidden' };

export interface ReviewAccessRequest {
  caller: { userId: string; role: Role };
  /** Whose reviews (or preferences). */
  therapistId: string;
  /** That therapist, if they are one (the directory's answer). */
  therapist: { therapistId: string } | undefined;
  action: ReviewAction;
}

/** The table in the header, as one pure decision. */
export function decideReviewAccess(request: ReviewAccessRequest): ReviewAccessDecision {
  const { caller, therapistId, therapist, action } = request;
  const own = caller.role === 'therapist' && caller.userId === therapistId;
  const deny = (reason: Extract<ReviewAccessDecision, { allowed: false }>['reason'], respondAs: 'not_found' | 'forbidden' = 'not_found'): ReviewAccessDecision => ({
    allowed: false,
    reason,
    respondAs,
  });
  if (action === 'set_preferences') {
    if (own) return { allowed: true, as: 'own' };
    if (therapist === undefined) return deny('no_such_therapist');
    if (caller.role === 'admin') return { allowed: true, as: 'admin' };
    return deny('action_not_allowed', 'forbidden');
  }
  if (own) return { allowed: true, as: 'own' };
  if (caller.role === 'supervisor') {
    if (!isInSupervisorTeam(caller.userId, therapist)) return deny('not_in_team');
    return action === 'read' ? { allowed: true, as: 'supervisor' } : deny('action_not_allowed', 'forbidden');
  }
  return deny('not_own_review');
}

/**
 * The period an admin's "run now" builds for a therapist at `now`: the period of their latest
 * scheduled run at or before `now` (pause ignored: the request is explicit), so that any number
 * of runs in the week, and the scheduled run of that tick, name the same review (idempotent for
 * the period). Its facts are as of the period end, as the scheduled run's.
 */
export function latestScheduledPeriod(now: Date, schedule: TherapistReviewSchedule): ReviewPeriod {
  const active = { ...schedule, paused: false };
  const tick = hourTickOf(now).getTime();
  // One week and a DST hour at most: every week has exactly one due tick (schedule.ts).
  for (let t = tick; t > tick - 8 * DAY_MS; t -= HOUR_MS) {
    const due = dueTherapists(new Date(t), [active]);
    if (due[0]) return due[0].period;
  }
  throw new RangeError(`No scheduled run in the week before ${new Date(tick).toISOString()}.`);
}

// ---------------------------------------------------------------------------------------------
// Adherence: the share of flagged items dispositioned within 7 days of their review
// ---------------------------------------------------------------------------------------------

export const ADHERENCE_DAYS = 7;
/** The window: a therapist's last 4 reviews (about a month). */
export const ADHERENCE_WINDOW_REVIEWS = 4;

export interface ReviewForAdherence {
  generatedAt: string;
  /** Flagged (listed) items. */
  listed: number;
  /** The review's dispositions (one per listed client at most). */
  dispositions: readonly Disposition[];
}

export interface Adherence {
  reviews: number;
  flagged: number;
  /** Dispositioned within ADHERENCE_DAYS of the review. */
  inTime: number;
  /** Not yet dispositioned, in a review younger than ADHERENCE_DAYS: not yet late, not counted. */
  pending: number;
  /** Whole per cent of inTime over (flagged - pending); null when nothing is due. */
  percent: number | null;
}

/** Adherence over `reviews` at `now`. A disposition without `at` (none are stored so) counts as late. */
export function adherenceOf(reviews: readonly ReviewForAdherence[], now: Date, days: number = ADHERENCE_DAYS): Adherence {
  let flagged = 0;
  let inTime = 0;
  let pending = 0;
  for (const review of reviews) {
    const deadline = Date.parse(review.generatedAt) + days * DAY_MS;
    const done = review.dispositions.filter((d) => d.at !== undefined && Date.parse(d.at) <= deadline).length;
    flagged += review.listed;
    inTime += Math.min(done, review.listed);
    if (now.getTime() <= deadline) pending += Math.max(0, review.listed - review.dispositions.length);
  }
  const due = flagged - pending;
  return { reviews: reviews.length, flagged, inTime, pending, percent: due === 0 ? null : Math.round((inTime * 100) / due) };
}

// ---------------------------------------------------------------------------------------------
// The routes' schemas
// ---------------------------------------------------------------------------------------------

const Id = z.string().min(1).max(128);
const Instant = z.iso.datetime({ offset: true });

export const ReviewListQuerySchema = z.strictObject({
  therapistId: Id.regex(/^[A-Za-z0-9_-]+$/).optional().describe('A supervisor: the therapist whose reviews. Default: your own.'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  cursor: z.string().min(1).max(1024).optional(),
});

export const ReviewListEntrySchema = z.strictObject({
  reviewId: z.string(),
  therapistId: z.string(),
  period: z.strictObject({ start: Instant, end: Instant }),
  generatedAt: Instant,
  clientsInCare: z.int(),
  listed: z.int(),
});
export const ReviewListSchema = z
  .strictObject({ reviews: z.array(ReviewListEntrySchema).describe('Newest first: periods and counts, no client.'), cursor: z.string().nullable() })
  .meta({ id: 'ProgressReviewList' });

export const ReviewParamsSchema = z.strictObject({ reviewId: z.string().min(1).max(200) });
export const ReviewClientParamsSchema = z.strictObject({ reviewId: z.string().min(1).max(200), clientId: Id });

/** The full review (shared/domain/reviews/review.ts ProgressReview), each item with its disposition. */
export const ProgressReviewViewSchema = z
  .looseObject({
    reviewId: z.string(),
    therapistId: z.string(),
    period: z.strictObject({ start: Instant, end: Instant }),
    generatedAt: Instant,
    noFlagsLine: z.string(),
    caseload: z.looseObject({ clientsInCare: z.int(), listed: z.int() }),
    triageCounts: z.record(z.string(), z.int()),
    carriedOver: z.int(),
    items: z.array(
      z.looseObject({
        clientId: z.string(),
        initials: z.string(),
        triageClass: z.string(),
        reasons: z.array(z.unknown()),
        carriedOver: z.strictObject({ fromReviewId: z.string() }).nullable(),
        client: z.looseObject({ instruments: z.array(z.looseObject({ instrument: z.string(), series: z.array(z.strictObject({ total: z.number(), at: Instant })) })) }),
        disposition: DispositionSchema.nullable(),
      }),
    ),
  })
  .meta({ id: 'ProgressReview' });

export const DispositionRequestSchema = z
  .strictObject({ action: z.enum(DISPOSITION_ACTIONS), note: z.string().trim().min(1).max(2000).optional() })
  .meta({ id: 'ReviewDispositionRequest' });
export const DispositionResponseSchema = z
  .strictObject({ reviewId: z.string(), clientId: z.string(), disposition: DispositionSchema })
  .meta({ id: 'ReviewDispositionReceipt' });

export const ClinicianReviewParamsSchema = z.strictObject({ clinicianId: Id });
export const PutReviewPreferencesRequestSchema = ReviewPreferencesSchema;
export const ReviewPreferencesViewSchema = z
  .strictObject({ clinicianId: z.string(), preferences: ReviewPreferencesSchema })
  .meta({ id: 'ReviewPreferencesView' });

export const AdherenceQuerySchema = z.strictObject({ therapistId: Id.regex(/^[A-Za-z0-9_-]+$/).optional() });
export const AdherenceViewSchema = z
  .strictObject({
    windowReviews: z.int(),
    withinDays: z.int(),
    therapists: z.array(
      z.strictObject({
        therapistId: z.string(),
        reviews: z.int(),
        flagged: z.int(),
        inTime: z.int(),
        pending: z.int(),
        percent: z.int().nullable(),
      }),
    ),
  })
  .meta({ id: 'ReviewAdherence' });

export const RunReviewsRequestSchema = z
  .strictObject({ therapistId: Id.regex(/^[A-Za-z0-9_-]+$/).optional().describe('Absent: every therapist.') })
  .meta({ id: 'RunReviewsRequest' });
export const RunReviewsResponseSchema = z
  .strictObject({
    results: z.array(
      z.strictObject({
        therapistId: z.string(),
        period: z.strictObject({ start: Instant, end: Instant }),
        reviewId: z.string().nullable(),
        outcome: z.enum(['sent', 'already_sent', 'outcome_unknown', 'no_review', 'no_address', 'no_clients']),
      }),
    ),
  })
  .meta({ id: 'RunReviewsResult' });

export const PreviewReviewRequestSchema = z.strictObject({ therapistId: Id.regex(/^[A-Za-z0-9_-]+$/) }).meta({ id: 'PreviewReviewRequest' });
export const PreviewReviewResponseSchema = z
  .strictObject({
    therapistId: z.string(),
    period: z.strictObject({ start: Instant, end: Instant }),
    built: z.boolean().describe('false: no client in care, nothing to review.'),
    caseload: z.looseObject({ clientsInCare: z.int(), listed: z.int() }).nullable(),
    triageCounts: z.record(z.string(), z.int()).nullable(),
    carriedOver: z.int().nullable(),
  })
  .meta({ id: 'ReviewPreview' });
