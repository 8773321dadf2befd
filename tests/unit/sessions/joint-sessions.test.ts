/**
 * Joint sessions of a care unit (shared/domain/sessions/joint.ts): who books, who is invited,
 * who sees and changes a joint session (a member who left: only what already happened), the
 * session's status from per-member attendance, and the no-show rule per member.
 */
import { describe, expect, it } from 'vitest';
import type { CareUnit, MemberFacts, Membership } from '../../../shared/domain/care-units/units.js';
import {
  decideJointSessionAccess,
  invitedMemberIds,
  JOINT_SESSION_TYPE,
  jointBookingRefusal,
  jointSessionStatus,
  memberRaisesNoShowTask,
  memberStatus,
} from '../../../shared/domain/sessions/joint.js';
import { DEFAULT_SESSION_POLICY } from '../../../shared/domain/sessions/sessions.js';

const unit: CareUnit = { unitId: 'u-1', kind: 'family', createdBy: 'a', createdAt: '2027-01-01T00:00:00.000Z', therapistId: 't-1' };
const member = (clientId: string, status: Membership['status'], role: Membership['role'] = 'parent'): Membership => ({
  unitId: 'u-1',
  clientId,
  role,
  status,
  invitedBy: 'a',
  invitedAt: '2027-01-01T00:00:00.000Z',
});
const memberships = [member('b', 'active'), member('a', 'active'), member('kid', 'active', 'child'), member('c', 'invited'), member('d', 'left')];
const facts = new Map<string, MemberFacts>([
  ['a', { firstName: 'A', lastName: 'X', dateOfBirth: '1980-01-01' }],
  ['b', { firstName: 'B', lastName: 'X' }],
  ['kid', { firstName: 'K', lastName: 'X', dateOfBirth: '2015-06-01' }],
]);
const today = '2027-03-01';

describe('booking a joint session', () => {
  it('is a couple or family session of the unit kind, 80 minutes by default', () => {
    expect(JOINT_SESSION_TYPE).toEqual({ couple: 'couple', family: 'family' });
    expect(DEFAULT_SESSION_POLICY.lengthMinutes.couple).toBe(80);
    expect(DEFAULT_SESSION_POLICY.lengthMinutes.family).toBe(80);
  });

  it('lets the unit therapist or an active adult member book; a minor, an invitee, a former member, another therapist are refused', () => {
    const refusal = (caller: { userId: string; role: string }, u: CareUnit = unit) => jointBookingRefusal({ caller, unit: u, memberships, facts, today });
    expect(refusal({ userId: 't-1', role: 'therapist' })).toBeUndefined();
    expect(refusal({ userId: 'a', role: 'client' })).toBeUndefined();
    // Unknown birth date: treated as adult (units.ts isMinor).
    expect(refusal({ userId: 'b', role: 'client' })).toBeUndefined();
    expect(refusal({ userId: 'kid', role: 'client' })).toBe('minor_cannot_book');
    expect(refusal({ userId: 'c', role: 'client' })).toBe('not_unit_member');
    expect(refusal({ userId: 'd', role: 'client' })).toBe('not_unit_member');
    expect(refusal({ userId: 't-2', role: 'therapist' })).toBe('not_unit_member');
    // A client id equal to the therapist id is still a client.
    expect(refusal({ userId: 't-1', role: 'client' })).toBe('not_unit_member');
    const { therapistId: _none, ...unmatched } = unit;
    expect(refusal({ userId: 'a', role: 'client' }, unmatched)).toBe('no_unit_therapist');
  });

  it("refuses any booking once the unit's joint care ended (a member or the therapist), a non-member still 404", () => {
    const ended: CareUnit = { ...unit, careEndedAt: '2027-02-01T00:00:00.000Z', careEndReason: 'fewer_than_two_members' };
    const refusal = (caller: { userId: string; role: string }) => jointBookingRefusal({ caller, unit: ended, memberships, facts, today });
    expect(refusal({ userId: 'a', role: 'client' })).toBe('unit_care_ended');
    expect(refusal({ userId: 't-1', role: 'therapist' })).toBe('unit_care_ended');
    expect(refusal({ userId: 't-2', role: 'therapist' })).toBe('not_unit_member');
  });

  it('invites the members active at booking, in a stable order (never the invitee or the former member)', () => {
    expect(invitedMemberIds(memberships)).toEqual(['a', 'b', 'kid']);
  });
});

