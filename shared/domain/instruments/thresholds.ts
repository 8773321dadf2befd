/**
 * EVERY clinical cut-off used by instrument scoring, risk flags and outcome rules, in one place,
 * each with its source. Scoring and outcome functions take a `Thresholds` argument that
 * defaults to {@link DEFAULT_THRESHOLDS}; a deployment that needs other values builds them with
 * {@link resolveThresholds} (validated, versioned) and passes them in. Results record the
 * `version` of the thresholds that produced them, so a stored score can always be explained.
 *
 * References (cited by key below):
 * - [Kroenke 2001] Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief
 *   depression severity measure. J Gen Intern Med. 2001;16(9):606-613.
 * - [Spitzer 2006] Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing
 *   generalized anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097.
 * - [Weathers 2013] Weathers FW, Litz BT, Keane TM, Palmieri PA, Marx BP, Schnurr PP. The PTSD
 *   Checklist for DSM-5 (PCL-5). National Center for PTSD, 2013 (www.ptsd.va.gov), with its
 *   scoring guidance ("Using the PTSD Checklist for DSM-5").
 * - [Bovin 2016] Bovin MJ, Marx BP, Weathers FW, et al. Psychometric properties of the PTSD
 *   Checklist for DSM-5 (PCL-5) in veterans. Psychol Assess. 2016;28(11):1379-1391.
 * - [Posner 2011] Posner K, Brown GK, Stanley B, et al. The Columbia-Suicide Severity Rating
 *   Scale: initial validity and internal consistency findings from three multisite studies with
 *   adolescents and adults. Am J Psychiatry. 2011;168(12):1266-1277; and the C-SSRS Screen
 *   Version's triage (risk colours / "possible response protocol"), Columbia Lighthouse Project.
 * - [Simon 2013] Simon GE, Rutter CM, Peterson D, et al. Does response on the PHQ-9 depression
 *   questionnaire predict subsequent suicide attempt or suicide death? Psychiatr Serv.
 *   2013;64(12):1195-1202.
 * - [NHS TT] NHS Talking Therapies for anxiety and depression manual (National Collaborating
 *   Centre for Mental Health; formerly the IAPT Manual), measurement appendix: reliable change
 *   and caseness for the PHQ-9 and GAD-7.
 * - [NCQA] HEDIS "Depression Remission or Response for Adolescents and Adults" (DRR-E):
 *   response = PHQ-9 drop of at least 50 % from baseline; remission = PHQ-9 below 5.
 * - [DESIGN] /work/shared/DESIGN.md, "Clinical rules" (the product's rules).
 */
import * as z from 'zod';
import { deepFreeze } from './deep-freeze.js';
import { RiskLevelSchema, SAME_DAY_RISK_LEVELS } from './risk-flags.js';

export const PHQ9_BAND_IDS = ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'] as const;
export type Phq9BandId = (typeof PHQ9_BAND_IDS)[number];
export const GAD7_BAND_IDS = ['minimal', 'mild', 'moderate', 'severe'] as const;
export type Gad7BandId = (typeof GAD7_BAND_IDS)[number];
export const PCL5_CLUSTER_IDS = ['B', 'C', 'D', 'E'] as const;
export type Pcl5ClusterId = (typeof PCL5_CLUSTER_IDS)[number];

const Score = (max: number) => z.int().min(0).max(max);
const SameDayLevel = z.enum(SAME_DAY_RISK_LEVELS, {
  // "Same-day" is the rule [DESIGN]: a `low` (next-day) deadline would break it.
  error: `Use ${SAME_DAY_RISK_LEVELS.join(' or ')}: a positive answer needs a same-day assessment.`,
});

/** Lower bounds of severity bands, keyed by band; each band runs up to the next one's bound. */
function bandBounds<const Ids extends readonly [string, ...string[]]>(ids: Ids, maxTotal: number) {
  const [first, ...rest] = ids;
  const shape = Object.fromEntries([
    [first, z.literal(0, { error: 'The first band starts at 0.' })],
    ...rest.map((id) => [id, Score(maxTotal)]),
  ]) as { [K in Ids[number]]: z.ZodType<number> };
  const rising = (bounds: Record<string, number>) => ids.every((id, i) => i === 0 || bounds[id]! > bounds[ids[i - 1]!]!);
  return z.strictObject(shape).refine((bounds) => rising(bounds as Record<string, number>), {
    error: `Band lower bounds must rise strictly in the order ${ids.join(', ')}.`,
  });
}

/**
 * Outcome rules for one instrument. `remissionBelow: null` means remission is not defined for
 * that instrument (we report `null`, never a guess).
 */
const OutcomeRulesShape = {
  /** Minimum change in total, either way, that exceeds measurement error. */
  reliableChange: z.int().min(1),
  /** Response: the total fell by at least this percentage of the baseline. */
  responseMinDropPercent: z.int().min(1).max(100),
};

