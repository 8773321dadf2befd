/**
 * Treatment plan routes (issue 10, item 1). Every one goes through the access policy with
 * category `treatment_plan` (withClientAccess: decided, audited):
 * - writes (draft, edit, sign, revise, end, review outcome): the ASSIGNED therapist only (the
 *   policy grants treatment_plan writes to that basis and to the client; the routes admit
 *   clinicians only, and the use case refuses any other basis);
 * - acknowledge: the client, on an active version of their own plan;
 * - reads: the client (signed versions, the client view), the care team (every version); a
 *   former therapist reads only the versions written during their relationship.
 *
 * createPlan: 1. no draft and no active version (else 409: edit the draft, or revise) 2. the
 *   problems' diagnoses are the client's (400) 3. version max + 1, put "if absent" (409 on a race).
 * signPlan: 1. a draft 2. its predecessor still the active one (the pointer) 3. ONE transaction:
 *   draft -> active, pointer moved, predecessor -> revised, that version's open reviews closed.
 * revisePlan: 1. the active version 2. the evidence's assessments are the client's (400)
 *   3. a new draft version (active + 1) with the reason, the evidence and the content changes.
 * acknowledgePlan: the active version, once (a repeat answers the first acknowledgement).
 */
import { withinScope } from '../../domain/access.js';
import type { InstrumentId } from '../../domain/instruments/definition.js';
import type { ScorePoint } from '../../domain/instruments/outcomes.js';
import { NotFoundError, PlanStateError, ValidationError, type FieldError } from '../../domain/errors.js';
import {
  contentOf,
  dateAfter,
  instrumentsOf,
  referenceProblems,
  resolveContent,
  type AcknowledgePlanRequest,
  type EditPlanRequest,
  type EndPlanRequest,
  type PlanAcknowledgement,
  type PlanAudience,
  type PlanContentParsed,
  type RevisePlanRequest,
  type StoredPlan,
} from '../../domain/plans/plan.js';
import { objectiveStatuses, type ScoreSeries } from '../../domain/plans/progress.js';
import {
  planView,
  reviewTaskView,
  visibleTo,
  type PlanReviewTaskView,
  type PlanView,
  type PlanVersionList,
  type RecordPlanReviewRequest,
} from '../../domain/plans/views.js';
import type { Caller } from '../../domain/roles.js';
import type { PlanSettings } from '../../config/plans.js';
import type { Thresholds } from '../../domain/instruments/thresholds.js';
import { authorizeReplay, storedRecordId, withClientAccess, type AllowedAccess, type ClientAccessAttempt, type ClientAccessDeps } from '../access/client-access.js';
import { monitorAccess } from '../monitor/dependencies.js';
import type { AssessmentRecords, DiagnosisRecords } from '../monitor/ports.js';
import { uuidV7 } from '../monitor/record-ids.js';
import type { RiskTasks } from '../risk/ports.js';
import type { PlanRecords } from './ports.js';

export interface PlanDeps extends ClientAccessDeps {
  plans: PlanRecords;
  assessments: Pick<AssessmentRecords, 'existing' | 'series'>;
  diagnoses: Pick<DiagnosisRecords, 'list'>;
  riskTasks: Pick<RiskTasks, 'openTaskDeadlines'>;
  settings: PlanSettings;
  thresholds?: Thresholds;
  /** Default: a UUIDv7 of the given instant. */
  newRecordId?: (at: Date) => string;
}

interface Request {
  caller: Pick<Caller, 'userId' | 'role'>;
  clientId: string;
  requestId?: string;
}

const CATEGORY = 'treatment_plan' as const;

const audienceOf = (role: Caller['role']): PlanAudience => (role === 'client' ? 'client' : 'care_team');

function attempt(request: Request, deps: PlanDeps, what: Pick<ClientAccessAttempt, 'action' | 'recordId'>): Promise<ClientAccessAttempt> {
  return monitorAccess(request, deps, { ...what, category: CATEGORY });
}

/** Writes other than the client's acknowledgement belong to the assigned therapist. */
function therapistOnly(access: AllowedAccess): void {
  if (access.basis !== 'assigned_therapist') throw new NotFoundError();
}

function byPlanId(versions: readonly StoredPlan[], planId: string): StoredPlan {
  const found = versions.find((v) => v.planId === planId);
  if (!found) throw new NotFoundError();
  return found;
}