describe('access to a joint session', () => {
  const session = { therapistId: 't-1', start: '2027-03-10T01:00:00.000Z', invitedMemberIds: ['a', 'b'] };
  const before = Date.parse('2027-03-09T00:00:00.000Z');
  const after = Date.parse('2027-03-10T02:00:00.000Z');
  const decide = (caller: { userId: string; role: string }, membership: { status: string } | undefined, action: 'view' | 'change' | 'attendance', now = before, u: { therapistId?: string } = unit) =>
    decideJointSessionAccess({ caller, session, unit: u, ...(membership ? { membership } : {}), action, now });

  it('gives the unit therapist every action, while still the unit therapist', () => {
    for (const action of ['view', 'change', 'attendance'] as const) expect(decide({ userId: 't-1', role: 'therapist' }, undefined, action)).toEqual({ allowed: true, as: 'unit_therapist' });
    expect(decide({ userId: 't-1', role: 'therapist' }, undefined, 'view', before, { therapistId: 't-9' }).allowed).toBe(false);
    expect(decide({ userId: 't-2', role: 'therapist' }, undefined, 'view').allowed).toBe(false);
    expect(decide({ userId: 't-1', role: 'supervisor' }, undefined, 'view', before, { therapistId: 't-2' }).allowed).toBe(false);
  });

  it('gives an invited active member view and change, never attendance', () => {
    expect(decide({ userId: 'a', role: 'client' }, { status: 'active' }, 'view')).toEqual({ allowed: true, as: 'member' });
    expect(decide({ userId: 'a', role: 'client' }, { status: 'active' }, 'change')).toEqual({ allowed: true, as: 'member' });
    expect(decide({ userId: 'a', role: 'client' }, { status: 'active' }, 'attendance').allowed).toBe(false);
  });

  it('answers 404 to a non-member, a member not invited, and a member who left for what is to come; a former member still sees what already happened', () => {
    expect(decide({ userId: 'z', role: 'client' }, undefined, 'view')).toEqual({ allowed: false, respondAs: 'not_found' });
    expect(decide({ userId: 'kid', role: 'client' }, { status: 'active' }, 'view').allowed).toBe(false);
    expect(decide({ userId: 'b', role: 'client' }, { status: 'left' }, 'view', before).allowed).toBe(false);
    expect(decide({ userId: 'b', role: 'client' }, { status: 'left' }, 'change', after).allowed).toBe(false);
    expect(decide({ userId: 'b', role: 'client' }, { status: 'removed' }, 'view', after)).toEqual({ allowed: true, as: 'member' });
    expect(decide({ userId: 'b', role: 'client' }, { status: 'invited' }, 'view', after).allowed).toBe(false);
  });
});

describe('attendance per member', () => {
  it('leaves the session booked until every invited member has an attendance, then derives its status', () => {
    const invited = ['a', 'b'];
    expect(jointSessionStatus(invited, { a: 'attended' })).toBeUndefined();
    expect(jointSessionStatus(invited, { a: 'attended', b: 'no_show' })).toBe('attended');
    expect(jointSessionStatus(invited, { a: 'no_show', b: 'no_show' })).toBe('no_show');
    expect(jointSessionStatus(invited, { a: 'late_cancelled', b: 'no_show' })).toBe('no_show');
    expect(jointSessionStatus(invited, { a: 'late_cancelled', b: 'late_cancelled' })).toBe('late_cancelled');
    expect(jointSessionStatus(invited, { a: 'cancelled_by_therapist', b: 'cancelled_by_therapist' })).toBe('cancelled_by_therapist');
    expect(jointSessionStatus(invited, { a: 'cancelled_by_therapist', b: 'late_cancelled' })).toBe('late_cancelled');
  });

  it("applies the no-show rule per member: a partner's no-shows are not theirs", () => {
    const sessions = [
      { start: '2027-03-01T01:00:00.000Z', status: 'attended' as const, memberAttendance: { a: 'no_show' as const, b: 'attended' as const } },
      { start: '2027-03-08T01:00:00.000Z', status: 'attended' as const, memberAttendance: { a: 'no_show' as const, b: 'attended' as const } },
    ];
    const historyOf = (id: string) => sessions.map((s) => ({ start: s.start, status: memberStatus(s, id) }));
    expect(memberRaisesNoShowTask(historyOf('a'))).toBe(true);
    expect(memberRaisesNoShowTask(historyOf('b'))).toBe(false);
    expect(memberStatus({ status: 'booked' }, 'a')).toBe('booked');
  });
});
