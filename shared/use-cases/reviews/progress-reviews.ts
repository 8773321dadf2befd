/**
 * The weekly progress review's use cases (issue 11, point 2): the tasks of
 * workflows/progress-reviews.asl.json, and what the routes will call.
 *
 * 1. ListDueTherapists (`listDueTherapists`): at an hourly tick, the therapists whose local
 *    weekday and hour it is (shared/domain/reviews/schedule.ts), paused ones never, with their
 *    periods. Computed from the TICK carried by the execution, never from the task's clock: a
 *    retried or late task lists the same therapists and periods.
 * 2. BuildAndStoreReview (`buildAndStoreReview`): for one therapist and period, 1. load the
 *    facts (clients in care with the therapist, per client scores, plan, sessions, check-ins,
 *    measures, risk; the previous review's items and dispositions), 2. no client in care:
 *    nothing stored, no email, 3. build the review (pure), 4. store it "if absent" under the
 *    deterministic id (therapist, period end): a retry finds it and builds nothing new,
 *    5. audit the system read of each client's record once, when stored.
 * 3. SendReviewEmail (`sendReviewEmail`): the minimum-necessary email (counts, initials or none,
 *    one link), claimed before SES and confirmed after (see {@link sendReviewEmailOnce}).
 *
 * "Exactly once" per therapist per period, and what it means with SES: SES has no idempotency
 * key, so no system can make "sent" and "recorded as sent" one atomic step. What we guarantee:
 * - at most one email per therapist and period end: the claim (pattern 103) is put "if absent"
 *   before SES is called; a duplicate schedule event is refused by the execution name (one run
 *   per UTC hour), and a second run or a retried task finds the stored review and the claim;
 * - at least once in every case but one: an SES error or a request that never left releases the
 *   claim, and the retry sends. The one uncertain case is a crash (or a lost response, a Lambda
 *   timeout) between SES accepting the email and the confirm: the claim stays unconfirmed. A
 *   retry that finds it recent fails with NotificationInFlightError (retried later: the first
 *   attempt may still confirm); once it is stale (`staleEmailClaimSeconds`) the email is
 *   recorded as `unknown` and NOT sent again: a duplicate is worse than a missing nudge, because
 *   the review itself is stored and visible in the app.
 * - reconciliation: an `unknown` claim is logged (warn, ids only) for operations, who can match
 *   it against SES's send events (the configuration set's event destination) and resend from
 *   the admin run-now route if SES never accepted it.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { DEFAULT_LIFECYCLE_RULES } from '../../domain/care-lifecycle.js';
import { OBJECTIVE_INSTRUMENTS, type ObjectiveInstrument } from '../../domain/plans/plan.js';
import {
  buildProgressReview,
  clientInitials,
  DEFAULT_REVIEW_RULES,
  progressReviewId,
  renderReviewEmail,
  ReviewFactsSchema,
  reviewPlanOf,
  summarizeReviewForEmail,
  type ClientIdentifierSetting,
  type ClientReviewFactsInput,
  type DueCheckIn,
  type DueMeasure,
  type PreviousReview,
  type ProgressReview,
  type ReviewRules,
} from '../../domain/reviews/index.js';
import { dueTherapists, hourTickOf, progressReviewRunName, scheduleOf, type ReviewPeriod } from '../../domain/reviews/schedule.js';
import { logger } from '../../observability/logger.js';
import { buildAuditEvent } from '../access/client-access.js';
import type { AuditLog, EmailSender } from '../ports.js';
import { NotificationInFlightError } from '../risk/workflow-tasks.js';
import type { ClientReviewRecords, ProgressReviewStore, ReviewFactsSource, TherapistDirectory } from './ports.js';

export { NotificationInFlightError };

/** The workflow's actor in audit events. */
export const PROGRESS_REVIEW_ACTOR = { userId: 'progress-review', role: 'system' } as const;

/** A bare staff profile has no zone: the service's home zone (US). */
export const FALLBACK_TIME_ZONE = 'America/New_York';

