import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareScored,
  MatchResultSchema,
  prepareClient,
  rankTherapists,
  scoreTherapist,
  type MatchInput,
  type MatchTherapist,
} from '../../../shared/domain/matching/index.js';
import { scenario, shuffled } from './arbitraries.js';
import { eligibleByRule, expectReasonTrue, referenceOverlap } from './reference.js';

const byId = (input: MatchInput) => new Map(input.therapists.map((t) => [t.clinicianId, t] as [string, MatchTherapist]));
const RUNS = { numRuns: 300 };

describe('matching properties over generated directories', () => {
  it('never offers an unlicensed, expired, wrong-client-type, no-shared-language, previously left, not-accepting or full therapist', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const directory = byId(input);
        for (const match of rankTherapists(input).matches) expect(eligibleByRule(directory.get(match.therapistId)!, input)).toBe(true);
      }),
      RUNS,
    );
  });

  it('offers min(3, eligible) therapists, ranked 1..n, the non-pinned sorted by score, and accounts for everyone', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const result = rankTherapists(input);
        const eligible = input.therapists.filter((t) => eligibleByRule(t, input)).length;
        expect(result.eligibleCount).toBe(eligible);
        expect(result.excluded.total).toBe(input.therapists.length - eligible);
        expect(Object.values(result.excluded.byReason).reduce((a, b) => a + b, 0)).toBe(result.excluded.total);
        expect(result.matches).toHaveLength(Math.min(3, eligible));
        expect(result.matches.map((m) => m.rank)).toEqual(result.matches.map((_, i) => i + 1));
        const unpinned = result.matches.filter((m) => !m.pinned);
        for (let i = 1; i < unpinned.length; i += 1) expect(unpinned[i]!.score.total).toBeLessThanOrEqual(unpinned[i - 1]!.score.total);
        for (const m of result.matches) {
          expect(m.score.total).toBeLessThanOrEqual(m.score.max);
          expect(m.score.total).toBeCloseTo(m.score.components.reduce((s, c) => s + c.points, 0), 6);
        }
        expect(MatchResultSchema.safeParse(result).success).toBe(true);
      }),
      RUNS,
    );
  });

  it('shows an eligible pinned therapist first and an ineligible one never', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const result = rankTherapists(input);
        const pinned = input.pinnedTherapistId;
        const t = pinned === undefined ? undefined : byId(input).get(pinned);
        if (pinned === undefined) {
          expect(result.pin).toBeUndefined();
        } else if (t && eligibleByRule(t, input)) {
          expect(result.matches[0]).toMatchObject({ therapistId: pinned, pinned: true });
          expect(result.pin?.outcome).toBe('shown_first');
        } else {
          expect(result.matches.some((m) => m.therapistId === pinned)).toBe(false);
          expect(result.pin?.outcome).toBe(t ? 'excluded' : 'not_in_directory');
          if (t) expect(result.pin?.exclusions.length).toBeGreaterThan(0);
        }
        expect(result.matches.filter((m) => m.pinned).length).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });

  it('is deterministic: same input, same result, in any directory order', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (input, seed) => {
        const first = rankTherapists(input);
        expect(rankTherapists(structuredClone(input))).toEqual(first);
        expect(rankTherapists({ ...input, therapists: shuffled(input.therapists, seed) })).toEqual(first);
      }),
      RUNS,
    );
  });

  it('picks the best: the shown (unpinned) therapists are the head of the full order of the eligible', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const client = prepareClient(input.intake, input.onDate, input.latestMeasures);
        const order = input.therapists
          .filter((t) => eligibleByRule(t, input) && t.clinicianId !== input.pinnedTherapistId)
          .map((t) => scoreTherapist(t, client))
          .sort(compareScored)
          .map((s) => s.therapist.clinicianId);
        const shown = rankTherapists(input).matches.filter((m) => !m.pinned).map((m) => m.therapistId);
        expect(shown).toEqual(order.slice(0, shown.length));
      }),
      RUNS,
    );
  });

  it('gives only reasons that are true of the therapist', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const directory = byId(input);
        for (const match of rankTherapists(input).matches) {
          const t = directory.get(match.therapistId)!;
          expect(match.reasons.filter((r) => r.kind === 'licensed')).toHaveLength(1);
          for (const reason of match.reasons) expectReasonTrue(reason, t, input, match);
        }
      }),
      RUNS,
    );
  });

  it('computes shared hours exactly as the reference does, for every eligible therapist', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const client = prepareClient(input.intake, input.onDate, input.latestMeasures);
        for (const t of input.therapists.slice(0, 8)) {
          const truth = referenceOverlap(input, t);
          expect(scoreTherapist(t, client).facts.overlap).toEqual(truth);
        }
      }),
      { numRuns: 150 },
    );
  });
});
