/**
 * How a plan is doing, from the scores, and when it is "not working" (issue 10, item 2): pure,
 * and every cut-off from shared/domain/instruments/thresholds.ts (reliable change per
 * instrument [NHS Talking Therapies], response >= 50 % [NCQA; DESIGN], not on track after 8
 * weeks [DESIGN]) or shared/config/plans.ts (6 attended sessions, the review date).
 *
 * The COURSE of a plan version: the scores that judge it start at its course start, which is
 * the start of care for version 1 (the therapist relationship; the intake baseline counts) and
 * the signing of the version for a revision (a revised plan gets its own 8 weeks: judging a new
 * plan by the weeks of the old one would flag it the day it is signed). The baseline is the
 * last score at or before the course start, else the first one after it.
 *
 * Objective status (FHIR Goal `achievementStatus`, simplified):
 * - not_yet_measured: no baseline, or no score after it (a behavioural objective until the
 *   therapist records it met);
 * - achieved: the latest score meets the target (below a value; a drop of at least the
 *   percentage from a non-zero baseline, compared in integers);
 * - otherwise the reliable-change class between baseline and latest: improving, worsening or no_change.
 *
 * Review triggers (each with a deterministic key: the same trigger is one task, however many
 * wake-ups see it):
 * | kind              | when                                                                                      | key |
 * |-------------------|-------------------------------------------------------------------------------------------|-----|
 * | not_on_track      | course >= 8 weeks (or >= 6 attended sessions) and, on the primary instrument, neither a reliable improvement nor a response | not_on_track:<planId> |
 * | deterioration     | a reliable deterioration on any instrument the plan follows                               | deterioration:<planId>:<instrument> |
 * | objective_overdue | an objective's due date has passed (from 00:00 UTC the day after it) and it is not achieved | objective_overdue:<planId>:<objectiveId> |
 * | review_due        | the plan's review date has come (from 00:00 UTC that day)                                 | review_due:<planId> |
 */
import { isNotOnTrack, outcomeRulesFor, reliableChange, type ScorePoint } from '../instruments/outcomes.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../instruments/thresholds.js';
import { instrumentsOf, primaryInstrumentOf, type Objective, type ObjectiveInstrument, type StoredPlan } from './plan.js';

export const OBJECTIVE_STATUSES = ['achieved', 'improving', 'no_change', 'worsening', 'not_yet_measured'] as const;
export type ObjectiveStatus = (typeof OBJECTIVE_STATUSES)[number];

export const REVIEW_TRIGGER_KINDS = ['not_on_track', 'deterioration', 'objective_overdue', 'review_due'] as const;
export type ReviewTriggerKind = (typeof REVIEW_TRIGGER_KINDS)[number];

export interface ReviewTrigger {
  kind: ReviewTriggerKind;
  /** Deterministic: the review task's id. */
  reviewId: string;
  planId: string;
  instrument?: ObjectiveInstrument;
  objectiveId?: string;
}

/** The settings of the check (shared/config/plans.ts). */
export interface PlanCheckRules {
  /** [DESIGN "Clinical rules"]: not on track after 8 weeks of care (thresholds.care.notOnTrackAfterWeeks). */
  notOnTrackAfterWeeks: number;
  /** Or after this many attended sessions (issue 10: 6), whichever comes first. */
  notOnTrackAfterSessions: number;
}

export type ScoreSeries = Readonly<Partial<Record<ObjectiveInstrument, readonly ScorePoint[]>>>;

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

const ms = (iso: string): number => {
  const value = Date.parse(iso);
  if (Number.isNaN(value)) throw new RangeError(`Not an ISO instant: ${iso}`);
  return value;
};

export const reviewIds = {
  notOnTrack: (planId: string) => `not_on_track:${planId}`,
  deterioration: (planId: string, instrument: string) => `deterioration:${planId}:${instrument}`,
  objectiveOverdue: (planId: string, objectiveId: string) => `objective_overdue:${planId}:${objectiveId}`,
  reviewDue: (planId: string) => `review_due:${planId}`,
} as const;

/** Where the course of a version starts (see the header). */
export function courseStart(plan: Pick<StoredPlan, 'replaces' | 'signedAt' | 'createdAt'>, careStartedAt: string | undefined): string {
  const signed = plan.signedAt ?? plan.createdAt;
  if (plan.replaces !== undefined || careStartedAt === undefined) return signed;
  return ms(careStartedAt) <= ms(signed) ? careStartedAt : signed;
}

/** The scores that judge a course: its baseline first, then every later score (oldest first). */
export function courseSeries(series: readonly ScorePoint[], start: string): ScorePoint[] {
  const ordered = [...series].map((p, i) => ({ p, t: ms(p.at), i })).sort((a, b) => a.t - b.t || a.i - b.i);
  const from = ms(start);
  const before = ordered.filter((s) => s.t <= from);
  const baselineIndex = before.length > 0 ? before.length - 1 : 0;
  return ordered.slice(baselineIndex).map((s) => s.p);
}