const DAY_MS = 86_400_000;
/** Check-ins are expected weekly from the start of care (the check-in is the weekly pulse; documented in the README). */
const CHECK_IN_EVERY_MS = 7 * DAY_MS;
/** Measures fall due on the care lifecycle's reminder cadence (every 14 days from the start of care). */
const MEASURE_EVERY_MS = DEFAULT_LIFECYCLE_RULES.measureReminderEverySeconds * 1000;
const DEFAULT_MEASURES: readonly ObjectiveInstrument[] = ['phq9', 'gad7'];

export interface ProgressReviewSettings {
  identifiers: ClientIdentifierSetting;
  /** The review in the app: `${reviewUrlBase}/${encodeURIComponent(reviewId)}`. */
  reviewUrlBase: string;
  /** A claim older than this, unconfirmed, is recorded as of unknown outcome (never resent). */
  staleEmailClaimSeconds: number;
  rules: ReviewRules;
}

export interface ProgressReviewDeps {
  store: ProgressReviewStore;
  therapists: TherapistDirectory;
  facts: ReviewFactsSource;
  email: EmailSender;
  auditLog: AuditLog;
  settings: ProgressReviewSettings;
  now: () => Date;
  newId?: () => string;
}

const Instant = z.iso.datetime({ offset: true });
const Id = z.string().min(1).max(128);

export const ListDueTherapistsInputSchema = z.strictObject({ hourOf: Instant });
export const TherapistPeriodInputSchema = z.strictObject({ therapistId: Id, periodStart: Instant, periodEnd: Instant });
export type TherapistPeriodInput = z.infer<typeof TherapistPeriodInputSchema>;

// ---------------------------------------------------------------------------------------------
// ListDueTherapists
// ---------------------------------------------------------------------------------------------

export async function listDueTherapists(
  input: z.infer<typeof ListDueTherapistsInputSchema>,
  deps: Pick<ProgressReviewDeps, 'store' | 'therapists'>,
): Promise<{ therapists: TherapistPeriodInput[]; count: number }> {
  const tick = hourTickOf(new Date(input.hourOf));
  const therapists = await deps.therapists.listTherapists();
  const preferences = await deps.store.preferencesOf(therapists.map((t) => t.therapistId));
  const schedules = therapists.map((t) => scheduleOf(t.therapistId, t.timeZone ?? FALLBACK_TIME_ZONE, preferences.get(t.therapistId)));
  const due = dueTherapists(tick, schedules).map((d) => ({ therapistId: d.therapistId, periodStart: d.period.start, periodEnd: d.period.end }));
  return { therapists: due, count: due.length };
}

// ---------------------------------------------------------------------------------------------
// BuildAndStoreReview
// ---------------------------------------------------------------------------------------------

/** Due check-ins: one per week of care, due at the week's end, done by the first check-in in that week. */
export function dueCheckIns(careStartedAt: string, checkInsAt: readonly string[], now: Date): DueCheckIn[] {
  return dueWindows(careStartedAt, CHECK_IN_EVERY_MS, now).map(({ from, dueAt }) => {
    const doneAt = firstIn(checkInsAt, from, dueAt);
    return { dueAt: iso(dueAt), ...(doneAt ? { doneAt } : {}) };
  });
}

/**
 * Due measures: per instrument the client is measured on (those with scores, else PHQ-9 and
 * GAD-7: the care lifecycle's default pair), one per 14 days of care, due at the window's end,
 * completed by the first score in that window.
 */
export function dueMeasures(careStartedAt: string, scores: ClientReviewRecords['scores'], now: Date): DueMeasure[] {
  const measured = OBJECTIVE_INSTRUMENTS.filter((i) => (scores[i]?.length ?? 0) > 0);
  const instruments = measured.length > 0 ? measured : DEFAULT_MEASURES;
  const windows = dueWindows(careStartedAt, MEASURE_EVERY_MS, now);
  return instruments.flatMap((instrument) =>
    windows.map(({ from, dueAt }) => {
      const completedAt = firstIn((scores[instrument] ?? []).map((p) => p.at), from, dueAt);
      return { instrument, dueAt: iso(dueAt), ...(completedAt ? { completedAt } : {}) };
    }),
  );
}

