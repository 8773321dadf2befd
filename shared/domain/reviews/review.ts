/**
 * The weekly progress review (issue 11, point 1): for one therapist and one period, what each
 * client in care looks like, which clients need a look first and why, and a caseload header.
 * Pure: `buildProgressReview(facts, rules)` reads no clock and no store; the same facts give
 * the same review (every list is ordered by a stable key).
 *
 * Why a review at all: feedback on not-on-track clients cut deterioration from 21 % to 13 %
 * (6 % with clinical support tools) and raised recovery from 20 % to 35 % (Lambert 2017), but
 * only when someone looks: so every flagged client is listed with plain-language reasons, and
 * an item nobody dispositioned carries over to the next review, marked as such (DESIGN.md
 * "Progress reviews"). Algorithms predicted deterioration in 77 % of cases, therapists in 1 in
 * 40 (Hannan 2005): the review does the noticing, the therapist the judging.
 *
 * Per client (see {@link ClientReview}):
 * - per instrument: baseline (the last score at or before care start, else the first after:
 *   plans/progress.ts `courseSeries`), latest, band, change and five-level class since baseline
 *   and since the last review (change-classes.ts), response, remission and caseness
 *   (instruments/outcomes.ts), and the series for a chart;
 * - not on track (plans/progress.ts rules: 8 weeks of the plan's course or 6 attended sessions,
 *   on the plan's primary instrument; without a plan, from care start on the first instrument
 *   with scores), the plan's objectives and their statuses, whether the plan review is due;
 * - sessions in the period by status, no-shows in a row (sessions/sessions.ts), calendar days
 *   since the last attended and until the next booked session in the THERAPIST's time zone;
 * - check-in and measure adherence in the period, and the run of misses ("missed 3 in a row");
 * - risk flags in the period, open risk tasks, the latest PHQ-9 item 9 answer;
 * - disengagement: no attended session, check-in or measure for `disengagedAfterDays` (21,
 *   the care lifecycle's default).
 *
 * The fixed line {@link NO_FLAGS_IS_NOT_NO_RISK} is in every review: in a VA cohort 71.6 % of
 * suicides followed a latest PHQ-9 item 9 of "not at all" (DESIGN.md "Progress reviews"), so a
 * client with nothing flagged is not a client without risk.
 *
 * Caseload header: clients in care; on track (neither not on track nor deteriorated),
 * not on track, deteriorated, at risk (these overlap: a client can be both); the measure
 * completion rate in the period; how many are listed, and how many had nothing to flag.
 */
import { bandOf } from '../instruments/answers.js';
import { DEFAULT_LIFECYCLE_RULES } from '../care-lifecycle.js';
import { GAD7_BAND_LABELS, GAD7_MAX_TOTAL } from '../instruments/gad7.js';
import { isCase, isNotOnTrack, isRemission, isResponse, outcomeRulesFor } from '../instruments/outcomes.js';
import { PCL5_MAX_TOTAL } from '../instruments/pcl5.js';
import { PHQ9_BAND_LABELS, PHQ9_MAX_TOTAL } from '../instruments/phq9.js';
import { highestRiskLevel, type RiskFlagKind, type RiskLevel } from '../instruments/risk-flags.js';
import { DEFAULT_THRESHOLDS, GAD7_BAND_IDS, PHQ9_BAND_IDS, type Thresholds } from '../instruments/thresholds.js';
import { OBJECTIVE_INSTRUMENTS, primaryInstrumentOf, type ObjectiveInstrument } from '../plans/plan.js';
import { courseSeries, courseStart, objectiveStatus, overdueFrom, reviewDueFrom, type ObjectiveStatus, type PlanCheckRules, type ReviewTriggerKind } from '../plans/progress.js';
import { isOpenStatus, type RiskTaskStatus } from '../risk-tasks.js';
import { trailingNoShows } from '../sessions/sessions.js';
import { localDate } from '../time-zone.js';
import { CHANGE_CLASS_LABELS, changeClass, type ChangeClass, type ChangeClassRules } from './change-classes.js';
import type { ClientIdentifierSetting, ClientReviewFacts, ReviewFacts, ReviewScorePoint } from './facts.js';
import { compareTriage, reason, TRIAGE_CLASSES, triageClassOf, triageClassRank, type TriageClass, type TriageReason } from './triage.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * The fixed line of every review (app and email). Source: DESIGN.md "Progress reviews": 71.6 %
 * of suicides in a VA cohort followed a latest PHQ-9 item 9 of "not at all".
 */
