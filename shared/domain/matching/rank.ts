/**
 * Ranks a therapist directory for one client: hard filters, then scores, then the top
 * MATCH_COUNT with reasons. Pure and deterministic: the same input gives the same result, in
 * whatever order the directory comes, because every tie is broken by data (score, then lower
 * utilisation, then therapist id), never by position.
 *
 * A pinned therapist (recommended by the consultation clinician) who passes the hard filters is
 * shown first whatever their score, and says so; one who fails them is not shown, and the
 * result says why (`pin`). The hard filters are never waived for a pin: they are the law
 * (licensure) and the client's own needs.
 *
 * Cost: one pass over the directory (filters are field checks; scoring walks two short interval
 * lists), a top-k selection instead of a sort, and reasons for the k shown only.
 */
import { DEFAULT_LANGUAGES, EXCLUSION_REASONS, EXCLUSION_TEXT, exclusionReasons, firstExclusion, type ExclusionReason, type FilterContext } from './filters.js';
import type { MatchInput } from './input.js';
import { listText } from './labels.js';
import { reasonsFor } from './reasons.js';
import type { Match, MatchResult } from './result.js';
import { maxTotal, prepareClient, scoreTherapist, type ScoredTherapist } from './scores.js';
import { MATCH_COUNT, MATCHING_VERSION } from './weights.js';

/**
 * Order of the ranking: higher total first; then lower utilisation (caseload / capacity,
 * compared by cross-multiplying, exactly); then therapist id (by UTF-16 code units, not
 * locale, so every runtime agrees).
 */
export function compareScored(a: ScoredTherapist, b: ScoredTherapist): number {
  if (a.totalCentipoints !== b.totalCentipoints) return b.totalCentipoints - a.totalCentipoints;
  const utilisation = a.therapist.caseloadCount * b.therapist.caseloadCapacity - b.therapist.caseloadCount * a.therapist.caseloadCapacity;
  if (utilisation !== 0) return utilisation;
  const x = a.therapist.clinicianId;
  const y = b.therapist.clinicianId;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The best `k` of `items` under `compare`, best first: O(n k), no full sort. */
function topK<T>(items: readonly T[], k: number, compare: (a: T, b: T) => number): T[] {
  const best: T[] = [];
  if (k <= 0) return best;
  for (const item of items) {
    if (best.length === k && compare(item, best[k - 1]!) >= 0) continue;
    let i = Math.min(best.length, k - 1);
    if (best.length < k) best.push(item);
    while (i > 0 && compare(item, best[i - 1]!) < 0) {
      best[i] = best[i - 1]!;
      i -= 1;
    }
    best[i] = item;
  }
  return best;
}

export function filterContext(input: Pick<MatchInput, 'intake' | 'leftTherapistIds' | 'onDate'>): FilterContext {
  return {
    state: input.intake.state,
    clientType: input.intake.clientType,
    languages: new Set(input.intake.preferences?.languages ?? DEFAULT_LANGUAGES),
    leftTherapistIds: new Set(input.leftTherapistIds ?? []),
    onDate: input.onDate,
  };
}

/**
 * The top matches for a client, explained. Expects input valid under `MatchInputSchema`
 * (parse at the boundary; a directory is not re-validated here, for speed); throws a
 * RangeError if a therapist appears twice or the intake has no primary concern.
 */
export function rankTherapists(input: MatchInput): MatchResult {
  const client = prepareClient(input.intake, input.onDate, input.latestMeasures);
  const context = filterContext(input);
  const byReason = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
  const seen = new Set<string>();
  const eligible: ScoredTherapist[] = [];
  let pinned: ScoredTherapist | undefined;
  let pin: MatchResult['pin'];

  for (const therapist of input.therapists) {
    if (seen.has(therapist.clinicianId)) throw new RangeError(`Therapist ${therapist.clinicianId} appears twice in the directory.`);
    seen.add(therapist.clinicianId);
    const isPinned = therapist.clinicianId === input.pinnedTherapistId;
    const exclusion = firstExclusion(therapist, context);
    if (exclusion) {
      byReason[exclusion] += 1;
      if (isPinned) {
        const exclusions = exclusionReasons(therapist, context);
        pin = {
          therapistId: therapist.clinicianId,
          outcome: 'excluded',
          exclusions,
          text: `Not shown: the recommended therapist ${listText(exclusions.map((e) => EXCLUSION_TEXT[e]))}.`,
        };
      }
      continue;
    }
    const scored = scoreTherapist(therapist, client);
    if (isPinned) pinned = scored;
    else eligible.push(scored);
  }

  if (input.pinnedTherapistId !== undefined && !seen.has(input.pinnedTherapistId)) {
    pin = { therapistId: input.pinnedTherapistId, outcome: 'not_in_directory', exclusions: [], text: 'Not shown: the recommended therapist is not in the directory.' };
  }
  if (pinned) {
    pin = { therapistId: pinned.therapist.clinicianId, outcome: 'shown_first', exclusions: [], text: 'Shown first, as recommended by the consultation clinician.' };
  }

  const top = [...(pinned ? [pinned] : []), ...topK(eligible, MATCH_COUNT - (pinned ? 1 : 0), compareScored)];
  const max = maxTotal(client);
  const matches: Match[] = top.map((scored, index) => ({
    therapistId: scored.therapist.clinicianId,
    rank: index + 1,
    pinned: scored === pinned,
    score: { total: scored.totalCentipoints / 100, max, components: scored.components },
    reasons: reasonsFor(scored, client, input.intake, scored === pinned),
  }));

  const excludedTotal = EXCLUSION_REASONS.reduce((sum, r) => sum + byReason[r], 0);
  return {
    version: MATCHING_VERSION,
    onDate: input.onDate,
    referenceWeek: { from: client.week.firstDate, to: client.week.lastDate, timeZone: client.week.timeZone },
    concerns: client.concerns.map(({ concern, primary, severity, severitySource, weight }) => ({ concern, primary, severity, severitySource, weight })),
    matches,
    directorySize: input.therapists.length,
    eligibleCount: input.therapists.length - excludedTotal,
    excluded: { total: excludedTotal, byReason },
    ...(pin ? { pin } : {}),
  };
}
