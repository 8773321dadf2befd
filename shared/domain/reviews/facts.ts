/**
 * The INPUT of the weekly progress review (issue 11): everything buildProgressReview needs
 * about one therapist, one period and each client in care, gathered by the workflow (from the
 * repositories) and passed in. Pure data, JSON-safe, validated by {@link ReviewFactsSchema}, so
 * the workflow can store it, pass it between states, and replay it: the same facts always give
 * the same review.
 *
 * What it holds, and why it is enough:
 * - `now` and `period` are given, never read from a clock (a Clock port supplies them). The
 *   period is half-open, [start, end); the default is the last 7 days ending at `now`
 *   ({@link defaultReviewPeriod}).
 * - The therapist's IANA time zone: "days since the last / until the next session" count
 *   calendar days in that zone, as the therapist lives them.
 * - `previousReview`: the flagged items of the last review and their dispositions, so an item
 *   nobody dispositioned carries over, marked as such (issue 11: "it works only if looked at").
 * - Per client: the score series (ALL of them since care started: baseline and change need
 *   history; the period only decides what is "in the period"), the active plan's projection,
 *   sessions, due check-ins and due measures (each with when it was done, if it was), risk flags
 *   and open risk and plan review tasks.
 *
 * The client's name never enters: only `initials`, computed by the workflow with
 * {@link clientInitials}. The email is built from the review, which is built from these facts,
 * so a name cannot reach the email by accident.
 */
import * as z from 'zod';
import { INSTRUMENT_IDS } from '../instruments/definition.js';
import { RISK_FLAG_KINDS, RiskLevelSchema } from '../instruments/risk-flags.js';
import { ObjectiveSchema, OBJECTIVE_INSTRUMENTS, PLAN_STATUSES, PlanDateSchema, type StoredPlan } from '../plans/plan.js';
import { REVIEW_TRIGGER_KINDS } from '../plans/progress.js';
import { RISK_TASK_STATUSES } from '../risk-tasks.js';
import { SESSION_STATUSES } from '../sessions/sessions.js';
import { isIanaTimeZone } from '../time-zone.js';

const DAY_MS = 86_400_000;

/** An ISO 8601 instant with an offset (`2026-03-09T12:00:00.000Z`). */
export const ReviewInstantSchema = z.iso.datetime({ offset: true, error: 'Give an ISO 8601 instant.' });
const Id = z.string().min(1).max(128);

/** What the email may say about a client (a deployment setting): their initials, or nothing. */
export const CLIENT_IDENTIFIER_SETTINGS = ['initials', 'none'] as const;
export type ClientIdentifierSetting = (typeof CLIENT_IDENTIFIER_SETTINGS)[number];

/** Issue 11: per flagged client, what the therapist did about it. */
export const DISPOSITION_ACTIONS = ['reviewed', 'discussed_with_client', 'plan_revised', 'escalated', 'no_action'] as const;
export type DispositionAction = (typeof DISPOSITION_ACTIONS)[number];

export const DispositionSchema = z
  .strictObject({
    action: z.enum(DISPOSITION_ACTIONS),
    note: z.string().trim().min(1).max(2000).optional(),
    at: ReviewInstantSchema.optional(),
  })
  .meta({ id: 'ReviewDisposition' });
export type Disposition = z.infer<typeof DispositionSchema>;

/** One score: the total, when, and for the PHQ-9 the item 9 answer (0-3) when it is known. */
export const ReviewScorePointSchema = z.strictObject({
  total: z.number().int().min(0),
  at: ReviewInstantSchema,
  item9: z.int().min(0).max(3).optional(),
});
export type ReviewScorePoint = z.infer<typeof ReviewScorePointSchema>;

/** The instruments with a total (the C-SSRS screener raises risk flags instead). */
export const ReviewScoresSchema = z.strictObject(
  Object.fromEntries(OBJECTIVE_INSTRUMENTS.map((id) => [id, z.array(ReviewScorePointSchema).max(500).optional()])) as {
    [K in (typeof OBJECTIVE_INSTRUMENTS)[number]]: z.ZodOptional<z.ZodArray<typeof ReviewScorePointSchema>>;
  },
);
export type ReviewScores = z.infer<typeof ReviewScoresSchema>;