export const NO_FLAGS_IS_NOT_NO_RISK =
  'No flags does not mean no risk. In a VA cohort, 71.6% of suicides followed a latest PHQ-9 item 9 answer of "not at all": ask about risk in every session.';

/** The review's settings. Every clinical cut-off is in `thresholds` (instruments/thresholds.ts). */
export interface ReviewRules {
  thresholds: Thresholds;
  /** Not on track after 8 weeks of the plan's course or 6 attended sessions (shared/config/plans.ts supplies the deployed values). */
  plan: PlanCheckRules;
  /** No attended session, check-in or measure for this many days: disengaged (care lifecycle default 21). */
  disengagedAfterDays: number;
}

export const DEFAULT_REVIEW_RULES: ReviewRules = Object.freeze({
  thresholds: DEFAULT_THRESHOLDS,
  // 6 sessions: DEFAULT_NOT_ON_TRACK_SESSIONS of shared/config/plans.ts (the domain does not import config).
  plan: Object.freeze({ notOnTrackAfterWeeks: DEFAULT_THRESHOLDS.care.notOnTrackAfterWeeks, notOnTrackAfterSessions: 6 }),
  disengagedAfterDays: DEFAULT_LIFECYCLE_RULES.disengagedAfterSeconds / 86_400,
});

// ---------------------------------------------------------------------------------------------
// Output types
// ---------------------------------------------------------------------------------------------

export interface ScoreAt {
  total: number;
  at: string;
}

export interface ChangeSummary {
  /** Latest minus the reference total: negative = fewer symptoms. */
  change: number;
  changeClass: ChangeClass;
}

export interface InstrumentReview {
  instrument: ObjectiveInstrument;
  /** Scores from the baseline on, oldest first: ready for a chart. */
  series: ScoreAt[];
  /** The chart's y-axis: 0 to this. */
  maxTotal: number;
  /** Lower bounds of the severity bands, for a chart's background (PCL-5: the probable-PTSD cut-point). */
  bandsFrom: Readonly<Record<string, number>>;
  baseline: ScoreAt;
  latest: ScoreAt;
  /** The latest total's band (PHQ-9, GAD-7: severity; PCL-5: probable PTSD or below the cut-point). */
  band: { id: string; label: string };
  /** null: a single score, nothing to compare. */
  sinceBaseline: ChangeSummary | null;
  /** From the last score at or before the previous review's end (else the period start); null: no newer score, or none before. */
  sinceLastReview: (ChangeSummary & { from: ScoreAt }) | null;
  response: boolean;
  /** null: remission is not defined for this instrument (PCL-5). */
  remission: boolean | null;
  caseness: { baseline: boolean; latest: boolean };
  /** PHQ-9: the item 9 answer (0-3) of the latest score, when known. */
  latestItem9?: number;
}

export interface ObjectiveReview {
  objectiveId: string;
  kind: 'measure' | 'behaviour';
  instrument?: ObjectiveInstrument;
  dueDate: string;
  status: ObjectiveStatus;
  /** Past its due date (from 00:00 UTC the day after) and not achieved. */
  overdue: boolean;
}

export interface Adherence {
  /** Fell due in the period. */
  due: number;
  /** Of those, done (at any time). */
  done: number;
  /** Whole per cent, null when none fell due. */
  percent: number | null;
  /** Misses in a row, ending with the last one that fell due up to now. */
  missedInARow: number;
}

export interface ClientReview {
  clientId: string;
  initials: string;
  careStartedAt: string;
  /** Weeks since care started, one decimal. */
  weeksInCare: number;
  instruments: InstrumentReview[];
  /** The instrument the "not on track" rule follows, null when there is none with scores. */
  primaryInstrument: ObjectiveInstrument | null;
  notOnTrack: boolean;
  /** A reliable worsening since baseline or since the last review on some instrument. */
  deteriorated: boolean;
  plan: {
    planId: string;
    version: number;
    nextReviewDate: string;
    reviewDue: boolean;
    objectives: ObjectiveReview[];
    openReviewTasks: { reviewId: string; kind: ReviewTriggerKind; openedAt: string }[];
  } | null;
  sessions: {
    inPeriod: { attended: number; cancelled: number; lateCancelled: number; cancelledByTherapist: number; noShow: number; booked: number };
    noShowsInARow: number;
    lastAttendedAt: string | null;
    /** Calendar days in the therapist's zone; null: none yet. */
    daysSinceLast: number | null;
    nextAt: string | null;
    daysUntilNext: number | null;
  };
  checkIns: Adherence;
  measures: Adherence;
  risk: {
    flagsInPeriod: { kind: RiskFlagKind; level: RiskLevel; at: string }[];
    openTasks: { taskId: string; level: RiskLevel; status: RiskTaskStatus; openedAt: string }[];
    /** The highest level among flags in the period and open tasks. */
    highestLevel: RiskLevel | null;
  };
  /** Last attended session, check-in or measure (care start when none). */
  lastContactAt: string;
  disengaged: boolean;
}

