/**
 * Outcome rules over one client's series of totals on one instrument (measurement-based care):
 * baseline, latest, change, reliable change, response, remission, caseness and "not on track".
 * Cut-offs come from thresholds.ts (sources cited there: NHS Talking Therapies for reliable
 * change and caseness, NCQA/DESIGN for response and remission, DESIGN for not on track).
 *
 * Conventions:
 * - The baseline is the earliest score, the latest the most recent, by `at` (the series may
 *   come in any order; equal instants keep their given order).
 * - `change` is latest minus baseline: negative means fewer symptoms (all our instruments
 *   score higher for worse).
 * - Rules that compare two measurements (reliable change, response, remission) need a
 *   follow-up: with a single score they report no change, no response, no remission.
 */
import * as z from 'zod';
import { INSTRUMENT_IDS, type InstrumentId } from './definition.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';

export interface ScorePoint {
  total: number;
  /** When it was measured: an ISO 8601 instant. */
  at: string;
}

export const RELIABLE_CHANGES = ['improvement', 'deterioration', 'none'] as const;
export type ReliableChange = (typeof RELIABLE_CHANGES)[number];

/** The rules for one instrument, flattened from thresholds.ts. */
export interface OutcomeRules {
  reliableChange: number;
  responseMinDropPercent: number;
  /** Caseness: total at or above this value. */
  casenessFrom: number;
  /** Remission: total below this value; null when not defined for the instrument. */
  remissionBelow: number | null;
}

/** Outcome rules for an instrument, or `null` for one without (the C-SSRS screener triages, it has no total). */
export function outcomeRulesFor(instrument: InstrumentId, thresholds: Thresholds = DEFAULT_THRESHOLDS): OutcomeRules | null {
  switch (instrument) {
    case 'phq9':
      return { ...thresholds.phq9.outcomes };
    case 'gad7':
      return { ...thresholds.gad7.outcomes };
    case 'pcl5':
      // PCL-5 caseness is the probable-PTSD cut-point: one value, kept in one place.
      return { ...thresholds.pcl5.outcomes, casenessFrom: thresholds.pcl5.probablePtsdFrom };
    case 'cssrs_screener':
      return null;
  }
}

/** A copy of the series, oldest first. Throws a RangeError on a total or instant that is not one. */
export function chronological(series: readonly ScorePoint[]): ScorePoint[] {
  const timed = series.map((point, index) => {
    const time = Date.parse(point.at);
    if (!Number.isFinite(point.total)) throw new RangeError(`Score ${index} has no numeric total.`);
    if (Number.isNaN(time)) throw new RangeError(`Score ${index} has no valid ISO 8601 instant in "at".`);
    return { point, time, index };
  });
  timed.sort((a, b) => a.time - b.time || a.index - b.index);
  return timed.map((t) => t.point);
}

/** The earliest score, or `null` for an empty series. */
export function baselineScore(series: readonly ScorePoint[]): ScorePoint | null {
  return chronological(series)[0] ?? null;
}

/** The most recent score, or `null` for an empty series. */
export function latestScore(series: readonly ScorePoint[]): ScorePoint | null {
  return chronological(series).at(-1) ?? null;
}

/** Latest minus baseline (negative = improvement), or `null` for an empty series. */
export function scoreChange(series: readonly ScorePoint[]): number | null {
  const ordered = chronological(series);
  const first = ordered[0];
  const last = ordered.at(-1);
  return first && last ? last.total - first.total : null;
}

/**
 * Reliable change [NHS Talking Therapies]: the total moved by at least `rules.reliableChange`
 * between baseline and latest (PHQ-9 6, GAD-7 4): down is improvement, up is deterioration.
 */
export function reliableChange(series: readonly ScorePoint[], rules: OutcomeRules): ReliableChange {
  const change = scoreChange(series) ?? 0;
  if (change <= -rules.reliableChange) return 'improvement';
  if (change >= rules.reliableChange) return 'deterioration';
  return 'none';
}

/**
 * Response: the latest total is at least `responseMinDropPercent` (50 %) below a non-zero
 * baseline. Compared in integers (drop x 100 >= baseline x percent), so exactly 50 % counts
 * and floating point never decides a boundary.
 */
