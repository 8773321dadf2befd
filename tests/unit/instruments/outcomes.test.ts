import { describe, expect, it } from 'vitest';
import {
  baselineScore,
  chronological,
  isCase,
  isNotOnTrack,
  isRemission,
  isResponse,
  latestScore,
  type OutcomeRules,
  outcomeRulesFor,
  OutcomeSummarySchema,
  reliableChange,
  type ScorePoint,
  scoreChange,
  summarizeOutcomes,
} from '../../../shared/domain/instruments/outcomes.js';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../../shared/domain/instruments/thresholds.js';

const PHQ9 = outcomeRulesFor('phq9')!;
const GAD7 = outcomeRulesFor('gad7')!;
const PCL5 = outcomeRulesFor('pcl5')!;

/** Totals one week apart from 2026-01-05. */
function series(...totals: number[]): ScorePoint[] {
  return totals.map((total, week) => ({ total, at: new Date(Date.UTC(2026, 0, 5 + 7 * week)).toISOString() }));
}

describe('outcome rules per instrument (from thresholds.ts)', () => {
  it('PHQ-9: reliable change 6, response 50 %, caseness 10, remission below 5', () => {
    expect(PHQ9).toEqual({ reliableChange: 6, responseMinDropPercent: 50, casenessFrom: 10, remissionBelow: 5 });
  });
  it('GAD-7: reliable change 4, response 50 %, caseness 8, remission below 5', () => {
    expect(GAD7).toEqual({ reliableChange: 4, responseMinDropPercent: 50, casenessFrom: 8, remissionBelow: 5 });
  });
  it('PCL-5: reliable change 10, response 50 %, caseness at the probable-PTSD cut-point, no remission rule', () => {
    expect(PCL5).toEqual({ reliableChange: 10, responseMinDropPercent: 50, casenessFrom: 33, remissionBelow: null });
    const at31 = resolveThresholds({ version: 'test-31', pcl5: { probablePtsdFrom: 31 } });
    expect(outcomeRulesFor('pcl5', at31)!.casenessFrom).toBe(31);
  });
  it('C-SSRS screener: none (it triages)', () => {
    expect(outcomeRulesFor('cssrs_screener')).toBeNull();
  });
});

describe('baseline, latest and change', () => {
  it('are the earliest and most recent scores by time, whatever the input order', () => {
    const [a, b, c] = series(14, 11, 8);
    const shuffled = [c!, a!, b!];
    expect(baselineScore(shuffled)).toEqual(a);
    expect(latestScore(shuffled)).toEqual(c);
    expect(scoreChange(shuffled)).toBe(-6);
    expect(chronological(shuffled)).toEqual([a, b, c]);
    expect(shuffled).toEqual([c, a, b]); // the input is not reordered in place
  });

  it('orders by instant, not by text (offsets)', () => {
    const early = { total: 20, at: '2026-03-01T10:00:00+05:00' }; // 05:00Z
    const late = { total: 10, at: '2026-03-01T06:00:00Z' };
    expect(baselineScore([late, early])).toEqual(early);
    expect(scoreChange([late, early])).toBe(-10);
  });

  it('keeps the given order for equal instants', () => {
    const at = '2026-03-01T06:00:00Z';
    expect(latestScore([{ total: 1, at }, { total: 2, at }])!.total).toBe(2);
  });

  it('a single score is both baseline and latest, change 0; an empty series has none', () => {
    expect(scoreChange(series(12))).toBe(0);
    expect(baselineScore([])).toBeNull();
    expect(latestScore([])).toBeNull();
    expect(scoreChange([])).toBeNull();
  });

  it('rejects a score without a valid instant or total', () => {
    expect(() => chronological([{ total: 3, at: 'last tuesday' }])).toThrow(RangeError);
    expect(() => chronological([{ total: Number.NaN, at: '2026-01-01T00:00:00Z' }])).toThrow(RangeError);
  });
});

