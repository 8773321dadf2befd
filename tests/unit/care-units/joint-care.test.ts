import { describe, expect, it } from 'vitest';
import { jointCareEnds, type CareUnit, type Membership, type MembershipStatus } from '../../../shared/domain/care-units/units.js';

const matched: CareUnit = { unitId: 'u-1', kind: 'family', createdBy: 'a', createdAt: '2027-01-04T09:00:00.000Z', therapistId: 't-1', matchedAt: '2027-01-05T09:00:00.000Z' };
const member = (clientId: string, status: MembershipStatus): Membership => ({ unitId: 'u-1', clientId, role: 'parent', status, invitedBy: 'a', invitedAt: '2027-01-04T09:00:00.000Z' });

describe('jointCareEnds: a matched unit needs two active members', () => {
  it('ends a couple\'s joint care when one partner leaves or is removed', () => {
    expect(jointCareEnds(matched, [member('a', 'active'), member('b', 'left')])).toBe(true);
    expect(jointCareEnds(matched, [member('a', 'active'), member('b', 'removed')])).toBe(true);
  });

  it('keeps a family\'s joint care while two active members remain; an invitee does not count', () => {
    expect(jointCareEnds(matched, [member('a', 'active'), member('b', 'active'), member('c', 'left')])).toBe(false);
    expect(jointCareEnds(matched, [member('a', 'active'), member('b', 'invited'), member('c', 'left')])).toBe(true);
  });

  it('never for a unit not matched yet, nor twice', () => {
    const { therapistId: _t, matchedAt: _m, ...unmatched } = matched;
    expect(jointCareEnds(unmatched, [member('a', 'active'), member('b', 'left')])).toBe(false);
    expect(jointCareEnds({ ...matched, careEndedAt: '2027-02-01T09:00:00.000Z', careEndReason: 'fewer_than_two_members' }, [member('a', 'left')])).toBe(false);
  });
});
