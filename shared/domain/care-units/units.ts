/**
 * Care units: couples and families in care together (DESIGN.md, "Manage": one record for the
 * unit plus each member's own record; AAMFT Code of Ethics 2.2/2.3; a minor's guardian acts
 * as personal representative, 45 CFR 164.502(g), state law varies).
 *
 * A unit is a joint record with members. Every member is a client with their own account,
 * their own record and their own consent: joining records the member's consent with its time.
 * Membership gives NO access to another member's individual record (assessments, check-ins,
 * plans, notes): the access policy (shared/domain/access.ts) never looks at units when it
 * decides on a client's record, so a member reading another member's record is a client
 * reading another client's (`other_client`, 404). What members share is the unit itself:
 * its kind, the members' names and roles, its therapist, its release requests.
 *
 * Lifecycle of a membership: invited -> active (accepted, with consent) | declined; active ->
 * left | removed. Only the unit's organizer (its creator) removes; anyone leaves.
 *
 * Members leaving a MATCHED unit (jointCareEnds): joint care needs at least two active members
 * (MIN_MEMBERS_FOR_JOINT_CARE): couples or family therapy with one person left is individual
 * therapy, and the remaining member did not consent to individual care by joining. So when a
 * leave or a removal leaves fewer than two active members, the unit's JOINT care ends in the
 * same transaction (`careEndedAt`, `careEndReason: fewer_than_two_members`): no new joint
 * sessions, notes or plan for it; its record stays (the joint record is still released only
 * with every adult member's authorization, AAMFT 2.2). Each member's OWN care is left as it
 * is: the therapist relationship each member got at the unit match continues, and the
 * therapist and client decide it as for any client (discharge, rematch, referral); a remaining
 * member often continues individually with the same therapist, a departing one may rematch.
 * The unit is not matched again (`already_matched`): joint care starts again with a new unit.
 * A family of three where one leaves keeps its joint care (two active members remain).
 *
 * A member's OWN care with the unit's therapist ending (discharge by the therapist, rematch by
 * the member: memberCareEndEndsJointCare) ends the unit's joint care too (`careEndReason:
 * member_care_ended`), whatever the number of members left: the joint sessions are with that
 * therapist, and a therapist who no longer treats one member (no access to their new records)
 * cannot go on treating them in joint sessions, nor can the member be treated jointly by a
 * therapist they left. The other members' own care goes on; joint care starts again with a
 * new unit (and a new match), as above.
 *
 * When the joint care ends (either reason), the unit's FUTURE booked joint sessions are
 * cancelled (`cancelled_care_ended`, by `system`, cells released, a cancellation notice to every
 * invited member, the one who left included, and the therapist; shared/use-cases/sessions/care-ended.ts).
 */
import * as z from 'zod';
import { ageOn } from '../time-zone.js';
import { MINIMUM_AGE_YEARS } from '../signup.js';

export const CARE_UNIT_KINDS = ['couple', 'family'] as const;
export type CareUnitKind = (typeof CARE_UNIT_KINDS)[number];

