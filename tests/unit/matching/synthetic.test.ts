import { describe, expect, it } from 'vitest';
import { MatchResultSchema, rankTherapists } from '../../../shared/domain/matching/index.js';
import { eligibleByRule, expectReasonTrue } from './reference.js';
import { syntheticDirectory, syntheticInput } from './synthetic-directory.js';

describe('a 10,000-therapist synthetic directory (the benchmark input)', () => {
  const onDate = '2026-03-04';
  const input = syntheticInput(syntheticDirectory({ size: 10_000, seed: 7, onDate, allLicensedIn: 'OH' }), onDate);
  const result = rankTherapists(input);
  const byId = new Map(input.therapists.map((t) => [t.clinicianId, t]));

  it('yields three valid, eligible, truthfully explained matches', () => {
    expect(MatchResultSchema.safeParse(result).success).toBe(true);
    expect(result.matches).toHaveLength(3);
    expect(result.eligibleCount).toBe(input.therapists.filter((t) => eligibleByRule(t, input)).length);
    for (const match of result.matches) {
      const t = byId.get(match.therapistId)!;
      expect(eligibleByRule(t, input)).toBe(true);
      for (const reason of match.reasons) expectReasonTrue(reason, t, input, match);
    }
  });

  it('is generated the same way from the same seed', () => {
    expect(syntheticDirectory({ size: 50, seed: 3, onDate })).toEqual(syntheticDirectory({ size: 50, seed: 3, onDate }));
    expect(syntheticDirectory({ size: 50, seed: 3, onDate })).not.toEqual(syntheticDirectory({ size: 50, seed: 4, onDate }));
  });
});
