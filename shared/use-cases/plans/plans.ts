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
  type PlanSubject,
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

/**
 * Where a plan lives and what its content must respect: a client's plan (clientBook below) or a
 * care unit's (shared/use-cases/plans/unit-plans.ts). The lifecycle below (draft, edit, sign,
 * revise, end, acknowledge) is written once, against a book; the access decision is the caller's.
 */
export interface PlanBook<V extends PlanView = PlanView> {
  subject: PlanSubject;
  /** The partition's id: the client's, or the unit's. */
  holderId: string;
  plans: PlanRecords;
  reviewDays: number;
  /** The content's links and the holder's own rules (a client's diagnoses; a unit's privacy): throws 400 or 422. */
  checkContent(content: PlanContentParsed): Promise<void>;
  /** The assessments a revision names as evidence: throws 400 or 422. */
  checkEvidence(assessmentIds: readonly string[]): Promise<void>;
  view(plans: readonly StoredPlan[], audience: PlanAudience): Promise<V[]>;
}

type Author = Pick<Caller, 'userId' | 'role'>;

/** The diagnoses the problems name must be this client's. */
async function checkDiagnoses(clientId: string, content: Pick<PlanContentParsed, 'problems'>, deps: PlanDeps): Promise<void> {
  const named = content.problems.flatMap((p, index) => p.diagnosisIds.map((id, at) => ({ id, field: `problems.${index}.diagnosisIds.${at}` })));
  if (named.length === 0) return;
  const known = new Set((await deps.diagnoses.list(clientId)).map((d) => d.diagnosisId));
  const unknown: FieldError[] = named.filter((n) => !known.has(n.id)).map((n) => ({ field: n.field, message: 'This client has no diagnosis with this id.' }));
  if (unknown.length > 0) throw new ValidationError(unknown, 'The plan names diagnoses this client does not have.');
}

