/**
 * Releasing a care unit's joint record (joint sessions, joint notes, the unit plan) to a third
 * party. AAMFT Code of Ethics 2.2: "marriage and family therapists do not disclose client
 * confidences except by written authorization or waiver ... in circumstances where more than
 * one person in a family receives therapy, each such family member who is legally competent
 * to execute a waiver must agree to the waiver" (DESIGN.md, "Manage"). A minor cannot execute
 * one: their personal representative (a guardian recorded on the unit, 45 CFR 164.502(g))
 * decides for them.
 *
 * A release request collects one decision per member; `mayRelease` says whether the joint
 * record may go out. Authorizing a release builds no export (none exists yet): it only
 * records that the release is authorized.
 */
import * as z from 'zod';
import { isMinor, type Membership } from './units.js';

export const RELEASE_DECISIONS = ['authorize', 'refuse'] as const;
export type ReleaseDecision = (typeof RELEASE_DECISIONS)[number];

/** What of the joint record a request names (the member's individual records are never in it). */
export const RELEASE_SCOPES = ['joint_sessions', 'joint_notes', 'unit_plan'] as const;

/** One member's decision on one release request. */
export interface ReleaseConsent {
  releaseId: string;
  /** The member the decision is for. */
  forClientId: string;
  /** Who decided: the member themself, or (for a minor) one of their personal representatives. */
  byClientId: string;
  decision: ReleaseDecision;
  at: string;
}

/** A member as the rule needs them. */
export type ReleaseMember = Pick<Membership, 'clientId' | 'status' | 'personalRepresentativeIds'> & { dateOfBirth?: string };

export type ReleaseVerdict =
  | { status: 'authorized' }
  | { status: 'refused'; refusedFor: string[] }
  | { status: 'pending'; awaiting: string[] };

/**
 * Whether the joint record may be released, from the unit's ACTIVE members and the decisions:
 * - every active adult member must authorize THEMSELF (a decision by anyone else for an adult
 *   counts for nothing);
 * - every active minor member needs an authorization by one of their personal representatives
 *   who is an active adult member; a minor without one keeps the request pending (never
 *   authorized by default);
 * - any counted refusal refuses the release; a counted refusal wins over an authorization for
 *   the same member (decisions are meant to be final, one per member: if two exist, the safe one);
 * - decisions for people who are not active members, and by people who may not decide for
 *   that member, are ignored;
 * - a unit with no active member releases nothing (pending).
 * Pure; `onDate` (YYYY-MM-DD) decides who is a minor (an unknown birth date: adult).
 */
export function mayRelease(members: readonly ReleaseMember[], consents: readonly ReleaseConsent[], onDate: string): ReleaseVerdict {
  const active = members.filter((m) => m.status === 'active');
  if (active.length === 0) return { status: 'pending', awaiting: [] };
  const adults = new Set(active.filter((m) => !isMinor(m.dateOfBirth, onDate)).map((m) => m.clientId));

  const awaiting: string[] = [];
  const refusedFor: string[] = [];
  for (const member of active) {
    const deciders = adults.has(member.clientId)
      ? new Set([member.clientId])
      : new Set((member.personalRepresentativeIds ?? []).filter((id) => adults.has(id)));
    const counted = consents.filter((c) => c.forClientId === member.clientId && deciders.has(c.byClientId));
    if (counted.some((c) => c.decision === 'refuse')) refusedFor.push(member.clientId);
    else if (!counted.some((c) => c.decision === 'authorize')) awaiting.push(member.clientId);
  }
  if (refusedFor.length > 0) return { status: 'refused', refusedFor: refusedFor.sort() };
  if (awaiting.length > 0) return { status: 'pending', awaiting: awaiting.sort() };
  return { status: 'authorized' };
}

/** Who may decide for `forClientId` in this unit: the member themself if adult, else their representatives. */
export function mayDecideFor(members: readonly ReleaseMember[], byClientId: string, forClientId: string, onDate: string): boolean {
  const by = members.find((m) => m.clientId === byClientId && m.status === 'active');
  const target = members.find((m) => m.clientId === forClientId && m.status === 'active');
  if (!by || !target || isMinor(by.dateOfBirth, onDate)) return false;
  if (!isMinor(target.dateOfBirth, onDate)) return byClientId === forClientId;
  return (target.personalRepresentativeIds ?? []).includes(byClientId);
}

export interface ReleaseRequest {
  unitId: string;
  releaseId: string;
  requestedBy: string;
  requestedAt: string;
  recipient: string;
  purpose: string;
  scope: (typeof RELEASE_SCOPES)[number][];
  /** authorized once mayRelease said so (recorded with the time); refused once any counted refusal. */
  status: 'pending' | 'authorized' | 'refused';
  decidedAt?: string;
}

export const ReleaseParamsSchema = z.strictObject({
  unitId: z.uuid({ error: 'Not a care unit id.' }),
  releaseId: z.uuid({ error: 'Not a release id.' }),
});

export const CreateReleaseRequestSchema = z.strictObject({
  /** Who would receive the joint record (an organisation or a person): plain text, short. */
  recipient: z.string().trim().min(1).max(200),
  purpose: z.string().trim().min(1).max(500),
  scope: z.array(z.enum(RELEASE_SCOPES)).min(1).max(RELEASE_SCOPES.length).refine((s) => new Set(s).size === s.length, { error: 'Name each part once.' }),
});

export const ReleaseConsentRequestSchema = z.strictObject({
  decision: z.enum(RELEASE_DECISIONS),
  /** A personal representative deciding for a minor member; default: the caller themself. */
  forClientId: z.uuid().optional(),
});

export const ReleaseViewSchema = z
  .strictObject({
    releaseId: z.string(),
    unitId: z.string(),
    requestedBy: z.string(),
    requestedAt: z.string(),
    recipient: z.string(),
    purpose: z.string(),
    scope: z.array(z.enum(RELEASE_SCOPES)),
    status: z.enum(['pending', 'authorized', 'refused']),
    decidedAt: z.string().optional(),
    /** Members whose decision is still missing (ids; their names are in the unit view). */
    awaiting: z.array(z.string()),
    /** The decisions recorded so far: who, for whom, when (the same facts every member may see). */
    decisions: z.array(z.strictObject({ forClientId: z.string(), byClientId: z.string(), decision: z.enum(RELEASE_DECISIONS), at: z.string() })),
    /** Authorizing builds no export yet: the record is only marked releasable. */
    exportAvailable: z.literal(false),
  })
  .meta({ id: 'CareUnitRelease' });
export type ReleaseView = z.infer<typeof ReleaseViewSchema>;