/** How a member belongs to the unit: what the other members see beside the name. */
export const MEMBER_ROLES = ['partner', 'parent', 'guardian', 'child', 'sibling', 'other_family'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** The roles each kind of unit accepts. */
export const ROLES_OF_KIND: Readonly<Record<CareUnitKind, readonly MemberRole[]>> = {
  couple: ['partner'],
  family: ['parent', 'guardian', 'child', 'sibling', 'other_family', 'partner'],
};

/** A couple is two people. A family is at most this many (a session room, not a policy of the law). */
export const MAX_MEMBERS: Readonly<Record<CareUnitKind, number>> = { couple: 2, family: 8 };

export const MEMBERSHIP_STATUSES = ['invited', 'active', 'declined', 'left', 'removed'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/** Statuses that hold a place in the unit. */
export const HOLDS_PLACE: readonly MembershipStatus[] = ['invited', 'active'];

export interface CareUnit {
  unitId: string;
  kind: CareUnitKind;
  /** The organizer: the client who created the unit. */
  createdBy: string;
  createdAt: string;
  /** The unit's therapist, once a member accepted one for the unit (matched once per unit). */
  therapistId?: string;
  matchedAt?: string;
  /** When the unit's joint care ended (fewer than two active members were left, or a member's care with the unit's therapist ended): see the header. */
  careEndedAt?: string;
  careEndReason?: UnitCareEndReason;
}

export const UNIT_CARE_END_REASONS = ['fewer_than_two_members', 'member_care_ended'] as const;
export type UnitCareEndReason = (typeof UNIT_CARE_END_REASONS)[number];

/** Joint (couple, family) care needs at least this many active members. */
export const MIN_MEMBERS_FOR_JOINT_CARE = 2;

/** Whether a membership change leaving `after` ends the unit's joint care (matched, not ended yet, too few active members). */
export function jointCareEnds(unit: CareUnit, after: readonly Membership[]): boolean {
  return unit.therapistId !== undefined && unit.careEndedAt === undefined && after.filter((m) => m.status === 'active').length < MIN_MEMBERS_FOR_JOINT_CARE;
}

/**
 * Whether a member's own care with `therapistId` ending (discharge, rematch) ends the unit's
 * joint care: the member is ACTIVE in the unit, the unit's therapist is that therapist, and its
 * joint care has not ended yet (see the header).
 */
export function memberCareEndEndsJointCare(unit: CareUnit, membership: Pick<Membership, 'status'> | undefined, therapistId: string): boolean {
  return unit.therapistId === therapistId && unit.careEndedAt === undefined && membership?.status === 'active';
}

export interface Membership {
  unitId: string;
  clientId: string;
  role: MemberRole;
  status: MembershipStatus;
  invitedBy: string;
  invitedAt: string;
  /** When the member joined AND consented to joint care (the accept, or the creation). */
  consentedAt?: string;
  /** When the membership stopped holding a place (declined, left, removed). */
  endedAt?: string;
  /** Members (guardians, parents) recorded as this minor member's personal representatives. */
  personalRepresentativeIds?: string[];
}

/** A member as the unit's view shows them to the other members: names and roles, nothing of their care. */
export interface MemberFacts {
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD from the client profile, when there is one: decides adult or minor. */
  dateOfBirth?: string;
}

/**
 * Whether the member is a minor on `onDate` (YYYY-MM-DD). Adulthood at MINIMUM_AGE_YEARS (18,
 * the signup age; state law on minors' consent to treatment varies). An unknown birth date is
 * treated as ADULT: an adult's consent is required in person, so unknown never lowers the bar.
 */
export function isMinor(dateOfBirth: string | undefined, onDate: string): boolean {
  if (dateOfBirth === undefined) return false;
  return ageOn(dateOfBirth, onDate) < MINIMUM_AGE_YEARS;
}

export type UnitRefusal =
  | 'not_organizer'
  | 'unit_full'
  | 'role_not_in_kind'
  | 'already_member'
  | 'not_invited'
  | 'not_member'
  | 'cannot_remove_self'
  | 'not_a_minor'
  | 'representative_is_minor'
  | 'already_matched';

/** What the unit's places allow: may one more person be invited? */
export function mayInvite(unit: CareUnit, memberships: readonly Membership[], invitee: { clientId: string; role: MemberRole }): UnitRefusal | undefined {
  if (!ROLES_OF_KIND[unit.kind].includes(invitee.role)) return 'role_not_in_kind';
  const existing = memberships.find((m) => m.clientId === invitee.clientId);
  if (existing && HOLDS_PLACE.includes(existing.status)) return 'already_member';
  const places = memberships.filter((m) => HOLDS_PLACE.includes(m.status)).length;
  if (places >= MAX_MEMBERS[unit.kind]) return 'unit_full';
  return undefined;
}

/** The members who share the unit now (joined, consented). */
export function activeMembers(memberships: readonly Membership[]): Membership[] {
  return memberships.filter((m) => m.status === 'active');
}

export const CareUnitParamsSchema = z.strictObject({ unitId: z.uuid({ error: 'Not a care unit id.' }) });
export const CareUnitMemberParamsSchema = z.strictObject({
  unitId: z.uuid({ error: 'Not a care unit id.' }),
  clientId: z.uuid({ error: 'Not a client id.' }),
});
export const CareUnitMatchParamsSchema = z.strictObject({
  unitId: z.uuid({ error: 'Not a care unit id.' }),
  therapistId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'Use a therapist id from your matches.' }),
});

/** Consent to joint care is explicit: `true`, never defaulted. */
const ConsentSchema = z.literal(true, { error: 'Joining a care unit needs your consent to joint care: send consent: true.' });

export const CreateCareUnitRequestSchema = z
  .strictObject({
    kind: z.enum(CARE_UNIT_KINDS),
    /** The creator's own role in the unit. */
    role: z.enum(MEMBER_ROLES),
    consent: ConsentSchema,
  })
  .refine((r) => ROLES_OF_KIND[r.kind].includes(r.role), { error: 'This role is not one of the unit kind.', path: ['role'] });
export type CreateCareUnitRequest = z.infer<typeof CreateCareUnitRequestSchema>;

export const InviteMemberRequestSchema = z.strictObject({
  email: z.email({ error: 'Enter the email of their MoodRx account.' }).max(254),
  role: z.enum(MEMBER_ROLES),
});
export type InviteMemberRequest = z.infer<typeof InviteMemberRequestSchema>;

export const AcceptInvitationRequestSchema = z.strictObject({ consent: ConsentSchema });

export const MemberViewSchema = z
  .strictObject({
    clientId: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: z.enum(MEMBER_ROLES),
    status: z.enum(['invited', 'active']),
    /** For a minor member: the members who act as their personal representatives. */
    personalRepresentativeIds: z.array(z.string()).optional(),
  })
  .meta({ id: 'CareUnitMember' });

