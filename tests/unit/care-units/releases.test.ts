import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayDecideFor, mayRelease, type ReleaseConsent, type ReleaseMember } from '../../../shared/domain/care-units/releases.js';
import { CLIENT_RECORD_CATEGORIES, RECORD_ACTIONS, decideClientAccess, decideCareUnitAccess } from '../../../shared/domain/access.js';

const ON = '2027-03-01';
const ADULT = '1990-01-01';
const MINOR = '2015-06-01';

const consent = (forClientId: string, byClientId: string, decision: ReleaseConsent['decision'] = 'authorize'): ReleaseConsent => ({
  releaseId: 'r-1',
  forClientId,
  byClientId,
  decision,
  at: '2027-03-01T10:00:00.000Z',
});

const memberArb = fc.record({
  clientId: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  status: fc.constantFrom('active', 'active', 'invited', 'left', 'removed', 'declined') as fc.Arbitrary<ReleaseMember['status']>,
  dateOfBirth: fc.option(fc.constantFrom(ADULT, MINOR), { nil: undefined }),
  personalRepresentativeIds: fc.option(fc.subarray(['a', 'b', 'c', 'd', 'e']), { nil: undefined }),
});
const membersArb = fc.uniqueArray(memberArb, { selector: (m) => m.clientId, minLength: 0, maxLength: 5 }).map((ms) =>
  ms.map((m) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) as ReleaseMember),
);
const consentArb = fc.record({
  forClientId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'x'),
  byClientId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'x'),
  decision: fc.constantFrom('authorize', 'refuse') as fc.Arbitrary<ReleaseConsent['decision']>,
}).map((c) => consent(c.forClientId, c.byClientId, c.decision));

const isAdult = (m: ReleaseMember) => m.dateOfBirth !== MINOR;