export interface ReviewItem {
  clientId: string;
  initials: string;
  triageClass: TriageClass;
  reasons: TriageReason[];
  /** Listed in the previous review and not dispositioned there. */
  carriedOver: { fromReviewId: string } | null;
  client: ClientReview;
}

export interface CaseloadHeader {
  clientsInCare: number;
  onTrack: number;
  notOnTrack: number;
  deteriorated: number;
  atRisk: number;
  measureCompletion: { due: number; completed: number; percent: number | null };
  /** Clients listed (with at least one reason). */
  listed: number;
  /** Clients with nothing to flag: counted, not listed. */
  nothingToFlag: number;
}

export interface ProgressReview {
  /** Deterministic: one review per therapist and period end. */
  reviewId: string;
  therapistId: string;
  timeZone: string;
  identifiers: ClientIdentifierSetting;
  period: { start: string; end: string };
  generatedAt: string;
  thresholdsVersion: string;
  /** Always {@link NO_FLAGS_IS_NOT_NO_RISK}. */
  noFlagsLine: string;
  caseload: CaseloadHeader;
  /** Listed clients per class (each client once, under its class). */
  triageCounts: Record<TriageClass, number>;
  /** Listed items that carry over from the previous review. */
  carriedOver: number;
  /** The listed clients, in triage order. */
  items: ReviewItem[];
}

export function progressReviewId(therapistId: string, periodEnd: string): string {
  return `progress-review:${therapistId}:${new Date(ms(periodEnd)).toISOString()}`;
}

// ---------------------------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------------------------

/**
 * The review of `facts` (already validated with ReviewFactsSchema). Throws a RangeError on an
 * instant that is not one.
 */
export function buildProgressReview(facts: ReviewFacts, rules: ReviewRules = DEFAULT_REVIEW_RULES): ProgressReview {
  const now = ms(facts.now);
  const period = { start: ms(facts.period.start), end: ms(facts.period.end) };
  const lastReviewAt = facts.previousReview ? ms(facts.previousReview.periodEnd) : period.start;
  const undispositioned = new Set((facts.previousReview?.items ?? []).filter((i) => i.disposition === undefined).map((i) => i.clientId));

  const clients = [...facts.clients].sort((a, b) => compareIds(a.clientId, b.clientId));
  const items: ReviewItem[] = [];
  let onTrack = 0;
  let notOnTrack = 0;
  let deteriorated = 0;
  let atRisk = 0;
  let measuresDue = 0;
  let measuresCompleted = 0;

  for (const facts_ of clients) {
    const client = reviewClient(facts_, { now, period, lastReviewAt, timeZone: facts.therapist.timeZone }, rules);
    const reasons = reasonsFor(client, rules);
    const carried = facts.previousReview && undispositioned.has(client.clientId) ? { fromReviewId: facts.previousReview.reviewId } : null;
    if (carried && reasons.length === 0) reasons.push(reason('carried_over', 'Listed in the last review and not yet dispositioned.'));

    if (client.notOnTrack) notOnTrack += 1;
    if (client.deteriorated) deteriorated += 1;
    if (!client.notOnTrack && !client.deteriorated) onTrack += 1;
    if (reasons.some((r) => r.triageClass === 'risk')) atRisk += 1;
    measuresDue += client.measures.due;
    measuresCompleted += client.measures.done;

    const triageClass = triageClassOf(reasons);
    if (triageClass !== null) {
      items.push({ clientId: client.clientId, initials: client.initials, triageClass, reasons, carriedOver: carried, client });
    }
  }

  items.sort((a, b) => compareTriage({ ...a, riskLevel: a.client.risk.highestLevel }, { ...b, riskLevel: b.client.risk.highestLevel }));
  const triageCounts = Object.fromEntries(TRIAGE_CLASSES.map((c) => [c, items.filter((i) => i.triageClass === c).length])) as Record<TriageClass, number>;

  return {
    reviewId: progressReviewId(facts.therapist.id, facts.period.end),
    therapistId: facts.therapist.id,
    timeZone: facts.therapist.timeZone,
    identifiers: facts.therapist.identifiers,
    period: { start: iso(period.start), end: iso(period.end) },
    generatedAt: iso(now),
    thresholdsVersion: rules.thresholds.version,
    noFlagsLine: NO_FLAGS_IS_NOT_NO_RISK,
    caseload: {
      clientsInCare: clients.length,
      onTrack,
      notOnTrack,
      deteriorated,
      atRisk,
      measureCompletion: { due: measuresDue, completed: measuresCompleted, percent: percentOf(measuresCompleted, measuresDue) },
      listed: items.length,
      nothingToFlag: clients.length - items.length,
    },
    triageCounts,
    carriedOver: items.filter((i) => i.carriedOver !== null).length,
    items,
  };
}