/** The status of one objective over its course's scores (see the header). */
export function objectiveStatus(objective: Objective, course: readonly ScorePoint[], thresholds: Thresholds = DEFAULT_THRESHOLDS): ObjectiveStatus {
  if (objective.kind === 'behaviour') return objective.achievedOn !== undefined ? 'achieved' : 'not_yet_measured';
  const rules = outcomeRulesFor(objective.instrument, thresholds);
  const baseline = course[0];
  const latest = course.at(-1);
  if (!rules || !baseline || !latest || course.length < 2) return 'not_yet_measured';
  const met =
    objective.target.kind === 'below'
      ? latest.total < objective.target.value
      : baseline.total > 0 && (baseline.total - latest.total) * 100 >= baseline.total * objective.target.percent;
  if (met) return 'achieved';
  switch (reliableChange([baseline, latest], rules)) {
    case 'improvement':
      return 'improving';
    case 'deterioration':
      return 'worsening';
    case 'none':
      return 'no_change';
  }
}

/** The first instant an objective counts as past due: 00:00 UTC the day after its due date. */
export function overdueFrom(dueDate: string): number {
  return ms(`${dueDate}T00:00:00.000Z`) + DAY_MS;
}

/** The instant a plan's review falls due: 00:00 UTC on its review date. */
export function reviewDueFrom(nextReviewDate: string): number {
  return ms(`${nextReviewDate}T00:00:00.000Z`);
}

export interface PlanCheckFacts {
  now: string;
  /** The ACTIVE version. */
  plan: StoredPlan;
  /** When the therapist relationship started (undefined: not in care with a therapist). */
  careStartedAt?: string;
  /** Attended sessions in the course (a port; 0 until sessions exist). */
  attendedSessions: number;
  /** Every score of every instrument the plan follows (any order). */
  series: ScoreSeries;
}

/** Every objective with its status, for the plan as shown. */
export function objectiveStatuses(
  plan: StoredPlan,
  careStartedAt: string | undefined,
  series: ScoreSeries,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): Map<string, ObjectiveStatus> {
  const start = courseStart(plan, careStartedAt);
  return new Map(
    plan.objectives.map((o) => [o.id, objectiveStatus(o, o.kind === 'measure' ? courseSeries(series[o.instrument] ?? [], start) : [], thresholds)]),
  );
}

/** What calls for a plan review now (see the header). Only an active plan is checked. */
export function detectReviewTriggers(facts: PlanCheckFacts, rules: PlanCheckRules, thresholds: Thresholds = DEFAULT_THRESHOLDS): ReviewTrigger[] {
  const { plan } = facts;
  if (plan.status !== 'active') return [];
  const now = ms(facts.now);
  const start = courseStart(plan, facts.careStartedAt);
  const triggers: ReviewTrigger[] = [];

  const primary = primaryInstrumentOf(plan);
  if (primary !== undefined) {
    const outcome = outcomeRulesFor(primary, thresholds);
    const weeks = Math.max(0, now - ms(start)) / WEEK_MS;
    const due = weeks >= rules.notOnTrackAfterWeeks || facts.attendedSessions >= rules.notOnTrackAfterSessions;
    // isNotOnTrack compares weeks with its own limit: give it the limit itself once the sessions made it due.
    if (outcome && due && isNotOnTrack(courseSeries(facts.series[primary] ?? [], start), outcome, Math.max(weeks, rules.notOnTrackAfterWeeks), rules.notOnTrackAfterWeeks)) {
      triggers.push({ kind: 'not_on_track', reviewId: reviewIds.notOnTrack(plan.planId), planId: plan.planId, instrument: primary });
    }
  }

  for (const instrument of instrumentsOf(plan)) {
    const outcome = outcomeRulesFor(instrument, thresholds);
    const course = courseSeries(facts.series[instrument] ?? [], start);
    if (outcome && course.length >= 2 && reliableChange(course, outcome) === 'deterioration') {
      triggers.push({ kind: 'deterioration', reviewId: reviewIds.deterioration(plan.planId, instrument), planId: plan.planId, instrument });
    }
  }

  const statuses = objectiveStatuses(plan, facts.careStartedAt, facts.series, thresholds);
  for (const objective of plan.objectives) {
    if (now >= overdueFrom(objective.dueDate) && statuses.get(objective.id) !== 'achieved') {
      triggers.push({ kind: 'objective_overdue', reviewId: reviewIds.objectiveOverdue(plan.planId, objective.id), planId: plan.planId, objectiveId: objective.id });
    }
  }

  if (now >= reviewDueFrom(plan.nextReviewDate)) {
    triggers.push({ kind: 'review_due', reviewId: reviewIds.reviewDue(plan.planId), planId: plan.planId });
  }
  return triggers;
}

/**
 * The next instant at which time alone can raise a trigger (after `now`): the end of the
 * 8 weeks, an objective falling past due, the review date. The care lifecycle wakes then, so a
 * review task opens at that instant, not at the next daily review. Undefined: none is coming.
 */
export function nextPlanCheckAt(facts: Omit<PlanCheckFacts, 'series' | 'attendedSessions'>, rules: PlanCheckRules): string | undefined {
  const { plan } = facts;
  if (plan.status !== 'active') return undefined;
  const now = ms(facts.now);
  const candidates = [
    ms(courseStart(plan, facts.careStartedAt)) + rules.notOnTrackAfterWeeks * WEEK_MS,
    ...plan.objectives.map((o) => overdueFrom(o.dueDate)),
    reviewDueFrom(plan.nextReviewDate),
  ].filter((at) => at > now);
  return candidates.length === 0 ? undefined : new Date(Math.min(...candidates)).toISOString();
}