function dueWindows(careStartedAt: string, every: number, now: Date): { from: number; dueAt: number }[] {
  const start = Date.parse(careStartedAt);
  const windows: { from: number; dueAt: number }[] = [];
  // The newest 500 windows at most (the facts schema's bound): ~10 years of weekly check-ins.
  for (let dueAt = start + every; dueAt <= now.getTime(); dueAt += every) windows.push({ from: dueAt - every, dueAt });
  return windows.slice(-500);
}

function firstIn(instants: readonly string[], from: number, to: number): string | undefined {
  return instants
    .filter((at) => Date.parse(at) >= from && Date.parse(at) < to)
    .sort()
    .at(0);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The review's facts of one client, from what the stores hold. */
export function clientFactsOf(records: ClientReviewRecords, now: Date): ClientReviewFactsInput {
  const atOrBefore = <T extends { at: string }>(list: readonly T[]) => list.filter((x) => Date.parse(x.at) <= now.getTime());
  return {
    clientId: records.clientId,
    initials: clientInitials(records.firstName, records.lastName),
    careStartedAt: records.careStartedAt,
    scores: Object.fromEntries(Object.entries(records.scores).map(([k, v]) => [k, atOrBefore(v ?? []).slice(-500)])),
    ...(records.plan && records.plan.status === 'active' ? { plan: reviewPlanOf(records.plan) } : {}),
    openPlanReviewTasks: records.planReviews.filter((r) => r.status === 'open').map((r) => ({ reviewId: r.reviewId, kind: r.kind, openedAt: r.openedAt })),
    sessions: records.sessions.slice(-1000),
    checkIns: dueCheckIns(records.careStartedAt, records.checkInsAt, now),
    measures: dueMeasures(records.careStartedAt, records.scores, now).slice(-1000),
    riskFlags: atOrBefore(records.riskFlags).slice(-1000),
    openRiskTasks: records.openRiskTasks.slice(0, 100),
  };
}

export interface BuiltReview {
  review: ProgressReview;
  /** DynamoDB requests made to gather the facts. */
  reads: number;
  /** Every client whose record was read (for the audit trail). */
  clientIds: string[];
}

/**
 * Builds the review of one therapist and period, storing nothing: `undefined` when the
 * therapist has no client in care (or is unknown). `now` is the period end for a scheduled
 * review (the facts as of the tick, so a retry an hour later builds the same review).
 */
export async function buildReview(
  therapistId: string,
  period: ReviewPeriod,
  asOf: Date,
  deps: Pick<ProgressReviewDeps, 'store' | 'therapists' | 'facts' | 'settings'>,
): Promise<BuiltReview | undefined> {
  const before = deps.facts.reads();
  const therapist = await deps.therapists.get(therapistId);
  if (!therapist) return undefined;
  const inCare = await deps.facts.clientsInCare(therapistId);
  if (inCare.length === 0) return undefined;
  const preferences = await deps.store.getPreferences(therapistId);
  const timeZone = preferences?.timeZone ?? therapist.timeZone ?? FALLBACK_TIME_ZONE;
  const clients: ClientReviewFactsInput[] = [];
  for (const relationship of inCare) {
    // Care that began after the review's instant is not part of this period's caseload (an
    // admin re-running an earlier period, or a client matched between the tick and a retry).
    if (Date.parse(relationship.startedAt) > asOf.getTime()) continue;
    const records = await deps.facts.clientRecords(relationship.clientId, therapistId, relationship.startedAt);
    if (records) clients.push(clientFactsOf(records, asOf));
  }
  if (clients.length === 0) return undefined;
  const previous = await deps.store.latestBefore(therapistId, period.end);
  let previousReview: PreviousReview | undefined;
  if (previous) {
    const dispositions = await deps.store.dispositions(therapistId, previous.period.end);
    previousReview = {
      reviewId: previous.reviewId,
      periodEnd: previous.period.end,
      items: previous.items.map((item) => {
        const disposition = dispositions.get(item.clientId);
        return { clientId: item.clientId, ...(disposition ? { disposition } : {}) };
      }),
    };
  }
  const facts = ReviewFactsSchema.parse({
    therapist: { id: therapistId, timeZone, identifiers: deps.settings.identifiers },
    period,
    now: asOf.toISOString(),
    ...(previousReview ? { previousReview } : {}),
    clients,
  });
  return { review: buildProgressReview(facts, deps.settings.rules), reads: deps.facts.reads() - before, clientIds: clients.map((c) => c.clientId) };
}

/**
 * BuildAndStoreReview. Output (ids, flags and a counter only: workflows/execution-data.ts):
 * `send` - there is a stored review to email; `stored` - this attempt stored it; `reads` - the
 * DynamoDB requests of this attempt.
 */
export async function buildAndStoreReview(input: TherapistPeriodInput, deps: ProgressReviewDeps): Promise<{ send: boolean; stored: boolean; reads: number }> {
  const existing = await deps.store.get(input.therapistId, input.periodEnd);
  if (existing) return { send: existing.caseload.clientsInCare > 0, stored: false, reads: 0 };
  const period = { start: input.periodStart, end: input.periodEnd };
  const built = await buildReview(input.therapistId, period, new Date(input.periodEnd), deps);
  if (!built) return { send: false, stored: false, reads: deps.facts.reads() };
  const outcome = await deps.store.save(built.review);
  if (outcome === 'stored') {
    // The workflow read each client's record (scores, plan, sessions, risk) for the review: one audit event per client.
    for (const clientId of built.clientIds) {
      await deps.auditLog.record(
        buildAuditEvent(
          { now: deps.now, ...(deps.newId ? { newEventId: deps.newId } : {}) },
          { actor: PROGRESS_REVIEW_ACTOR, clientId, purpose: 'treatment', action: 'read', category: 'assessment', recordId: built.review.reviewId, outcome: 'success' },
        ),
      );
    }
  }
  logger.info('Progress review built', { therapistId: input.therapistId, periodEnd: input.periodEnd, outcome, reads: built.reads });
  return { send: true, stored: outcome === 'stored', reads: built.reads };
}

// ---------------------------------------------------------------------------------------------
// SendReviewEmail
// ---------------------------------------------------------------------------------------------

export type SendOutcome = 'sent' | 'already_sent' | 'outcome_unknown' | 'no_review' | 'no_address';

export function reviewUrlOf(base: string, reviewId: string): string {
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(reviewId)}`;
}

/** SendReviewEmail: the stored review's email, claimed before SES, confirmed after (see the header). */
export async function sendReviewEmail(input: TherapistPeriodInput, deps: ProgressReviewDeps): Promise<{ outcome: SendOutcome }> {
  const review = await deps.store.get(input.therapistId, input.periodEnd);
  if (!review || review.caseload.clientsInCare === 0) return { outcome: 'no_review' };
  const therapist = await deps.therapists.get(input.therapistId);
  if (!therapist?.email) {
    logger.warn('Progress review email: no address', { therapistId: input.therapistId });
    return { outcome: 'no_address' };
  }
  const rendered = renderReviewEmail(summarizeReviewForEmail(review), {
    identifiers: deps.settings.identifiers,
    reviewUrl: reviewUrlOf(deps.settings.reviewUrlBase, review.reviewId),
  });
  return { outcome: await sendReviewEmailOnce(input.therapistId, input.periodEnd, { to: therapist.email, ...rendered }, deps) };
}

/** Claim, send, confirm (the header's rule). */
export async function sendReviewEmailOnce(
  therapistId: string,
  periodEnd: string,
  email: Parameters<EmailSender['send']>[0],
  deps: Pick<ProgressReviewDeps, 'store' | 'email' | 'settings' | 'now' | 'newId'>,
): Promise<'sent' | 'already_sent' | 'outcome_unknown'> {
  const claimId = (deps.newId ?? randomUUID)();
  const claim = await deps.store.claimEmail(therapistId, periodEnd, claimId, deps.now().toISOString());
  if (claim.state === 'sent') return 'already_sent';
  if (claim.state === 'in_flight') {
    const age = deps.now().getTime() - Date.parse(claim.claimedAt);
    if (age < deps.settings.staleEmailClaimSeconds * 1000) throw new NotificationInFlightError(`review-email#${periodEnd}`);
    await deps.store.abandonEmail(therapistId, periodEnd, deps.now().toISOString());
    logger.warn('Progress review email of unknown outcome not sent again (reconcile with SES send events)', { therapistId, periodEnd });
    return 'outcome_unknown';
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.email.send(email));
  } catch (error) {
    await deps.store.releaseEmail(therapistId, periodEnd, claimId);
    throw error;
  }
  await deps.store.confirmEmail(therapistId, periodEnd, claimId, messageId, deps.now().toISOString());
  return 'sent';
}