export function checkReferences(content: PlanContentParsed): void {
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

/** A client's plan book: the client's diagnoses and assessments, objective statuses from their scores. */
function clientBook(clientId: string, deps: PlanDeps): PlanBook {
  return {
    subject: { kind: 'client', clientId },
    holderId: clientId,
    plans: deps.plans,
    reviewDays: deps.settings.reviewDays,
    async checkContent(content) {
      checkReferences(content);
      await checkDiagnoses(clientId, content, deps);
    },
    async checkEvidence(ids) {
      if (ids.length === 0) return;
      const known = await deps.assessments.existing(clientId, ids);
      const unknown = ids.flatMap((id, index) => (known.has(id) ? [] : [{ field: `revision.evidence.assessmentIds.${index}`, message: 'This client has no assessment with this id.' }]));
      if (unknown.length > 0) throw new ValidationError(unknown, 'The evidence names assessments this client does not have.');
    },
    view: (plans, audience) => views(clientId, plans, audience, deps),
  };
}

/** Writes a new draft version (a first plan or a revision) and answers it in the care-team view. */
async function writeDraft<V extends PlanView>(book: PlanBook<V>, plan: StoredPlan): Promise<V> {
  const written = await book.plans.createDraft(plan);
  if (written === 'client_not_found') throw new NotFoundError();
  if (written === 'conflict') throw new PlanStateError('Another plan version was written at the same time. Load the plans and retry.');
  return one(book, plan, 'care_team');
}

export async function one<V extends PlanView>(book: PlanBook<V>, plan: StoredPlan, audience: PlanAudience): Promise<V> {
  const [view] = await book.view([plan], audience);
  return view!;
}

const newId = (deps: Pick<PlanDeps, 'newRecordId'>, at: Date) => (deps.newRecordId ?? uuidV7)(at);
const authorOf = (caller: Author) => ({ userId: caller.userId, role: caller.role });
const subjectFields = (subject: PlanSubject) => (subject.kind === 'client' ? { clientId: subject.clientId, subject } : { subject });

/** A first version (or one after an ended plan): no draft and no active version. */
export async function draftPlan<V extends PlanView>(book: PlanBook<V>, input: { caller: Author; planId: string; now: Date; request: PlanContentParsed }): Promise<V> {
  const versions = await book.plans.versions(book.holderId);
  if (versions.some((v) => v.status === 'draft')) throw new PlanStateError('There is already a draft plan: edit it (PATCH) or sign it.');
  if (versions.some((v) => v.status === 'active')) throw new PlanStateError('There is an active plan: change it with a revision.');
  await book.checkContent(input.request);
  const at = input.now.toISOString();
  const plan: StoredPlan = {
    ...resolveContent(input.request, input.now, book.reviewDays),
    planId: input.planId,
    ...subjectFields(book.subject),
    version: Math.max(0, ...versions.map((v) => v.version)) + 1,
    status: 'draft',
    createdAt: at,
    createdBy: authorOf(input.caller),
    updatedAt: at,
  };
  return writeDraft(book, plan);
}

export async function editDraft<V extends PlanView>(book: PlanBook<V>, input: { planId: string; now: Date; patch: EditPlanRequest }): Promise<V> {
  const draft = byPlanId(await book.plans.versions(book.holderId), input.planId);
  if (draft.status !== 'draft') throw new PlanStateError('Only a draft can be edited; change a signed plan with a revision.');
  const merged = { ...contentOf(draft), ...input.patch };
  await book.checkContent(merged);
  const plan: StoredPlan = { ...draft, ...merged, updatedAt: input.now.toISOString() };
  if ((await book.plans.updateDraft(plan, draft.updatedAt)) === 'conflict') throw new PlanStateError('The draft changed meanwhile (or was signed). Load it again.');
  return one(book, plan, 'care_team');
}

export async function signDraft<V extends PlanView>(book: PlanBook<V>, input: { caller: Author; planId: string; now: Date }): Promise<V> {
  const [versions, pointer, reviews] = await Promise.all([
    book.plans.versions(book.holderId),
    book.plans.activePointer(book.holderId),
    book.plans.reviews(book.holderId),
  ]);
  const draft = byPlanId(versions, input.planId);
  if (draft.status !== 'draft') throw new PlanStateError('Only a draft can be signed.');
  let replaced: StoredPlan | undefined;
  if (draft.replaces !== undefined) {
    if (pointer?.planId !== draft.replaces.planId) throw new PlanStateError('The version this draft revises is no longer the active plan.');
    replaced = byPlanId(versions, draft.replaces.planId);
  } else if (pointer !== undefined) {
    throw new PlanStateError('There is an active plan: change it with a revision.');
  }
  const at = input.now.toISOString();
  const plan: StoredPlan = { ...draft, status: 'active', signedAt: at, signedBy: authorOf(input.caller), updatedAt: at };
  const closeReviews = replaced === undefined ? [] : reviews.filter((r) => r.status === 'open' && r.planId === replaced.planId).map((r) => r.reviewId);
  if ((await book.plans.sign({ plan, ...(replaced ? { replaced } : {}), closeReviews })) === 'conflict') {
    throw new PlanStateError('The plan changed meanwhile (another version was signed). Load the plans again.');
  }
  return one(book, plan, 'care_team');
}

export async function reviseActive<V extends PlanView>(book: PlanBook<V>, input: { caller: Author; planId: string; newPlanId: string; now: Date; request: RevisePlanRequest }): Promise<V> {
  const versions = await book.plans.versions(book.holderId);
  const active = byPlanId(versions, input.planId);
  if (active.status !== 'active') throw new PlanStateError('Only the active plan can be revised.');
  if (versions.some((v) => v.status === 'draft')) throw new PlanStateError('A draft already exists: edit it or sign it.');
  const { revision, changes = {} } = input.request;
  const ids = revision.evidence.assessmentIds;
  await book.checkEvidence(ids);
  // A revision is a review: a new review date unless one is given.
  const content = { ...contentOf(active), nextReviewDate: dateAfter(input.now, book.reviewDays), ...changes };
  await book.checkContent(content);
  const at = input.now.toISOString();
  const plan: StoredPlan = {
    ...content,
    planId: input.newPlanId,
    ...subjectFields(active.subject),
    version: Math.max(...versions.map((v) => v.version)) + 1,
    status: 'draft',
    replaces: { planId: active.planId, version: active.version },
    revision: { reason: revision.reason, text: revision.text, evidence: { assessmentIds: [...ids] } },
    createdAt: at,
    createdBy: authorOf(input.caller),
    updatedAt: at,
  };
  return writeDraft(book, plan);
}

export async function endActive<V extends PlanView>(book: PlanBook<V>, input: { caller: Author; planId: string; now: Date; request: EndPlanRequest }): Promise<V> {
  const active = byPlanId(await book.plans.versions(book.holderId), input.planId);
  if (active.status !== 'active') throw new PlanStateError('Only the active plan can be completed or ended.');
  const at = input.now.toISOString();
  const plan: StoredPlan = { ...active, status: input.request.status, closedAt: at, closedBy: authorOf(input.caller), endReason: input.request.reason, updatedAt: at };
  if ((await book.plans.end(plan, active.updatedAt)) === 'conflict') throw new PlanStateError('The plan changed meanwhile. Load it again.');
  return one(book, plan, 'care_team');
}

/** The active version, acknowledged once by its reader (a repeat keeps the first); answered in the client view. */
export async function acknowledgeActive<V extends PlanView>(
  book: PlanBook<V>,
  input: { planId: string; now: Date; goalNotes: AcknowledgePlanRequest['goalNotes']; memberId?: string },
): Promise<V> {
  const plan = byPlanId(await book.plans.versions(book.holderId), input.planId);
  if (!visibleTo(plan, 'client')) throw new NotFoundError();
  if (plan.status !== 'active') throw new PlanStateError('Only your current plan can be acknowledged.');
  const goals = new Set(plan.goals.map((g) => g.id));
  const unknown = input.goalNotes.flatMap((n, index) => (goals.has(n.goalId) ? [] : [{ field: `goalNotes.${index}.goalId`, message: 'Your plan has no goal with this id.' }]));
  if (unknown.length > 0) throw new ValidationError(unknown, 'A note names a goal your plan does not have.');
  await book.plans.acknowledge(book.holderId, {
    planId: plan.planId,
    ...(input.memberId === undefined ? {} : { clientId: input.memberId }),
    version: plan.version,
    acknowledgedAt: input.now.toISOString(),
    goalNotes: input.goalNotes.map((n) => ({ ...n })),
  });
  return one(book, plan, 'client');
}

export async function createPlan(input: Request & { request: PlanContentParsed }, deps: PlanDeps): Promise<PlanView> {
  const now = deps.now();
  const planId = newId(deps, now);
  return withClientAccess(deps, await attempt(input, deps, { action: 'create', recordId: planId }), async (access) => {
    therapistOnly(access);
    return draftPlan(clientBook(input.clientId, deps), { caller: input.caller, planId, now, request: input.request });
  });
}

export async function editPlan(input: Request & { planId: string; patch: EditPlanRequest }, deps: PlanDeps): Promise<PlanView> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'update', recordId: input.planId }), async (access) => {
    therapistOnly(access);
    return editDraft(clientBook(input.clientId, deps), { planId: input.planId, now: deps.now(), patch: input.patch });
  });
}