/** The diagnoses the problems name must be this client's. */
async function checkDiagnoses(clientId: string, content: Pick<PlanContentParsed, 'problems'>, deps: PlanDeps): Promise<void> {
  const named = content.problems.flatMap((p, index) => p.diagnosisIds.map((id, at) => ({ id, field: `problems.${index}.diagnosisIds.${at}` })));
  if (named.length === 0) return;
  const known = new Set((await deps.diagnoses.list(clientId)).map((d) => d.diagnosisId));
  const unknown: FieldError[] = named.filter((n) => !known.has(n.id)).map((n) => ({ field: n.field, message: 'This client has no diagnosis with this id.' }));
  if (unknown.length > 0) throw new ValidationError(unknown, 'The plan names diagnoses this client does not have.');
}

function checkReferences(content: PlanContentParsed): void {
  const issues = referenceProblems(content);
  if (issues.length > 0) throw new ValidationError(issues.map((i) => ({ field: i.path.join('.'), message: i.message })), 'The plan links items that do not exist.');
}

/** The views of some versions: objective statuses from the scores, acknowledgements joined. */
async function views(clientId: string, plans: readonly StoredPlan[], audience: PlanAudience, deps: PlanDeps): Promise<PlanView[]> {
  if (plans.length === 0) return [];
  const instruments = [...new Set(plans.flatMap((p) => instrumentsOf(p)))];
  const [relationships, acknowledgements, ...series] = await Promise.all([
    deps.careTeam.relationshipsOf(clientId),
    deps.plans.acknowledgements(clientId),
    ...instruments.map((instrument) => deps.assessments.series(clientId, instrument as InstrumentId)),
  ]);
  const scores: Partial<Record<string, ScorePoint[]>> = {};
  instruments.forEach((instrument, index) => {
    scores[instrument] = (series[index] ?? []).map(({ total, at }) => ({ total, at }));
  });
  const careStartedAt = relationships.find((r) => r.kind === 'therapist' && r.endedAt === undefined)?.startedAt;
  const acks = new Map<number, PlanAcknowledgement>(acknowledgements.map((a) => [a.version, a]));
  return plans.map((plan) =>
    planView(plan, audience, objectiveStatuses(plan, careStartedAt, scores as ScoreSeries, deps.thresholds), acks.get(plan.version)),
  );
}

/** Writes a new draft version (a first plan or a revision) and answers it in the care-team view. */
async function writeDraft(clientId: string, plan: StoredPlan, deps: PlanDeps): Promise<PlanView> {
  const written = await deps.plans.createDraft(plan);
  if (written === 'client_not_found') throw new NotFoundError();
  if (written === 'conflict') throw new PlanStateError('Another plan version was written at the same time. Load the plans and retry.');
  return one(clientId, plan, 'care_team', deps);
}

async function one(clientId: string, plan: StoredPlan, audience: PlanAudience, deps: PlanDeps): Promise<PlanView> {
  const [view] = await views(clientId, [plan], audience, deps);
  return view!;
}

const newId = (deps: PlanDeps, at: Date) => (deps.newRecordId ?? uuidV7)(at);

export async function createPlan(input: Request & { request: PlanContentParsed }, deps: PlanDeps): Promise<PlanView> {
  const now = deps.now();
  const planId = newId(deps, now);
  return withClientAccess(deps, await attempt(input, deps, { action: 'create', recordId: planId }), async (access) => {
    therapistOnly(access);
    const versions = await deps.plans.versions(input.clientId);
    if (versions.some((v) => v.status === 'draft')) throw new PlanStateError('This client already has a draft plan: edit it (PATCH) or sign it.');
    if (versions.some((v) => v.status === 'active')) throw new PlanStateError('This client has an active plan: change it with a revision.');
    await checkDiagnoses(input.clientId, input.request, deps);
    const at = now.toISOString();
    const author = { userId: input.caller.userId, role: input.caller.role };
    const plan: StoredPlan = {
      ...resolveContent(input.request, now, deps.settings.reviewDays),
      planId,
      clientId: input.clientId,
      subject: { kind: 'client', clientId: input.clientId },
      version: Math.max(0, ...versions.map((v) => v.version)) + 1,
      status: 'draft',
      createdAt: at,
      createdBy: author,
      updatedAt: at,
    };
    return writeDraft(input.clientId, plan, deps);
  });
}

export async function editPlan(input: Request & { planId: string; patch: EditPlanRequest }, deps: PlanDeps): Promise<PlanView> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'update', recordId: input.planId }), async (access) => {
    therapistOnly(access);
    const draft = byPlanId(await deps.plans.versions(input.clientId), input.planId);
    if (draft.status !== 'draft') throw new PlanStateError('Only a draft can be edited; change a signed plan with a revision.');
    const merged = { ...contentOf(draft), ...input.patch };
    checkReferences(merged);
    await checkDiagnoses(input.clientId, merged, deps);
    const plan: StoredPlan = { ...draft, ...merged, updatedAt: deps.now().toISOString() };
    if ((await deps.plans.updateDraft(plan, draft.updatedAt)) === 'conflict') throw new PlanStateError('The draft changed meanwhile (or was signed). Load it again.');
    return one(input.clientId, plan, 'care_team', deps);
  });
}

