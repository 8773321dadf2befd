/**
 * The progress review in the app (issue 11, point 4): what the seven routes do. Access and
 * audit rules: shared/domain/reviews/access.ts (header).
 *
 * - `listReviews`: a therapist's reviews, newest first (periods and counts), signed cursors.
 * - `getReview`: one full review, each item with its disposition (or null); audited per listed
 *   client.
 * - `recordReviewDisposition`: one per flagged client per review, final. A second request with
 *   the same action and note answers 200 with the stored one (a retry after a lost answer needs
 *   no Idempotency-Key); a different one answers 409 `disposition_already_recorded` with the
 *   stored one. Items not dispositioned carry over to the next review (review.ts builder, fed
 *   by buildReview's `previousReview`).
 * - `putReviewPreferences`, `reviewAdherence`, `runReviewsNow`, `previewReviewCounts`.
 */
import { ForbiddenError, NotFoundError, DispositionAlreadyRecordedError } from '../../domain/errors.js';
import {
  ADHERENCE_DAYS,
  ADHERENCE_WINDOW_REVIEWS,
  adherenceOf,
  decideReviewAccess,
  isInSupervisorTeam,
  latestScheduledPeriod,
  parseProgressReviewId,
  type Adherence,
  type ReviewAction,
} from '../../domain/reviews/access.js';
import type { Disposition, DispositionAction } from '../../domain/reviews/facts.js';
import type { ProgressReview, ReviewItem } from '../../domain/reviews/review.js';
import { scheduleOf, type ReviewPeriod, type ReviewPreferences } from '../../domain/reviews/schedule.js';
import type { Role } from '../../domain/roles.js';
import { logger } from '../../observability/logger.js';
import { buildAuditEvent } from '../access/client-access.js';
import { decodeCursor, encodeCursor } from '../monitor/cursors.js';
import type { AuditLog } from '../ports.js';
import type { ProgressReviewStore, ReviewListEntry, TherapistDirectory, TherapistEntry } from './ports.js';
import { buildReview, FALLBACK_TIME_ZONE, runReviewNow, type ProgressReviewDeps, type SendOutcome } from './progress-reviews.js';

export interface ReviewRouteDeps {
  store: ProgressReviewStore;
  therapists: TherapistDirectory;
  auditLog: AuditLog;
  now: () => Date;
  newId?: () => string;
  /** CURSOR_SIGNING_KEY: the list route only. */
  cursorSigningKey?: string;
}

type Caller = { userId: string; role: Role };

/** What a store cursor (base64url of the page's last key) may look like inside a signed cursor. */
const STORE_CURSOR = /^[A-Za-z0-9_-]{1,800}$/;

async function authorize(caller: Caller, therapistId: string, action: ReviewAction, deps: Pick<ReviewRouteDeps, 'therapists'>): Promise<{ therapist: TherapistEntry | undefined; as: 'own' | 'supervisor' | 'admin' }> {
  const therapist = await deps.therapists.get(therapistId);
  const decision = decideReviewAccess({ caller, therapistId, therapist, action });
  if (!decision.allowed) {
    logger.info('Progress review access refused', { reason: decision.reason, action });
    throw decision.respondAs === 'forbidden' ? new ForbiddenError() : new NotFoundError();
  }
  return { therapist, as: decision.as };
}

// ---------------------------------------------------------------------------------------------
// GET /v1/progress-reviews
// ---------------------------------------------------------------------------------------------

export async function listReviews(
  input: { caller: Caller; therapistId?: string; limit: number; cursor?: string },
  deps: ReviewRouteDeps,
): Promise<{ reviews: ReviewListEntry[]; cursor: string | null }> {
  const therapistId = input.therapistId ?? input.caller.userId;
  await authorize(input.caller, therapistId, 'read', deps);
  const context = { list: 'progress-reviews', clientId: therapistId, callerId: input.caller.userId };
  const after = decodeCursor(input.cursor, deps.cursorSigningKey, context, STORE_CURSOR);
  const page = await deps.store.list(therapistId, { limit: input.limit, ...(after ? { cursor: after } : {}) });
  logger.info('Progress reviews listed', { therapistId, count: page.items.length });
  return { reviews: page.items, cursor: encodeCursor(page.cursor, deps.cursorSigningKey, context) };
}

// ---------------------------------------------------------------------------------------------
// GET /v1/progress-reviews/{reviewId}
// ---------------------------------------------------------------------------------------------

export type ReviewView = Omit<ProgressReview, 'items'> & { items: (ReviewItem & { disposition: Disposition | null })[] };

