import { describe, expect, it } from 'vitest';
import {
  CSSRS_SCREENER,
  type CssrsScreenerAnswers,
  CssrsScreenerAnswersSchema,
  scoreCssrsScreener,
} from '../../../shared/domain/instruments/cssrs-screener.js';
import { resolveThresholds } from '../../../shared/domain/instruments/thresholds.js';
import { fieldErrorsOf } from './helpers.js';

/** The triage rule as DESIGN.md states it, written independently of the implementation. */
function expectedTriage(a: CssrsScreenerAnswers): 'none' | 'low' | 'moderate' | 'high' {
  if (a.q4 === true || a.q5 === true || (a.q6 && a.q6Within3Months === true)) return 'high';
  if (a.q3 === true || a.q6) return 'moderate';
  if (a.q1 || a.q2) return 'low';
  return 'none';
}

/** Every answer set the skip logic allows: 2 (Q1) x 9 (Q2 no, or yes with Q3-5) x 3 (Q6) = 54. */
function everyValidAnswerSet(): CssrsScreenerAnswers[] {
  const bools = [false, true];
  const ideation: Partial<CssrsScreenerAnswers>[] = [{ q2: false }];
  for (const q3 of bools) for (const q4 of bools) for (const q5 of bools) ideation.push({ q2: true, q3, q4, q5 });
  const behavior: Partial<CssrsScreenerAnswers>[] = [{ q6: false }, { q6: true, q6Within3Months: false }, { q6: true, q6Within3Months: true }];
  const all: CssrsScreenerAnswers[] = [];
  for (const q1 of bools) for (const i of ideation) for (const b of behavior) all.push({ q1, ...i, ...b } as CssrsScreenerAnswers);
  return all;
}

const none: CssrsScreenerAnswers = { q1: false, q2: false, q6: false };