/** The review triggers that apply to a unit's plan (shared/domain/plans/unit-plan.ts: no member's scores, so no not_on_track or deterioration). */
export const UNIT_PLAN_REVIEW_KINDS = ['objective_overdue', 'review_due'] as const;

/** An open review task of the unit's plan as its therapist sees it on the unit: ids, kind and dates only. */
export const UnitPlanReviewSummarySchema = z
  .strictObject({
    reviewId: z.string(),
    planId: z.string(),
    kind: z.enum(UNIT_PLAN_REVIEW_KINDS),
    objectiveId: z.string().optional(),
    openedAt: z.string(),
  })
  .meta({ id: 'CareUnitPlanReview' });
export type UnitPlanReviewSummary = z.infer<typeof UnitPlanReviewSummarySchema>;

/** A unit plan review task (shared/domain/plans/views.ts PlanReviewTask) as shown on the unit: nothing but ids, the kind and when it opened. */
export function unitPlanReviewSummary(task: { reviewId: string; planId: string; kind: string; objectiveId?: string; openedAt: string }): UnitPlanReviewSummary {
  return {
    reviewId: task.reviewId,
    planId: task.planId,
    kind: UnitPlanReviewSummarySchema.shape.kind.parse(task.kind),
    ...(task.objectiveId === undefined ? {} : { objectiveId: task.objectiveId }),
    openedAt: task.openedAt,
  };
}

export const CareUnitViewSchema = z
  .strictObject({
    unitId: z.string(),
    kind: z.enum(CARE_UNIT_KINDS),
    createdBy: z.string(),
    createdAt: z.string(),
    therapistId: z.string().nullable(),
    /** When the unit's joint care ended (fewer than two active members were left, or a member's care with the unit's therapist ended): its future joint sessions are cancelled. */
    careEndedAt: z.string().optional(),
    /** The caller's own membership status (a client); absent for the unit's therapist. */
    yourStatus: z.enum(MEMBERSHIP_STATUSES).optional(),
    members: z.array(MemberViewSchema),
    /** The unit's therapist only: the open review tasks of the unit's plan (ids, kinds, dates; shared/use-cases/plans/unit-plan-check.ts), oldest first. */
    planReviews: z.array(UnitPlanReviewSummarySchema).optional(),
  })
  .meta({ id: 'CareUnit' });
export type CareUnitView = z.infer<typeof CareUnitViewSchema>;

export const CareUnitListSchema = z
  .strictObject({
    units: z.array(z.strictObject({ unitId: z.string(), kind: z.enum(CARE_UNIT_KINDS), status: z.enum(MEMBERSHIP_STATUSES), role: z.enum(MEMBER_ROLES) })),
  })
  .meta({ id: 'CareUnitList' });

export const LeaveResponseSchema = z.strictObject({ unitId: z.string(), status: z.enum(['left', 'declined']) }).meta({ id: 'CareUnitLeave' });

/** The same answer whether the email has an account or not (no account enumeration). */
export const InvitationReceiptSchema = z
  .strictObject({ status: z.literal('invited_if_registered'), detail: z.string() })
  .meta({ id: 'CareUnitInvitationReceipt' });

export const UnitMatchResponseSchema = z
  .strictObject({
    unitId: z.string(),
    therapistId: z.string(),
    matchedAt: z.string(),
    /** Whether the caller's own care with the therapist began with this match. */
    yourCareBegan: z.boolean(),
  })
  .meta({ id: 'CareUnitMatch' });
export type UnitMatchResponse = z.infer<typeof UnitMatchResponseSchema>;

/**
 * The unit as a member (or the unit's therapist) sees it: names and roles of the members who
 * hold a place; nothing of anyone's care. `visible`: the member ids the caller may see (a
 * therapist sees only the members in their care).
 */
export function unitView(
  unit: CareUnit,
  memberships: readonly Membership[],
  facts: ReadonlyMap<string, MemberFacts>,
  caller: { userId: string; role: string },
  visible?: ReadonlySet<string>,
): CareUnitView {
  const own = memberships.find((m) => m.clientId === caller.userId);
  const members = memberships
    .filter((m) => m.status === 'active' || m.status === 'invited')
    .filter((m) => visible === undefined || visible.has(m.clientId))
    .map((m) => {
      const person = facts.get(m.clientId);
      return {
        clientId: m.clientId,
        firstName: person?.firstName ?? '',
        lastName: person?.lastName ?? '',
        role: m.role,
        status: m.status as 'invited' | 'active',
        ...(m.personalRepresentativeIds && m.personalRepresentativeIds.length > 0 ? { personalRepresentativeIds: [...m.personalRepresentativeIds] } : {}),
      };
    });
  return {
    unitId: unit.unitId,
    kind: unit.kind,
    createdBy: unit.createdBy,
    createdAt: unit.createdAt,
    therapistId: unit.therapistId ?? null,
    ...(unit.careEndedAt !== undefined ? { careEndedAt: unit.careEndedAt } : {}),
    ...(own && caller.role === 'client' ? { yourStatus: own.status } : {}),
    members,
  };
}
