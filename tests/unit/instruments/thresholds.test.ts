import { describe, expect, it } from 'vitest';
import { score } from '../../../shared/domain/instruments/registry.js';
import {
  DEFAULT_THRESHOLDS,
  InvalidThresholdsError,
  resolveThresholds,
  type ThresholdOverrides,
  ThresholdsSchema,
} from '../../../shared/domain/instruments/thresholds.js';

function problemsOf(overrides: ThresholdOverrides): string[] {
  try {
    resolveThresholds(overrides);
  } catch (error) {
    if (error instanceof InvalidThresholdsError) return error.problems;
    throw error;
  }
  throw new Error('Expected InvalidThresholdsError');
}

describe('default thresholds', () => {
  it('are valid under their own schema', () => {
    expect(ThresholdsSchema.parse(DEFAULT_THRESHOLDS)).toEqual(DEFAULT_THRESHOLDS);
  });

  it('hold the cited values', () => {
    expect(DEFAULT_THRESHOLDS.phq9.bandsFrom).toEqual({ minimal: 0, mild: 5, moderate: 10, moderately_severe: 15, severe: 20 });
    expect(DEFAULT_THRESHOLDS.gad7.bandsFrom).toEqual({ minimal: 0, mild: 5, moderate: 10, severe: 15 });
    expect(DEFAULT_THRESHOLDS.gad7.furtherEvaluationFrom).toBe(10);
    expect(DEFAULT_THRESHOLDS.pcl5.probablePtsdFrom).toBe(33);
    expect(DEFAULT_THRESHOLDS.pcl5.dsm5MinimumEndorsed).toEqual({ B: 1, C: 1, D: 2, E: 2 });
    expect(DEFAULT_THRESHOLDS.cssrsScreener.levels).toEqual({
      q1: 'low',
      q2: 'low',
      q3: 'moderate',
      q4: 'high',
      q5: 'high',
      q6Lifetime: 'moderate',
      q6Within3Months: 'high',
    });
    expect(DEFAULT_THRESHOLDS.care.notOnTrackAfterWeeks).toBe(8);
  });

  it('cannot be changed at run time (deeply frozen)', () => {
    expect(() => {
      (DEFAULT_THRESHOLDS.phq9.bandsFrom as { mild: number }).mild = 6;
    }).toThrow(TypeError);
    expect(DEFAULT_THRESHOLDS.phq9.bandsFrom.mild).toBe(5);
  });
});

describe('resolveThresholds', () => {
  it('merges overrides key by key, keeps the rest and records the new version', () => {
    const t = resolveThresholds({ version: 'pilot-1', pcl5: { probablePtsdFrom: 31 }, phq9: { bandsFrom: { severe: 21 } } });
    expect(t.version).toBe('pilot-1');
    expect(t.pcl5.probablePtsdFrom).toBe(31);
    expect(t.pcl5.symptomEndorsedFrom).toBe(2);
    expect(t.phq9.bandsFrom).toEqual({ minimal: 0, mild: 5, moderate: 10, moderately_severe: 15, severe: 21 });
    expect(t.gad7).toEqual(DEFAULT_THRESHOLDS.gad7);
    expect(Object.isFrozen(t.phq9.bandsFrom)).toBe(true);
    expect(DEFAULT_THRESHOLDS.pcl5.probablePtsdFrom).toBe(33);
  });

  it('changes what scoring returns, and the result names the version', () => {
    const t = resolveThresholds({ version: 'pilot-2', phq9: { bandsFrom: { severe: 21 } } });
    const answers = [3, 3, 3, 3, 3, 3, 2, 0, 0];
    expect(score('phq9', answers).band.id).toBe('severe');
    const custom = score('phq9', answers, t);
    expect(custom.band).toMatchObject({ id: 'moderately_severe', min: 15, max: 20 });
    expect(custom.thresholdsVersion).toBe('pilot-2');
  });

  it('requires a new version, so a changed rule never claims the default version', () => {
    expect(problemsOf({ version: DEFAULT_THRESHOLDS.version, gad7: { furtherEvaluationFrom: 8 } })).toEqual([
      `version: give the overridden thresholds a version other than ${DEFAULT_THRESHOLDS.version}`,
    ]);
  });

  it('rejects bands that do not rise or do not start at 0', () => {
    expect(problemsOf({ version: 'x', phq9: { bandsFrom: { moderate: 4 } } })).toEqual([
      'phq9.bandsFrom: Band lower bounds must rise strictly in the order minimal, mild, moderate, moderately_severe, severe.',
    ]);
    expect(problemsOf({ version: 'x', gad7: { bandsFrom: { minimal: 1 } } })).toEqual(['gad7.bandsFrom.minimal: The first band starts at 0.']);
  });

  it('refuses a low level for PHQ-9 item 9 or a check-in self-harm report (not same-day)', () => {
    const message = 'Use moderate or high: a positive answer needs a same-day assessment.';
    expect(problemsOf({ version: 'x', phq9: { item9RiskLevels: { severalDays: 'low' as 'moderate' } } })).toEqual([
      `phq9.item9RiskLevels.severalDays: ${message}`,
    ]);
    expect(problemsOf({ version: 'x', checkIn: { selfHarmThoughtsLevel: 'low' as 'moderate' } })).toEqual([
      `checkIn.selfHarmThoughtsLevel: ${message}`,
    ]);
  });

  it('rejects out-of-range values and unknown keys, listing every problem', () => {
    const problems = problemsOf({
      version: 'x',
      pcl5: { probablePtsdFrom: 81 },
      gad7: { outcomes: { responseMinDropPercent: 0 } },
      care: { notOnTrackAfterWeeks: 0 },
      ...({ phq10: {} } as object),
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'gad7.outcomes.responseMinDropPercent',
      'pcl5.probablePtsdFrom',
      'care.notOnTrackAfterWeeks',
      '(root)',
    ]);
  });
});