describe('C-SSRS screener definition', () => {
  it('lists Q1-Q6 and the Q6 follow-up with the skip logic, yes/no options and recall periods', () => {
    expect(CSSRS_SCREENER.items.map((i) => i.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q6Within3Months']);
    expect(CSSRS_SCREENER.items.map((i) => i.askedWhen ?? null)).toEqual([
      null,
      null,
      { item: 'q2', answer: true },
      { item: 'q2', answer: true },
      { item: 'q2', answer: true },
      null,
      { item: 'q6', answer: true },
    ]);
    expect(CSSRS_SCREENER.items[0]!.text).toBe('Have you wished you were dead or wished you could go to sleep and not wake up?');
    expect(CSSRS_SCREENER.items[5]!.text).toBe('Have you ever done anything, started to do anything, or prepared to do anything to end your life?');
    expect(CSSRS_SCREENER.items[6]!.text).toBe('Was this within the past 3 months?');
    expect(CSSRS_SCREENER.options).toEqual([
      { value: true, label: 'Yes' },
      { value: false, label: 'No' },
    ]);
    expect(CSSRS_SCREENER.recallPeriod).toEqual({ text: 'Past month', duration: 'P1M' });
    expect(CSSRS_SCREENER.items[5]!.recallPeriod).toEqual({ text: 'Lifetime', duration: null });
    expect(CSSRS_SCREENER.items[6]!.recallPeriod).toEqual({ text: 'Past 3 months', duration: 'P3M' });
    expect(CSSRS_SCREENER.answerFormat).toBe('object');
    expect(CSSRS_SCREENER.scoreRange).toBeNull();
  });
});

describe('C-SSRS screener triage (Posner 2011; Columbia screener triage)', () => {
  it.each<[string, CssrsScreenerAnswers, string, string[]]>([
    ['all no', none, 'none', []],
    ['Q1 only', { q1: true, q2: false, q6: false }, 'low', ['q1']],
    ['Q2 only (Q3-5 no)', { q1: false, q2: true, q3: false, q4: false, q5: false, q6: false }, 'low', ['q2']],
    ['Q1 and Q2 only', { q1: true, q2: true, q3: false, q4: false, q5: false, q6: false }, 'low', ['q1', 'q2']],
    ['Q3', { q1: true, q2: true, q3: true, q4: false, q5: false, q6: false }, 'moderate', ['q1', 'q2', 'q3']],
    ['lifetime Q6 only (more than 3 months ago)', { q1: false, q2: false, q6: true, q6Within3Months: false }, 'moderate', ['q6']],
    ['Q4', { q1: false, q2: true, q3: false, q4: true, q5: false, q6: false }, 'high', ['q2', 'q4']],
    ['Q5', { q1: false, q2: true, q3: false, q4: false, q5: true, q6: false }, 'high', ['q2', 'q5']],
    ['Q6 within 3 months only', { q1: false, q2: false, q6: true, q6Within3Months: true }, 'high', ['q6', 'q6Within3Months']],
    ['Q3 with lifetime Q6', { q1: true, q2: true, q3: true, q4: false, q5: false, q6: true, q6Within3Months: false }, 'moderate', ['q1', 'q2', 'q3', 'q6']],
    ['everything yes', { q1: true, q2: true, q3: true, q4: true, q5: true, q6: true, q6Within3Months: true }, 'high', ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q6Within3Months']],
  ])('%s -> %s', (_name, answers, triage, positive) => {
    const result = scoreCssrsScreener(answers);
    expect(result.triage).toBe(triage);
    expect(result.positiveAnswers).toEqual(positive);
    expect(result.total).toBeNull();
    expect(result.band).toBeNull();
    expect(result.clinicalFlags).toEqual([]);
    if (triage === 'none') expect(result.riskFlags).toEqual([]);
    else expect(result.riskFlags).toEqual([expect.objectContaining({ kind: 'cssrs_screener', level: triage })]);
  });

  it('matches the stated rule on all 54 answer sets the skip logic allows', () => {
    const sets = everyValidAnswerSet();
    expect(sets).toHaveLength(54);
    for (const answers of sets) {
      const result = scoreCssrsScreener(answers);
      expect({ answers, triage: result.triage }).toEqual({ answers, triage: expectedTriage(answers) });
      expect(result.riskFlags.length).toBe(result.triage === 'none' ? 0 : 1);
    }
  });

  it('says what was answered and what to do, per level', () => {
    const high = scoreCssrsScreener({ q1: false, q2: false, q6: true, q6Within3Months: true }).riskFlags[0]!;
    expect(high.reason).toBe('C-SSRS screener answered yes to: Q6 suicidal behavior (within the past 3 months).');
    expect(high.action).toBe('Immediate evaluation: behavioral health consultation and patient safety precautions.');
    const moderate = scoreCssrsScreener({ q1: false, q2: false, q6: true, q6Within3Months: false }).riskFlags[0]!;
    expect(moderate.reason).toBe('C-SSRS screener answered yes to: Q6 suicidal behavior (more than 3 months ago).');
    expect(moderate.action).toBe('Behavioral health consultation; consider patient safety precautions.');
    const low = scoreCssrsScreener({ q1: true, q2: false, q6: false }).riskFlags[0]!;
    expect(low.reason).toBe('C-SSRS screener answered yes to: Q1 wish to be dead.');
    expect(low.action).toBe('Behavioral health referral.');
  });

  it('takes item levels from the thresholds passed in', () => {
    const stricter = resolveThresholds({ version: 'test-cssrs-q3-high', cssrsScreener: { levels: { q3: 'high' } } });
    expect(scoreCssrsScreener({ q1: false, q2: true, q3: true, q4: false, q5: false, q6: false }, stricter).triage).toBe('high');
  });
});

describe('C-SSRS screener skip logic and validation', () => {
  const errors = (answers: unknown) => fieldErrorsOf(() => scoreCssrsScreener(answers as CssrsScreenerAnswers));

  it.each(['q3', 'q4', 'q5'] as const)('rejects %s when Q2 is no (it is not asked), whether yes or no', (id) => {
    const n = id.slice(1);
    for (const value of [true, false]) {
      expect(errors({ ...none, [id]: value })).toEqual([
        { field: `answers.${id}`, message: `Leave out question ${n}: it is asked only when question 2 is yes.` },
      ]);
    }
  });

  it('rejects any value, null included, for a skipped question, with the one "leave out" message', () => {
    for (const value of [null, 'yes', 0]) {
      expect(errors({ ...none, q3: value })).toEqual([
        { field: 'answers.q3', message: 'Leave out question 3: it is asked only when question 2 is yes.' },
      ]);
    }
    expect(errors({ ...none, q6Within3Months: null })).toEqual([
      { field: 'answers.q6Within3Months', message: 'Leave out q6Within3Months: it is asked only when question 6 is yes.' },
    ]);
  });

  it('asks for yes or no when an asked follow-up question has another value', () => {
    expect(errors({ q1: false, q2: true, q3: 'yes', q4: false, q5: null, q6: true, q6Within3Months: 1 })).toEqual([
      { field: 'answers.q3', message: 'Answer question 3 (thinking about how) with true (yes) or false (no).' },
      { field: 'answers.q5', message: 'Answer question 5 (details of a plan) with true (yes) or false (no).' },
      {
        field: 'answers.q6Within3Months',
        message: 'Answer whether the suicidal behavior in question 6 was within the past 3 months with true (yes) or false (no).',
      },
    ]);
  });

  it('when Q2 itself is invalid, still checks the type of Q3-5 given', () => {
    expect(errors({ q1: false, q2: 'maybe', q3: 'x', q4: true, q6: false })).toEqual([
      { field: 'answers.q2', message: 'Answer question 2 (suicidal thoughts) with true (yes) or false (no).' },
      { field: 'answers.q3', message: 'Answer question 3 (thinking about how) with true (yes) or false (no).' },
    ]);
  });

  it.each([
    ['q3', 'thinking about how'],
    ['q4', 'intention of acting'],
    ['q5', 'details of a plan'],
  ] as const)('requires %s when Q2 is yes', (id, name) => {
    const answers: Record<string, unknown> = { q1: false, q2: true, q3: false, q4: false, q5: false, q6: false };
    delete answers[id];
    expect(errors(answers)).toEqual([
      { field: `answers.${id}`, message: `Answer question ${id.slice(1)} (${name}): it is asked when question 2 is yes.` },
    ]);
  });

  it('lists all three when Q2 is yes and Q3-5 are missing', () => {
    expect(errors({ q1: false, q2: true, q6: false }).map((e) => e.field)).toEqual(['answers.q3', 'answers.q4', 'answers.q5']);
  });

  it('requires the Q6 follow-up when Q6 is yes', () => {
    expect(errors({ q1: false, q2: false, q6: true })).toEqual([
      { field: 'answers.q6Within3Months', message: 'Answer whether the suicidal behavior in question 6 was within the past 3 months.' },
    ]);
  });

  it('rejects the Q6 follow-up when Q6 is no, whether yes or no', () => {
    for (const value of [true, false]) {
      expect(errors({ ...none, q6Within3Months: value })).toEqual([
        { field: 'answers.q6Within3Months', message: 'Leave out q6Within3Months: it is asked only when question 6 is yes.' },
      ]);
    }
  });

  it.each([
    ['q1', 'wish to be dead'],
    ['q2', 'suicidal thoughts'],
    ['q6', 'suicidal behavior'],
  ] as const)('requires %s, as true or false', (id, name) => {
    const message = `Answer question ${id.slice(1)} (${name}) with true (yes) or false (no).`;
    const missing: Record<string, unknown> = { ...none };
    delete missing[id];
    expect(errors(missing)).toContainEqual({ field: `answers.${id}`, message });
    for (const wrong of ['yes', 1, 0, null]) expect(errors({ ...none, [id]: wrong })).toContainEqual({ field: `answers.${id}`, message });
  });

  it('rejects questions that are not on the screener', () => {
    expect(errors({ ...none, q7: true })).toEqual([{ field: 'answers.q7', message: 'This question is not part of the instrument.' }]);
  });

  it('needs an object', () => {
    const message =
      'Give the C-SSRS screener answers as an object of yes/no answers (true or false): q1, q2 and q6; q3, q4 and q5 when q2 is yes; q6Within3Months when q6 is yes.';
    for (const input of [undefined, null, [true, false, false], 'no']) expect(errors(input)).toEqual([{ field: 'answers', message }]);
  });

  it('reports skip-logic problems together with other wrong answers', () => {
    expect(errors({ q1: 'yes', q2: false, q3: true, q6: true })).toEqual([
      { field: 'answers.q1', message: 'Answer question 1 (wish to be dead) with true (yes) or false (no).' },
      { field: 'answers.q3', message: 'Leave out question 3: it is asked only when question 2 is yes.' },
      { field: 'answers.q6Within3Months', message: 'Answer whether the suicidal behavior in question 6 was within the past 3 months.' },
    ]);
  });

  it('accepts every answer set the skip logic allows, unchanged', () => {
    for (const answers of everyValidAnswerSet()) expect(CssrsScreenerAnswersSchema.parse(answers)).toEqual(answers);
  });
});
