/**
 * The risk-task routes: GET /v1/risk-tasks, POST /v1/risk-tasks/{id}/acknowledge,
 * POST /v1/risk-tasks/{id}/assessment. Who may do what is decideRiskTaskAccess
 * (shared/domain/risk-tasks.ts); a denial is audited and answers 404 (403 only for the on-call
 * coordinator's assessment of their own task). Every task read or written gets an audit event
 * on the client's chain (who, role, action, record, client, time, outcome, purpose
 * `risk_review`), appended BEFORE the answer leaves (fail closed).
 */
import type { AccessBasis, AccessDenialReason, CareRelationship, RecordAction } from '../../domain/access.js';
import { ACCESS_DENIAL_REASONS } from '../../domain/access.js';
import { ForbiddenError, NotFoundError, RiskTaskAcknowledgedByOtherError, RiskTaskClosedError } from '../../domain/errors.js';
import { CLINICIAN_ROLES, type Role } from '../../domain/roles.js';
import { decideRiskTaskAccess, type RiskAssessmentRequest, type RiskTask, type RiskTaskAction } from '../../domain/risk-tasks.js';
import { buildAuditEvent } from '../access/client-access.js';
import type { AuditLog, CareRelationships } from '../ports.js';
import type { RiskTasks } from './ports.js';

export interface RiskTaskRouteDeps {
  tasks: RiskTasks;
  careTeam: Pick<CareRelationships, 'relationshipsOf'>;
  auditLog: AuditLog;
  now: () => Date;
  newId?: () => string;
}

export interface RouteCaller {
  userId: string;
  role: Role;
}

const isClinician = (role: Role) => (CLINICIAN_ROLES as readonly Role[]).includes(role);

async function relationshipsFor(caller: RouteCaller, clientId: string, deps: RiskTaskRouteDeps): Promise<CareRelationship[]> {
  // Only clinicians can hold a relationship; the policy ignores them for anyone else.
  return isClinician(caller.role) ? deps.careTeam.relationshipsOf(clientId) : [];
}

function audit(
  deps: RiskTaskRouteDeps,
  input: {
    caller: RouteCaller;
    task: Pick<RiskTask, 'clientId' | 'taskId'>;
    action: RecordAction;
    outcome: 'success' | 'denied' | 'failure';
    basis?: AccessBasis;
    denialReason?: AccessDenialReason;
    requestId?: string;
  },
): Promise<void> {
  return deps.auditLog.record(
    buildAuditEvent(
      { now: deps.now, ...(deps.newId ? { newEventId: deps.newId } : {}) },
      {
        actor: input.caller,
        clientId: input.task.clientId,
        purpose: 'risk_review',
        action: input.action,
        category: 'risk',
        recordId: input.task.taskId,
        outcome: input.outcome,
        ...(input.basis ? { basis: input.basis } : {}),
        ...(input.denialReason ? { denialReason: input.denialReason } : {}),
        ...(input.requestId ? { requestId: input.requestId } : {}),
      },
    ),
  );
}

/** The API's view: the task as stored (it never holds answers or scores, only ids and the level). */
export function riskTaskView(task: RiskTask): RiskTask {
  return JSON.parse(JSON.stringify(task)) as RiskTask;
}

/** Loads the task and decides; a denial is audited and thrown as 404 (or 403). */
async function authorize(
  input: { caller: RouteCaller; taskId: string; action: RiskTaskAction; requestId?: string },
  deps: RiskTaskRouteDeps,
): Promise<{ task: RiskTask; basis: AccessBasis }> {
  const task = await deps.tasks.get(input.taskId);
  // No task, no client to attach an event to: nothing was read.
  if (!task) throw new NotFoundError();
  const decision = decideRiskTaskAccess({
    caller: input.caller,
    task,
    relationships: await relationshipsFor(input.caller, task.clientId, deps),
    action: input.action,
    at: deps.now().toISOString(),
  });
  const action: RecordAction = input.action === 'read' ? 'read' : 'update';
  if (!decision.allowed) {
    const denialReason: AccessDenialReason = (ACCESS_DENIAL_REASONS as readonly string[]).includes(decision.reason)
      ? (decision.reason as AccessDenialReason)
      : 'purpose_not_allowed';
    await audit(deps, { caller: input.caller, task, action, outcome: 'denied', denialReason, ...(input.requestId ? { requestId: input.requestId } : {}) });
    if (decision.respondAs === 'forbidden') throw new ForbiddenError('A risk assessment needs the client’s clinician or a supervisor.');
    throw new NotFoundError();
  }
  return { task, basis: decision.basis };
}