interface Context {
  now: number;
  period: { start: number; end: number };
  lastReviewAt: number;
  timeZone: string;
}

/** Everything the review shows about one client (see the header). */
export function reviewClient(facts: ClientReviewFacts, context: Context, rules: ReviewRules = DEFAULT_REVIEW_RULES): ClientReview {
  const { now, period, timeZone } = context;
  const inPeriod = (at: string) => {
    const t = ms(at);
    return t >= period.start && t < period.end;
  };
  const careStart = ms(facts.careStartedAt);

  // Instruments, in the stable order of OBJECTIVE_INSTRUMENTS.
  const instruments: InstrumentReview[] = [];
  for (const instrument of OBJECTIVE_INSTRUMENTS) {
    const scores = (facts.scores[instrument] ?? []).filter((p) => ms(p.at) <= now);
    const review = reviewInstrument(instrument, scores, facts.careStartedAt, context.lastReviewAt, rules.thresholds);
    if (review) instruments.push(review);
  }

  // Not on track: plans/progress.ts rules on the primary instrument, over the plan's course.
  const plan = facts.plan && facts.plan.status === 'active' ? facts.plan : undefined;
  const primaryInstrument = (plan ? primaryInstrumentOf(plan) : undefined) ?? instruments[0]?.instrument ?? null;
  const start = plan ? courseStart(plan, facts.careStartedAt) : facts.careStartedAt;
  const attendedInCourse = facts.sessions.filter((s) => s.status === 'attended' && ms(s.start) >= ms(start) && ms(s.start) <= now).length;
  let notOnTrack = false;
  if (primaryInstrument !== null) {
    const outcome = outcomeRulesFor(primaryInstrument, rules.thresholds);
    const weeks = Math.max(0, now - ms(start)) / WEEK_MS;
    const due = weeks >= rules.plan.notOnTrackAfterWeeks || attendedInCourse >= rules.plan.notOnTrackAfterSessions;
    const course = courseSeries((facts.scores[primaryInstrument] ?? []).filter((p) => ms(p.at) <= now), start);
    notOnTrack = outcome !== null && due && isNotOnTrack(course, outcome, Math.max(weeks, rules.plan.notOnTrackAfterWeeks), rules.plan.notOnTrackAfterWeeks);
  }
  const deteriorated = instruments.some(
    (i) => i.sinceBaseline?.changeClass === 'reliable_worsening' || i.sinceLastReview?.changeClass === 'reliable_worsening',
  );

  // Plan: objectives over the course, review due.
  const planReview = plan
    ? {
        planId: plan.planId,
        version: plan.version,
        nextReviewDate: plan.nextReviewDate,
        reviewDue: now >= reviewDueFrom(plan.nextReviewDate),
        objectives: plan.objectives.map((o): ObjectiveReview => {
          const course = o.kind === 'measure' ? courseSeries((facts.scores[o.instrument] ?? []).filter((p) => ms(p.at) <= now), start) : [];
          const status = objectiveStatus(o, course, rules.thresholds);
          return {
            objectiveId: o.id,
            kind: o.kind,
            ...(o.kind === 'measure' ? { instrument: o.instrument } : {}),
            dueDate: o.dueDate,
            status,
            overdue: now >= overdueFrom(o.dueDate) && status !== 'achieved',
          };
        }),
        openReviewTasks: [...facts.openPlanReviewTasks]
          .sort((a, b) => ms(a.openedAt) - ms(b.openedAt) || compareIds(a.reviewId, b.reviewId))
          .map((t) => ({ reviewId: t.reviewId, kind: t.kind, openedAt: t.openedAt })),
      }
    : null;

  // Sessions.
  const sessions = [...facts.sessions].sort((a, b) => ms(a.start) - ms(b.start) || compareIds(a.sessionId, b.sessionId));
  const counts = { attended: 0, cancelled: 0, lateCancelled: 0, cancelledByTherapist: 0, noShow: 0, booked: 0 };
  for (const s of sessions.filter((x) => inPeriod(x.start))) {
    if (s.status === 'attended') counts.attended += 1;
    else if (s.status === 'no_show') counts.noShow += 1;
    else if (s.status === 'late_cancelled') counts.lateCancelled += 1;
    else if (s.status === 'cancelled_by_therapist') counts.cancelledByTherapist += 1;
    else if (s.status === 'booked') counts.booked += 1;
    else counts.cancelled += 1;
  }
  const lastAttended = sessions.filter((s) => s.status === 'attended' && ms(s.start) <= now).at(-1);
  const next = sessions.find((s) => s.status === 'booked' && ms(s.start) >= now);
  const today = localDate(new Date(now), timeZone);

  // Adherence.
  const checkIns = adherence(facts.checkIns.map((c) => ({ dueAt: c.dueAt, doneAt: c.doneAt })), context);
  const measures = adherence(facts.measures.map((m) => ({ dueAt: m.dueAt, doneAt: m.completedAt })), context);

  // Risk.
  const flagsInPeriod = facts.riskFlags
    .filter((f) => inPeriod(f.at))
    .sort((a, b) => ms(a.at) - ms(b.at) || compareIds(a.kind, b.kind))
    .map((f) => ({ kind: f.kind, level: f.level, at: f.at }));
  const openTasks = facts.openRiskTasks
    .filter((t) => isOpenStatus(t.status))
    .sort((a, b) => ms(a.openedAt) - ms(b.openedAt) || compareIds(a.taskId, b.taskId))
    .map((t) => ({ taskId: t.taskId, level: t.level, status: t.status, openedAt: t.openedAt }));

  // Disengagement: the last contact of any kind (the care lifecycle counts check-ins and measures; we add attended sessions).
  const contacts = [
    careStart,
    ...(lastAttended ? [ms(lastAttended.start)] : []),
    ...facts.checkIns.flatMap((c) => (c.doneAt !== undefined ? [ms(c.doneAt)] : [])),
    ...facts.measures.flatMap((m) => (m.completedAt !== undefined ? [ms(m.completedAt)] : [])),
    ...OBJECTIVE_INSTRUMENTS.flatMap((i) => (facts.scores[i] ?? []).map((p) => ms(p.at))),
  ].filter((t) => t <= now);
  // Care that started after `now` (a review of a period before it) has no contact yet: care start.
  const lastContact = contacts.length > 0 ? Math.max(...contacts) : careStart;

  return {
    clientId: facts.clientId,
    initials: facts.initials,
    careStartedAt: facts.careStartedAt,
    weeksInCare: Math.round((Math.max(0, now - careStart) / WEEK_MS) * 10) / 10,
    instruments,
    primaryInstrument,
    notOnTrack,
    deteriorated,
    plan: planReview,
    sessions: {
      inPeriod: counts,
      noShowsInARow: trailingNoShows(sessions.filter((s) => ms(s.start) <= now)),
      lastAttendedAt: lastAttended?.start ?? null,
      daysSinceLast: lastAttended ? calendarDaysBetween(localDate(new Date(ms(lastAttended.start)), timeZone), today) : null,
      nextAt: next?.start ?? null,
      daysUntilNext: next ? calendarDaysBetween(today, localDate(new Date(ms(next.start)), timeZone)) : null,
    },
    checkIns,
    measures,
    risk: { flagsInPeriod, openTasks, highestLevel: highestRiskLevel([...flagsInPeriod, ...openTasks]) },
    lastContactAt: iso(lastContact),
    disengaged: now - lastContact >= rules.disengagedAfterDays * DAY_MS,
  };
}

