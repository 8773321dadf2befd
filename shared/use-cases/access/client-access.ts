/**
 * The one way a use case touches a client's health records: check the access policy
 * (shared/domain/access.ts) and write the audit event (shared/domain/audit.ts).
 *
 * withClientAccess(deps, attempt, work):
 *   1. load the client's care relationships (clinicians only: the policy ignores them otherwise)
 *   2. decide; on a denial append a `denied` event and throw NotFoundError (404, existence does
 *      not leak) or ForbiddenError (403, a client on their own record)
 *   3. run `work` with the decision (a former clinician's decision is scoped: filter lists with
 *      `withinScope(access.scope, createdAt)`)
 *   4. append a `success` event, or a `failure` event when `work` throws (then rethrow)
 * The result is returned only after its event is appended: if the audit log cannot be written,
 * the caller gets an error, not the data (fail closed). An append failing after a successful
 * write leaves that write without its event; AuditAppendError says which client.
 *
 * Record ids: pass `recordId` in the attempt for one record; for a new record, make its id
 * before calling (the event names the record created).
 */
import { randomUUID } from 'node:crypto';
import {
  decideClientAccess,
  type AccessBasis,
  type AccessDecision,
  type AccessDenialReason,
  type AccessPurpose,
  type ClientRecordCategory,
  type RecordAction,
} from '../../domain/access.js';
import type { AuditActorRole, AuditEvent, AuditOutcome } from '../../domain/audit.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { CLINICIAN_ROLES, type Role } from '../../domain/roles.js';
import type { ClientStage } from '../../domain/signup.js';
import type { AuditLog, CareRelationships } from '../ports.js';

export type AllowedAccess = Extract<AccessDecision, { allowed: true }>;

export interface ClientAccessDeps {
  careTeam: Pick<CareRelationships, 'relationshipsOf'>;
  auditLog: AuditLog;
  /** The clock (shared/adapters/clock.ts `now` in production). */
  now: () => Date;
  /** Default: a random UUID. */
  newEventId?: () => string;
  /** Days a former clinician keeps read access after the end (shared/config/access.ts); default 90. */
  formerClinicianAccessDays?: number;
}

/** What a use case is about to do, and for whom. */
export interface ClientAccessAttempt {
  caller: { userId: string; role: Role };
  clientId: string;
  purpose: AccessPurpose;
  action: RecordAction;
  category: ClientRecordCategory;
  /** The record acted on (absent for lists). */
  recordId?: string;
  recordCreatedAt?: string;
  /** Required for psychotherapy notes (see decideClientAccess). */
  recordAuthorId?: string;
  /** The deadlines of the client's open risk tasks: needed for a supervisor (see decideClientAccess). */
  openRiskTasks?: readonly { dueAt: string }[];
  /** The client's stage: needed for a coordinator's role basis (see decideClientAccess). */
  clientStage?: ClientStage;
  /** The API request id or workflow execution, to join the event with logs. */
  requestId?: string;
}

export interface AuditEventInput {
  actor: { userId: string; role: AuditActorRole };
  clientId: string;
  purpose: AccessPurpose;
  action: RecordAction;
  category: ClientRecordCategory;
  recordId?: string;
  outcome: AuditOutcome;
  basis?: AccessBasis;
  denialReason?: AccessDenialReason;
  requestId?: string;
}

/** An event with its id and time filled in; for workflows (actor role `system`) and the helpers below. */
export function buildAuditEvent(deps: Pick<ClientAccessDeps, 'now' | 'newEventId'>, input: AuditEventInput): AuditEvent {
  const event: AuditEvent = {
    eventId: (deps.newEventId ?? randomUUID)(),
    at: deps.now().toISOString(),
    actor: { userId: input.actor.userId, role: input.actor.role },
    action: input.action,
    record: input.recordId === undefined ? { category: input.category } : { category: input.category, id: input.recordId },
    clientId: input.clientId,
    purpose: input.purpose,
    outcome: input.outcome,
  };
  if (input.basis !== undefined) event.basis = input.basis;
  if (input.denialReason !== undefined) event.denialReason = input.denialReason;
  if (input.requestId !== undefined) event.requestId = input.requestId;
  return event;
}

