/**
 * The five change classes of the weekly progress review (issue 11), per instrument:
 *
 * | class                | change (latest minus reference; negative = fewer symptoms)            |
 * |----------------------|-----------------------------------------------------------------------|
 * | reliable_improvement | change <= -RC                                                         |
 * | possible_improvement | -RC < change < 0 and |change| x 100 >= RC x possibleChangePercent      |
 * | no_change            | |change| x 100 < RC x possibleChangePercent                            |
 * | possible_worsening   | 0 < change < RC and change x 100 >= RC x possibleChangePercent        |
 * | reliable_worsening   | change >= RC                                                          |
 *
 * RC is the instrument's reliable change [NHS Talking Therapies: PHQ-9 6, GAD-7 4; PCL-5 10,
 * Weathers 2013], from shared/domain/instruments/thresholds.ts, the same value outcomes.ts uses
 * for `reliableChange`, so "reliable" here and there always agree.
 *
 * The two "possible" classes have no single published cut-off. OQ-style feedback reports
 * (DESIGN.md "Progress reviews") show five levels; we define the middle band as a change of at
 * least `thresholds.review.possibleChangePercent` (default 50 %) of the RC but below it. That
 * rule is THIS PROJECT'S CONVENTION, kept configurable in thresholds.ts: with the defaults a
 * PHQ-9 move of 3-5 points, a GAD-7 move of 2-3 and a PCL-5 move of 5-9 is "possible".
 *
 * Comparisons are in integers (change x 100 against RC x percent), so floating point never
 * decides a boundary, and the classes are symmetric: class(-c) is the mirror of class(c).
 */
import type { InstrumentId } from '../instruments/definition.js';
import { outcomeRulesFor } from '../instruments/outcomes.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../instruments/thresholds.js';

/** From best to worst: the order is used for sorting and by the property tests (monotonic). */
export const CHANGE_CLASSES = ['reliable_improvement', 'possible_improvement', 'no_change', 'possible_worsening', 'reliable_worsening'] as const;
export type ChangeClass = (typeof CHANGE_CLASSES)[number];

/** Plain-language labels, for the app and the reasons of the triage. */
export const CHANGE_CLASS_LABELS: Readonly<Record<ChangeClass, string>> = {
  reliable_improvement: 'reliable improvement',
  possible_improvement: 'possible improvement',
  no_change: 'no change',
  possible_worsening: 'possible worsening',
  reliable_worsening: 'reliable worsening',
};

/** The two numbers a classification needs. */
export interface ChangeClassRules {
  /** The instrument's reliable change (a whole number of points, >= 1). */
  reliableChange: number;
  /** A change of at least this % of `reliableChange` (and below it) is "possible" (1-99). */
  possibleChangePercent: number;
}

/** The rules for an instrument, or `null` for one without a total (the C-SSRS screener). */
export function changeClassRulesFor(instrument: InstrumentId, thresholds: Thresholds = DEFAULT_THRESHOLDS): ChangeClassRules | null {
  const outcome = outcomeRulesFor(instrument, thresholds);
  if (!outcome) return null;
  return { reliableChange: outcome.reliableChange, possibleChangePercent: thresholds.review.possibleChangePercent };
}

/**
 * The class of a change in total (latest minus reference; negative = improvement). Throws a
 * RangeError for a change that is not a finite number.
 */
export function changeClass(change: number, rules: ChangeClassRules): ChangeClass {
  if (!Number.isFinite(change)) throw new RangeError('A change must be a finite number of points.');
  const size = Math.abs(change);
  if (size >= rules.reliableChange) return change < 0 ? 'reliable_improvement' : 'reliable_worsening';
  if (size * 100 >= rules.reliableChange * rules.possibleChangePercent) return change < 0 ? 'possible_improvement' : 'possible_worsening';
  return 'no_change';
}

/** The rank of a class from best (0) to worst (4). */
export function changeClassRank(value: ChangeClass): number {
  return CHANGE_CLASSES.indexOf(value);
}

/** The smallest size of change (points) that is "possible", and the one that is "reliable": the boundaries, for the app's legend and the tests. */
export function changeClassBoundaries(rules: ChangeClassRules): { possibleFrom: number; reliableFrom: number } {
  return { possibleFrom: Math.ceil((rules.reliableChange * rules.possibleChangePercent) / 100), reliableFrom: rules.reliableChange };
}