/** One instrument's part of the review, or null when it has no score (or no outcome rules). */
export function reviewInstrument(
  instrument: ObjectiveInstrument,
  scores: readonly ReviewScorePoint[],
  careStartedAt: string,
  lastReviewAt: number,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): InstrumentReview | null {
  const outcome = outcomeRulesFor(instrument, thresholds);
  if (!outcome || scores.length === 0) return null;
  const classRules: ChangeClassRules = { reliableChange: outcome.reliableChange, possibleChangePercent: thresholds.review.possibleChangePercent };
  // The course from care start (baseline = last score at or before it, else the first after), ties by their given order.
  const withItems = courseSeries(scores, careStartedAt) as ReviewScorePoint[];
  const series = withItems.map((p) => ({ total: p.total, at: p.at }));
  const baseline = series[0]!;
  const latest = series.at(-1)!;
  const latestPoint = withItems.at(-1)!;

  const reference = [...series].reverse().find((p) => ms(p.at) <= lastReviewAt);
  const sinceLastReview =
    reference && ms(latest.at) > ms(reference.at) && reference !== latest
      ? { from: reference, change: latest.total - reference.total, changeClass: changeClass(latest.total - reference.total, classRules) }
      : null;

  const { maxTotal, bandsFrom, band } = bandFor(instrument, latest.total, thresholds);
  return {
    instrument,
    series,
    maxTotal,
    bandsFrom,
    baseline,
    latest,
    band,
    sinceBaseline: series.length >= 2 ? { change: latest.total - baseline.total, changeClass: changeClass(latest.total - baseline.total, classRules) } : null,
    sinceLastReview,
    response: isResponse(series, outcome),
    remission: isRemission(series, outcome),
    caseness: { baseline: isCase(baseline.total, outcome), latest: isCase(latest.total, outcome) },
    ...(instrument === 'phq9' && latestPoint.item9 !== undefined ? { latestItem9: latestPoint.item9 } : {}),
  };
}