function eventOf(attempt: ClientAccessAttempt, outcome: AuditOutcome, extra: Pick<AuditEventInput, 'basis' | 'denialReason'>): AuditEventInput {
  return {
    actor: attempt.caller,
    clientId: attempt.clientId,
    purpose: attempt.purpose,
    action: attempt.action,
    category: attempt.category,
    outcome,
    ...extra,
    ...(attempt.recordId === undefined ? {} : { recordId: attempt.recordId }),
    ...(attempt.requestId === undefined ? {} : { requestId: attempt.requestId }),
  };
}

/**
 * Steps 1-2 of withClientAccess: the decision, or a `denied` event and NotFoundError /
 * ForbiddenError. Use it only when the work's own audit event is written some other way.
 */
export async function authorizeClientAccess(deps: ClientAccessDeps, attempt: ClientAccessAttempt): Promise<AllowedAccess> {
  const relationships = (CLINICIAN_ROLES as readonly Role[]).includes(attempt.caller.role) ? await deps.careTeam.relationshipsOf(attempt.clientId) : [];
  const decision = decideClientAccess({
    caller: attempt.caller,
    clientId: attempt.clientId,
    relationships,
    purpose: attempt.purpose,
    action: attempt.action,
    category: attempt.category,
    ...(attempt.recordCreatedAt === undefined ? {} : { recordCreatedAt: attempt.recordCreatedAt }),
    ...(attempt.recordAuthorId === undefined ? {} : { recordAuthorId: attempt.recordAuthorId }),
    ...(attempt.openRiskTasks === undefined ? {} : { openRiskTasks: attempt.openRiskTasks }),
    at: deps.now().toISOString(),
    ...(attempt.clientStage === undefined ? {} : { clientStage: attempt.clientStage }),
    ...(deps.formerClinicianAccessDays === undefined ? {} : { formerClinicianAccessDays: deps.formerClinicianAccessDays }),
  });
  if (decision.allowed) return decision;
  await deps.auditLog.record(buildAuditEvent(deps, eventOf(attempt, 'denied', { denialReason: decision.reason })));
  throw decision.respondAs === 'forbidden' ? new ForbiddenError() : new NotFoundError();
}

/** Checks access, runs `work`, appends its audit event, then returns its result (see the header). */
export async function withClientAccess<T>(
  deps: ClientAccessDeps,
  attempt: ClientAccessAttempt,
  work: (access: AllowedAccess) => Promise<T>,
): Promise<T> {
  const access = await authorizeClientAccess(deps, attempt);
  let result: T;
  try {
    result = await work(access);
  } catch (error) {
    await deps.auditLog.record(buildAuditEvent(deps, eventOf(attempt, 'failure', { basis: access.basis })));
    throw error;
  }
  await deps.auditLog.record(buildAuditEvent(deps, eventOf(attempt, 'success', { basis: access.basis })));
  return result;
}

/**
 * An `Idempotency-Key` replay (shared/http/idempotency.ts): before a stored response leaves
 * again, the route's own decision for the caller NOW (a denial is audited and thrown, as for
 * the request itself: a caller whose access ended meanwhile gets 404), then a `read` event of
 * the record the stored response shows. `bases`: the bases the route serves, when fewer than
 * the policy allows (another basis is a denial, 404).
 */
export async function authorizeReplay(deps: ClientAccessDeps, attempt: ClientAccessAttempt, bases?: readonly AccessBasis[]): Promise<AllowedAccess> {
  const access = await authorizeClientAccess(deps, attempt);
  if (bases !== undefined && !bases.includes(access.basis)) {
    const denialReason: AccessDenialReason = access.basis === 'former_clinician' ? 'relationship_ended' : 'action_not_allowed';
    await deps.auditLog.record(buildAuditEvent(deps, eventOf(attempt, 'denied', { denialReason })));
    throw new NotFoundError();
  }
  await deps.auditLog.record(buildAuditEvent(deps, eventOf({ ...attempt, action: 'read' }, 'success', { basis: access.basis })));
  return access;
}

/** The id field of a stored response body, when it has one (the record a replay shows). */
export function storedRecordId(body: unknown, field: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}