export const ThresholdsSchema = z.strictObject({
  /** Recorded on every result: change it whenever any value here changes. */
  version: z.string().min(1),
  phq9: z.strictObject({
    /** [Kroenke 2001]: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe. */
    bandsFrom: bandBounds(PHQ9_BAND_IDS, 27),
    /**
     * Risk level raised by item 9 ("thoughts that you would be better off dead or of hurting
     * yourself"), per answer. Any answer above 0 needs a same-day risk assessment whatever the
     * total [DESIGN; PHQ-9 instructions: item 9 is a screen, and a positive answer calls for a
     * suicide risk assessment], so the level is never `low`. Frequency grades urgency: in [Simon 2013]
     * the risk of a suicide attempt or death in the following year rose steadily with the item 9
     * answer, so "more than half the days" and "nearly every day" are `high` (immediate), and
     * "several days" is `moderate` (same day).
     */
    item9RiskLevels: z.strictObject({
      severalDays: SameDayLevel,
      moreThanHalfTheDays: SameDayLevel,
      nearlyEveryDay: SameDayLevel,
    }),
    outcomes: z.strictObject({
      ...OutcomeRulesShape,
      /** [NHS TT]: PHQ-9 caseness is a total of 10 or more. */
      casenessFrom: Score(27),
      /** [NCQA; DESIGN]: remission is a total below 5, i.e. back in the minimal band [Kroenke 2001]. */
      remissionBelow: Score(27),
    }),
  }),
  gad7: z.strictObject({
    /** [Spitzer 2006]: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe. */
    bandsFrom: bandBounds(GAD7_BAND_IDS, 21),
    /**
     * [Spitzer 2006]: at a cut-point of 10 the GAD-7 has sensitivity 89 % and specificity 82 %
     * for generalized anxiety disorder; "further evaluation" at 10 or more [DESIGN].
     */
    furtherEvaluationFrom: Score(21),
    outcomes: z.strictObject({
      ...OutcomeRulesShape,
      /** [NHS TT]: GAD-7 caseness is a total of 8 or more. */
      casenessFrom: Score(21),
      /** By analogy with the PHQ-9 [DESIGN]: below 5 is the minimal band [Spitzer 2006]. */
      remissionBelow: Score(21),
    }),
  }),
  pcl5: z.strictObject({
    /**
     * Probable PTSD at a total of this value or more. [Weathers 2013; Bovin 2016]: a cut-point
     * of 31-33 is indicative of probable PTSD across samples. We use 33, the top of that range:
     * it is the value the National Center for PTSD first proposed, within the range Bovin 2016
     * found optimal in veterans; the PCL-5 is a screen and a positive one is confirmed by a
     * clinical interview (e.g. CAPS-5), so we prefer fewer false positives. Lower it to 31 for
     * a more sensitive screen. Also the PCL-5 "caseness" used by outcome rules.
     */
    probablePtsdFrom: Score(80),
    /** [Weathers 2013]: for the DSM-5 rule, an item rated 2 ("Moderately") or higher is an endorsed symptom. */
    symptomEndorsedFrom: z.int().min(1).max(4),
    /** [Weathers 2013]: DSM-5 rule: at least 1 B (items 1-5), 1 C (6-7), 2 D (8-14) and 2 E (15-20) items endorsed. */
    dsm5MinimumEndorsed: z.strictObject({ B: z.int().min(1).max(5), C: z.int().min(1).max(2), D: z.int().min(1).max(7), E: z.int().min(1).max(6) }),
    outcomes: z.strictObject({
      /**
       * [Weathers 2013, "measuring change"]: a 5-10 point change is reliable and 10-20 points is
       * clinically meaningful (evidence from the PCL for DSM-IV). We take 10, the conservative
       * end, so a reported change is not measurement noise.
       */
      ...OutcomeRulesShape,
      /** No remission cut-off is defined for the PCL-5: outcome summaries report `null`. */
      remissionBelow: z.null(),
    }),
  }),
  cssrsScreener: z.strictObject({
    /**
     * [Posner 2011; C-SSRS Screen Version triage]: yes to Q1 or Q2 only -> low (behavioral
     * health referral); yes to Q3, or suicidal behavior (Q6) more than 3 months ago ->
     * moderate (behavioral health consultation, consider safety precautions); yes to Q4 or Q5,
     * or suicidal behavior within the past 3 months -> high (immediate evaluation, safety
     * precautions). The screen's level is the highest over its "yes" answers.
     */
    levels: z.strictObject({
      q1: RiskLevelSchema,
      q2: RiskLevelSchema,
      q3: RiskLevelSchema,
      q4: RiskLevelSchema,
      q5: RiskLevelSchema,
      q6Lifetime: RiskLevelSchema,
      q6Within3Months: RiskLevelSchema,
    }),
  }),
  checkIn: z.strictObject({
    /** A check-in reporting thoughts of self-harm raises a flag "like a PHQ-9 item 9" [DESIGN]: at least same-day. */
    selfHarmThoughtsLevel: SameDayLevel,
  }),
  care: z.strictObject({
    /** [DESIGN]: not on track = no reliable improvement and no response after 8 weeks of care. */
    notOnTrackAfterWeeks: z.number().positive(),
  }),
  review: z.strictObject({
    /**
     * The weekly progress review's five change classes (shared/domain/reviews/change-classes.ts).
     * A change of at least this percentage of the instrument's reliable change, but below the
     * reliable change itself, is a "possible" improvement or worsening. There is NO published
     * standard for this middle band: it is this project's convention, modelled on the five-level
     * reports of OQ-style feedback systems (reliable / possible / none, each way) [DESIGN
     * "Progress reviews"]. 50 %: PHQ-9 3-5 points, GAD-7 2-3, PCL-5 5-9 (the PCL-5's 5 is the low
     * end of the 5-10 range [Weathers 2013] calls reliable). Compared in integers.
     */
    possibleChangePercent: z.int().min(1).max(99),
    /** Issue 11: "missed 3 in a row": this many due check-ins (or due measures) missed in a row flags adherence. */
    missedInARow: z.int().min(1).max(52),
    /** [DESIGN "Sessions"]: two no-shows in a row is the usual "act now" signal. */
    noShowsInARow: z.int().min(1).max(52),
  }),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

export const DEFAULT_THRESHOLDS: Thresholds = deepFreeze({
  version: 'moodrx-2026.1',
  phq9: {
    bandsFrom: { minimal: 0, mild: 5, moderate: 10, moderately_severe: 15, severe: 20 }, // [Kroenke 2001]
    item9RiskLevels: { severalDays: 'moderate', moreThanHalfTheDays: 'high', nearlyEveryDay: 'high' }, // [DESIGN; Simon 2013]
    outcomes: {
      reliableChange: 6, // [NHS TT]
      responseMinDropPercent: 50, // [NCQA; DESIGN]
      casenessFrom: 10, // [NHS TT]
      remissionBelow: 5, // [NCQA; DESIGN]
    },
  },
  gad7: {
    bandsFrom: { minimal: 0, mild: 5, moderate: 10, severe: 15 }, // [Spitzer 2006]
    furtherEvaluationFrom: 10, // [Spitzer 2006; DESIGN]
    outcomes: {
      reliableChange: 4, // [NHS TT]
      responseMinDropPercent: 50, // [DESIGN], by analogy with the PHQ-9
      casenessFrom: 8, // [NHS TT]
      remissionBelow: 5, // [DESIGN], by analogy with the PHQ-9
    },
  },
  pcl5: {
    probablePtsdFrom: 33, // [Weathers 2013; Bovin 2016]: top of the 31-33 range, see above
    symptomEndorsedFrom: 2, // [Weathers 2013]
    dsm5MinimumEndorsed: { B: 1, C: 1, D: 2, E: 2 }, // [Weathers 2013]
    outcomes: {
      reliableChange: 10, // [Weathers 2013], conservative end of 5-10
      responseMinDropPercent: 50, // [DESIGN], by analogy with the PHQ-9
      remissionBelow: null,
    },
  },
  cssrsScreener: {
    levels: { q1: 'low', q2: 'low', q3: 'moderate', q4: 'high', q5: 'high', q6Lifetime: 'moderate', q6Within3Months: 'high' }, // [Posner 2011]
  },
  checkIn: { selfHarmThoughtsLevel: 'moderate' }, // [DESIGN], as PHQ-9 item 9 "several days"
  care: { notOnTrackAfterWeeks: 8 }, // [DESIGN]
  // Added with the progress review (issue 11); no earlier value changed, so results scored
  // before carry the same meaning under this version.
  review: { possibleChangePercent: 50, missedInARow: 3, noShowsInARow: 2 }, // project convention; issue 11; [DESIGN]
});

type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Overrides of the defaults: any subset of values, plus a new `version` (required). */
export type ThresholdOverrides = DeepPartial<Omit<Thresholds, 'version'>> & { version: string };

export class InvalidThresholdsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid clinical thresholds: ${problems.join('; ')}`);
    this.name = 'InvalidThresholdsError';
  }
}

/**
 * The defaults with `overrides` merged in (objects merge key by key), validated. A new
 * `version` is required, so results computed with other values never claim the default
 * version. Throws {@link InvalidThresholdsError} listing every problem: call it once, at
 * start-up, so a bad configuration fails loudly before anything is scored.
 */
export function resolveThresholds(overrides: ThresholdOverrides, base: Thresholds = DEFAULT_THRESHOLDS): Thresholds {
  if (overrides.version === base.version) {
    throw new InvalidThresholdsError([`version: give the overridden thresholds a version other than ${base.version}`]);
  }
  const result = ThresholdsSchema.safeParse(merge(base, overrides));
  if (!result.success) {
    throw new InvalidThresholdsError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return deepFreeze(result.data);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = merge(base[key], value);
  return merged;
}