function bandFor(instrument: ObjectiveInstrument, total: number, thresholds: Thresholds): Pick<InstrumentReview, 'maxTotal' | 'bandsFrom' | 'band'> {
  switch (instrument) {
    case 'phq9': {
      const b = bandOf(total, PHQ9_BAND_IDS, thresholds.phq9.bandsFrom, PHQ9_BAND_LABELS, PHQ9_MAX_TOTAL);
      return { maxTotal: PHQ9_MAX_TOTAL, bandsFrom: { ...thresholds.phq9.bandsFrom }, band: { id: b.id, label: b.label } };
    }
    case 'gad7': {
      const b = bandOf(total, GAD7_BAND_IDS, thresholds.gad7.bandsFrom, GAD7_BAND_LABELS, GAD7_MAX_TOTAL);
      return { maxTotal: GAD7_MAX_TOTAL, bandsFrom: { ...thresholds.gad7.bandsFrom }, band: { id: b.id, label: b.label } };
    }
    case 'pcl5': {
      const from = thresholds.pcl5.probablePtsdFrom;
      const band = total >= from ? { id: 'probable_ptsd', label: 'Probable PTSD' } : { id: 'below_cut_point', label: 'Below the probable-PTSD cut-point' };
      return { maxTotal: PCL5_MAX_TOTAL, bandsFrom: { below_cut_point: 0, probable_ptsd: from }, band };
    }
  }
}

/** Due items in the period, how many were done, and the run of misses up to now. */
function adherence(items: readonly { dueAt: string; doneAt: string | undefined }[], context: Context): Adherence {
  const fallen = items
    .filter((i) => ms(i.dueAt) <= context.now)
    .sort((a, b) => ms(a.dueAt) - ms(b.dueAt));
  const inPeriod = fallen.filter((i) => ms(i.dueAt) >= context.period.start && ms(i.dueAt) < context.period.end);
  const done = inPeriod.filter((i) => i.doneAt !== undefined).length;
  let missedInARow = 0;
  for (let i = fallen.length - 1; i >= 0 && fallen[i]!.doneAt === undefined; i -= 1) missedInARow += 1;
  return { due: inPeriod.length, done, percent: percentOf(done, inPeriod.length), missedInARow };
}

