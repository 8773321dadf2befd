/**
 * PHQ-9 (Patient Health Questionnaire-9): depression severity over the last 2 weeks.
 *
 * Source and terms: Kroenke K, Spitzer RL, Williams JBW. J Gen Intern Med. 2001;16(9):606-613.
 * The PHQ was developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and
 * colleagues with an educational grant from Pfizer Inc.; no permission is required to
 * reproduce, translate, display or distribute it, so the items below are the form's own words
 * (English, US), not a paraphrase. The form's unscored 10th question (how difficult these
 * problems have made work, home and relationships) is not part of the 9-item score and is not
 * collected here.
 *
 * Scoring: total = sum of the 9 items (0-3 each), 0-27; severity bands and the item 9 rule are
 * in thresholds.ts.
 */
import * as z from 'zod';
import {
  bandOf,
  optionLabel,
  parseAnswers,
  PHQ_FREQUENCY_OPTIONS,
  PHQ_FREQUENCY_VALUES,
  type PhqFrequency,
  ratingAnswersSchema,
  sum,
} from './answers.js';
import { deepFreeze } from './deep-freeze.js';
import { type InstrumentDefinition, ResultBaseShape, SeverityBandSchema } from './definition.js';
import type { RiskFlag } from './risk-flags.js';
import { DEFAULT_THRESHOLDS, PHQ9_BAND_IDS, type Phq9BandId, type Thresholds } from './thresholds.js';

export const PHQ9_VERSION = '1.0.0';
export const PHQ9_MAX_TOTAL = 27;

const ITEMS = [
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading the newspaper or watching television',
  'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
  'Thoughts that you would be better off dead or of hurting yourself in some way',
] as const;

/** The suicide/self-harm item, 1-based as on the form. */
export const PHQ9_ITEM9_NUMBER = 9;

export const PHQ9: InstrumentDefinition = deepFreeze({
  id: 'phq9',
  name: 'Patient Health Questionnaire-9',
  shortName: 'PHQ-9',
  version: PHQ9_VERSION,
  measures: 'Depression severity',
  instructions: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  recallPeriod: { text: 'Over the last 2 weeks', duration: 'P2W' },
  answerFormat: 'array',
  options: [...PHQ_FREQUENCY_OPTIONS],
  items: ITEMS.map((text, i) => ({ id: `phq9_${i + 1}`, label: String(i + 1), text })),
  scoreRange: { min: 0, max: PHQ9_MAX_TOTAL },
  attribution:
    'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.',
  references: ['Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. J Gen Intern Med. 2001;16(9):606-613.'],
});

export const PHQ9_BAND_LABELS: Readonly<Record<Phq9BandId, string>> = {
  minimal: 'Minimal',
  mild: 'Mild',
  moderate: 'Moderate',
  moderately_severe: 'Moderately severe',
  severe: 'Severe',
};

/** Nine answers, 0-3, in item order. */
export const Phq9AnswersSchema = ratingAnswersSchema('PHQ-9', ITEMS.length, PHQ_FREQUENCY_VALUES);
export type Phq9Answers = readonly PhqFrequency[];

export const Phq9ResultSchema = z
  .strictObject({
    instrument: z.literal('phq9'),
    ...ResultBaseShape,
    total: z.int().min(0).max(PHQ9_MAX_TOTAL),
    band: SeverityBandSchema.extend({ id: z.enum(PHQ9_BAND_IDS) }),
  })
  .meta({ id: 'Phq9Result' });
export type Phq9Result = z.infer<typeof Phq9ResultSchema>;

const ITEM9_LEVEL_KEY = { 1: 'severalDays', 2: 'moreThanHalfTheDays', 3: 'nearlyEveryDay' } as const;

/**
 * Scores a PHQ-9. The answers are validated again here (a {@link ValidationError} if wrong),
 * so nothing malformed is ever scored. Item 9 above 0 raises a risk flag whatever the total.
 */
export function scorePhq9(answers: Phq9Answers, thresholds: Thresholds = DEFAULT_THRESHOLDS): Phq9Result {
  const valid = parseAnswers(Phq9AnswersSchema, answers);
  const total = sum(valid);
  const item9 = valid[PHQ9_ITEM9_NUMBER - 1]!;
  return {
    instrument: 'phq9',
    instrumentVersion: PHQ9_VERSION,
    thresholdsVersion: thresholds.version,
    total,
    band: bandOf(total, PHQ9_BAND_IDS, thresholds.phq9.bandsFrom, PHQ9_BAND_LABELS, PHQ9_MAX_TOTAL),
    riskFlags: item9 > 0 ? [item9Flag(item9 as 1 | 2 | 3, thresholds)] : [],
    clinicalFlags: [],
  };
}

function item9Flag(answer: 1 | 2 | 3, thresholds: Thresholds): RiskFlag {
  const level = thresholds.phq9.item9RiskLevels[ITEM9_LEVEL_KEY[answer]];
  return {
    kind: 'phq9_item9',
    level,
    reason: `PHQ-9 item 9 (thoughts that you would be better off dead or of hurting yourself) answered "${optionLabel(PHQ_FREQUENCY_OPTIONS, answer)}" (${answer}).`,
    action: `${level === 'high' ? 'Immediate' : 'Same-day'} suicide risk assessment (e.g. C-SSRS), whatever the total score.`,
  };
}
