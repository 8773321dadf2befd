import { describe, expect, it } from 'vitest';
import { GAD7, type Gad7Answers, scoreGad7 } from '../../../shared/domain/instruments/gad7.js';
import { resolveThresholds } from '../../../shared/domain/instruments/thresholds.js';
import { answersWithTotal, fieldErrorsOf } from './helpers.js';

const gad7 = (total: number) => answersWithTotal(total, 7, 3) as unknown as Gad7Answers;

describe('GAD-7 definition', () => {
  it('has the 7 items, the 0-3 frequency options, the 2-week recall period and a version', () => {
    expect(GAD7.items.map((i) => i.text)).toEqual([
      'Feeling nervous, anxious, or on edge',
      'Not being able to stop or control worrying',
      'Worrying too much about different things',
      'Trouble relaxing',
      'Being so restless that it is hard to sit still',
      'Becoming easily annoyed or irritable',
      'Feeling afraid, as if something awful might happen',
    ]);
    expect(GAD7.options.map((o) => o.value)).toEqual([0, 1, 2, 3]);
    expect(GAD7.recallPeriod).toEqual({ text: 'Over the last 2 weeks', duration: 'P2W' });
    expect(GAD7.scoreRange).toEqual({ min: 0, max: 21 });
    expect(GAD7.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('GAD-7 severity bands (Spitzer 2006): both sides of every boundary and the extremes', () => {
  it.each([
    [0, 'minimal', 0, 4],
    [4, 'minimal', 0, 4],
    [5, 'mild', 5, 9],
    [9, 'mild', 5, 9],
    [10, 'moderate', 10, 14],
    [14, 'moderate', 10, 14],
    [15, 'severe', 15, 21],
    [21, 'severe', 15, 21],
  ])('total %i -> %s', (total, id, min, max) => {
    const result = scoreGad7(gad7(total));
    expect(result.total).toBe(total);
    expect(result.band).toMatchObject({ id, min, max });
    expect(result.riskFlags).toEqual([]);
  });
});

describe('GAD-7 further evaluation at 10 or more', () => {
  it('9: no flag', () => {
    const result = scoreGad7(gad7(9));
    expect(result.furtherEvaluation).toBe(false);
    expect(result.clinicalFlags).toEqual([]);
  });

  it('10: flag', () => {
    const result = scoreGad7(gad7(10));
    expect(result.furtherEvaluation).toBe(true);
    expect(result.clinicalFlags).toEqual([
      {
        kind: 'gad7_further_evaluation',
        reason: 'GAD-7 total 10 is at or above 10.',
        action: 'Evaluate further for an anxiety disorder (generalized anxiety, panic, social anxiety, PTSD).',
      },
    ]);
  });

  it('21 (maximum): flag; 0 (minimum): none', () => {
    expect(scoreGad7(gad7(21)).furtherEvaluation).toBe(true);
    expect(scoreGad7(gad7(0)).furtherEvaluation).toBe(false);
  });

  it('follows an overridden cut-point', () => {
    const eight = resolveThresholds({ version: 'test-gad7-8', gad7: { furtherEvaluationFrom: 8 } });
    expect(scoreGad7(gad7(8), eight).furtherEvaluation).toBe(true);
    expect(scoreGad7(gad7(7), eight).furtherEvaluation).toBe(false);
  });
});

describe('GAD-7 answers validation', () => {
  const errors = (answers: unknown) => fieldErrorsOf(() => scoreGad7(answers as Gad7Answers));

  it('needs exactly 7 answers of 0-3', () => {
    expect(errors(Array(9).fill(0))).toEqual([
      { field: 'answers', message: 'The GAD-7 has 7 items: give exactly 7 answers, in item order (9 given).' },
    ]);
    expect(errors([0, 0, 0, 0, 0, 0, 4])).toEqual([{ field: 'answers.6', message: 'Answer GAD-7 item 7 with 0, 1, 2 or 3.' }]);
    expect(errors('0000000')).toEqual([{ field: 'answers', message: 'Give the GAD-7 answers as a list of 7 numbers, one per item, in item order.' }]);
  });
});