/** The plain-language reasons a client is listed (see triage.ts for the classes). */
export function reasonsFor(client: ClientReview, rules: ReviewRules = DEFAULT_REVIEW_RULES): TriageReason[] {
  const reasons: TriageReason[] = [];
  const review = rules.thresholds.review;
  const { risk } = client;

  if (risk.flagsInPeriod.length > 0) {
    const n = risk.flagsInPeriod.length;
    reasons.push(reason('risk_flag', `${n} risk ${n === 1 ? 'flag' : 'flags'} raised in the period (highest: ${highestRiskLevel(risk.flagsInPeriod)}).`));
  }
  if (risk.openTasks.length > 0) {
    const n = risk.openTasks.length;
    reasons.push(reason('open_risk_task', `${n} risk ${n === 1 ? 'task' : 'tasks'} not yet assessed.`));
  }
  const phq9 = client.instruments.find((i) => i.instrument === 'phq9');
  if (phq9?.latestItem9 !== undefined && phq9.latestItem9 > 0 && !risk.flagsInPeriod.some((f) => f.kind === 'phq9_item9')) {
    reasons.push(reason('phq9_item9', 'The latest PHQ-9 has item 9 (thoughts of death or self-harm) above "not at all".'));
  }

  for (const i of client.instruments) {
    const name = INSTRUMENT_NAMES[i.instrument];
    const since =
      i.sinceBaseline?.changeClass === 'reliable_worsening'
        ? `since baseline (${signed(i.sinceBaseline.change)} points)`
        : i.sinceLastReview?.changeClass === 'reliable_worsening'
          ? `since the last review (${signed(i.sinceLastReview.change)} points)`
          : null;
    if (since) reasons.push(reason('reliable_worsening', `${name}: ${CHANGE_CLASS_LABELS.reliable_worsening} ${since}.`));
  }

  if (client.notOnTrack && client.primaryInstrument) {
    reasons.push(
      reason(
        'not_on_track',
        `Not on track: no reliable improvement and no response on the ${INSTRUMENT_NAMES[client.primaryInstrument]} after ${rules.plan.notOnTrackAfterWeeks} weeks or ${rules.plan.notOnTrackAfterSessions} sessions. Consider a plan review.`,
      ),
    );
  }

  if (client.sessions.noShowsInARow >= review.noShowsInARow) reasons.push(reason('no_shows_in_a_row', `${client.sessions.noShowsInARow} no-shows in a row.`));
  if (client.checkIns.missedInARow >= review.missedInARow) reasons.push(reason('check_ins_missed_in_a_row', `Missed ${client.checkIns.missedInARow} check-ins in a row.`));
  if (client.measures.missedInARow >= review.missedInARow) reasons.push(reason('measures_missed_in_a_row', `Missed ${client.measures.missedInARow} measures in a row.`));
  if (client.disengaged) reasons.push(reason('no_contact', `No session, check-in or measure for ${rules.disengagedAfterDays} days or more.`));
  if (client.sessions.nextAt === null) reasons.push(reason('no_session_booked', 'No upcoming session booked.'));

  if (client.plan?.reviewDue) reasons.push(reason('plan_review_due', `Plan review due (review date ${client.plan.nextReviewDate}).`));
  for (const task of client.plan?.openReviewTasks ?? []) reasons.push(reason('plan_review_task_open', `Open plan review task: ${PLAN_TASK_NAMES[task.kind]}.`));

  return reasons.sort((a, b) => triageClassRank(a.triageClass) - triageClassRank(b.triageClass));
}

const INSTRUMENT_NAMES: Readonly<Record<ObjectiveInstrument, string>> = { phq9: 'PHQ-9', gad7: 'GAD-7', pcl5: 'PCL-5' };
const PLAN_TASK_NAMES: Readonly<Record<ReviewTriggerKind, string>> = {
  not_on_track: 'not on track',
  deterioration: 'deterioration',
  objective_overdue: 'an objective is overdue',
  review_due: 'review date reached',
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function ms(at: string): number {
  const value = Date.parse(at);
  if (Number.isNaN(value)) throw new RangeError(`Not an ISO instant: ${at}`);
  return value;
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function percentOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 100) / whole);
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** Whole calendar days from date `a` to date `b` (YYYY-MM-DD): positive when `b` is later. */
export function calendarDaysBetween(a: string, b: string): number {
  const day = (d: string) => {
    const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, dd);
  };
  return Math.round((day(b) - day(a)) / DAY_MS);
}
