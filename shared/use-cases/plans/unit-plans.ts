/**
 * The care unit's treatment plan (shared/domain/plans/unit-plan.ts): the plan lifecycle of
 * plans.ts (draftPlan, editDraft, signDraft, reviseActive, endActive, acknowledgeActive) on the
 * unit's plan book, behind the unit's own access decision.
 *
 * withUnitPlanAccess(deps, attempt, work), the one way in (category `treatment_plan`):
 *   1. load the unit with its memberships (unknown: 404; a client's denial audited on their chain)
 *   2. a client: an ACTIVE member only (left, removed, invited, declined, anyone else: 404),
 *      then their own decision through withClientAccess (self, audited on their chain)
 *   3. a clinician: each active member's decision through the access policy (audited per
 *      member; a denial is a `denied` event on that member's chain). The unit's therapist
 *      goes on with the members in their care (at least one) and alone writes; any other
 *      clinician only reads, and only when the policy lets them read EVERY active member's
 *      plan on a role basis (READER_BASES: a supervisor on an open risk task; a member's own
 *      or former therapist is not the unit's: 404); the work's success or failure is audited
 *      on each of those members' chains
 * Plan review tasks (unit-plan-check.ts: each member's care lifecycle opens them, one per
 * trigger, in the unit's partition): a signed revision closes the open ones of the version it
 * revises (signDraft, as for a client's plan); recordUnitPlanReview closes one with "no_change"
 * and the reason (the unit's therapist, closeReviewUnchanged of plans.ts, as for a client's).
 */
import { activeMembers } from '../../domain/care-units/units.js';
import { isReadAction, withinScope, type AccessBasis, type AccessScope, type RecordAction } from '../../domain/access.js';
import { NotFoundError, PlanStateError } from '../../domain/errors.js';
import { visibleTo, planView } from '../../domain/plans/views.js';
import type { EditPlanRequest, EndPlanRequest, PlanAudience, PlanContentParsed, RevisePlanRequest, StoredPlan } from '../../domain/plans/plan.js';
import { objectiveStatuses } from '../../domain/plans/progress.js';
import {
  mayAcknowledge,
  refuseUnitPlanIssues,
  unitPlanContentIssues,
  unitPlanEvidenceIssues,
  unitPlanView,
  type UnitPlanView,
} from '../../domain/plans/unit-plan.js';
import type { Role } from '../../domain/roles.js';
import type { PlanSettings } from '../../config/plans.js';
import { authorizeClientAccess, buildAuditEvent, withClientAccess, type ClientAccessDeps } from '../access/client-access.js';
import type { CareUnitRecords, LoadedUnit } from '../care-units/ports.js';
import { monitorAccess, purposeFor } from '../monitor/dependencies.js';
import { uuidV7 } from '../monitor/record-ids.js';
import type { ClientRecords } from '../ports.js';
import type { RiskTasks } from '../risk/ports.js';
import type { PlanReviewTaskView, RecordPlanReviewRequest } from '../../domain/plans/views.js';
import { acknowledgeActive, checkReferences, closeReviewUnchanged, draftPlan, editDraft, endActive, one, reviseActive, signDraft, type PlanBook } from './plans.js';
import type { PlanRecords } from './ports.js';

export interface UnitPlanDeps extends ClientAccessDeps {
  units: Pick<CareUnitRecords, 'getUnit'>;
  clients: Pick<ClientRecords, 'getProfile'>;
  /** The plan repository made for the `care_unit` holder. */
  plans: PlanRecords;
  riskTasks: Pick<RiskTasks, 'openTaskDeadlines'>;
  settings: PlanSettings;
  newRecordId?: (at: Date) => string;
}

interface UnitPlanRequest {
  caller: { userId: string; role: Role };
  unitId: string;
  requestId?: string;
}

interface UnitPlanAttempt extends UnitPlanRequest {
  action: RecordAction;
  recordId?: string;
}

interface UnitPlanContext {
  loaded: LoadedUnit;
  as: 'member' | 'unit_therapist' | 'reader';
  audience: PlanAudience;
  /** The scopes the policy gave (a reader's: every member's must hold). */
  scopes: AccessScope[];
}

const CATEGORY = 'treatment_plan' as const;
/** The bases on which a clinician other than the unit's therapist reads the unit plan (the policy's role bases, e.g. a supervisor's open risk task). */
const READER_BASES: readonly AccessBasis[] = ['supervisor', 'operations'];
const requestIdOf = (r: { requestId?: string }) => (r.requestId === undefined ? {} : { requestId: r.requestId });