/**
 * GET /v1/risk-tasks: a supervisor sees every open task; anyone else the open tasks assigned to
 * them that they may still act on (a rematch since the alert moves a task out of a former
 * clinician's hands). By deadline, soonest first.
 */
export async function listRiskTasks(input: { caller: RouteCaller; requestId?: string }, deps: RiskTaskRouteDeps): Promise<{ tasks: RiskTask[] }> {
  const { caller } = input;
  const candidates = caller.role === 'supervisor' ? await deps.tasks.listOpen() : await deps.tasks.listOpenAssignedTo(caller.userId);
  const relationships = new Map<string, CareRelationship[]>();
  const at = deps.now().toISOString();
  const visible: { task: RiskTask; basis: AccessBasis }[] = [];
  for (const task of candidates) {
    if (!relationships.has(task.clientId)) relationships.set(task.clientId, await relationshipsFor(caller, task.clientId, deps));
    const decision = decideRiskTaskAccess({ caller, task, relationships: relationships.get(task.clientId) ?? [], action: 'read', at });
    if (decision.allowed) visible.push({ task, basis: decision.basis });
  }
  for (const { task, basis } of visible) {
    await audit(deps, { caller, task, action: 'list', outcome: 'success', basis, ...(input.requestId ? { requestId: input.requestId } : {}) });
  }
  return { tasks: visible.map(({ task }) => riskTaskView(task)) };
}

/** POST /v1/risk-tasks/{id}/acknowledge: while nobody has; the same person again gets the same answer. */
export async function acknowledgeRiskTask(
  input: { caller: RouteCaller; taskId: string; requestId?: string },
  deps: RiskTaskRouteDeps,
): Promise<RiskTask> {
  const { task, basis } = await authorize({ ...input, action: 'acknowledge' }, deps);
  const request = input.requestId ? { requestId: input.requestId } : {};
  const result = await deps.tasks.acknowledge(task.taskId, input.caller.userId, deps.now().toISOString());
  switch (result.outcome) {
    case 'acknowledged':
    case 'already_acknowledged':
      await audit(deps, { caller: input.caller, task, action: 'update', outcome: 'success', basis, ...request });
      return riskTaskView(result.task);
    case 'acknowledged_by_other':
      await audit(deps, { caller: input.caller, task, action: 'update', outcome: 'failure', basis, ...request });
      throw new RiskTaskAcknowledgedByOtherError();
    case 'closed':
      await audit(deps, { caller: input.caller, task, action: 'update', outcome: 'failure', basis, ...request });
      throw new RiskTaskClosedError();
    case 'not_found':
      throw new NotFoundError();
  }
}

/**
 * POST /v1/risk-tasks/{id}/assessment: the clinician's risk assessment, safety plan and, when
 * needed, a referral to a higher level of care (stored under the client; the care lifecycle
 * moves the client to `referred`). Closes the task (acknowledging it if nobody had).
 */
export async function assessRiskTask(
  input: { caller: RouteCaller; taskId: string; assessment: RiskAssessmentRequest; requestId?: string },
  deps: RiskTaskRouteDeps,
): Promise<RiskTask> {
  const { task, basis } = await authorize({ ...input, action: 'assess' }, deps);
  const request = input.requestId ? { requestId: input.requestId } : {};
  const record = { ...input.assessment, assessedBy: input.caller.userId, assessedAt: deps.now().toISOString() };
  let result: Awaited<ReturnType<RiskTasks['assess']>>;
  try {
    result = await deps.tasks.assess(task.taskId, record, input.assessment.referral);
  } catch (error) {
    await audit(deps, { caller: input.caller, task, action: 'update', outcome: 'failure', basis, ...request });
    throw error;
  }
  if (result.outcome === 'not_found') throw new NotFoundError();
  if (result.outcome === 'closed') {
    await audit(deps, { caller: input.caller, task, action: 'update', outcome: 'failure', basis, ...request });
    throw new RiskTaskClosedError();
  }
  await audit(deps, { caller: input.caller, task, action: 'update', outcome: 'success', basis, ...request });
  return riskTaskView(result.task);
}

/**
 * An `Idempotency-Key` replay of an acknowledgement or an assessment (shared/http/idempotency.ts):
 * the caller must still be allowed to read the task NOW (a supervisor once the task is closed, a
 * clinician after a rematch: 404, audited `denied`); the read of the stored response is audited.
 */
export async function authorizeRiskTaskReplay(input: { caller: RouteCaller; taskId: string; requestId?: string }, deps: RiskTaskRouteDeps): Promise<void> {
  const { task, basis } = await authorize({ ...input, action: 'read' }, deps);
  await audit(deps, { caller: input.caller, task, action: 'read', outcome: 'success', basis, ...(input.requestId ? { requestId: input.requestId } : {}) });
}