export async function signPlan(input: Request & { planId: string }, deps: PlanDeps): Promise<PlanView> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'update', recordId: input.planId }), async (access) => {
    therapistOnly(access);
    const [versions, pointer, reviews] = await Promise.all([
      deps.plans.versions(input.clientId),
      deps.plans.activePointer(input.clientId),
      deps.plans.reviews(input.clientId),
    ]);
    const draft = byPlanId(versions, input.planId);
    if (draft.status !== 'draft') throw new PlanStateError('Only a draft can be signed.');
    let replaced: StoredPlan | undefined;
    if (draft.replaces !== undefined) {
      if (pointer?.planId !== draft.replaces.planId) throw new PlanStateError('The version this draft revises is no longer the active plan.');
      replaced = byPlanId(versions, draft.replaces.planId);
    } else if (pointer !== undefined) {
      throw new PlanStateError('This client already has an active plan: change it with a revision.');
    }
    const at = deps.now().toISOString();
    const plan: StoredPlan = { ...draft, status: 'active', signedAt: at, signedBy: { userId: input.caller.userId, role: input.caller.role }, updatedAt: at };
    const closeReviews = replaced === undefined ? [] : reviews.filter((r) => r.status === 'open' && r.planId === replaced.planId).map((r) => r.reviewId);
    if ((await deps.plans.sign({ plan, ...(replaced ? { replaced } : {}), closeReviews })) === 'conflict') {
      throw new PlanStateError('The plan changed meanwhile (another version was signed). Load the plans again.');
    }
    return one(input.clientId, plan, 'care_team', deps);
  });
}

export async function revisePlan(input: Request & { planId: string; request: RevisePlanRequest }, deps: PlanDeps): Promise<PlanView> {
  const now = deps.now();
  const planId = newId(deps, now);
  return withClientAccess(deps, await attempt(input, deps, { action: 'create', recordId: planId }), async (access) => {
    therapistOnly(access);
    const versions = await deps.plans.versions(input.clientId);
    const active = byPlanId(versions, input.planId);
    if (active.status !== 'active') throw new PlanStateError('Only the active plan can be revised.');
    if (versions.some((v) => v.status === 'draft')) throw new PlanStateError('A draft already exists: edit it or sign it.');
    const { revision, changes = {} } = input.request;
    const ids = revision.evidence.assessmentIds;
    if (ids.length > 0) {
      const known = await deps.assessments.existing(input.clientId, ids);
      const unknown = ids.flatMap((id, index) => (known.has(id) ? [] : [{ field: `revision.evidence.assessmentIds.${index}`, message: 'This client has no assessment with this id.' }]));
      if (unknown.length > 0) throw new ValidationError(unknown, 'The evidence names assessments this client does not have.');
    }
    // A revision is a review: a new review date unless one is given.
    const content = { ...contentOf(active), nextReviewDate: dateAfter(now, deps.settings.reviewDays), ...changes };
    checkReferences(content);
    await checkDiagnoses(input.clientId, content, deps);
    const at = now.toISOString();
    const author = { userId: input.caller.userId, role: input.caller.role };
    const plan: StoredPlan = {
      ...content,
      planId,
      clientId: input.clientId,
      subject: active.subject,
      version: Math.max(...versions.map((v) => v.version)) + 1,
      status: 'draft',
      replaces: { planId: active.planId, version: active.version },
      revision: { reason: revision.reason, text: revision.text, evidence: { assessmentIds: [...ids] } },
      createdAt: at,
      createdBy: author,
      updatedAt: at,
    };
    return writeDraft(input.clientId, plan, deps);
  });
}

export async function endPlan(input: Request & { planId: string; request: EndPlanRequest }, deps: PlanDeps): Promise<PlanView> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'update', recordId: input.planId }), async (access) => {
    therapistOnly(access);
    const active = byPlanId(await deps.plans.versions(input.clientId), input.planId);
    if (active.status !== 'active') throw new PlanStateError('Only the active plan can be completed or ended.');
    const at = deps.now().toISOString();
    const plan: StoredPlan = {
      ...active,
      status: input.request.status,
      closedAt: at,
      closedBy: { userId: input.caller.userId, role: input.caller.role },
      endReason: input.request.reason,
      updatedAt: at,
    };
    if ((await deps.plans.end(plan, active.updatedAt)) === 'conflict') throw new PlanStateError('The plan changed meanwhile. Load it again.');
    return one(input.clientId, plan, 'care_team', deps);
  });
}