export async function signPlan(input: Request & { planId: string }, deps: PlanDeps): Promise<PlanView> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'update', recordId: input.planId }), async (access) => {
    therapistOnly(access);
    return signDraft(clientBook(input.clientId, deps), { caller: input.caller, planId: input.planId, now: deps.now() });
  });
}

export async function revisePlan(input: Request & { planId: string; request: RevisePlanRequest }, deps: PlanDeps): Promise<PlanView> {
  const now = deps.now();
  const newPlanId = newId(deps, now);
  return withClientAccess(deps, await attempt(input, deps, { action: 'create', recordId: newPlanId }), async (access) => {
    therapistOnly(access);
    return reviseActive(clientBook(input.clientId, deps), { caller: input.caller, planId: input.planId, newPlanId, now, request: input.request });
  });
}

export async function endPlan(input: Request & { planId: string; request: EndPlanRequest }, deps: PlanDeps): Promise<PlanView> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'update', recordId: input.planId }), async (access) => {
    therapistOnly(access);
    return endActive(clientBook(input.clientId, deps), { caller: input.caller, planId: input.planId, now: deps.now(), request: input.request });
  });
}

export async function acknowledgePlan(input: Request & { planId: string; request: AcknowledgePlanRequest }, deps: PlanDeps): Promise<PlanView> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'update', recordId: input.planId }), async (access) => {
    if (access.basis !== 'self') throw new NotFoundError();
    return acknowledgeActive(clientBook(input.clientId, deps), { planId: input.planId, now: deps.now(), goalNotes: input.request.goalNotes });
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
    return one(clientBook(input.clientId, deps), current, audience);
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
    return one(clientBook(input.clientId, deps), plan, audience);
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
    return closeReviewUnchanged(clientBook(input.clientId, deps), { caller: input.caller, reviewId, reason, now: deps.now() });
  });
}

/** Closes an open review task of the book's holder with "no_change" and the reason (a client's plan, or a care unit's: unit-plans.ts). */
export async function closeReviewUnchanged(
  book: Pick<PlanBook, 'plans' | 'holderId'>,
  input: { caller: Author; reviewId: string; reason: string; now: Date },
): Promise<PlanReviewTaskView> {
  const task = (await book.plans.reviews(book.holderId)).find((r) => r.reviewId === input.reviewId);
  if (!task) throw new NotFoundError();
  if (task.status !== 'open') throw new PlanStateError('This review is already closed.');
  const closure = { closedAt: input.now.toISOString(), closedBy: authorOf(input.caller), reason: input.reason };
  if ((await book.plans.closeReview(book.holderId, input.reviewId, closure)) === 'not_open') throw new PlanStateError('This review is already closed.');
  return reviewTaskView({ ...task, ...closure, status: 'closed', outcome: 'no_change' });
}

/** An `Idempotency-Key` replay of a creating route: the decision for the caller now, the read audited. */
export async function authorizePlanReplay(input: Request, stored: unknown, deps: PlanDeps): Promise<void> {
  const recordId = storedRecordId(stored, 'planId');
  await authorizeReplay(deps, await attempt(input, deps, { action: 'create', ...(recordId === undefined ? {} : { recordId }) }), ['assigned_therapist']);
}
