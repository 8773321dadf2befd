import { describe, expect, it } from 'vitest';
import { MatchResultSchema, MATCHING_VERSION, rankTherapists } from '../../../shared/domain/matching/index.js';
import { input, intake, therapist } from './fixtures.js';

const ids = (result: ReturnType<typeof rankTherapists>) => result.matches.map((m) => m.therapistId);

describe('ranking', () => {
  it('returns the best three, best first, with ranks 1-3', () => {
    const therapists = [
      therapist({ clinicianId: 'weak', specialties: ['grief'] }),
      therapist({ clinicianId: 'best', specialties: ['ocd'], modalities: ['erp'] }),
      therapist({ clinicianId: 'good', specialties: ['ocd'], modalities: ['act'] }),
      therapist({ clinicianId: 'fair', specialties: ['grief'], modalities: ['erp'] }),
    ];
    const result = rankTherapists(input({ therapists }));
    expect(ids(result)).toEqual(['best', 'good', 'fair']);
    expect(result.matches.map((m) => m.rank)).toEqual([1, 2, 3]);
    expect(result.version).toBe(MATCHING_VERSION);
    expect(MatchResultSchema.parse(result)).toEqual(result);
  });

  it('breaks a tie in score by lower utilisation', () => {
    // Same score: the caseload component is a share, so 2/10 and 1/5 give the same points.
    const therapists = [
      therapist({ clinicianId: 'a', caseloadCapacity: 10, caseloadCount: 2 }),
      therapist({ clinicianId: 'b', caseloadCapacity: 5, caseloadCount: 1 }),
      therapist({ clinicianId: '0c', caseloadCapacity: 2000, caseloadCount: 401 }),
    ];
    const result = rankTherapists(input({ therapists }));
    const [first, second, third] = result.matches;
    // 401/2000 rounds to the same caseload points (4) as 1/5, but is a higher utilisation, so
    // '0c' comes last although its id sorts first; a and b (both 1/5) fall back to their ids.
    expect(second!.score.total).toBe(first!.score.total);
    expect(third!.score.total).toBe(first!.score.total);
    expect(ids(result)).toEqual(['a', 'b', '0c']);
  });

  it('breaks a full tie by therapist id, in code-unit order', () => {
    const therapists = ['b', 'B', 'a', 'ä'].map((clinicianId) => therapist({ clinicianId }));
    expect(ids(rankTherapists(input({ therapists })))).toEqual(['B', 'a', 'b']);
  });

  it('gives the same result in any directory order', () => {
    const therapists = Array.from({ length: 12 }, (_, i) => therapist({ clinicianId: `t${i}`, caseloadCount: i % 3 }));
    const forward = rankTherapists(input({ therapists }));
    expect(rankTherapists(input({ therapists: [...therapists].reverse() }))).toEqual(forward);
  });

  it('returns fewer than three when fewer are eligible, and none from an empty directory', () => {
    expect(ids(rankTherapists(input({ therapists: [therapist({ clinicianId: 'only' })] })))).toEqual(['only']);
    const empty = rankTherapists(input());
    expect(empty.matches).toEqual([]);
    expect(empty.directorySize).toBe(0);
  });

  it('rejects a directory listing a therapist twice', () => {
    expect(() => rankTherapists(input({ therapists: [therapist({ clinicianId: 'x' }), therapist({ clinicianId: 'x' })] }))).toThrow(RangeError);
  });

  it('reports the concerns with their severity, its source and weight', () => {
    const result = rankTherapists(
      input({ intake: intake({ concerns: [{ concern: 'depression', primary: true }, { concern: 'anxiety', severity: 'mild' }] }), latestMeasures: { phq9: 'severe', gad7: 'severe' } }),
    );
    expect(result.concerns).toEqual([
      { concern: 'depression', primary: true, severity: 'severe', severitySource: 'phq9', weight: 6 },
      { concern: 'anxiety', primary: false, severity: 'mild', severitySource: 'intake', weight: 1 },
    ]);
  });

  it('does not change its input', () => {
    const i = input({ therapists: [therapist({ clinicianId: 'a', weekly: [{ day: 'mon', start: '18:00', end: '20:00' }] })], leftTherapistIds: ['z'] });
    const copy = structuredClone(i);
    rankTherapists(i);
    expect(i).toEqual(copy);
  });
});

describe('pinned recommendation', () => {
  const strong = therapist({ clinicianId: 'strong', specialties: ['ocd'], modalities: ['erp'] });
  const second = therapist({ clinicianId: 'second', specialties: ['ocd'] });
  const third = therapist({ clinicianId: 'third', specialties: ['ocd'], caseloadCount: 9 });
  const weak = therapist({ clinicianId: 'weak', specialties: ['grief'] });

  it('puts an eligible pinned therapist first whatever the score, and says so', () => {
    const result = rankTherapists(input({ therapists: [strong, second, third, weak], pinnedTherapistId: 'weak' }));
    expect(ids(result)).toEqual(['weak', 'strong', 'second']);
    expect(result.matches[0]!.pinned).toBe(true);
    expect(result.matches[0]!.reasons[0]!.kind).toBe('pinned');
    expect(result.matches.slice(1).every((m) => !m.pinned)).toBe(true);
    expect(result.pin).toEqual({ therapistId: 'weak', outcome: 'shown_first', exclusions: [], text: 'Shown first, as recommended by the consultation clinician.' });
  });

  it('shows a pinned therapist who would rank first anyway once', () => {
    const result = rankTherapists(input({ therapists: [strong, second, third, weak], pinnedTherapistId: 'strong' }));
    expect(ids(result)).toEqual(['strong', 'second', 'third']);
  });

  it('does not show a pinned therapist who fails a hard filter, and says why', () => {
    const full = therapist({ clinicianId: 'full', specialties: ['ocd'], modalities: ['erp'], caseloadCount: 10, acceptingNewClients: false });
    const result = rankTherapists(input({ therapists: [strong, second, third, full], pinnedTherapistId: 'full' }));
    expect(ids(result)).toEqual(['strong', 'second', 'third']);
    expect(result.pin).toEqual({
      therapistId: 'full',
      outcome: 'excluded',
      exclusions: ['not_accepting_new_clients', 'caseload_full'],
      text: 'Not shown: the recommended therapist is not accepting new clients and has a full caseload.',
    });
  });

  it('never shows a pinned therapist the client has left', () => {
    const result = rankTherapists(input({ therapists: [strong, second], pinnedTherapistId: 'strong', leftTherapistIds: ['strong'] }));
    expect(ids(result)).toEqual(['second']);
    expect(result.pin?.exclusions).toEqual(['previously_left']);
  });

  it('says when the pinned therapist is not in the directory', () => {
    const result = rankTherapists(input({ therapists: [strong], pinnedTherapistId: 'gone' }));
    expect(ids(result)).toEqual(['strong']);
    expect(result.pin).toMatchObject({ therapistId: 'gone', outcome: 'not_in_directory' });
  });

  it('has no pin section without a pin', () => {
    expect(rankTherapists(input({ therapists: [strong] })).pin).toBeUndefined();
  });
});