async function reviewOf(reviewId: string, caller: Caller, action: ReviewAction, deps: ReviewRouteDeps) {
  const id = parseProgressReviewId(reviewId);
  if (!id) throw new NotFoundError();
  const access = await authorize(caller, id.therapistId, action, deps);
  const review = await deps.store.get(id.therapistId, id.periodEnd);
  if (!review) throw new NotFoundError();
  return { id, review, access };
}

export async function getReview(input: { caller: Caller; reviewId: string; requestId?: string }, deps: ReviewRouteDeps): Promise<ReviewView> {
  const { id, review } = await reviewOf(input.reviewId, input.caller, 'read', deps);
  const dispositions = await deps.store.dispositions(id.therapistId, id.periodEnd);
  // The review shows each listed client's scores, risk and reasons: a read of each one's record.
  for (const item of review.items) {
    await deps.auditLog.record(
      buildAuditEvent(
        { now: deps.now, ...(deps.newId ? { newEventId: deps.newId } : {}) },
        {
          actor: input.caller,
          clientId: item.clientId,
          purpose: 'treatment',
          action: 'read',
          category: 'assessment',
          recordId: review.reviewId,
          outcome: 'success',
          ...(input.requestId ? { requestId: input.requestId } : {}),
        },
      ),
    );
  }
  return { ...review, items: review.items.map((item) => ({ ...item, disposition: dispositions.get(item.clientId) ?? null })) };
}

// ---------------------------------------------------------------------------------------------
// POST /v1/progress-reviews/{reviewId}/clients/{clientId}/disposition
// ---------------------------------------------------------------------------------------------

export async function recordReviewDisposition(
  input: { caller: Caller; reviewId: string; clientId: string; action: DispositionAction; note?: string; requestId?: string },
  deps: ReviewRouteDeps,
): Promise<{ status: 200 | 201; body: { reviewId: string; clientId: string; disposition: Disposition } }> {
  const { id, review } = await reviewOf(input.reviewId, input.caller, 'disposition', deps);
  // Only a client listed in this review has an item to disposition.
  if (!review.items.some((item) => item.clientId === input.clientId)) throw new NotFoundError();
  const wanted: Disposition = { action: input.action, ...(input.note !== undefined ? { note: input.note } : {}), at: deps.now().toISOString() };
  const result = await deps.store.recordDisposition(id.therapistId, id.periodEnd, input.clientId, wanted);
  const body = { reviewId: review.reviewId, clientId: input.clientId, disposition: result.disposition };
  if (result.outcome === 'exists') {
    if (result.disposition.action === wanted.action && result.disposition.note === wanted.note) return { status: 200, body };
    throw new DispositionAlreadyRecordedError(result.disposition);
  }
  await deps.auditLog.record(
    buildAuditEvent(
      { now: deps.now, ...(deps.newId ? { newEventId: deps.newId } : {}) },
      {
        actor: input.caller,
        clientId: input.clientId,
        purpose: 'treatment',
        action: 'create',
        category: 'care',
        recordId: review.reviewId,
        outcome: 'success',
        ...(input.requestId ? { requestId: input.requestId } : {}),
      },
    ),
  );
  return { status: 201, body };
}

// ---------------------------------------------------------------------------------------------
// PUT /v1/clinicians/{clinicianId}/review-preferences
// ---------------------------------------------------------------------------------------------

export async function putReviewPreferences(
  input: { caller: Caller; clinicianId: string; preferences: ReviewPreferences },
  deps: Pick<ReviewRouteDeps, 'store' | 'therapists'>,
): Promise<{ clinicianId: string; preferences: ReviewPreferences }> {
  const { therapist } = await authorize(input.caller, input.clinicianId, 'set_preferences', deps);
  // Only a therapist has reviews (the caller themself may be one whose profile is not listed yet).
  if (!therapist && input.caller.userId !== input.clinicianId) throw new NotFoundError();
  await deps.store.putPreferences(input.clinicianId, input.preferences);
  logger.info('Progress review preferences set', { clinicianId: input.clinicianId, by: input.caller.role });
  return { clinicianId: input.clinicianId, preferences: input.preferences };
}

// ---------------------------------------------------------------------------------------------
// GET /v1/progress-reviews/adherence
// ---------------------------------------------------------------------------------------------