// ---------------------------------------------------------------------------------------------
// For the routes (next helper): run now, preview
// ---------------------------------------------------------------------------------------------

/**
 * Admin "run now": builds, stores and emails the review of `period` for one therapist or for
 * every therapist, idempotent for the period (the same deterministic id and email claim as the
 * workflow: a second call, or the scheduled run of the same period end, sends nothing new).
 * Pause is ignored (an explicit request); no client in care: nothing.
 */
export async function runReviewNow(
  target: { therapistId: string } | 'all',
  period: ReviewPeriod,
  deps: ProgressReviewDeps,
): Promise<{ therapistId: string; reviewId: string | null; outcome: SendOutcome | 'no_clients' }[]> {
  const ids = target === 'all' ? (await deps.therapists.listTherapists()).map((t) => t.therapistId).sort() : [target.therapistId];
  const results: { therapistId: string; reviewId: string | null; outcome: SendOutcome | 'no_clients' }[] = [];
  for (const therapistId of ids) {
    const input = { therapistId, periodStart: period.start, periodEnd: period.end };
    const built = await buildAndStoreReview(input, deps);
    if (!built.send) {
      results.push({ therapistId, reviewId: null, outcome: 'no_clients' });
      continue;
    }
    const sent = await sendReviewEmail(input, deps);
    results.push({ therapistId, reviewId: progressReviewId(therapistId, period.end), outcome: sent.outcome });
  }
  return results;
}