describe('reliable change (NHS Talking Therapies): both sides of each boundary', () => {
  it.each([
    [PHQ9, 'PHQ-9', 20, 14, 'improvement'],
    [PHQ9, 'PHQ-9', 20, 15, 'none'],
    [PHQ9, 'PHQ-9', 8, 14, 'deterioration'],
    [PHQ9, 'PHQ-9', 8, 13, 'none'],
    [GAD7, 'GAD-7', 15, 11, 'improvement'],
    [GAD7, 'GAD-7', 15, 12, 'none'],
    [GAD7, 'GAD-7', 6, 10, 'deterioration'],
    [GAD7, 'GAD-7', 6, 9, 'none'],
    [PCL5, 'PCL-5', 50, 40, 'improvement'],
    [PCL5, 'PCL-5', 50, 41, 'none'],
    [PCL5, 'PCL-5', 30, 40, 'deterioration'],
  ] as [OutcomeRules, string, number, number, string][])('%#: %s %i -> %i: %s', (rules, _name, from, to, expected) => {
    expect(reliableChange(series(from, to), rules)).toBe(expected);
  });

  it('compares baseline with latest, not with the scores in between', () => {
    expect(reliableChange(series(20, 10, 16), PHQ9)).toBe('none');
    expect(reliableChange(series(20, 25, 14), PHQ9)).toBe('improvement');
  });

  it('is none with a single score or none at all', () => {
    expect(reliableChange(series(20), PHQ9)).toBe('none');
    expect(reliableChange([], PHQ9)).toBe('none');
  });
});

describe('response (>= 50 % drop from baseline)', () => {
  it.each([
    [12, 6, true], // exactly 50 %
    [12, 7, false], // 41.7 %
    [11, 5, true], // 54.5 %
    [11, 6, false], // 45.5 %
    [20, 10, true],
    [20, 11, false],
    [1, 0, true],
    [2, 1, true],
    [27, 0, true],
  ])('baseline %i -> latest %i: %s', (from, to, expected) => {
    expect(isResponse(series(from, to), PHQ9)).toBe(expected);
  });

  it('never from a zero baseline, a single score or an empty series', () => {
    expect(isResponse(series(0, 0), PHQ9)).toBe(false);
    expect(isResponse(series(16), PHQ9)).toBe(false);
    expect(isResponse([], PHQ9)).toBe(false);
  });

  it('uses exact integer arithmetic for other percentages (30 % of 10 is 3, not 3.0000000000000004)', () => {
    expect(isResponse(series(10, 7), { ...PHQ9, responseMinDropPercent: 30 })).toBe(true);
    expect(isResponse(series(10, 8), { ...PHQ9, responseMinDropPercent: 30 })).toBe(false);
  });
});

describe('remission (PHQ-9 < 5; GAD-7 < 5 by analogy)', () => {
  it.each([
    [PHQ9, 12, 4, true],
    [PHQ9, 12, 5, false],
    [PHQ9, 5, 4, true],
    [PHQ9, 12, 0, true],
    [GAD7, 10, 4, true],
    [GAD7, 10, 5, false],
  ] as [OutcomeRules, number, number, boolean][])('%#: baseline %i -> latest %i: %s', (rules, from, to, expected) => {
    expect(isRemission(series(from, to), rules)).toBe(expected);
  });

  it('needs a follow-up and a baseline at or above the cut-off (starting minimal is not remitting)', () => {
    expect(isRemission(series(3), PHQ9)).toBe(false);
    expect(isRemission(series(4, 2), PHQ9)).toBe(false);
    expect(isRemission([], PHQ9)).toBe(false);
  });

  it('is null where no remission rule is defined (PCL-5)', () => {
    expect(isRemission(series(50, 10), PCL5)).toBeNull();
  });
});

describe('caseness (PHQ-9 >= 10, GAD-7 >= 8, PCL-5 >= 33)', () => {
  it.each([
    [PHQ9, 9, false],
    [PHQ9, 10, true],
    [GAD7, 7, false],
    [GAD7, 8, true],
    [PCL5, 32, false],
    [PCL5, 33, true],
  ] as [OutcomeRules, number, boolean][])('%#: total %i: %s', (rules, total, expected) => {
    expect(isCase(total, rules)).toBe(expected);
  });
});