export async function reviewAdherence(
  input: { caller: Caller; therapistId?: string },
  deps: Pick<ReviewRouteDeps, 'store' | 'therapists' | 'now'>,
): Promise<{ windowReviews: number; withinDays: number; therapists: (Adherence & { therapistId: string })[] }> {
  let therapists: TherapistEntry[];
  if (input.therapistId !== undefined) {
    const one = await deps.therapists.get(input.therapistId);
    if (!one) throw new NotFoundError();
    therapists = [one];
  } else {
    therapists = await deps.therapists.listTherapists();
  }
  // A supervisor sees their team; an admin every therapist (counts only either way).
  if (input.caller.role === 'supervisor') therapists = therapists.filter((t) => isInSupervisorTeam(input.caller.userId, t));
  const now = deps.now();
  const rows: (Adherence & { therapistId: string })[] = [];
  for (const therapist of [...therapists].sort((a, b) => (a.therapistId < b.therapistId ? -1 : 1))) {
    const { items } = await deps.store.list(therapist.therapistId, { limit: ADHERENCE_WINDOW_REVIEWS });
    const reviews = [];
    for (const entry of items) {
      const dispositions = await deps.store.dispositions(therapist.therapistId, entry.period.end);
      reviews.push({ generatedAt: entry.generatedAt, listed: entry.listed, dispositions: [...dispositions.values()] });
    }
    rows.push({ therapistId: therapist.therapistId, ...adherenceOf(reviews, now) });
  }
  logger.info('Progress review adherence read', { therapists: rows.length, by: input.caller.role });
  return { windowReviews: ADHERENCE_WINDOW_REVIEWS, withinDays: ADHERENCE_DAYS, therapists: rows };
}

// ---------------------------------------------------------------------------------------------
// POST /v1/admin/progress-reviews/run and /preview
// ---------------------------------------------------------------------------------------------

/** The period a run builds for this therapist now (latestScheduledPeriod). */
export async function runPeriodOf(therapist: TherapistEntry, deps: Pick<ProgressReviewDeps, 'store' | 'now'>): Promise<ReviewPeriod> {
  const preferences = await deps.store.getPreferences(therapist.therapistId);
  return latestScheduledPeriod(deps.now(), scheduleOf(therapist.therapistId, therapist.timeZone ?? FALLBACK_TIME_ZONE, preferences));
}

export async function runReviewsNow(
  input: { therapistId?: string },
  deps: ProgressReviewDeps,
): Promise<{ results: { therapistId: string; period: ReviewPeriod; reviewId: string | null; outcome: SendOutcome | 'no_clients' }[] }> {
  let therapists: TherapistEntry[];
  if (input.therapistId !== undefined) {
    const one = await deps.therapists.get(input.therapistId);
    if (!one) throw new NotFoundError();
    therapists = [one];
  } else {
    therapists = [...(await deps.therapists.listTherapists())].sort((a, b) => (a.therapistId < b.therapistId ? -1 : 1));
  }
  const results = [];
  for (const therapist of therapists) {
    const period = await runPeriodOf(therapist, deps);
    const [result] = await runReviewNow({ therapistId: therapist.therapistId }, period, deps);
    if (result) results.push({ ...result, period });
  }
  logger.info('Progress reviews run now', { therapists: results.length, outcomes: results.map((r) => r.outcome) });
  return { results };
}

const DAY_MS = 86_400_000;

/** Builds the last 7 days' review, stores and sends nothing; an admin gets counts only (no client id, initials or score). */
export async function previewReviewCounts(
  input: { caller: Caller; therapistId: string; requestId?: string },
  deps: Pick<ProgressReviewDeps, 'store' | 'therapists' | 'facts' | 'settings' | 'now' | 'auditLog' | 'newId'>,
): Promise<{ therapistId: string; period: ReviewPeriod; built: boolean; caseload: ProgressReview['caseload'] | null; triageCounts: ProgressReview['triageCounts'] | null; carriedOver: number | null }> {
  if (!(await deps.therapists.get(input.therapistId))) throw new NotFoundError();
  const now = deps.now();
  const period = { start: new Date(now.getTime() - 7 * DAY_MS).toISOString(), end: now.toISOString() };
  const built = await buildReview(input.therapistId, period, now, deps);
  // The build read each client's record on this admin's request (the admin sees counts only).
  for (const clientId of built?.clientIds ?? []) {
    await deps.auditLog.record(
      buildAuditEvent(
        { now: deps.now, ...(deps.newId ? { newEventId: deps.newId } : {}) },
        { actor: input.caller, clientId, purpose: 'operations', action: 'read', category: 'assessment', outcome: 'success', ...(input.requestId ? { requestId: input.requestId } : {}) },
      ),
    );
  }
  if (!built) return { therapistId: input.therapistId, period, built: false, caseload: null, triageCounts: null, carriedOver: null };
  const { review } = built;
  return { therapistId: input.therapistId, period, built: true, caseload: review.caseload, triageCounts: review.triageCounts, carriedOver: review.carriedOver };
}