export function isResponse(series: readonly ScorePoint[], rules: OutcomeRules): boolean {
  const ordered = chronological(series);
  const first = ordered[0];
  const last = ordered.at(-1);
  if (!first || !last || ordered.length < 2 || first.total <= 0) return false;
  return (first.total - last.total) * 100 >= first.total * rules.responseMinDropPercent;
}

/**
 * Remission: at a follow-up, the latest total is below `remissionBelow` (PHQ-9 and GAD-7: 5)
 * while the baseline was not (someone who started in the minimal range has not "remitted").
 * `null` when the instrument defines no remission cut-off (PCL-5).
 */
export function isRemission(series: readonly ScorePoint[], rules: OutcomeRules): boolean | null {
  if (rules.remissionBelow === null) return null;
  const ordered = chronological(series);
  const first = ordered[0];
  const last = ordered.at(-1);
  if (!first || !last || ordered.length < 2) return false;
  return first.total >= rules.remissionBelow && last.total < rules.remissionBelow;
}

/** Caseness [NHS Talking Therapies]: the total is at or above the clinical cut-off (PHQ-9 10, GAD-7 8; PCL-5 33). */
export function isCase(total: number, rules: OutcomeRules): boolean {
  return total >= rules.casenessFrom;
}

/**
 * Not on track [DESIGN]: after `afterWeeks` (8) weeks of care or more, neither a reliable
 * improvement nor a response -> recommend a plan review. With no follow-up score by then, the
 * client is not on track either (nothing shows progress). Before that, always `false`.
 */
export function isNotOnTrack(
  series: readonly ScorePoint[],
  rules: OutcomeRules,
  weeksInCare: number,
  afterWeeks: number = DEFAULT_THRESHOLDS.care.notOnTrackAfterWeeks,
): boolean {
  if (!Number.isFinite(weeksInCare) || weeksInCare < 0) throw new RangeError('weeksInCare must be a number of weeks, 0 or more.');
  if (weeksInCare < afterWeeks) return false;
  return reliableChange(series, rules) !== 'improvement' && !isResponse(series, rules);
}

const ScorePointSchema = z.strictObject({ total: z.number(), at: z.string() });

export const OutcomeSummarySchema = z
  .strictObject({
    instrument: z.enum(INSTRUMENT_IDS),
    thresholdsVersion: z.string(),
    /** Number of scores in the series. */
    count: z.int().min(1),
    baseline: ScorePointSchema,
    latest: ScorePointSchema,
    /** Latest minus baseline: negative = fewer symptoms. */
    change: z.number(),
    reliableChange: z.enum(RELIABLE_CHANGES),
    response: z.boolean(),
    /** null: remission is not defined for this instrument. */
    remission: z.boolean().nullable(),
    caseness: z.strictObject({ baseline: z.boolean(), latest: z.boolean() }),
    /** null when weeks in care were not given. */
    notOnTrack: z.boolean().nullable(),
  })
  .meta({ id: 'OutcomeSummary' });
export type OutcomeSummary = z.infer<typeof OutcomeSummarySchema>;

/**
 * Every outcome rule for one instrument's series, or `null` when there is nothing to
 * summarize (an empty series, or an instrument without outcome rules).
 */
export function summarizeOutcomes(
  instrument: InstrumentId,
  series: readonly ScorePoint[],
  options: { weeksInCare?: number; thresholds?: Thresholds } = {},
): OutcomeSummary | null {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const rules = outcomeRulesFor(instrument, thresholds);
  const ordered = chronological(series);
  const first = ordered[0];
  const last = ordered.at(-1);
  if (!rules || !first || !last) return null;
  return {
    instrument,
    thresholdsVersion: thresholds.version,
    count: ordered.length,
    baseline: { total: first.total, at: first.at },
    latest: { total: last.total, at: last.at },
    change: last.total - first.total,
    reliableChange: reliableChange(ordered, rules),
    response: isResponse(ordered, rules),
    remission: isRemission(ordered, rules),
    caseness: { baseline: isCase(first.total, rules), latest: isCase(last.total, rules) },
    notOnTrack:
      options.weeksInCare === undefined
        ? null
        : isNotOnTrack(ordered, rules, options.weeksInCare, thresholds.care.notOnTrackAfterWeeks),
  };
}