describe('mayRelease: a joint record goes out only with every adult member (AAMFT 2.2)', () => {
  it('authorizes a couple only when both partners authorized themselves', () => {
    const couple: ReleaseMember[] = [{ clientId: 'a', status: 'active', dateOfBirth: ADULT }, { clientId: 'b', status: 'active', dateOfBirth: ADULT }];
    expect(mayRelease(couple, [consent('a', 'a')], ON)).toEqual({ status: 'pending', awaiting: ['b'] });
    expect(mayRelease(couple, [consent('a', 'a'), consent('b', 'a')], ON)).toEqual({ status: 'pending', awaiting: ['b'] });
    expect(mayRelease(couple, [consent('a', 'a'), consent('b', 'b')], ON)).toEqual({ status: 'authorized' });
    expect(mayRelease(couple, [consent('a', 'a'), consent('b', 'b', 'refuse')], ON)).toEqual({ status: 'refused', refusedFor: ['b'] });
  });

  it("needs a minor's personal representative, never the minor, and stays pending without one", () => {
    const family: ReleaseMember[] = [
      { clientId: 'a', status: 'active', dateOfBirth: ADULT },
      { clientId: 'c', status: 'active', dateOfBirth: MINOR, personalRepresentativeIds: ['a'] },
    ];
    expect(mayRelease(family, [consent('a', 'a'), consent('c', 'c')], ON)).toEqual({ status: 'pending', awaiting: ['c'] });
    expect(mayRelease(family, [consent('a', 'a'), consent('c', 'a')], ON)).toEqual({ status: 'authorized' });
    const noRepresentative: ReleaseMember[] = [family[0]!, { clientId: 'c', status: 'active', dateOfBirth: MINOR }];
    expect(mayRelease(noRepresentative, [consent('a', 'a'), consent('c', 'a'), consent('c', 'c')], ON)).toEqual({ status: 'pending', awaiting: ['c'] });
    expect(mayDecideFor(family, 'a', 'c', ON)).toBe(true);
    expect(mayDecideFor(family, 'c', 'c', ON)).toBe(false);
    expect(mayDecideFor(family, 'c', 'a', ON)).toBe(false);
  });

  it('treats an unknown birth date as an adult (their own consent is required)', () => {
    const members: ReleaseMember[] = [{ clientId: 'a', status: 'active', dateOfBirth: ADULT }, { clientId: 'b', status: 'active', personalRepresentativeIds: ['a'] }];
    expect(mayRelease(members, [consent('a', 'a'), consent('b', 'a')], ON).status).toBe('pending');
  });

  it('releases nothing from a unit without active members', () => {
    expect(mayRelease([{ clientId: 'a', status: 'left', dateOfBirth: ADULT }], [consent('a', 'a')], ON).status).toBe('pending');
  });

  it('property: authorized implies every active adult authorized themself and nobody counted refused', () => {
    fc.assert(
      fc.property(membersArb, fc.array(consentArb, { maxLength: 12 }), (members, consents) => {
        const verdict = mayRelease(members, consents, ON);
        if (verdict.status !== 'authorized') return;
        const active = members.filter((m) => m.status === 'active');
        expect(active.length).toBeGreaterThan(0);
        for (const m of active.filter(isAdult)) {
          expect(consents.some((c) => c.forClientId === m.clientId && c.byClientId === m.clientId && c.decision === 'authorize')).toBe(true);
          expect(consents.some((c) => c.forClientId === m.clientId && c.byClientId === m.clientId && c.decision === 'refuse')).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: the order of the decisions does not matter', () => {
    fc.assert(
      fc.property(membersArb, fc.array(consentArb, { maxLength: 10 }).chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length }))), (members, [consents, shuffled]) => {
        expect(mayRelease(members, shuffled, ON)).toEqual(mayRelease(members, consents, ON));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: adding a refusal never authorizes; withdrawing an authorization never authorizes', () => {
    fc.assert(
      fc.property(membersArb, fc.array(consentArb, { maxLength: 10 }), consentArb, fc.nat(), (members, consents, extra, cut) => {
        const before = mayRelease(members, consents, ON);
        const refusal = { ...extra, decision: 'refuse' as const };
        if (before.status !== 'authorized') expect(mayRelease(members, [...consents, refusal], ON).status).not.toBe('authorized');
        if (consents.length > 0 && consents[cut % consents.length]!.decision === 'authorize') {
          const fewer = consents.filter((_, i) => i !== cut % consents.length);
          if (before.status !== 'authorized') expect(mayRelease(members, fewer, ON).status).not.toBe('authorized');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: decisions by or for non-members change nothing', () => {
    fc.assert(
      fc.property(membersArb, fc.array(consentArb, { maxLength: 10 }), fc.constantFrom('authorize', 'refuse') as fc.Arbitrary<'authorize' | 'refuse'>, (members, consents, decision) => {
        const outsiders = [consent('x', 'x', decision), consent(members[0]?.clientId ?? 'a', 'x', decision)];
        expect(mayRelease(members, [...consents, ...outsiders], ON)).toEqual(mayRelease(members, consents, ON));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: every active adult authorizing themself and a representative per minor authorizes', () => {
    fc.assert(
      fc.property(membersArb, (members) => {
        const active = members.filter((m) => m.status === 'active');
        const adults = active.filter(isAdult).map((m) => m.clientId);
        const consents = active.flatMap((m) => {
          if (isAdult(m)) return [consent(m.clientId, m.clientId)];
          const rep = (m.personalRepresentativeIds ?? []).find((id) => adults.includes(id));
          return rep ? [consent(m.clientId, rep)] : [];
        });
        const minorsWithoutRep = active.filter((m) => !isAdult(m) && !(m.personalRepresentativeIds ?? []).some((id) => adults.includes(id)));
        const verdict = mayRelease(members, consents, ON);
        expect(verdict.status).toBe(active.length > 0 && minorsWithoutRep.length === 0 ? 'authorized' : 'pending');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('care units in the access policy', () => {
  const member = { userId: 'b', role: 'client' as const };
  it("never gives a member another member's record, whatever the category and action (404)", () => {
    for (const category of CLIENT_RECORD_CATEGORIES) {
      for (const action of RECORD_ACTIONS) {
        const decision = decideClientAccess({ caller: member, clientId: 'a', relationships: [], purpose: 'self_access', action, category, at: '2027-03-01T10:00:00.000Z' });
        expect(decision, `${category} ${action}`).toEqual({ allowed: false, reason: 'other_client', respondAs: 'not_found' });
      }
    }
  });

  it('lets members view and manage, invitees view, join and decline, the unit therapist view only, anyone else nothing', () => {
    const unit = { therapistId: 't' };
    expect(decideCareUnitAccess({ caller: member, unit, membership: { status: 'active' }, action: 'manage' })).toEqual({ allowed: true, as: 'member' });
    expect(decideCareUnitAccess({ caller: member, unit, membership: { status: 'active' }, action: 'join' }).allowed).toBe(false);
    expect(decideCareUnitAccess({ caller: member, unit, membership: { status: 'invited' }, action: 'join' })).toEqual({ allowed: true, as: 'invitee' });
    expect(decideCareUnitAccess({ caller: member, unit, membership: { status: 'invited' }, action: 'manage' }).allowed).toBe(false);
    for (const status of ['left', 'removed', 'declined']) {
      for (const action of ['view', 'join', 'leave', 'manage'] as const) expect(decideCareUnitAccess({ caller: member, unit, membership: { status }, action }).allowed).toBe(false);
    }
    expect(decideCareUnitAccess({ caller: member, unit, action: 'view' }).allowed).toBe(false);
    expect(decideCareUnitAccess({ caller: { userId: 't', role: 'therapist' }, unit, action: 'view' })).toEqual({ allowed: true, as: 'unit_therapist' });
    expect(decideCareUnitAccess({ caller: { userId: 't', role: 'therapist' }, unit, action: 'manage' }).allowed).toBe(false);
    expect(decideCareUnitAccess({ caller: { userId: 'o', role: 'therapist' }, unit, action: 'view' }).allowed).toBe(false);
    expect(decideCareUnitAccess({ caller: { userId: 'x', role: 'admin' }, unit: {}, action: 'view' }).allowed).toBe(false);
  });
});
