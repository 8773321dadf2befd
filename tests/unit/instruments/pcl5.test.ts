import { describe, expect, it } from 'vitest';
import { PCL5, PCL5_CLUSTERS, type Pcl5Answers, scorePcl5 } from '../../../shared/domain/instruments/pcl5.js';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../../shared/domain/instruments/thresholds.js';
import { answersWithTotal, fieldErrorsOf } from './helpers.js';

const pcl5 = (answers: number[]) => answers as unknown as Pcl5Answers;
/** Items 1-based -> value; every other item 0. */
const withItems = (values: Record<number, number>) => pcl5(Array.from({ length: 20 }, (_, i) => values[i + 1] ?? 0));

describe('PCL-5 definition', () => {
  it('has the 20 items in clusters B 1-5, C 6-7, D 8-14, E 15-20, options 0-4 and the past-month recall period', () => {
    expect(PCL5.items).toHaveLength(20);
    expect(PCL5.items.map((i) => i.cluster).join('')).toBe('BBBBBCCDDDDDDDEEEEEE');
    expect(PCL5.items[0]!.text).toBe('Repeated, disturbing, and unwanted memories of the stressful experience?');
    expect(PCL5.items[19]!.text).toBe('Trouble falling or staying asleep?');
    expect(PCL5.options).toEqual([
      { value: 0, label: 'Not at all' },
      { value: 1, label: 'A little bit' },
      { value: 2, label: 'Moderately' },
      { value: 3, label: 'Quite a bit' },
      { value: 4, label: 'Extremely' },
    ]);
    expect(PCL5.recallPeriod).toEqual({ text: 'In the past month', duration: 'P1M' });
    expect(PCL5.instructions).toMatch(/In the past month, how much were you bothered by:$/);
    expect(PCL5.scoreRange).toEqual({ min: 0, max: 80 });
    expect(PCL5_CLUSTERS).toMatchObject({ B: { first: 1, last: 5 }, C: { first: 6, last: 7 }, D: { first: 8, last: 14 }, E: { first: 15, last: 20 } });
  });
});