/**
 * The active plan, as much as the review needs (a projection of StoredPlan: build it with
 * {@link reviewPlanOf}). Course start, objective statuses and review due use
 * shared/domain/plans/progress.ts, so the review and the plan page never disagree.
 */
export const ReviewPlanSchema = z.strictObject({
  planId: Id,
  version: z.int().min(1),
  status: z.enum(PLAN_STATUSES),
  createdAt: ReviewInstantSchema,
  signedAt: ReviewInstantSchema.optional(),
  replaces: z.strictObject({ planId: Id, version: z.int().min(1) }).optional(),
  nextReviewDate: PlanDateSchema,
  primaryInstrument: z.enum(OBJECTIVE_INSTRUMENTS).optional(),
  objectives: z.array(ObjectiveSchema).max(20),
});
export type ReviewPlan = z.infer<typeof ReviewPlanSchema>;

export const ReviewSessionSchema = z.strictObject({ sessionId: Id, start: ReviewInstantSchema, status: z.enum(SESSION_STATUSES) });
export type ReviewSession = z.infer<typeof ReviewSessionSchema>;

/** A check-in the schedule expected (due at `dueAt`), done at `doneAt` if it was. */
export const DueCheckInSchema = z.strictObject({ dueAt: ReviewInstantSchema, doneAt: ReviewInstantSchema.optional() });
export type DueCheckIn = z.infer<typeof DueCheckInSchema>;

/** A measure that fell due (a reminder period, a session's measure), completed at `completedAt` if it was. */
export const DueMeasureSchema = z.strictObject({
  instrument: z.enum(INSTRUMENT_IDS),
  dueAt: ReviewInstantSchema,
  completedAt: ReviewInstantSchema.optional(),
});
export type DueMeasure = z.infer<typeof DueMeasureSchema>;

/** A risk flag raised (the flag's kind and level: never its reason text, which is clinical). */
export const ReviewRiskFlagSchema = z.strictObject({ kind: z.enum(RISK_FLAG_KINDS), level: RiskLevelSchema, at: ReviewInstantSchema });
export type ReviewRiskFlag = z.infer<typeof ReviewRiskFlagSchema>;

export const ReviewRiskTaskSchema = z.strictObject({
  taskId: Id,
  level: RiskLevelSchema,
  status: z.enum(RISK_TASK_STATUSES),
  openedAt: ReviewInstantSchema,
});
export type ReviewRiskTask = z.infer<typeof ReviewRiskTaskSchema>;

export const ReviewPlanTaskSchema = z.strictObject({
  reviewId: Id,
  kind: z.enum(REVIEW_TRIGGER_KINDS),
  openedAt: ReviewInstantSchema,
});
export type ReviewPlanTask = z.infer<typeof ReviewPlanTaskSchema>;

export const ClientReviewFactsSchema = z.strictObject({
  clientId: Id,
  /** From {@link clientInitials}: "A.T."; the only identifier that may reach the email. */
  initials: z.string().regex(/^(?:[A-Z]\.){0,3}$/, { error: 'Initials look like "A.T." (from clientInitials).' }),
  /** When care with this therapist started (the relationship). */
  careStartedAt: ReviewInstantSchema,
  scores: ReviewScoresSchema,
  /** The ACTIVE plan; absent when there is none yet. */
  plan: ReviewPlanSchema.optional(),
  /** Open plan review tasks (detectReviewTriggers opened them). */
  openPlanReviewTasks: z.array(ReviewPlanTaskSchema).max(100).default([]),
  /** Every session with this therapist (any time: runs of no-shows and the next session need history and future). */
  sessions: z.array(ReviewSessionSchema).max(1000).default([]),
  /** Check-ins that fell due (any time up to `now`); the review counts those in the period and the run of misses. */
  checkIns: z.array(DueCheckInSchema).max(1000).default([]),
  /** Measures that fell due (any time up to `now`). */
  measures: z.array(DueMeasureSchema).max(1000).default([]),
  /** Risk flags raised (the review counts those in the period). */
  riskFlags: z.array(ReviewRiskFlagSchema).max(1000).default([]),
  /** Risk tasks still open (any status but assessed). */
  openRiskTasks: z.array(ReviewRiskTaskSchema).max(100).default([]),
});
export type ClientReviewFacts = z.output<typeof ClientReviewFactsSchema>;
export type ClientReviewFactsInput = z.input<typeof ClientReviewFactsSchema>;