export async function acknowledgePlan(input: Request & { planId: string; request: AcknowledgePlanRequest }, deps: PlanDeps): Promise<PlanView> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'update', recordId: input.planId }), async (access) => {
    if (access.basis !== 'self') throw new NotFoundError();
    const plan = byPlanId(await deps.plans.versions(input.clientId), input.planId);
    if (!visibleTo(plan, 'client')) throw new NotFoundError();
    if (plan.status !== 'active') throw new PlanStateError('Only your current plan can be acknowledged.');
    const goals = new Set(plan.goals.map((g) => g.id));
    const unknown = input.request.goalNotes.flatMap((n, index) => (goals.has(n.goalId) ? [] : [{ field: `goalNotes.${index}.goalId`, message: 'Your plan has no goal with this id.' }]));
    if (unknown.length > 0) throw new ValidationError(unknown, 'A note names a goal your plan does not have.');
    await deps.plans.acknowledge(input.clientId, {
      planId: plan.planId,
      version: plan.version,
      acknowledgedAt: deps.now().toISOString(),
      goalNotes: input.request.goalNotes.map((n) => ({ ...n })),
    });
    return one(input.clientId, plan, 'client', deps);
  });
}

/** The versions the caller may see: the audience's, within a former therapist's windows. */
function readable(versions: readonly StoredPlan[], access: AllowedAccess, audience: PlanAudience): StoredPlan[] {
  return versions.filter((v) => visibleTo(v, audience) && withinScope(access.scope, v.createdAt));
}

export async function getCurrentPlan(input: Request, deps: PlanDeps): Promise<PlanView> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'read' }), async (access) => {
    const audience = audienceOf(input.caller.role);
    const [versions, pointer] = await Promise.all([deps.plans.versions(input.clientId), deps.plans.activePointer(input.clientId)]);
    const current = readable(versions, access, audience).find((v) => v.planId === pointer?.planId);
    if (!current) throw new NotFoundError('No current treatment plan.');
    return one(input.clientId, current, audience, deps);
  });
}

export async function listPlans(input: Request, deps: PlanDeps): Promise<PlanVersionList> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'list' }), async (access) => {
    const audience = audienceOf(input.caller.role);
    const versions = readable(await deps.plans.versions(input.clientId), access, audience).sort((a, b) => b.version - a.version);
    return { versions: await views(input.clientId, versions, audience, deps) };
  });
}

export async function getPlan(input: Request & { planId: string }, deps: PlanDeps): Promise<PlanView> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'read', recordId: input.planId }), async (access) => {
    const audience = audienceOf(input.caller.role);
    const plan = readable(await deps.plans.versions(input.clientId), access, audience).find((v) => v.planId === input.planId);
    if (!plan) throw new NotFoundError();
    return one(input.clientId, plan, audience, deps);
  });
}

export async function listPlanReviews(input: Request & { status: 'open' | 'closed' | 'all' }, deps: PlanDeps): Promise<{ reviews: PlanReviewTaskView[] }> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'list' }), async (access) => {
    const reviews = (await deps.plans.reviews(input.clientId))
      .filter((r) => (input.status === 'all' || r.status === input.status) && withinScope(access.scope, r.openedAt))
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.reviewId.localeCompare(b.reviewId));
    return { reviews: reviews.map(reviewTaskView) };
  });
}

/** A review that changes nothing: "no change", with the reason. A revision closes reviews when it is signed. */
export async function recordPlanReview(input: Request & { request: RecordPlanReviewRequest }, deps: PlanDeps): Promise<PlanReviewTaskView> {
  const { reviewId, reason } = input.request;
  return withClientAccess(deps, await attempt(input, deps, { action: 'update', recordId: reviewId }), async (access) => {
    therapistOnly(access);
    const task = (await deps.plans.reviews(input.clientId)).find((r) => r.reviewId === reviewId);
    if (!task) throw new NotFoundError();
    if (task.status !== 'open') throw new PlanStateError('This review is already closed.');
    const closure = { closedAt: deps.now().toISOString(), closedBy: { userId: input.caller.userId, role: input.caller.role }, reason };
    if ((await deps.plans.closeReview(input.clientId, reviewId, closure)) === 'not_open') throw new PlanStateError('This review is already closed.');
    return reviewTaskView({ ...task, ...closure, status: 'closed', outcome: 'no_change' });
  });
}

/** An `Idempotency-Key` replay of a creating route: the decision for the caller now, the read audited. */
export async function authorizePlanReplay(input: Request, stored: unknown, deps: PlanDeps): Promise<void> {
  const recordId = storedRecordId(stored, 'planId');
  await authorizeReplay(deps, await attempt(input, deps, { action: 'create', ...(recordId === undefined ? {} : { recordId }) }), ['assigned_therapist']);
}