describe('PCL-5 scoring', () => {
  it('scores the minimum, 0: no flags, no bands', () => {
    const result = scorePcl5(pcl5(Array(20).fill(0)));
    expect(result).toMatchObject({
      instrument: 'pcl5',
      total: 0,
      band: null,
      clusterScores: { B: 0, C: 0, D: 0, E: 0 },
      endorsedSymptoms: { B: 0, C: 0, D: 0, E: 0 },
      probablePtsd: false,
      dsm5SymptomPattern: false,
      riskFlags: [],
      clinicalFlags: [],
      thresholdsVersion: DEFAULT_THRESHOLDS.version,
    });
  });

  it('scores the maximum, 80, with cluster maxima B 20, C 8, D 28, E 24', () => {
    const result = scorePcl5(pcl5(Array(20).fill(4)));
    expect(result.total).toBe(80);
    expect(result.clusterScores).toEqual({ B: 20, C: 8, D: 28, E: 24 });
    expect(result.endorsedSymptoms).toEqual({ B: 5, C: 2, D: 7, E: 6 });
    expect(result.probablePtsd).toBe(true);
    expect(result.dsm5SymptomPattern).toBe(true);
    expect(result.clinicalFlags.map((f) => f.kind)).toEqual(['pcl5_probable_ptsd', 'pcl5_dsm5_symptom_pattern']);
  });

  it('sums each cluster from its own items only', () => {
    // A different value per cluster, so any item counted in the wrong cluster shows.
    const answers = [1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4];
    const result = scorePcl5(pcl5(answers));
    expect(result.clusterScores).toEqual({ B: 5, C: 4, D: 21, E: 24 });
    expect(result.total).toBe(54);
  });

  it.each([
    [1, 'B'],
    [5, 'B'],
    [6, 'C'],
    [7, 'C'],
    [8, 'D'],
    [14, 'D'],
    [15, 'E'],
    [20, 'E'],
  ] as const)('item %i counts in cluster %s (cluster edges)', (item, cluster) => {
    const result = scorePcl5(withItems({ [item]: 3 }));
    expect(result.clusterScores).toEqual({ B: 0, C: 0, D: 0, E: 0, [cluster]: 3 });
  });

  it('probable PTSD cut-point 33 (top of 31-33): 32 no, 33 yes', () => {
    const below = scorePcl5(pcl5(answersWithTotal(32, 20, 4)));
    expect(below.total).toBe(32);
    expect(below.probablePtsd).toBe(false);
    expect(below.clinicalFlags.some((f) => f.kind === 'pcl5_probable_ptsd')).toBe(false);
    const at = scorePcl5(pcl5(answersWithTotal(33, 20, 4)));
    expect(at.total).toBe(33);
    expect(at.probablePtsd).toBe(true);
    expect(at.clinicalFlags).toContainEqual({
      kind: 'pcl5_probable_ptsd',
      reason: 'PCL-5 total 33 is at or above 33.',
      action: 'Confirm with a clinical interview (e.g. CAPS-5) before any diagnosis.',
    });
  });

  it('follows an overridden cut-point (31, the sensitive end)', () => {
    const sensitive = resolveThresholds({ version: 'test-pcl5-31', pcl5: { probablePtsdFrom: 31 } });
    expect(scorePcl5(pcl5(answersWithTotal(31, 20, 4)), sensitive).probablePtsd).toBe(true);
    expect(scorePcl5(pcl5(answersWithTotal(30, 20, 4)), sensitive).probablePtsd).toBe(false);
  });

  describe('DSM-5 symptom pattern (items rated 2+: 1 B, 1 C, 2 D, 2 E)', () => {
    const minimal = { 1: 2, 6: 2, 8: 2, 9: 2, 15: 2, 16: 2 };

    it('is met at exactly the minimum, with a total (12) far below the cut-point', () => {
      const result = scorePcl5(withItems(minimal));
      expect(result.total).toBe(12);
      expect(result.endorsedSymptoms).toEqual({ B: 1, C: 1, D: 2, E: 2 });
      expect(result.dsm5SymptomPattern).toBe(true);
      expect(result.probablePtsd).toBe(false);
      expect(result.clinicalFlags.map((f) => f.kind)).toEqual(['pcl5_dsm5_symptom_pattern']);
    });

    it.each([
      ['B', 1],
      ['C', 6],
      ['D', 9],
      ['E', 16],
    ] as const)('is not met with one %s symptom short', (_cluster, item) => {
      expect(scorePcl5(withItems({ ...minimal, [item]: 0 })).dsm5SymptomPattern).toBe(false);
    });

    it('does not count a rating of 1 ("A little bit") as endorsed', () => {
      const result = scorePcl5(withItems({ ...minimal, 16: 1 }));
      expect(result.endorsedSymptoms.E).toBe(1);
      expect(result.dsm5SymptomPattern).toBe(false);
    });
  });
});

describe('PCL-5 answers validation', () => {
  const errors = (answers: unknown) => fieldErrorsOf(() => scorePcl5(answers as Pcl5Answers));

  it('needs exactly 20 answers of 0-4', () => {
    expect(errors(Array(19).fill(0))).toEqual([
      { field: 'answers', message: 'The PCL-5 has 20 items: give exactly 20 answers, in item order (19 given).' },
    ]);
    expect(errors(Array(21).fill(0))).toEqual([
      { field: 'answers', message: 'The PCL-5 has 20 items: give exactly 20 answers, in item order (21 given).' },
    ]);
    const wrong = Array(20).fill(4);
    wrong[19] = 5;
    expect(errors(wrong)).toEqual([{ field: 'answers.19', message: 'Answer PCL-5 item 20 with 0, 1, 2, 3 or 4.' }]);
  });
});
