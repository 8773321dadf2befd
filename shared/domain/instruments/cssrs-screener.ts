/**
 * C-SSRS screener (Columbia-Suicide Severity Rating Scale, Screen Version - Recent): suicidal
 * ideation in the past month and suicidal behavior over a lifetime, with triage.
 *
 * Source and terms: Posner K, Brown GK, Stanley B, et al. Am J Psychiatry.
 * 2011;168(12):1266-1277. The scale and its screener wording are provided by the Columbia
 * Lighthouse Project (cssrs.columbia.edu) for use without charge; the items below are the
 * screener's own words, not a paraphrase. (The Lighthouse Project asks commercial electronic
 * products to contact it about use: to be confirmed for MoodRx before launch.)
 *
 * Skip logic (as printed on the form): ask questions 1 and 2; if yes to 2, ask 3, 4 and 5;
 * always ask 6; if yes to 6, ask whether it was within the past 3 months. Answers must follow
 * it exactly: a skipped question is absent, an asked one is present.
 *
 * Triage: the highest level over the "yes" answers, per thresholds.ts (Q1/Q2 only -> low;
 * Q3 or lifetime Q6 -> moderate; Q4, Q5 or Q6 within 3 months -> high: immediate evaluation).
 */
import * as z from 'zod';
import { parseAnswers } from './answers.js';
import { deepFreeze } from './deep-freeze.js';
import { type InstrumentDefinition, type InstrumentItem, ResultBaseShape } from './definition.js';
import { compareRiskLevels, type RiskFlag, type RiskLevel, RISK_LEVELS } from './risk-flags.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';

export const CSSRS_SCREENER_VERSION = '1.0.0';

export const CSSRS_QUESTION_IDS = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'] as const;
export type CssrsQuestionId = (typeof CSSRS_QUESTION_IDS)[number];
/** Asked only when Q2 is yes. */
export const CSSRS_IF_Q2_YES = ['q3', 'q4', 'q5'] as const;

const ITEMS = [
  { id: 'q1', label: '1', title: 'Wish to be dead', text: 'Have you wished you were dead or wished you could go to sleep and not wake up?' },
  { id: 'q2', label: '2', title: 'Non-specific active suicidal thoughts', text: 'Have you actually had any thoughts of killing yourself?' },
  {
    id: 'q3',
    label: '3',
    title: 'Active suicidal ideation with any methods (not plan) without intent to act',
    text: 'Have you been thinking about how you might do this?',
    examples: 'E.g. "I thought about taking an overdose but I never made a specific plan as to when, where or how I would actually do it… and I would never go through with it."',
    askedWhen: { item: 'q2', answer: true },
  },
  {
    id: 'q4',
    label: '4',
    title: 'Active suicidal ideation with some intent to act, without specific plan',
    text: 'Have you had these thoughts and had some intention of acting on them?',
    examples: 'As opposed to "I have the thoughts but I definitely will not do anything about them."',
    askedWhen: { item: 'q2', answer: true },
  },
  {
    id: 'q5',
    label: '5',
    title: 'Active suicidal ideation with specific plan and intent',
    text: 'Have you started to work out or worked out the details of how to kill yourself? Do you intend to carry out this plan?',
    askedWhen: { item: 'q2', answer: true },
  },
  {
    id: 'q6',
    label: '6',
    title: 'Suicidal behavior',
    text: 'Have you ever done anything, started to do anything, or prepared to do anything to end your life?',
    examples:
      'Examples: Collected pills, obtained a gun, gave away valuables, wrote a will or suicide note, took out pills but didn’t swallow any, held a gun but changed your mind or it was grabbed from your hand, went to the roof but didn’t jump; or actually took pills, tried to shoot yourself, cut yourself, tried to hang yourself, etc.',
    recallPeriod: { text: 'Lifetime', duration: null },
  },
  {
    id: 'q6Within3Months',
    label: '6 (follow-up)',
    title: 'Suicidal behavior in the past 3 months',
    text: 'Was this within the past 3 months?',
    recallPeriod: { text: 'Past 3 months', duration: 'P3M' },
    askedWhen: { item: 'q6', answer: true },
  },
] as const satisfies readonly InstrumentItem[];

