import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { bandOf } from '../../../shared/domain/instruments/answers.js';
import type { CssrsScreenerAnswers } from '../../../shared/domain/instruments/cssrs-screener.js';
import { GAD7_BAND_LABELS } from '../../../shared/domain/instruments/gad7.js';
import { isResponse, outcomeRulesFor, reliableChange, type ScorePoint } from '../../../shared/domain/instruments/outcomes.js';
import { PHQ9_BAND_LABELS } from '../../../shared/domain/instruments/phq9.js';
import { score } from '../../../shared/domain/instruments/registry.js';
import { DEFAULT_THRESHOLDS, GAD7_BAND_IDS, PHQ9_BAND_IDS } from '../../../shared/domain/instruments/thresholds.js';

const RATING_SCALES = [
  { id: 'phq9', items: 9, max: 3, bandIds: PHQ9_BAND_IDS as readonly string[] },
  { id: 'gad7', items: 7, max: 3, bandIds: GAD7_BAND_IDS as readonly string[] },
  { id: 'pcl5', items: 20, max: 4, bandIds: null },
] as const;

const answersOf = (items: number, max: number) => fc.array(fc.integer({ min: 0, max }), { minLength: items, maxLength: items });

const cssrsAnswers: fc.Arbitrary<CssrsScreenerAnswers> = fc
  .record({
    q1: fc.boolean(),
    q2: fc.boolean(),
    q3: fc.boolean(),
    q4: fc.boolean(),
    q5: fc.boolean(),
    q6: fc.boolean(),
    q6Within3Months: fc.boolean(),
  })
  .map(({ q1, q2, q3, q4, q5, q6, q6Within3Months }) => ({
    q1,
    q2,
    ...(q2 ? { q3, q4, q5 } : {}),
    q6,
    ...(q6 ? { q6Within3Months } : {}),
  }));

describe.each(RATING_SCALES)('$id properties', ({ id, items, max, bandIds }) => {
  it('the total is the sum of the items and stays within 0..items x max', () => {
    fc.assert(
      fc.property(answersOf(items, max), (answers) => {
        const result = score(id, answers);
        expect(result.total).toBe(answers.reduce((a, b) => a + b, 0));
        expect(result.total).toBeGreaterThanOrEqual(0);
        expect(result.total).toBeLessThanOrEqual(items * max);
      }),
    );
  });

  it('scoring is deterministic and does not change its input', () => {
    fc.assert(
      fc.property(answersOf(items, max), (answers) => {
        const copy = [...answers];
        const first = score(id, answers);
        expect(score(id, copy)).toEqual(first);
        expect(answers).toEqual(copy);
      }),
    );
  });

  if (bandIds) {
    it('bands never go down when the total goes up, and each band contains its total', () => {
      fc.assert(
        fc.property(answersOf(items, max), answersOf(items, max), (a, b) => {
          const [low, high] = [score(id, a), score(id, b)].sort((x, y) => x.total! - y.total!);
          expect(bandIds.indexOf(low!.band!.id)).toBeLessThanOrEqual(bandIds.indexOf(high!.band!.id));
          for (const r of [low!, high!]) {
            expect(r.band!.min).toBeLessThanOrEqual(r.total!);
            expect(r.band!.max).toBeGreaterThanOrEqual(r.total!);
          }
        }),
      );
    });
  }

  it('rejects any answer outside the scale, wherever it is', () => {
    fc.assert(
      fc.property(
        answersOf(items, max),
        fc.nat({ max: items - 1 }),
        fc.oneof(fc.integer({ min: max + 1 }), fc.integer({ max: -1 }), fc.double({ noInteger: true }), fc.string(), fc.constant(null)),
        (answers, index, wrong) => {
          const bad: unknown[] = [...answers];
          bad[index] = wrong;
          expect(() => score(id, bad)).toThrow(ValidationError);
        },
      ),
    );
  });

  it('rejects any other number of answers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }).filter((n) => n !== items),
        (n) => {
          expect(() => score(id, Array(n).fill(0))).toThrow(ValidationError);
        },
      ),
    );
  });
});

