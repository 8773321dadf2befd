/**
 * Care units (couples, families): create, invite, accept, leave, remove, personal
 * representative, view (shared/domain/care-units/units.ts).
 *
 * withUnitAccess(deps, attempt, work), the one way in:
 *   1. load the unit with its memberships (unknown unit: 404, a client's denial audited)
 *   2. decideCareUnitAccess (access.ts): a member, an invitee, or the unit's therapist (view)
 *   3. the caller's own decision through withClientAccess, category `care_unit` of the
 *      caller's own record (a client; audited on their chain); the unit's therapist: each
 *      active member's `care_unit` decision (treatment), audited on each member's chain, and
 *      only the members in their care are shown
 *   4. the work; an effect on ANOTHER member's part (an invitation, a removal, a
 *      representative recorded) appends an event to that member's chain too (actor: the caller)
 * Membership writes carry the unit's version: two changes at once -> one retries.
 */
import { randomUUID } from 'node:crypto';
import { decideCareUnitAccess, type CareUnitAction, type RecordAction } from '../../domain/access.js';
import { activeMembers, isMinor, jointCareEnds, mayInvite, unitPlanReviewSummary, unitView, type CareUnit, type CareUnitView, type MemberFacts, type MemberRole, type Membership, type UnitRefusal } from '../../domain/care-units/units.js';
import type { CreateCareUnitRequest, InviteMemberRequest } from '../../domain/care-units/units.js';
import { ConcurrentChangeError, CareUnitStateError, NotFoundError } from '../../domain/errors.js';
import type { Role } from '../../domain/roles.js';
import { normalizeEmail } from '../../domain/signup.js';
import { authorizeClientAccess, buildAuditEvent, withClientAccess, type ClientAccessDeps } from '../access/client-access.js';
import { careUnitInvitationKey, renderCareUnitInvitationEmail } from '../../notifications/care-unit-invitation-email.js';
import type { ClientRecords, EmailSender } from '../ports.js';
import type { PlanRecords } from '../plans/ports.js';
import type { UnitCareEndedSessions } from '../sessions/care-ended.js';
import type { CareUnitRecords, LoadedUnit, UnitPointer } from './ports.js';

export interface CareUnitDeps extends ClientAccessDeps {
  units: CareUnitRecords;
  clients: Pick<ClientRecords, 'getProfile' | 'getEmailOwner'>;
  newId?: () => string;
  /** The unit plan's review tasks (GET /v1/care-units/{unitId}, for the unit's therapist): the plan repository made for the `care_unit` holder. */
  unitPlanReviews?: Pick<PlanRecords, 'reviews'>;
  /** Leave and remove: the unit's future joint sessions are cancelled when the change ends its joint care (shared/use-cases/sessions/care-ended.ts). */
  sessionsOnUnitCareEnd?: UnitCareEndedSessions;
  /** The invitation email (the invite route only): sender, the app's base URL, the invitee's sent-notification records. */
  invitationEmails?: {
    email: EmailSender;
    appBaseUrl: string;
    notifications: Pick<ClientRecords, 'hasNotification' | 'recordNotification'>;
  };
}

export interface UnitCaller {
  caller: { userId: string; role: Role };
  requestId?: string;
}

const ATTEMPTS = 3;

const REFUSALS: Record<UnitRefusal, string> = {
  not_organizer: 'Only the person who created this care unit can remove members.',
  unit_full: 'This care unit has no room for another member.',
  role_not_in_kind: 'This role is not one of this kind of care unit.',
  already_member: 'This person is already a member or invited.',
  not_invited: 'There is no open invitation for you in this care unit.',
  not_member: 'This person is not a member of this care unit.',
  cannot_remove_self: 'To leave the care unit yourself, use leave.',
  not_a_minor: 'A personal representative is recorded only for a member under 18.',
  representative_is_minor: 'A personal representative must be an adult member.',
  already_matched: 'This care unit already has a therapist.',
};

