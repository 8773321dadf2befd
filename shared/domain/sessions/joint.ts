/**
 * Joint sessions of a care unit (issue 10: "joint sessions with attendance per member"; DESIGN.md,
 * "Manage": a couple or a family has ONE record for the unit, joint sessions included, beside
 * each member's own record). Pure rules; the slot math, the lock cells and the session statuses
 * are those of shared/domain/sessions/sessions.ts, so a joint session takes the unit therapist's
 * time exactly like an individual session or a consultation.
 *
 * - Booked with the UNIT's therapist (matched once per unit), of the unit's kind (couple/family,
 *   80 min by default: SessionPolicy.lengthMinutes), by the unit's therapist or an active ADULT
 *   member (a minor member does not book for the family).
 * - It invites the members ACTIVE at booking; each gets the confirmation and the reminders.
 * - Attendance is recorded per invited member; the "two no-shows in a row" rule applies per
 *   member over that member's own joint sessions.
 *
 * Who may do what on a joint session (non-members get 404, as for any object that is not theirs):
 *
 * | caller                                              | view | cancel / reschedule | attendance |
 * |-----------------------------------------------------|------|---------------------|------------|
 * | the unit's therapist (the session's, still the unit's) | yes | yes                | yes        |
 * | an invited member whose membership is active        | yes  | yes                 | no         |
 * | an invited member who left / was removed            | a session already started only | no | no |
 * | an active member not invited (joined later)         | no   | no                  | no         |
 * | anyone else                                         | no                                      |
 */
import type { CareUnit, CareUnitKind, MemberFacts, Membership } from '../care-units/units.js';
import { activeMembers, isMinor } from '../care-units/units.js';
import { raisesNoShowTask, type AttendanceStatus, type SessionStatus, type SessionType } from './sessions.js';

/** The session type of a unit's kind. */
export const JOINT_SESSION_TYPE: Readonly<Record<CareUnitKind, SessionType>> = { couple: 'couple', family: 'family' };

export type JointBookingRefusal = 'not_unit_member' | 'minor_cannot_book' | 'no_unit_therapist' | 'unit_care_ended' | 'no_active_members';

/**
 * Whether `caller` may book a joint session for the unit now (`today`: YYYY-MM-DD, for the
 * members' ages). undefined: allowed. `not_unit_member` is answered as 404; the others as 409.
 */
export function jointBookingRefusal(input: {
  caller: { userId: string; role: string };
  unit: CareUnit;
  memberships: readonly Membership[];
  facts: ReadonlyMap<string, MemberFacts>;
  today: string;
}): JointBookingRefusal | undefined {
  const { caller, unit, memberships } = input;
  const isTherapist = caller.role !== 'client' && unit.therapistId !== undefined && unit.therapistId === caller.userId;
  const own = caller.role === 'client' ? memberships.find((m) => m.clientId === caller.userId && m.status === 'active') : undefined;
  if (!isTherapist && !own) return 'not_unit_member';
  if (own && isMinor(input.facts.get(own.clientId)?.dateOfBirth, input.today)) return 'minor_cannot_book';
  if (unit.therapistId === undefined) return 'no_unit_therapist';
  // Joint care ended (fewer than two active members): no new joint session (the member's own care goes on).
  if (unit.careEndedAt !== undefined) return 'unit_care_ended';
  if (activeMembers(memberships).length === 0) return 'no_active_members';
  return undefined;
}

/** The members a joint session invites: those active at booking, in a stable order. */
export function invitedMemberIds(memberships: readonly Membership[]): string[] {
  return activeMembers(memberships)
    .map((m) => m.clientId)
    .sort();
}

export type JointSessionAction = 'view' | 'change' | 'attendance';

export type JointSessionDecision = { allowed: true; as: 'unit_therapist' | 'member' } | { allowed: false; respondAs: 'not_found' };

/** Decides on one joint session (see the table in the header); pure. */
export function decideJointSessionAccess(input: {
  caller: { userId: string; role: string };
  session: { therapistId: string; start: string; invitedMemberIds: readonly string[] };
  unit: { therapistId?: string };
  /** The caller's membership of the session's unit, if any. */
  membership?: { status: string };
  action: JointSessionAction;
  now: number;
}): JointSessionDecision {
  const { caller, session, unit, membership, action } = input;
  const no: JointSessionDecision = { allowed: false, respondAs: 'not_found' };
  if (caller.role !== 'client') {
    return caller.userId === session.therapistId && unit.therapistId === caller.userId ? { allowed: true, as: 'unit_therapist' } : no;
  }
  if (!session.invitedMemberIds.includes(caller.userId) || membership === undefined) return no;
  if (membership.status === 'active') return action === 'attendance' ? no : { allowed: true, as: 'member' };
  // A member who left keeps sight of what already happened with them, never of what is to come.
  const started = input.now >= Date.parse(session.start);
  return (membership.status === 'left' || membership.status === 'removed') && action === 'view' && started ? { allowed: true, as: 'member' } : no;
}

/**
 * The session's own status once attendance is recorded for EVERY invited member: it took
 * place (`attended`) when anyone attended; otherwise the therapist's cancellation when that is
 * what every member got; otherwise a no-show when any member did not show; otherwise a late
 * cancellation. undefined while a member's attendance is still missing (the session stays booked).
 */
export function jointSessionStatus(invited: readonly string[], attendance: Readonly<Record<string, AttendanceStatus>>): SessionStatus | undefined {
  const statuses = invited.map((id) => attendance[id]);
  if (statuses.some((s) => s === undefined)) return undefined;
  if (statuses.includes('attended')) return 'attended';
  if (statuses.every((s) => s === 'cancelled_by_therapist')) return 'cancelled_by_therapist';
  if (statuses.includes('no_show')) return 'no_show';
  return 'late_cancelled';
}

/** One member's status in a joint session: their own attendance once recorded, else the session's. */
export function memberStatus(session: { status: SessionStatus; memberAttendance?: Readonly<Record<string, AttendanceStatus>> }, clientId: string): SessionStatus {
  return session.memberAttendance?.[clientId] ?? session.status;
}

/**
 * The no-show rule per member: two no-shows in a row of THIS member over their joint sessions
 * with the therapist (a partner's no-show is not theirs). `history`: the member's joint
 * sessions with their own status (memberStatus), the one being recorded included.
 */
export function memberRaisesNoShowTask(history: readonly { start: string; status: SessionStatus }[]): boolean {
  return raisesNoShowTask(history);
}
