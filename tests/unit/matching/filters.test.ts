import { describe, expect, it } from 'vitest';
import {
  EXCLUSION_REASONS,
  exclusionReasons,
  filterContext,
  firstExclusion,
  rankTherapists,
  type ExclusionReason,
  type MatchInput,
  type MatchTherapist,
} from '../../../shared/domain/matching/index.js';
import { input, intake, ON_DATE, therapist } from './fixtures.js';

const context = (overrides: Partial<MatchInput> = {}) => filterContext(input(overrides));

describe('hard filters', () => {
  const cases: { name: string; t: Partial<MatchTherapist>; ctx?: Partial<MatchInput>; reason: ExclusionReason }[] = [
    { name: 'no license in the state', t: { licenses: [{ state: 'PA', expiresOn: '2030-01-01' }] }, reason: 'not_licensed_in_state' },
    { name: 'no license at all', t: { licenses: [] }, reason: 'not_licensed_in_state' },
    { name: 'a license that expired the day before', t: { licenses: [{ state: 'OH', expiresOn: '2026-03-03' }] }, reason: 'license_expired' },
    { name: 'a client type not served', t: { clientTypes: ['individual'] }, ctx: { intake: intake({ clientType: 'couple' }) }, reason: 'client_type_not_served' },
    { name: 'no shared language (English by default)', t: { languages: ['es'] }, reason: 'no_shared_language' },
    {
      name: 'none of the stated languages',
      t: { languages: ['en'] },
      ctx: { intake: intake({ preferences: { languages: ['es', 'pt'] } }) },
      reason: 'no_shared_language',
    },
    { name: 'a therapist the client left', t: { clinicianId: 't-left' }, ctx: { leftTherapistIds: ['t-left'] }, reason: 'previously_left' },
    { name: 'not accepting new clients', t: { acceptingNewClients: false }, reason: 'not_accepting_new_clients' },
    { name: 'a full caseload', t: { caseloadCapacity: 8, caseloadCount: 8 }, reason: 'caseload_full' },
    { name: 'over capacity', t: { caseloadCapacity: 8, caseloadCount: 9 }, reason: 'caseload_full' },
    { name: 'capacity 0', t: { caseloadCapacity: 0, caseloadCount: 0 }, reason: 'caseload_full' },
  ];

  it.each(cases)('excludes $name', ({ t, ctx, reason }) => {
    expect(exclusionReasons(therapist(t), context(ctx))).toEqual([reason]);
    const result = rankTherapists(input({ ...ctx, therapists: [therapist(t)] }));
    expect(result.matches).toEqual([]);
    expect(result.excluded.byReason[reason]).toBe(1);
    expect(result.excluded.total).toBe(1);
    expect(result.eligibleCount).toBe(0);
  });

  it('keeps a license valid through its last day (expiresOn = onDate)', () => {
    expect(exclusionReasons(therapist({ licenses: [{ state: 'OH', expiresOn: ON_DATE }] }), context())).toEqual([]);
  });

  it('accepts a valid license in the state next to an expired one elsewhere', () => {
    const t = therapist({ licenses: [{ state: 'PA', expiresOn: '2020-01-01' }, { state: 'OH', expiresOn: '2027-01-01' }] });
    expect(exclusionReasons(t, context())).toEqual([]);
  });

  it('accepts a therapist who shares any one of the stated languages', () => {
    const ctx = context({ intake: intake({ preferences: { languages: ['es', 'en'] } }) });
    expect(exclusionReasons(therapist({ languages: ['en'] }), ctx)).toEqual([]);
    expect(exclusionReasons(therapist({ languages: ['fr', 'es'] }), ctx)).toEqual([]);
  });

  it('keeps a therapist with one place left', () => {
    expect(exclusionReasons(therapist({ caseloadCapacity: 8, caseloadCount: 7 }), context())).toEqual([]);
  });

  it('lists every failed filter in order, and counts a therapist under the first', () => {
    const t = therapist({
      clinicianId: 't-all',
      licenses: [{ state: 'OH', expiresOn: '2020-01-01' }],
      clientTypes: ['family'],
      languages: ['de'],
      acceptingNewClients: false,
      caseloadCapacity: 1,
      caseloadCount: 1,
    });
    const ctx = context({ leftTherapistIds: ['t-all'] });
    expect(exclusionReasons(t, ctx)).toEqual(EXCLUSION_REASONS.filter((r) => r !== 'not_licensed_in_state'));
    expect(firstExclusion(t, ctx)).toBe('license_expired');
    const result = rankTherapists(input({ therapists: [t], leftTherapistIds: ['t-all'] }));
    expect(result.excluded.byReason).toEqual({ ...Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])), license_expired: 1 });
  });

  it('counts exclusions that add up with the eligible to the directory size', () => {
    const therapists = [
      therapist({ clinicianId: 'a' }),
      therapist({ clinicianId: 'b', acceptingNewClients: false }),
      therapist({ clinicianId: 'c', caseloadCount: 10 }),
      therapist({ clinicianId: 'd', licenses: [] }),
      therapist({ clinicianId: 'e' }),
    ];
    const result = rankTherapists(input({ therapists }));
    expect(result.directorySize).toBe(5);
    expect(result.eligibleCount).toBe(2);
    expect(result.excluded.total).toBe(3);
    expect(result.matches.map((m) => m.therapistId).sort()).toEqual(['a', 'e']);
  });
});
