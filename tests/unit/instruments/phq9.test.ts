import { describe, expect, it } from 'vitest';
import { PHQ9, Phq9AnswersSchema, type Phq9Answers, scorePhq9 } from '../../../shared/domain/instruments/phq9.js';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../../shared/domain/instruments/thresholds.js';
import { answersWithTotal, fieldErrorsOf } from './helpers.js';

const ITEM9 = 8;
/** A PHQ-9 with this total and item 9 kept at 0 (so no risk flag gets in the way). */
const phq9 = (total: number) => answersWithTotal(total, 9, 3, [ITEM9]) as unknown as Phq9Answers;

describe('PHQ-9 definition', () => {
  it('has the 9 items, the 0-3 frequency options, the 2-week recall period and a version', () => {
    expect(PHQ9.items).toHaveLength(9);
    expect(PHQ9.items.map((i) => i.id)).toEqual(Array.from({ length: 9 }, (_, i) => `phq9_${i + 1}`));
    expect(PHQ9.items[8]!.text).toBe('Thoughts that you would be better off dead or of hurting yourself in some way');
    expect(PHQ9.options).toEqual([
      { value: 0, label: 'Not at all' },
      { value: 1, label: 'Several days' },
      { value: 2, label: 'More than half the days' },
      { value: 3, label: 'Nearly every day' },
    ]);
    expect(PHQ9.recallPeriod).toEqual({ text: 'Over the last 2 weeks', duration: 'P2W' });
    expect(PHQ9.instructions).toMatch(/^Over the last 2 weeks/);
    expect(PHQ9.scoreRange).toEqual({ min: 0, max: 27 });
    expect(PHQ9.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(PHQ9.answerFormat).toBe('array');
  });
});

describe('PHQ-9 severity bands (Kroenke 2001): both sides of every boundary and the extremes', () => {
  it.each([
    [0, 'minimal', 'Minimal', 0, 4],
    [4, 'minimal', 'Minimal', 0, 4],
    [5, 'mild', 'Mild', 5, 9],
    [9, 'mild', 'Mild', 5, 9],
    [10, 'moderate', 'Moderate', 10, 14],
    [14, 'moderate', 'Moderate', 10, 14],
    [15, 'moderately_severe', 'Moderately severe', 15, 19],
    [19, 'moderately_severe', 'Moderately severe', 15, 19],
    [20, 'severe', 'Severe', 20, 27],
    [24, 'severe', 'Severe', 20, 27],
  ])('total %i -> %s', (total, id, label, min, max) => {
    const result = scorePhq9(phq9(total));
    expect(result.total).toBe(total);
    expect(result.band).toEqual({ id, label, min, max });
    expect(result.riskFlags).toEqual([]);
  });

  it('scores the maximum, 27 (all "nearly every day"), as severe with the item 9 flag', () => {
    const result = scorePhq9([3, 3, 3, 3, 3, 3, 3, 3, 3]);
    expect(result.total).toBe(27);
    expect(result.band.id).toBe('severe');
    expect(result.riskFlags.map((f) => f.level)).toEqual(['high']);
  });

  it('records the instrument and thresholds versions on the result', () => {
    const result = scorePhq9(phq9(0));
    expect(result).toMatchObject({ instrument: 'phq9', instrumentVersion: PHQ9.version, thresholdsVersion: DEFAULT_THRESHOLDS.version, clinicalFlags: [] });
  });
});

describe('PHQ-9 item 9 (same-day risk assessment whatever the total)', () => {
  it('item 9 = 1 with every other item 0 still raises the flag (total 1, minimal band)', () => {
    const result = scorePhq9([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(result.total).toBe(1);
    expect(result.band.id).toBe('minimal');
    expect(result.riskFlags).toEqual([
      {
        kind: 'phq9_item9',
        level: 'moderate',
        reason: 'PHQ-9 item 9 (thoughts that you would be better off dead or of hurting yourself) answered "Several days" (1).',
        action: 'Same-day suicide risk assessment (e.g. C-SSRS), whatever the total score.',
      },
    ]);
  });

  it.each([
    [1, 'moderate', 'Same-day'],
    [2, 'high', 'Immediate'],
    [3, 'high', 'Immediate'],
  ] as const)('item 9 = %i -> level %s (never low: low is not same-day)', (value, level, urgency) => {
    const [flag, ...others] = scorePhq9([0, 0, 0, 0, 0, 0, 0, 0, value]).riskFlags;
    expect(others).toEqual([]);
    expect(flag).toMatchObject({ kind: 'phq9_item9', level });
    expect(flag!.action.startsWith(urgency)).toBe(true);
  });

  it('item 9 = 0 raises no flag, even at the highest total without it (24)', () => {
    const result = scorePhq9([3, 3, 3, 3, 3, 3, 3, 3, 0]);
    expect(result.total).toBe(24);
    expect(result.riskFlags).toEqual([]);
  });

  it('takes its levels from the thresholds passed in', () => {
    const strict = resolveThresholds({ version: 'test-all-high', phq9: { item9RiskLevels: { severalDays: 'high' } } });
    expect(scorePhq9([0, 0, 0, 0, 0, 0, 0, 0, 1], strict).riskFlags[0]!.level).toBe('high');
  });
});

describe('PHQ-9 answers validation', () => {
  const errors = (answers: unknown) => fieldErrorsOf(() => scorePhq9(answers as Phq9Answers));

  it('needs exactly 9 answers', () => {
    expect(errors([0, 0, 0, 0, 0, 0, 0, 0])).toEqual([
      { field: 'answers', message: 'The PHQ-9 has 9 items: give exactly 9 answers, in item order (8 given).' },
    ]);
    expect(errors(Array(10).fill(0))).toEqual([
      { field: 'answers', message: 'The PHQ-9 has 9 items: give exactly 9 answers, in item order (10 given).' },
    ]);
    expect(errors([])).toEqual([{ field: 'answers', message: 'The PHQ-9 has 9 items: give exactly 9 answers, in item order (0 given).' }]);
  });

  it('needs a list', () => {
    for (const input of [undefined, null, 'x', 9, { 1: 0 }]) {
      expect(errors(input)).toEqual([{ field: 'answers', message: 'Give the PHQ-9 answers as a list of 9 numbers, one per item, in item order.' }]);
    }
  });

  it('accepts only 0, 1, 2 or 3, naming each wrong item (1-based) at its index', () => {
    expect(errors([0, 4, 0, -1, 0, 1.5, '2', null, true])).toEqual([
      { field: 'answers.1', message: 'Answer PHQ-9 item 2 with 0, 1, 2 or 3.' },
      { field: 'answers.3', message: 'Answer PHQ-9 item 4 with 0, 1, 2 or 3.' },
      { field: 'answers.5', message: 'Answer PHQ-9 item 6 with 0, 1, 2 or 3.' },
      { field: 'answers.6', message: 'Answer PHQ-9 item 7 with 0, 1, 2 or 3.' },
      { field: 'answers.7', message: 'Answer PHQ-9 item 8 with 0, 1, 2 or 3.' },
      { field: 'answers.8', message: 'Answer PHQ-9 item 9 with 0, 1, 2 or 3.' },
    ]);
  });

  it('the schema accepts every valid value at every position', () => {
    for (let i = 0; i < 9; i++) {
      for (const value of [0, 1, 2, 3]) {
        const answers = Array(9).fill(0);
        answers[i] = value;
        expect(Phq9AnswersSchema.safeParse(answers).success).toBe(true);
      }
    }
  });
});