describe('band tables over every possible total', () => {
  it.each([
    ['PHQ-9', PHQ9_BAND_IDS, DEFAULT_THRESHOLDS.phq9.bandsFrom, PHQ9_BAND_LABELS, 27],
    ['GAD-7', GAD7_BAND_IDS, DEFAULT_THRESHOLDS.gad7.bandsFrom, GAD7_BAND_LABELS, 21],
  ] as const)('%s: monotonic, contiguous, covering 0..max', (_name, ids, bounds, labels, max) => {
    let previous = -1;
    for (let total = 0; total <= max; total++) {
      const band = bandOf(total, ids as readonly string[], bounds as Record<string, number>, labels as Record<string, string>, max);
      const index = ids.indexOf(band.id as never);
      expect(index).toBeGreaterThanOrEqual(previous);
      expect(total >= band.min && total <= band.max).toBe(true);
      previous = index;
    }
    expect(previous).toBe(ids.length - 1);
  });
});

describe('PHQ-9 item 9 property', () => {
  it('a risk flag is raised exactly when item 9 is above 0, whatever the other items', () => {
    fc.assert(
      fc.property(answersOf(9, 3), (answers) => {
        const flags = score('phq9', answers).riskFlags;
        expect(flags.length).toBe(answers[8]! > 0 ? 1 : 0);
        if (flags[0]) expect(['moderate', 'high']).toContain(flags[0].level);
      }),
    );
  });
});

describe('PCL-5 property', () => {
  it('cluster scores add up to the total', () => {
    fc.assert(
      fc.property(answersOf(20, 4), (answers) => {
        const result = score('pcl5', answers);
        const { B, C, D, E } = result.clusterScores;
        expect(B + C + D + E).toBe(result.total);
      }),
    );
  });
});

describe('C-SSRS screener properties', () => {
  it('any answer set that follows the skip logic scores deterministically, with one flag iff any yes', () => {
    fc.assert(
      fc.property(cssrsAnswers, (answers) => {
        const result = score('cssrs_screener', answers);
        expect(score('cssrs_screener', { ...answers })).toEqual(result);
        const anyYes = Object.values(answers).some((v) => v === true);
        expect(result.riskFlags.length).toBe(anyYes ? 1 : 0);
        expect(result.triage === 'none').toBe(!anyYes);
      }),
    );
  });

  it('adding a "yes" never lowers the triage level', () => {
    const order = ['none', 'low', 'moderate', 'high'];
    fc.assert(
      fc.property(cssrsAnswers, fc.constantFrom('q1', 'q2', 'q6'), (answers, id) => {
        const before = score('cssrs_screener', answers);
        const more: Record<string, unknown> = { ...answers, [id]: true };
        if (id === 'q2' && !answers.q2) Object.assign(more, { q3: false, q4: false, q5: false });
        if (id === 'q6' && !answers.q6) more.q6Within3Months = false;
        const after = score('cssrs_screener', more);
        expect(order.indexOf(after.triage)).toBeGreaterThanOrEqual(order.indexOf(before.triage));
      }),
    );
  });
});

describe('outcome properties', () => {
  const rules = outcomeRulesFor('phq9')!;
  const pair = (from: number, to: number): ScorePoint[] => [
    { total: from, at: '2026-01-01T00:00:00Z' },
    { total: to, at: '2026-02-01T00:00:00Z' },
  ];

  it('reliable change is antisymmetric: swapping baseline and latest swaps improvement and deterioration', () => {
    const swap = { improvement: 'deterioration', deterioration: 'improvement', none: 'none' } as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 27 }), fc.integer({ min: 0, max: 27 }), (a, b) => {
        expect(reliableChange(pair(b, a), rules)).toBe(swap[reliableChange(pair(a, b), rules)]);
      }),
    );
  });

  it('response holds exactly when the latest is at most half the baseline', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 27 }), fc.integer({ min: 0, max: 27 }), (from, to) => {
        expect(isResponse(pair(from, to), rules)).toBe(to <= from / 2);
      }),
    );
  });
});