export function refuse(reason: UnitRefusal): CareUnitStateError {
  return new CareUnitStateError(REFUSALS[reason], reason);
}

export const today = (deps: Pick<ClientAccessDeps, 'now'>) => deps.now().toISOString().slice(0, 10);

interface UnitAttempt extends UnitCaller {
  unitId: string;
  action: CareUnitAction;
  /** The record action audited on the caller's chain. */
  recordAction: RecordAction;
}

export interface UnitContext {
  loaded: LoadedUnit;
  /** Members the caller may see (the unit's therapist: those in their care); undefined: all. */
  visible?: ReadonlySet<string>;
}

export async function withUnitAccess<T>(deps: CareUnitDeps, attempt: UnitAttempt, work: (context: UnitContext) => Promise<T>): Promise<T> {
  const { caller, unitId } = attempt;
  const loaded = await deps.units.getUnit(unitId);
  const membership = loaded?.memberships.find((m) => m.clientId === caller.userId);
  const decision = loaded
    ? decideCareUnitAccess({ caller, unit: loaded.unit, ...(membership ? { membership } : {}), action: attempt.action })
    : ({ allowed: false, reason: 'not_unit_member', respondAs: 'not_found' } as const);
  const base = {
    caller,
    purpose: caller.role === 'client' ? ('self_access' as const) : ('treatment' as const),
    category: 'care_unit' as const,
    recordId: unitId,
    ...(attempt.requestId === undefined ? {} : { requestId: attempt.requestId }),
  };
  if (!decision.allowed) {
    if (caller.role === 'client') {
      await deps.auditLog.record(
        buildAuditEvent(deps, { actor: caller, clientId: caller.userId, purpose: 'self_access', action: attempt.recordAction, category: 'care_unit', recordId: unitId, outcome: 'denied', denialReason: 'not_unit_member', ...(attempt.requestId === undefined ? {} : { requestId: attempt.requestId }) }),
      );
    }
    throw new NotFoundError();
  }
  const found = loaded as LoadedUnit;
  if (decision.as !== 'unit_therapist') {
    return withClientAccess(deps, { ...base, clientId: caller.userId, action: attempt.recordAction }, () => work({ loaded: found }));
  }
  // The unit's therapist: each active member's own decision (a member not in their care: a denied event, hidden).
  const visible = new Set<string>();
  for (const member of activeMembers(found.memberships)) {
    try {
      await authorizeClientAccess(deps, { ...base, clientId: member.clientId, action: 'read' });
      visible.add(member.clientId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  if (visible.size === 0) throw new NotFoundError();
  const result = await work({ loaded: found, visible });
  for (const clientId of visible) {
    await deps.auditLog.record(buildAuditEvent(deps, { actor: caller, clientId, purpose: 'treatment', action: 'read', category: 'care_unit', recordId: unitId, outcome: 'success', basis: 'assigned_therapist', ...(attempt.requestId === undefined ? {} : { requestId: attempt.requestId }) }));
  }
  return result;
}

/** An event on ANOTHER member's chain for what the caller did to their part of the unit. */
export async function auditEffectOn(deps: CareUnitDeps, input: UnitCaller & { clientId: string; unitId: string; action: RecordAction }): Promise<void> {
  await deps.auditLog.record(
    buildAuditEvent(deps, {
      actor: input.caller,
      clientId: input.clientId,
      purpose: 'self_access',
      action: input.action,
      category: 'care_unit',
      recordId: input.unitId,
      outcome: 'success',
      ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
    }),
  );
}

async function factsOf(deps: CareUnitDeps, memberships: readonly Membership[]): Promise<Map<string, MemberFacts>> {
  const facts = new Map<string, MemberFacts>();
  await Promise.all(
    memberships.map(async (m) => {
      const profile = await deps.clients.getProfile(m.clientId);
      if (profile) facts.set(m.clientId, { firstName: profile.firstName, lastName: profile.lastName, dateOfBirth: profile.dateOfBirth });
    }),
  );
  return facts;
}

async function viewOf(deps: CareUnitDeps, caller: UnitCaller['caller'], unitId: string, visible?: ReadonlySet<string>): Promise<CareUnitView> {
  const loaded = await deps.units.getUnit(unitId);
  if (!loaded) throw new NotFoundError();
  return unitView(loaded.unit, loaded.memberships, await factsOf(deps, loaded.memberships), caller, visible);
}

/** Changes the unit with its version, reading it again after a concurrent change (bounded). */
async function changeUnit<T>(deps: CareUnitDeps, unitId: string, first: LoadedUnit, change: (loaded: LoadedUnit) => Promise<T | 'conflict'>): Promise<T> {
  let loaded = first;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const outcome = await change(loaded);
    if (outcome !== 'conflict') return outcome;
    const again = await deps.units.getUnit(unitId);
    if (!again) throw new NotFoundError();
    loaded = again;
  }
  throw new ConcurrentChangeError();
}

/** POST /v1/care-units: the caller creates a unit and is its first, consenting member. */
export async function createCareUnit(input: UnitCaller & { request: CreateCareUnitRequest }, deps: CareUnitDeps): Promise<CareUnitView> {
  const { caller } = input;
  const unitId = (deps.newId ?? randomUUID)();
  const at = deps.now().toISOString();
  return withClientAccess(
    deps,
    { caller, clientId: caller.userId, purpose: 'self_access', action: 'create', category: 'care_unit', recordId: unitId, ...(input.requestId === undefined ? {} : { requestId: input.requestId }) },
    async () => {
      const unit: CareUnit = { unitId, kind: input.request.kind, createdBy: caller.userId, createdAt: at };
      await deps.units.createUnit(unit, { unitId, clientId: caller.userId, role: input.request.role, status: 'active', invitedBy: caller.userId, invitedAt: at, consentedAt: at });
      return viewOf(deps, caller, unitId);
    },
  );
}

/** GET /v1/care-units: the caller's units and open invitations. */
export async function listMyUnits(input: UnitCaller, deps: CareUnitDeps): Promise<{ units: UnitPointer[] }> {
  const { caller } = input;
  return withClientAccess(
    deps,
    { caller, clientId: caller.userId, purpose: 'self_access', action: 'list', category: 'care_unit', ...(input.requestId === undefined ? {} : { requestId: input.requestId }) },
    async () => ({ units: (await deps.units.listUnitsOf(caller.userId)).filter((u) => u.status === 'active' || u.status === 'invited') }),
  );
}

/**
 * GET /v1/care-units/{unitId}: members' names and roles (the unit's therapist: those in their
 * care, and the open review tasks of the unit's plan: ids, kinds, dates; see
 * shared/use-cases/plans/unit-plan-check.ts).
 */
export async function getCareUnit(input: UnitCaller & { unitId: string }, deps: CareUnitDeps): Promise<CareUnitView> {
  return withUnitAccess(deps, { ...input, action: 'view', recordAction: 'read' }, async ({ loaded, visible }) => {
    const view = unitView(loaded.unit, loaded.memberships, await factsOf(deps, loaded.memberships), input.caller, visible);
    const unitTherapist = visible !== undefined && loaded.unit.therapistId === input.caller.userId;
    if (!unitTherapist || !deps.unitPlanReviews) return view;
    const open = (await deps.unitPlanReviews.reviews(input.unitId))
      .filter((r) => r.status === 'open')
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.reviewId.localeCompare(b.reviewId));
    return { ...view, planReviews: open.map((r) => unitPlanReviewSummary(r)) };
  });
}

/**
 * POST /v1/care-units/{unitId}/invitations: an active member invites a client by the email of
 * their account. The same answer whether an account has that email or not (no enumeration);
 * the invitee sees the invitation in GET /v1/care-units, and gets ONE email about it
 * (shared/notifications/care-unit-invitation-email.ts: the inviter's first name, the kind of
 * unit, a link to the app; nothing clinical). Exactly once per invitation: the notification key
 * names the invitation (unit + invitedAt, keys.ts pattern 96) and is checked before sending, so
 * the same invite again (a retry, a double tap) finds the email sent; a request that wrote the
 * invitation but failed before sending has it sent by the next same invite.
 */
export async function inviteMember(input: UnitCaller & { unitId: string; request: InviteMemberRequest }, deps: CareUnitDeps): Promise<{ status: 'invited_if_registered'; detail: string }> {
  const receipt = { status: 'invited_if_registered' as const, detail: 'If this email belongs to a MoodRx client, they now see your invitation in the app.' };
  return withUnitAccess(deps, { ...input, action: 'manage', recordAction: 'update' }, async ({ loaded }) => {
    const owner = await deps.clients.getEmailOwner(normalizeEmail(input.request.email));
    if (!owner || owner.kind !== 'client' || owner.userId === input.caller.userId) return receipt;
    const invitee = { clientId: owner.userId, role: input.request.role as MemberRole };
    // The invitation now open for the invitee (written by this request or found), if any.
    const invitation = await changeUnit<{ written: boolean; open?: Membership }>(deps, input.unitId, loaded, async (current) => {
      const refusal = mayInvite(current.unit, current.memberships, invitee);
      // Already a member, or no room: the same receipt (whether the email has an account stays unsaid).
      if (refusal === 'already_member' || refusal === 'unit_full') {
        const existing = current.memberships.find((m) => m.clientId === invitee.clientId && m.status === 'invited');
        return { written: false, ...(existing ? { open: existing } : {}) };
      }
      if (refusal) throw refuse(refusal);
      const membership: Membership = { unitId: input.unitId, clientId: invitee.clientId, role: invitee.role, status: 'invited', invitedBy: input.caller.userId, invitedAt: deps.now().toISOString() };
      const outcome = await deps.units.putMembership(membership, current.version);
      return outcome === 'written' ? { written: true, open: membership } : 'conflict';
    });
    if (invitation.written) await auditEffectOn(deps, { ...input, clientId: invitee.clientId, action: 'create' });
    if (invitation.open) await sendInvitationEmail(deps, loaded.unit, invitation.open);
    return receipt;
  });
}

/** The invitation's email, unless its key is recorded already (at-least-once between the send and the record, as every email). */
async function sendInvitationEmail(deps: CareUnitDeps, unit: CareUnit, invitation: Membership): Promise<void> {
  const emails = deps.invitationEmails;
  if (!emails) return;
  const key = careUnitInvitationKey(invitation.unitId, invitation.invitedAt);
  if (await emails.notifications.hasNotification(invitation.clientId, key)) return;
  const [inviter, invitee] = await Promise.all([deps.clients.getProfile(invitation.invitedBy), deps.clients.getProfile(invitation.clientId)]);
  if (!inviter || !invitee) return;
  const rendered = renderCareUnitInvitationEmail({
    inviterFirstName: inviter.firstName,
    inviteeFirstName: invitee.firstName,
    kind: unit.kind,
    unitId: invitation.unitId,
    appBaseUrl: emails.appBaseUrl,
  });
  const { messageId } = await emails.email.send({ to: invitee.email, ...rendered });
  await emails.notifications.recordNotification(invitation.clientId, { key, channel: 'email', messageId, sentAt: deps.now().toISOString() });
}

/** POST /v1/care-units/{unitId}/accept: the invitee joins, consenting (recorded with the time). */
export async function acceptInvitation(input: UnitCaller & { unitId: string }, deps: CareUnitDeps): Promise<CareUnitView> {
  return withUnitAccess(deps, { ...input, action: 'join', recordAction: 'update' }, async ({ loaded }) => {
    await changeUnit(deps, input.unitId, loaded, async (current) => {
      const own = current.memberships.find((m) => m.clientId === input.caller.userId);
      if (!own || own.status !== 'invited') throw refuse('not_invited');
      const at = deps.now().toISOString();
      return (await deps.units.putMembership({ ...own, status: 'active', consentedAt: at }, current.version)) === 'written' ? true : 'conflict';
    });
    return viewOf(deps, input.caller, input.unitId);
  });
}

/**
 * A leave, decline or removal; the unit's joint care ends with it when fewer than two active
 * members are left (domain jointCareEnds). `endsCare`: this write ended it.
 */
async function endMembership(deps: CareUnitDeps, current: LoadedUnit, ended: Membership): Promise<{ outcome: 'written' | 'conflict'; endsCare: boolean }> {
  const after = current.memberships.map((m) => (m.clientId === ended.clientId ? ended : m));
  const endJointCare = jointCareEnds(current.unit, after) ? { at: ended.endedAt ?? deps.now().toISOString(), reason: 'fewer_than_two_members' as const } : undefined;
  return { outcome: await deps.units.putMembership(ended, current.version, endJointCare), endsCare: endJointCare !== undefined };
}

/** Whether THIS membership's end ended the unit's joint care (the same transaction wrote both, with the same time). */
function endedJointCare(unit: CareUnit, membership: Membership): boolean {
  return unit.careEndReason === 'fewer_than_two_members' && unit.careEndedAt !== undefined && unit.careEndedAt === membership.endedAt;
}

/** The unit's future joint sessions cancelled, once its joint care ended (retry-safe: only the sessions still booked). */
async function cancelUnitSessions(deps: CareUnitDeps, input: UnitCaller & { unitId: string }): Promise<void> {
  await deps.sessionsOnUnitCareEnd?.cancelFutureUnitSessions({ unitId: input.unitId, caller: input.caller, ...(input.requestId === undefined ? {} : { requestId: input.requestId }) });
}

/**
 * A leave again by the member whose leave ended the unit's joint care: the leave that failed
 * after its transaction (cancelling the joint sessions threw) is finished, and answered as the
 * first attempt would have (audited on the member's own chain). undefined: not that case.
 */
async function finishLeave(input: UnitCaller & { unitId: string }, deps: CareUnitDeps): Promise<{ unitId: string; status: 'left' } | undefined> {
  if (!deps.sessionsOnUnitCareEnd || input.caller.role !== 'client') return undefined;
  const loaded = await deps.units.getUnit(input.unitId);
  const own = loaded?.memberships.find((m) => m.clientId === input.caller.userId);
  if (!loaded || !own || own.status !== 'left' || !endedJointCare(loaded.unit, own)) return undefined;
  const attempt = { caller: input.caller, clientId: input.caller.userId, purpose: 'self_access' as const, action: 'update' as const, category: 'care_unit' as const, recordId: input.unitId };
  return withClientAccess(deps, { ...attempt, ...(input.requestId === undefined ? {} : { requestId: input.requestId }) }, async () => {
    await cancelUnitSessions(deps, input);
    return { unitId: input.unitId, status: 'left' as const };
  });
}

/**
 * POST /v1/care-units/{unitId}/leave: a member leaves, an invitee declines. Their own record
 * stays theirs. A leave that ends the unit's joint care cancels its future joint sessions
 * (notices to every invited member and the therapist); the same leave again finishes that.
 */
export async function leaveUnit(input: UnitCaller & { unitId: string }, deps: CareUnitDeps): Promise<{ unitId: string; status: 'left' | 'declined' }> {
  const finished = await finishLeave(input, deps);
  if (finished) return finished;
  return withUnitAccess(deps, { ...input, action: 'leave', recordAction: 'update' }, async ({ loaded }) => {
    const left = await changeUnit(deps, input.unitId, loaded, async (current) => {
      const own = current.memberships.find((m) => m.clientId === input.caller.userId);
      if (!own || (own.status !== 'active' && own.status !== 'invited')) throw refuse('not_member');
      const status = own.status === 'invited' ? ('declined' as const) : ('left' as const);
      const { outcome, endsCare } = await endMembership(deps, current, { ...own, status, endedAt: deps.now().toISOString() });
      return outcome === 'written' ? { status, endsCare } : 'conflict';
    });
    if (left.endsCare) await cancelUnitSessions(deps, input);
    return { unitId: input.unitId, status: left.status };
  });
}

/**
 * POST /v1/care-units/{unitId}/members/{clientId}/remove: the organizer removes a member or
 * withdraws an invitation. A removal that ends the unit's joint care cancels its future joint
 * sessions; the organizer's same removal again finishes that (and answers the unit).
 */
export async function removeMember(input: UnitCaller & { unitId: string; clientId: string }, deps: CareUnitDeps): Promise<CareUnitView> {
  await withUnitAccess(deps, { ...input, action: 'manage', recordAction: 'update' }, async ({ loaded }) => {
    const change = await changeUnit<{ written: boolean; endsCare: boolean }>(deps, input.unitId, loaded, async (current) => {
      if (current.unit.createdBy !== input.caller.userId) throw refuse('not_organizer');
      if (input.clientId === input.caller.userId) throw refuse('cannot_remove_self');
      const target = current.memberships.find((m) => m.clientId === input.clientId);
      // The removal that ended the joint care, again: finish its cancellation.
      if (deps.sessionsOnUnitCareEnd && target?.status === 'removed' && endedJointCare(current.unit, target)) return { written: false, endsCare: true };
      if (!target || (target.status !== 'active' && target.status !== 'invited')) throw refuse('not_member');
      const { outcome, endsCare } = await endMembership(deps, current, { ...target, status: 'removed', endedAt: deps.now().toISOString() });
      return outcome === 'written' ? { written: true, endsCare } : 'conflict';
    });
    if (change.written) await auditEffectOn(deps, { ...input, action: 'update' });
    if (change.endsCare) await cancelUnitSessions(deps, input);
  });
  return viewOf(deps, input.caller, input.unitId);
}

/**
 * POST /v1/care-units/{unitId}/members/{clientId}/personal-representative: the caller, an adult
 * active member, is recorded as the personal representative of a MINOR active member (age from
 * the member's profile; state law varies on who may be one: the app asks the guardian to
 * attest, 45 CFR 164.502(g)). Not for adults: 409 not_a_minor.
 */
export async function recordPersonalRepresentative(input: UnitCaller & { unitId: string; clientId: string }, deps: CareUnitDeps): Promise<CareUnitView> {
  await withUnitAccess(deps, { ...input, action: 'manage', recordAction: 'update' }, async ({ loaded }) =>
    changeUnit(deps, input.unitId, loaded, async (current) => {
      const target = current.memberships.find((m) => m.clientId === input.clientId && m.status === 'active');
      if (!target) throw refuse('not_member');
      const [minor, representative] = await Promise.all([deps.clients.getProfile(input.clientId), deps.clients.getProfile(input.caller.userId)]);
      if (!isMinor(minor?.dateOfBirth, today(deps))) throw refuse('not_a_minor');
      if (isMinor(representative?.dateOfBirth, today(deps))) throw refuse('representative_is_minor');
      const ids = new Set(target.personalRepresentativeIds ?? []);
      if (ids.has(input.caller.userId)) return true;
      const outcome = await deps.units.putMembership({ ...target, personalRepresentativeIds: [...ids, input.caller.userId].sort() }, current.version);
      return outcome === 'written' ? true : 'conflict';
    }),
  );
  await auditEffectOn(deps, { ...input, action: 'update' });
  return viewOf(deps, input.caller, input.unitId);
}

/**
 * An `Idempotency-Key` replay of a unit route: the caller's access to the unit NOW (a member
 * who left meanwhile gets 404), the read of the stored answer audited. `unitId`: from the path,
 * or the stored answer's (creation).
 */
export async function authorizeUnitReplay(input: UnitCaller & { unitId: string | undefined }, deps: CareUnitDeps): Promise<void> {
  if (input.unitId === undefined) throw new NotFoundError();
  await withUnitAccess(deps, { ...input, unitId: input.unitId, action: 'view', recordAction: 'read' }, async () => undefined);
}
