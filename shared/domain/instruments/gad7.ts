/**
 * GAD-7 (Generalized Anxiety Disorder 7-item scale): anxiety severity over the last 2 weeks.
 *
 * Source and terms: Spitzer RL, Kroenke K, Williams JBW, Löwe B. Arch Intern Med.
 * 2006;166(10):1092-1097. Part of the PHQ family (educational grant from Pfizer Inc.); no
 * permission is required to reproduce, translate, display or distribute it, so the items below
 * are the form's own words (English, US). The form's unscored functional-difficulty question is
 * not collected here.
 *
 * Scoring: total = sum of the 7 items (0-3 each), 0-21; bands and the further-evaluation
 * cut-point are in thresholds.ts.
 */
import * as z from 'zod';
import { bandOf, parseAnswers, PHQ_FREQUENCY_OPTIONS, PHQ_FREQUENCY_VALUES, type PhqFrequency, ratingAnswersSchema, sum } from './answers.js';
import { deepFreeze } from './deep-freeze.js';
import { type InstrumentDefinition, ResultBaseShape, SeverityBandSchema } from './definition.js';
import { DEFAULT_THRESHOLDS, GAD7_BAND_IDS, type Gad7BandId, type Thresholds } from './thresholds.js';

export const GAD7_VERSION = '1.0.0';
export const GAD7_MAX_TOTAL = 21;

const ITEMS = [
  'Feeling nervous, anxious, or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid, as if something awful might happen',
] as const;

export const GAD7: InstrumentDefinition = deepFreeze({
  id: 'gad7',
  name: 'Generalized Anxiety Disorder 7-item scale',
  shortName: 'GAD-7',
  version: GAD7_VERSION,
  measures: 'Anxiety severity',
  instructions: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  recallPeriod: { text: 'Over the last 2 weeks', duration: 'P2W' },
  answerFormat: 'array',
  options: [...PHQ_FREQUENCY_OPTIONS],
  items: ITEMS.map((text, i) => ({ id: `gad7_${i + 1}`, label: String(i + 1), text })),
  scoreRange: { min: 0, max: GAD7_MAX_TOTAL },
  attribution:
    'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.',
  references: [
    'Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097.',
  ],
});

export const GAD7_BAND_LABELS: Readonly<Record<Gad7BandId, string>> = {
  minimal: 'Minimal',
  mild: 'Mild',
  moderate: 'Moderate',
  severe: 'Severe',
};

/** Seven answers, 0-3, in item order. */
export const Gad7AnswersSchema = ratingAnswersSchema('GAD-7', ITEMS.length, PHQ_FREQUENCY_VALUES);
export type Gad7Answers = readonly PhqFrequency[];

export const Gad7ResultSchema = z
  .strictObject({
    instrument: z.literal('gad7'),
    ...ResultBaseShape,
    total: z.int().min(0).max(GAD7_MAX_TOTAL),
    band: SeverityBandSchema.extend({ id: z.enum(GAD7_BAND_IDS) }),
    /** Total at or above the further-evaluation cut-point (10 by default). */
    furtherEvaluation: z.boolean(),
  })
  .meta({ id: 'Gad7Result' });
export type Gad7Result = z.infer<typeof Gad7ResultSchema>;

/** Scores a GAD-7 (answers validated again here; a ValidationError if wrong). */
export function scoreGad7(answers: Gad7Answers, thresholds: Thresholds = DEFAULT_THRESHOLDS): Gad7Result {
  const total = sum(parseAnswers(Gad7AnswersSchema, answers));
  const cutPoint = thresholds.gad7.furtherEvaluationFrom;
  const furtherEvaluation = total >= cutPoint;
  return {
    instrument: 'gad7',
    instrumentVersion: GAD7_VERSION,
    thresholdsVersion: thresholds.version,
    total,
    band: bandOf(total, GAD7_BAND_IDS, thresholds.gad7.bandsFrom, GAD7_BAND_LABELS, GAD7_MAX_TOTAL),
    furtherEvaluation,
    riskFlags: [],
    clinicalFlags: furtherEvaluation
      ? [
          {
            kind: 'gad7_further_evaluation',
            reason: `GAD-7 total ${total} is at or above ${cutPoint}.`,
            action: 'Evaluate further for an anxiety disorder (generalized anxiety, panic, social anxiety, PTSD).',
          },
        ]
      : [],
  };
}
