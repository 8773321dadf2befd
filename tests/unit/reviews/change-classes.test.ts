import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveThresholds, DEFAULT_THRESHOLDS } from '../../../shared/domain/instruments/thresholds.js';
import {
  CHANGE_CLASSES,
  changeClass,
  changeClassBoundaries,
  changeClassRank,
  changeClassRulesFor,
  type ChangeClass,
} from '../../../shared/domain/reviews/change-classes.js';

const MIRROR: Record<ChangeClass, ChangeClass> = {
  reliable_improvement: 'reliable_worsening',
  possible_improvement: 'possible_worsening',
  no_change: 'no_change',
  possible_worsening: 'possible_improvement',
  reliable_worsening: 'reliable_improvement',
};

describe('five change classes at every boundary, per instrument (defaults: possible from 50 % of the reliable change)', () => {
  // [NHS TT] PHQ-9 RC 6, GAD-7 RC 4; PCL-5 RC 10 [Weathers 2013]. Possible from ceil(RC / 2).
  const cases = [
    { instrument: 'phq9', rc: 6, possibleFrom: 3, max: 27 },
    { instrument: 'gad7', rc: 4, possibleFrom: 2, max: 21 },
    { instrument: 'pcl5', rc: 10, possibleFrom: 5, max: 80 },
  ] as const;

  for (const { instrument, rc, possibleFrom, max } of cases) {
    const rules = changeClassRulesFor(instrument)!;
    it(`${instrument}: boundaries ${possibleFrom} and ${rc}`, () => {
      expect(changeClassBoundaries(rules)).toEqual({ possibleFrom, reliableFrom: rc });
      expect(changeClass(0, rules)).toBe('no_change');
      expect(changeClass(possibleFrom - 1, rules)).toBe('no_change');
      expect(changeClass(possibleFrom, rules)).toBe('possible_worsening');
      expect(changeClass(rc - 1, rules)).toBe('possible_worsening');
      expect(changeClass(rc, rules)).toBe('reliable_worsening');
      expect(changeClass(max, rules)).toBe('reliable_worsening');
      expect(changeClass(-(possibleFrom - 1), rules)).toBe('no_change');
      expect(changeClass(-possibleFrom, rules)).toBe('possible_improvement');
      expect(changeClass(-(rc - 1), rules)).toBe('possible_improvement');
      expect(changeClass(-rc, rules)).toBe('reliable_improvement');
      expect(changeClass(-max, rules)).toBe('reliable_improvement');
    });

    it(`${instrument}: every change from -${max} to ${max} classed exactly as the table says`, () => {
      for (let c = -max; c <= max; c += 1) {
        const size = Math.abs(c);
        const expected: ChangeClass =
          size >= rc ? (c < 0 ? 'reliable_improvement' : 'reliable_worsening') : size >= possibleFrom ? (c < 0 ? 'possible_improvement' : 'possible_worsening') : 'no_change';
        expect(changeClass(c, rules), `change ${c}`).toBe(expected);
      }
    });
  }

  it('agrees with outcomes.ts on "reliable" (the same RC)', () => {
    expect(changeClassRulesFor('phq9')!.reliableChange).toBe(DEFAULT_THRESHOLDS.phq9.outcomes.reliableChange);
    expect(changeClassRulesFor('gad7')!.reliableChange).toBe(DEFAULT_THRESHOLDS.gad7.outcomes.reliableChange);
    expect(changeClassRulesFor('cssrs_screener')).toBeNull();
  });

  it('the possible band follows the configured percentage (thresholds.review.possibleChangePercent)', () => {
    const custom = resolveThresholds({ version: 'test-possible-40', review: { possibleChangePercent: 40 } });
    const rules = changeClassRulesFor('phq9', custom)!; // 40 % of 6 = 2.4: possible from 3 (integers)
    expect(changeClass(2, rules)).toBe('no_change');
    expect(changeClass(3, rules)).toBe('possible_worsening');
    // Integers decide the edge: 2 x 100 = 200 >= 6 x 33 = 198, but not >= 6 x 34 = 204.
    const at33 = changeClassRulesFor('phq9', resolveThresholds({ version: 'test-possible-33', review: { possibleChangePercent: 33 } }))!;
    const at34 = changeClassRulesFor('phq9', resolveThresholds({ version: 'test-possible-34', review: { possibleChangePercent: 34 } }))!;
    expect(changeClass(-2, at33)).toBe('possible_improvement');
    expect(changeClass(-2, at34)).toBe('no_change');
    expect(changeClassBoundaries(at33).possibleFrom).toBe(2);
    expect(changeClassBoundaries(at34).possibleFrom).toBe(3);
  });

  it('refuses a change that is not a number', () => {
    const rules = changeClassRulesFor('phq9')!;
    expect(() => changeClass(Number.NaN, rules)).toThrow(RangeError);
    expect(() => changeClass(Number.POSITIVE_INFINITY, rules)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const rulesArb = fc.record({ reliableChange: fc.integer({ min: 1, max: 40 }), possibleChangePercent: fc.integer({ min: 1, max: 99 }) });
  const change = fc.integer({ min: -80, max: 80 });

  it('monotonic: a larger change (more symptoms) is never a better class', () => {
    fc.assert(
      fc.property(rulesArb, change, change, (rules, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return changeClassRank(changeClass(lo, rules)) <= changeClassRank(changeClass(hi, rules));
      }),
    );
  });

  it('symmetric: the class of -c mirrors the class of c', () => {
    fc.assert(fc.property(rulesArb, change, (rules, c) => changeClass(-c, rules) === MIRROR[changeClass(c, rules)]));
  });

  it('reliable exactly from the RC, possible exactly from the boundary, and no change around 0', () => {
    fc.assert(
      fc.property(rulesArb, change, (rules, c) => {
        const { possibleFrom, reliableFrom } = changeClassBoundaries(rules);
        const cls = changeClass(c, rules);
        const size = Math.abs(c);
        if (size >= reliableFrom) return cls.startsWith('reliable_');
        if (size >= possibleFrom) return cls.startsWith('possible_');
        return cls === 'no_change';
      }),
    );
  });

  it('the classes are listed from best to worst', () => {
    expect(CHANGE_CLASSES.map(changeClassRank)).toEqual([0, 1, 2, 3, 4]);
  });
});