export async function withUnitPlanAccess<T>(deps: UnitPlanDeps, attempt: UnitPlanAttempt, work: (context: UnitPlanContext) => Promise<T>): Promise<T> {
  const { caller } = attempt;
  const loaded = await deps.units.getUnit(attempt.unitId);
  const record = attempt.recordId === undefined ? {} : { recordId: attempt.recordId };
  if (caller.role === 'client') {
    const own = loaded?.memberships.find((m) => m.clientId === caller.userId);
    if (!loaded || own?.status !== 'active') {
      await deps.auditLog.record(
        buildAuditEvent(deps, { actor: caller, clientId: caller.userId, purpose: 'self_access', action: attempt.action, category: CATEGORY, ...record, outcome: 'denied', denialReason: 'not_unit_member', ...requestIdOf(attempt) }),
      );
      throw new NotFoundError();
    }
    return withClientAccess(deps, { caller, clientId: caller.userId, purpose: 'self_access', action: attempt.action, category: CATEGORY, ...record, ...requestIdOf(attempt) }, (access) =>
      work({ loaded, as: 'member', audience: 'client', scopes: [access.scope] }),
    );
  }
  if (!loaded) throw new NotFoundError();
  const unitTherapist = loaded.unit.therapistId !== undefined && loaded.unit.therapistId === caller.userId;
  if (!unitTherapist && !isReadAction(attempt.action)) throw new NotFoundError();
  const members = activeMembers(loaded.memberships);
  const allowed: { clientId: string; basis: AccessBasis; scope: AccessScope }[] = [];
  for (const member of members) {
    try {
      const access = await authorizeClientAccess(deps, await monitorAccess({ caller, clientId: member.clientId, ...requestIdOf(attempt) }, deps, { action: attempt.action, category: CATEGORY, ...record }));
      allowed.push({ clientId: member.clientId, basis: access.basis, scope: access.scope });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  // The unit's therapist through their therapist relationship; anyone else only on a role basis (a member's own therapist is not the unit's).
  const serves = (a: { basis: AccessBasis }) => (unitTherapist ? a.basis === 'assigned_therapist' : READER_BASES.includes(a.basis));
  const through = allowed.filter(serves);
  const event = (clientId: string, outcome: 'success' | 'failure' | 'denied', extra: { basis: AccessBasis } | { denialReason: 'not_unit_member' }) =>
    buildAuditEvent(deps, { actor: caller, clientId, purpose: purposeFor(caller.role), action: attempt.action, category: CATEGORY, ...record, outcome, ...extra, ...requestIdOf(attempt) });
  if (through.length === 0 || (!unitTherapist && through.length < members.length)) {
    for (const a of allowed) await deps.auditLog.record(event(a.clientId, 'denied', { denialReason: 'not_unit_member' }));
    throw new NotFoundError();
  }
  const audit = (outcome: 'success' | 'failure') => Promise.all(through.map((a) => deps.auditLog.record(event(a.clientId, outcome, { basis: a.basis }))));
  let result: T;
  try {
    result = await work({ loaded, as: unitTherapist ? 'unit_therapist' : 'reader', audience: 'care_team', scopes: through.map((a) => a.scope) });
  } catch (error) {
    await audit('failure');
    throw error;
  }
  await audit('success');
  return result;
}

/** The unit's plan book: the unit's partition, the privacy rules, objective statuses without scores, acknowledgements by name. */
function unitBook(context: UnitPlanContext, unitId: string, callerId: string, deps: UnitPlanDeps): PlanBook<UnitPlanView> {
  return {
    subject: { kind: 'care_unit', careUnitId: unitId },
    holderId: unitId,
    plans: deps.plans,
    reviewDays: deps.settings.reviewDays,
    async checkContent(content: PlanContentParsed) {
      checkReferences(content);
      refuseUnitPlanIssues(unitPlanContentIssues(content));
    },
    async checkEvidence(ids) {
      refuseUnitPlanIssues(unitPlanEvidenceIssues(ids));
    },
    async view(plans, audience) {
      if (plans.length === 0) return [];
      const acknowledgements = await deps.plans.acknowledgements(unitId);
      const names = new Map<string, { firstName: string; lastName: string }>();
      await Promise.all(
        [...new Set(acknowledgements.map((a) => a.clientId ?? ''))].map(async (clientId) => {
          const profile = clientId === '' ? undefined : await deps.clients.getProfile(clientId);
          if (profile) names.set(clientId, { firstName: profile.firstName, lastName: profile.lastName });
        }),
      );
      const own = context.as === 'member' ? callerId : undefined;
      // Behavioural objectives only (the privacy rule): their statuses need no member's scores.
      return plans.map((plan) => unitPlanView(planView(plan, audience, objectiveStatuses(plan, context.loaded.unit.matchedAt, {}), undefined), acknowledgements, names, own));
    },
  };
}

const newId = (deps: UnitPlanDeps, at: Date) => (deps.newRecordId ?? uuidV7)(at);

function therapistOnly(context: UnitPlanContext): void {
  if (context.as !== 'unit_therapist') throw new NotFoundError();
}

/** The versions the reader may see: the audience's, within every scope the policy gave. */
function readable(versions: readonly StoredPlan[], context: UnitPlanContext): StoredPlan[] {
  return versions.filter((v) => visibleTo(v, context.audience) && context.scopes.every((scope) => withinScope(scope, v.createdAt)));
}

type Write<T> = UnitPlanRequest & T;

export async function createUnitPlan(input: Write<{ request: PlanContentParsed }>, deps: UnitPlanDeps): Promise<UnitPlanView> {
  const now = deps.now();
  const planId = newId(deps, now);
  return withUnitPlanAccess(deps, { ...input, action: 'create', recordId: planId }, async (context) => {
    therapistOnly(context);
    return draftPlan(unitBook(context, input.unitId, input.caller.userId, deps), { caller: input.caller, planId, now, request: input.request });
  });
}

export async function editUnitPlan(input: Write<{ planId: string; patch: EditPlanRequest }>, deps: UnitPlanDeps): Promise<UnitPlanView> {
  return withUnitPlanAccess(deps, { ...input, action: 'update', recordId: input.planId }, async (context) => {
    therapistOnly(context);
    return editDraft(unitBook(context, input.unitId, input.caller.userId, deps), { planId: input.planId, now: deps.now(), patch: input.patch });
  });
}

export async function signUnitPlan(input: Write<{ planId: string }>, deps: UnitPlanDeps): Promise<UnitPlanView> {
  return withUnitPlanAccess(deps, { ...input, action: 'update', recordId: input.planId }, async (context) => {
    therapistOnly(context);
    return signDraft(unitBook(context, input.unitId, input.caller.userId, deps), { caller: input.caller, planId: input.planId, now: deps.now() });
  });
}

export async function reviseUnitPlan(input: Write<{ planId: string; request: RevisePlanRequest }>, deps: UnitPlanDeps): Promise<UnitPlanView> {
  const now = deps.now();
  const newPlanId = newId(deps, now);
  return withUnitPlanAccess(deps, { ...input, action: 'create', recordId: newPlanId }, async (context) => {
    therapistOnly(context);
    return reviseActive(unitBook(context, input.unitId, input.caller.userId, deps), { caller: input.caller, planId: input.planId, newPlanId, now, request: input.request });
  });
}

export async function endUnitPlan(input: Write<{ planId: string; request: EndPlanRequest }>, deps: UnitPlanDeps): Promise<UnitPlanView> {
  return withUnitPlanAccess(deps, { ...input, action: 'update', recordId: input.planId }, async (context) => {
    therapistOnly(context);
    return endActive(unitBook(context, input.unitId, input.caller.userId, deps), { caller: input.caller, planId: input.planId, now: deps.now(), request: input.request });
  });
}

/** An active adult member acknowledges the active version for themself (once; a repeat keeps the first). */
export async function acknowledgeUnitPlan(input: Write<{ planId: string }>, deps: UnitPlanDeps): Promise<UnitPlanView> {
  return withUnitPlanAccess(deps, { ...input, action: 'update', recordId: input.planId }, async (context) => {
    if (context.as !== 'member') throw new NotFoundError();
    const own = context.loaded.memberships.find((m) => m.clientId === input.caller.userId);
    const profile = await deps.clients.getProfile(input.caller.userId);
    const now = deps.now();
    if (!mayAcknowledge(own, profile?.dateOfBirth, now.toISOString().slice(0, 10))) {
      throw new PlanStateError("Each adult member acknowledges the unit's plan; a member under 18 does not.");
    }
    return acknowledgeActive(unitBook(context, input.unitId, input.caller.userId, deps), { planId: input.planId, now, goalNotes: [], memberId: input.caller.userId });
  });
}

export async function listUnitPlans(input: UnitPlanRequest, deps: UnitPlanDeps): Promise<{ versions: UnitPlanView[] }> {
  return withUnitPlanAccess(deps, { ...input, action: 'list' }, async (context) => {
    const versions = readable(await deps.plans.versions(input.unitId), context).sort((a, b) => b.version - a.version);
    return { versions: await unitBook(context, input.unitId, input.caller.userId, deps).view(versions, context.audience) };
  });
}

export async function getUnitPlan(input: UnitPlanRequest & { planId: string }, deps: UnitPlanDeps): Promise<UnitPlanView> {
  return withUnitPlanAccess(deps, { ...input, action: 'read', recordId: input.planId }, async (context) => {
    const plan = readable(await deps.plans.versions(input.unitId), context).find((v) => v.planId === input.planId);
    if (!plan) throw new NotFoundError();
    return one(unitBook(context, input.unitId, input.caller.userId, deps), plan, context.audience);
  });
}

/** POST /v1/care-units/{unitId}/plan-reviews: the unit's therapist closes an open review task of the unit's plan without changing it ("no_change", the reason). */
export async function recordUnitPlanReview(input: Write<{ request: RecordPlanReviewRequest }>, deps: UnitPlanDeps): Promise<PlanReviewTaskView> {
  const { reviewId, reason } = input.request;
  return withUnitPlanAccess(deps, { ...input, action: 'update', recordId: reviewId }, async (context) => {
    therapistOnly(context);
    return closeReviewUnchanged({ plans: deps.plans, holderId: input.unitId }, { caller: input.caller, reviewId, reason, now: deps.now() });
  });
}

/** An `Idempotency-Key` replay of a creating route: the caller must still be the unit's therapist; the read audited. */
export async function authorizeUnitPlanReplay(input: UnitPlanRequest, deps: UnitPlanDeps): Promise<void> {
  await withUnitPlanAccess(deps, { ...input, action: 'read' }, async (context) => therapistOnly(context));
}
