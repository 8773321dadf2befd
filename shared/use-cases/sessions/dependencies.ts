/**
 * What the session use cases are given, and the access step they all share: the ONE access
 * policy (shared/domain/access.ts, category `session`) with its audit event, narrowed to the
 * bases a route serves (booking and changes: the client and the assigned therapist only).
 */
import type { AccessBasis, AccessPurpose, RecordAction } from '../../domain/access.js';
import type { AuditOutcome } from '../../domain/audit.js';
import { NoTherapistError, NotFoundError } from '../../domain/errors.js';
import type { Role } from '../../domain/roles.js';
import type { SessionPolicy } from '../../domain/sessions/sessions.js';
import { authorizeClientAccess, buildAuditEvent, type AllowedAccess, type ClientAccessDeps } from '../access/client-access.js';
import type { ConsultationClinician, ConsultationDirectory, ConsultationRecords } from '../consultations/ports.js';
import { sessionExecutionName, type SessionWorkflowInput } from '../../domain/sessions/workflow.js';
import type { AuditLog, CareRelationships, ClientRecords, WorkflowStarter } from '../ports.js';
import type { SessionRecords } from './ports.js';

export interface SessionDeps {
  sessions: SessionRecords;
  /** The lock cells sessions share with consultations (one clinician, one calendar). */
  locks: Pick<ConsultationRecords, 'lockedCells'>;
  directory: Pick<ConsultationDirectory, 'getConsultationClinician'>;
  clients: Pick<ClientRecords, 'getProfile'>;
  careTeam: Pick<CareRelationships, 'relationshipsOf'>;
  auditLog: AuditLog;
  /** The session workflow (workflows/session.asl.json): confirmation, reminders, cancellation notice. */
  workflow: WorkflowStarter;
  formerClinicianAccessDays?: number;
  policy: SessionPolicy;
  now: () => Date;
  newId: () => string;
}

export interface Caller {
  userId: string;
  role: Role;
}

export interface SessionAttempt {
  caller: Caller;
  clientId: string;
  action: RecordAction;
  recordId?: string;
  recordCreatedAt?: string;
  requestId?: string;
}

/** Starts (or finds, for a retry) the run of this input: the name is deterministic (one per session and version). */
export async function startSessionWorkflow(workflow: WorkflowStarter, input: SessionWorkflowInput): Promise<void> {
  await workflow.start({ name: sessionExecutionName(input), input });
}

/** The clinicians' purpose is treatment; a client's own record is self access. */
export function purposeFor(role: Role): AccessPurpose {
  return role === 'client' ? 'self_access' : 'treatment';
}

/** Booking, moving, cancelling: the client, or the assigned therapist. */
export const SCHEDULING_BASES: readonly AccessBasis[] = ['self', 'assigned_therapist'];

function accessDeps(deps: SessionDeps): ClientAccessDeps {
  return {
    careTeam: deps.careTeam,
    auditLog: deps.auditLog,
    now: deps.now,
    ...(deps.formerClinicianAccessDays === undefined ? {} : { formerClinicianAccessDays: deps.formerClinicianAccessDays }),
  };
}

function auditOf(deps: SessionDeps, attempt: SessionAttempt, outcome: AuditOutcome, basis?: AccessBasis) {
  return buildAuditEvent(deps, {
    actor: attempt.caller,
    clientId: attempt.clientId,
    purpose: purposeFor(attempt.caller.role),
    action: attempt.action,
    category: 'session',
    outcome,
    ...(basis === undefined ? {} : { basis }),
    ...(outcome === 'denied' ? { denialReason: basis === 'former_clinician' ? ('relationship_ended' as const) : ('action_not_allowed' as const) } : {}),
    ...(attempt.recordId === undefined ? {} : { recordId: attempt.recordId }),
    ...(attempt.requestId === undefined ? {} : { requestId: attempt.requestId }),
  });
}

/**
 * Access policy -> work -> audit event, as withClientAccess, with the route's bases: another
 * basis (a supervisor reading is fine, but not booking) is a denial, audited, 404.
 */
export async function withSessionAccess<T>(
  deps: SessionDeps,
  attempt: SessionAttempt,
  bases: readonly AccessBasis[] | 'any',
  work: (access: AllowedAccess) => Promise<T>,
): Promise<T> {
  const access = await authorizeClientAccess(accessDeps(deps), {
    caller: attempt.caller,
    clientId: attempt.clientId,
    purpose: purposeFor(attempt.caller.role),
    action: attempt.action,
    category: 'session',
    ...(attempt.recordId === undefined ? {} : { recordId: attempt.recordId }),
    ...(attempt.recordCreatedAt === undefined ? {} : { recordCreatedAt: attempt.recordCreatedAt }),
    ...(attempt.requestId === undefined ? {} : { requestId: attempt.requestId }),
  });
  if (bases !== 'any' && !bases.includes(access.basis)) {
    await deps.auditLog.record(auditOf(deps, attempt, 'denied', access.basis));
    throw new NotFoundError();
  }
  let result: T;
  try {
    result = await work(access);
  } catch (error) {
    await deps.auditLog.record(auditOf(deps, attempt, 'failure', access.basis));
    throw error;
  }
  await deps.auditLog.record(auditOf(deps, attempt, 'success', access.basis));
  return result;
}

/** The client's CURRENT assigned therapist (an active `therapist` relationship), with hours and room. */
export async function currentTherapistOf(deps: Pick<SessionDeps, 'careTeam' | 'directory'>, clientId: string): Promise<ConsultationClinician> {
  const relationships = await deps.careTeam.relationshipsOf(clientId);
  const active = relationships.find((r) => r.kind === 'therapist' && r.endedAt === undefined);
  if (!active) throw new NoTherapistError();
  const therapist = await deps.directory.getConsultationClinician(active.clinicianId);
  if (!therapist) throw new NoTherapistError();
  return therapist;
}