export const CSSRS_SCREENER: InstrumentDefinition = deepFreeze({
  id: 'cssrs_screener',
  name: 'Columbia-Suicide Severity Rating Scale, Screen Version - Recent',
  shortName: 'C-SSRS screener',
  version: CSSRS_SCREENER_VERSION,
  measures: 'Suicide risk (ideation and behavior)',
  instructions: 'Ask questions 1 and 2. If yes to 2, ask questions 3, 4, 5 and 6. If no to 2, go directly to question 6. If yes to 6, ask: was this within the past 3 months?',
  recallPeriod: { text: 'Past month', duration: 'P1M' },
  answerFormat: 'object',
  options: [
    { value: true, label: 'Yes' },
    { value: false, label: 'No' },
  ],
  items: ITEMS.map((item) => ({ ...item })),
  scoreRange: null,
  attribution: 'C-SSRS © The Research Foundation for Mental Hygiene, Inc. Provided by the Columbia Lighthouse Project (cssrs.columbia.edu).',
  references: [
    'Posner K, Brown GK, Stanley B, et al. The Columbia-Suicide Severity Rating Scale: initial validity and internal consistency findings from three multisite studies with adolescents and adults. Am J Psychiatry. 2011;168(12):1266-1277.',
  ],
});

const TITLES = Object.fromEntries(ITEMS.map((i) => [i.id, i.title])) as Record<(typeof ITEMS)[number]['id'], string>;

/** Short names for validation messages (the titles are long for a sentence). */
const SHORT: Readonly<Record<CssrsQuestionId, string>> = {
  q1: 'wish to be dead',
  q2: 'suicidal thoughts',
  q3: 'thinking about how',
  q4: 'intention of acting',
  q5: 'details of a plan',
  q6: 'suicidal behavior',
};

const typeMessage = (id: CssrsQuestionId) => `Answer question ${id.slice(1)} (${SHORT[id]}) with true (yes) or false (no).`;
const FOLLOW_UP_TYPE_MESSAGE = 'Answer whether the suicidal behavior in question 6 was within the past 3 months with true (yes) or false (no).';

const yesNo = (id: CssrsQuestionId) => z.boolean({ error: typeMessage(id) });

/**
 * A question that skip logic may leave out. A wrong value is caught here and judged in the
 * skip-logic check below, so a question that should not be there gets one message ("leave it
 * out"), not also "answer it with yes or no". The marker never leaves the schema: the check
 * raises an issue whenever it sees it.
 */
const INVALID = Symbol('invalid answer');
const skippable = () => z.boolean().optional().catch(() => INVALID as never);

export const CssrsScreenerAnswersSchema = z
  .strictObject(
    {
      q1: yesNo('q1'),
      q2: yesNo('q2'),
      q3: skippable(),
      q4: skippable(),
      q5: skippable(),
      q6: yesNo('q6'),
      q6Within3Months: skippable(),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type'
          ? 'Give the C-SSRS screener answers as an object of yes/no answers (true or false): q1, q2 and q6; q3, q4 and q5 when q2 is yes; q6Within3Months when q6 is yes.'
          : undefined,
    },
  )
  .superRefine(
    (answers, ctx) => {
      const value = answers as Record<string, unknown>;
      const check = (id: string, gate: unknown, messages: { missing: string; notAsked: string; type: string }) => {
        const answer = value[id];
        if (gate === false && answer !== undefined) ctx.addIssue({ code: 'custom', path: [id], message: messages.notAsked });
        else if (gate === true && answer === undefined) ctx.addIssue({ code: 'custom', path: [id], message: messages.missing });
        else if (answer === INVALID) ctx.addIssue({ code: 'custom', path: [id], message: messages.type });
      };
      for (const id of CSSRS_IF_Q2_YES) {
        const n = id.slice(1);
        check(id, value.q2, {
          missing: `Answer question ${n} (${SHORT[id]}): it is asked when question 2 is yes.`,
          notAsked: `Leave out question ${n}: it is asked only when question 2 is yes.`,
          type: typeMessage(id),
        });
      }
      check('q6Within3Months', value.q6, {
        missing: 'Answer whether the suicidal behavior in question 6 was within the past 3 months.',
        notAsked: 'Leave out q6Within3Months: it is asked only when question 6 is yes.',
        type: FOLLOW_UP_TYPE_MESSAGE,
      });
    },
    {
      // Check the skip logic even when another answer is wrong, so one 400 lists every problem.
      when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
    },
  );