/** Preview: the review of the last 7 days ending now, built from the current facts, neither stored nor sent. `undefined`: no client in care. */
export async function previewReview(therapistId: string, deps: Pick<ProgressReviewDeps, 'store' | 'therapists' | 'facts' | 'settings' | 'now'>): Promise<ProgressReview | undefined> {
  const now = deps.now();
  const period = { start: iso(now.getTime() - 7 * DAY_MS), end: now.toISOString() };
  return (await buildReview(therapistId, period, now, deps))?.review;
}

export const DEFAULT_PROGRESS_REVIEW_SETTINGS: Omit<ProgressReviewSettings, 'reviewUrlBase'> = {
  identifiers: 'none',
  staleEmailClaimSeconds: 900,
  rules: DEFAULT_REVIEW_RULES,
};

// ---------------------------------------------------------------------------------------------
// The hourly start (EventBridge Scheduler -> functions/scheduled/start-progress-reviews.ts)
// ---------------------------------------------------------------------------------------------

/**
 * Starts the run of the hour of `scheduledTime` (the schedule's own time, so a delayed or
 * repeated delivery names the same hour): execution name `progress-reviews-<YYYY-MM-DDTHH>`,
 * input `{hourOf}`. A duplicate event finds the execution by name and starts nothing
 * (`alreadyStarted`).
 */
export async function startProgressReviews(
  scheduledTime: Date,
  deps: { workflow: { start(execution: { name: string; input: { hourOf: string } }): Promise<{ executionArn: string; alreadyStarted: boolean }> } },
): Promise<{ name: string; executionArn: string; alreadyStarted: boolean }> {
  const tick = hourTickOf(scheduledTime);
  const name = progressReviewRunName(tick);
  const started = await deps.workflow.start({ name, input: { hourOf: tick.toISOString() } });
  return { name, ...started };
}