/** One flagged item of the previous review, with what was done about it (if anything). */
export const PreviousReviewItemSchema = z.strictObject({
  clientId: Id,
  disposition: DispositionSchema.optional(),
});
export type PreviousReviewItem = z.infer<typeof PreviousReviewItemSchema>;

export const PreviousReviewSchema = z.strictObject({
  reviewId: Id,
  /** The previous review's period end: "change since the last review" is measured from the last score before it. */
  periodEnd: ReviewInstantSchema,
  items: z.array(PreviousReviewItemSchema).max(1000),
});
export type PreviousReview = z.infer<typeof PreviousReviewSchema>;

export const ReviewFactsSchema = z
  .strictObject({
    therapist: z.strictObject({
      id: Id,
      timeZone: z.string().refine(isIanaTimeZone, { error: 'Give an IANA time zone (America/New_York).' }),
      /** The deployment setting for the email: initials or none. */
      identifiers: z.enum(CLIENT_IDENTIFIER_SETTINGS),
    }),
    period: z.strictObject({ start: ReviewInstantSchema, end: ReviewInstantSchema }),
    now: ReviewInstantSchema,
    previousReview: PreviousReviewSchema.optional(),
    /** The clients in care with this therapist at `now`. */
    clients: z.array(ClientReviewFactsSchema).max(1000),
  })
  .refine((f) => Date.parse(f.period.start) < Date.parse(f.period.end), { error: 'The period must end after it starts.', path: ['period', 'end'] })
  .refine((f) => Date.parse(f.period.end) <= Date.parse(f.now), { error: 'The period cannot end after now.', path: ['period', 'end'] })
  .refine((f) => new Set(f.clients.map((c) => c.clientId)).size === f.clients.length, { error: 'List each client once.', path: ['clients'] })
  .meta({ id: 'ReviewFacts' });
export type ReviewFacts = z.output<typeof ReviewFactsSchema>;
export type ReviewFactsInput = z.input<typeof ReviewFactsSchema>;

/** The default period: the `days` (7) days ending at `now`, [now - days, now). */
export function defaultReviewPeriod(now: string, days = 7): { start: string; end: string } {
  const end = Date.parse(now);
  if (Number.isNaN(end)) throw new RangeError(`Not an ISO instant: ${now}`);
  return { start: new Date(end - days * DAY_MS).toISOString(), end: new Date(end).toISOString() };
}

/**
 * "A.T." from a first and last name: the first letter of each (letters only, accents folded,
 * upper case); "" when neither has a letter. Only these reach the email, and only when the
 * deployment allows initials (HHS FAQ 570: minimum necessary).
 */
export function clientInitials(firstName: string, lastName: string): string {
  const initial = (name: string) => {
    const letter = name.normalize('NFD').replace(/[^A-Za-z]/g, '').charAt(0);
    return letter ? `${letter.toUpperCase()}.` : '';
  };
  return `${initial(firstName)}${initial(lastName)}`;
}

/** The review's projection of a stored plan version. */
export function reviewPlanOf(plan: StoredPlan): ReviewPlan {
  return {
    planId: plan.planId,
    version: plan.version,
    status: plan.status,
    createdAt: plan.createdAt,
    ...(plan.signedAt !== undefined ? { signedAt: plan.signedAt } : {}),
    ...(plan.replaces !== undefined ? { replaces: { ...plan.replaces } } : {}),
    nextReviewDate: plan.nextReviewDate,
    ...(plan.primaryInstrument !== undefined ? { primaryInstrument: plan.primaryInstrument } : {}),
    objectives: structuredClone(plan.objectives),
  };
}