export type CssrsScreenerAnswers = z.infer<typeof CssrsScreenerAnswersSchema>;

export const CSSRS_TRIAGE_LEVELS = ['none', ...RISK_LEVELS] as const;
export type CssrsTriage = (typeof CSSRS_TRIAGE_LEVELS)[number];

export const CssrsScreenerResultSchema = z
  .strictObject({
    instrument: z.literal('cssrs_screener'),
    ...ResultBaseShape,
    /** The screener has no total score and no bands: it triages. */
    total: z.null(),
    band: z.null(),
    /** `none` when every answer is no; otherwise the level of the risk flag raised. */
    triage: z.enum(CSSRS_TRIAGE_LEVELS),
    /** The questions answered yes, in form order (`q6Within3Months` included). */
    positiveAnswers: z.array(z.string()),
  })
  .meta({ id: 'CssrsScreenerResult' });
export type CssrsScreenerResult = z.infer<typeof CssrsScreenerResultSchema>;

const ACTIONS: Readonly<Record<RiskLevel, string>> = {
  high: 'Immediate evaluation: behavioral health consultation and patient safety precautions.',
  moderate: 'Behavioral health consultation; consider patient safety precautions.',
  low: 'Behavioral health referral.',
};

/** Scores (triages) a C-SSRS screener (answers validated again here; a ValidationError if wrong). */
export function scoreCssrsScreener(answers: CssrsScreenerAnswers, thresholds: Thresholds = DEFAULT_THRESHOLDS): CssrsScreenerResult {
  const valid = parseAnswers(CssrsScreenerAnswersSchema, answers);
  const levels = thresholds.cssrsScreener.levels;
  const positive: { id: string; level: RiskLevel; text: string }[] = [];
  for (const id of CSSRS_QUESTION_IDS) {
    if (valid[id] !== true) continue;
    if (id === 'q6') {
      const recent = valid.q6Within3Months === true;
      positive.push({
        id,
        level: recent ? levels.q6Within3Months : levels.q6Lifetime,
        text: `Q6 ${TITLES.q6.toLowerCase()} (${recent ? 'within the past 3 months' : 'more than 3 months ago'})`,
      });
    } else {
      positive.push({ id, level: levels[id], text: `Q${id.slice(1)} ${TITLES[id].toLowerCase()}` });
    }
  }
  const positiveAnswers = positive.map((p) => p.id);
  if (valid.q6Within3Months === true) positiveAnswers.push('q6Within3Months');
  const level = positive.reduce<RiskLevel | null>((max, p) => (max === null || compareRiskLevels(p.level, max) > 0 ? p.level : max), null);
  const riskFlags: RiskFlag[] =
    level === null
      ? []
      : [{ kind: 'cssrs_screener', level, reason: `C-SSRS screener answered yes to: ${positive.map((p) => p.text).join('; ')}.`, action: ACTIONS[level] }];
  return {
    instrument: 'cssrs_screener',
    instrumentVersion: CSSRS_SCREENER_VERSION,
    thresholdsVersion: thresholds.version,
    total: null,
    band: null,
    triage: level ?? 'none',
    positiveAnswers,
    riskFlags,
    clinicalFlags: [],
  };
}