describe('not on track (no reliable improvement and no response after 8 weeks of care)', () => {
  const flat = series(15, 14, 13);

  it('is false before 8 weeks, whatever the scores', () => {
    expect(isNotOnTrack(flat, PHQ9, 0)).toBe(false);
    expect(isNotOnTrack(flat, PHQ9, 7.9)).toBe(false);
    expect(isNotOnTrack(series(10, 20), PHQ9, 7)).toBe(false);
  });

  it('is true at exactly 8 weeks (and after) with neither reliable improvement nor response', () => {
    expect(isNotOnTrack(flat, PHQ9, 8)).toBe(true);
    expect(isNotOnTrack(flat, PHQ9, 30)).toBe(true);
    expect(isNotOnTrack(series(10, 20), PHQ9, 8)).toBe(true); // deterioration
  });

  it('is false at 8 weeks with a reliable improvement but no response', () => {
    // 20 -> 14: change -6 (reliable), 30 % drop (no response)
    expect(isResponse(series(20, 14), PHQ9)).toBe(false);
    expect(isNotOnTrack(series(20, 14), PHQ9, 8)).toBe(false);
    expect(isNotOnTrack(series(20, 15), PHQ9, 8)).toBe(true);
  });

  it('is false at 8 weeks with a response but no reliable improvement', () => {
    // 8 -> 4: change -4 (not reliable), 50 % drop (response)
    expect(reliableChange(series(8, 4), PHQ9)).toBe('none');
    expect(isNotOnTrack(series(8, 4), PHQ9, 8)).toBe(false);
    expect(isNotOnTrack(series(8, 5), PHQ9, 8)).toBe(true);
  });

  it('is true at 8 weeks with only a baseline (nothing shows progress)', () => {
    expect(isNotOnTrack(series(16), PHQ9, 8)).toBe(true);
    expect(isNotOnTrack([], PHQ9, 8)).toBe(true);
  });

  it('honours another review point and rejects a negative or missing number of weeks', () => {
    expect(isNotOnTrack(flat, PHQ9, 6, 6)).toBe(true);
    expect(isNotOnTrack(flat, PHQ9, 5.99, 6)).toBe(false);
    expect(() => isNotOnTrack(flat, PHQ9, -1)).toThrow(RangeError);
    expect(() => isNotOnTrack(flat, PHQ9, Number.NaN)).toThrow(RangeError);
  });
});

describe('summarizeOutcomes', () => {
  it('puts every rule together for a series in any order', () => {
    const [a, b, c] = series(18, 12, 8);
    const summary = summarizeOutcomes('phq9', [b!, c!, a!], { weeksInCare: 8 });
    expect(summary).toEqual({
      instrument: 'phq9',
      thresholdsVersion: DEFAULT_THRESHOLDS.version,
      count: 3,
      baseline: a,
      latest: c,
      change: -10,
      reliableChange: 'improvement',
      response: true,
      remission: false,
      caseness: { baseline: true, latest: false },
      notOnTrack: false,
    });
    expect(OutcomeSummarySchema.parse(summary)).toEqual(summary);
  });

  it('reports notOnTrack null without weeks in care, and remission null for the PCL-5', () => {
    expect(summarizeOutcomes('gad7', series(12, 11))!.notOnTrack).toBeNull();
    expect(summarizeOutcomes('gad7', series(12, 11), { weeksInCare: 9 })!.notOnTrack).toBe(true);
    const pcl5 = summarizeOutcomes('pcl5', series(45, 30), { weeksInCare: 4 })!;
    expect(pcl5).toMatchObject({ remission: null, reliableChange: 'improvement', caseness: { baseline: true, latest: false }, notOnTrack: false });
  });

  it('is null for an empty series and for the C-SSRS screener', () => {
    expect(summarizeOutcomes('phq9', [])).toBeNull();
    expect(summarizeOutcomes('cssrs_screener', series(1, 2))).toBeNull();
  });

  it('uses the thresholds passed in, and says so', () => {
    const custom = resolveThresholds({ version: 'test-rc5', phq9: { outcomes: { reliableChange: 5 } }, care: { notOnTrackAfterWeeks: 12 } });
    const summary = summarizeOutcomes('phq9', series(15, 10), { weeksInCare: 10, thresholds: custom })!;
    expect(summary.reliableChange).toBe('improvement');
    expect(summary.thresholdsVersion).toBe('test-rc5');
    expect(summarizeOutcomes('phq9', series(15, 15), { weeksInCare: 10, thresholds: custom })!.notOnTrack).toBe(false);
    expect(summarizeOutcomes('phq9', series(15, 15), { weeksInCare: 12, thresholds: custom })!.notOnTrack).toBe(true);
  });
});
