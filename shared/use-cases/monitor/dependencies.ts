/**
 * What the monitoring use cases (assessments, check-ins, diagnoses) are given, and the small
 * helpers they share: record ids, the purpose of an access, submission keys (list cursors:
 * cursors.ts).
 */
import { createHash } from 'node:crypto';
import type { AccessPurpose } from '../../domain/access.js';
import { canonicalJson } from '../../domain/audit.js';
import type { Thresholds } from '../../domain/instruments/thresholds.js';
import type { Role } from '../../domain/roles.js';
import type { ClientAccessAttempt, ClientAccessDeps } from '../access/client-access.js';
import type { RiskEscalationStarter } from '../ports.js';
import type { RiskTasks } from '../risk/ports.js';
import type { AssessmentRecords, CheckInRecords, DiagnosisRecords, PendingRiskEscalations } from './ports.js';
import { uuidV7 } from './record-ids.js';

/** Where operational problems go (the Powertools logger in a function): ids and error names only. */
export interface OperationalLog {
  warn(message: string, fields: Record<string, string | number | undefined>): void;
  error(message: string, fields: Record<string, string | number | undefined>): void;
}

export interface MonitorDeps extends ClientAccessDeps {
  assessments: AssessmentRecords;
  checkIns: CheckInRecords;
  diagnoses: DiagnosisRecords;
  pendingEscalations: PendingRiskEscalations;
  /** Whether the client has an open risk task: a supervisor's access depends on it. */
  riskTasks: Pick<RiskTasks, 'openTaskDeadlines'>;
  /** The risk-escalation workflow (routes that read only get one that refuses). */
  riskEscalation: RiskEscalationStarter;
  log: OperationalLog;
  now: () => Date;
  /** Default: a UUIDv7 of the given instant. */
  newRecordId?: (at: Date) => string;
  /** Default: DEFAULT_THRESHOLDS. */
  thresholds?: Thresholds;
  /** Waits between attempts to start the escalation. Default: setTimeout. */
  pause?: (ms: number) => Promise<void>;
  /** The HMAC key of list cursors (CURSOR_SIGNING_KEY; cursors.ts): the list routes only. */
  cursorSigningKey?: string;
}

export function newRecordId(deps: Pick<MonitorDeps, 'newRecordId'>, at: Date): string {
  return (deps.newRecordId ?? uuidV7)(at);
}

/**
 * Why the data is touched, fixed by the route for the caller's role (never chosen by the
 * caller): the client acts on their own record; a supervisor reviews risk; other clinicians
 * act for treatment. The free consultation is an assessment for treatment too, and
 * `treatment` is a purpose of both the consultation-clinician and the assigned-therapist bases
 * (shared/domain/access.ts), so one purpose serves every clinician who may act. `risk_review`
 * is a purpose of those two bases as well, so a supervisor who is also the client's clinician
 * keeps that access; otherwise a supervisor reads only while the client has an open risk task.
 */
export function purposeFor(role: Role): AccessPurpose {
  if (role === 'client') return 'self_access';
  return role === 'supervisor' ? 'risk_review' : 'treatment';
}

/** The purpose of the access and, for a supervisor, the deadlines of the client's open risk tasks. */
async function accessContext(
  caller: { role: Role },
  clientId: string,
  deps: Pick<MonitorDeps, 'riskTasks'>,
): Promise<{ purpose: AccessPurpose; openRiskTasks?: { dueAt: string }[] }> {
  const purpose = purposeFor(caller.role);
  if (caller.role !== 'supervisor') return { purpose };
  return { purpose, openRiskTasks: (await deps.riskTasks.openTaskDeadlines(clientId)).map((dueAt) => ({ dueAt })) };
}

/**
 * The access attempt of a monitoring request on the client's record: the caller's purpose
 * (and a supervisor's open risk task) looked up here, the request id joined when known.
 */
export async function monitorAccess(
  request: { caller: ClientAccessAttempt['caller']; clientId: string; requestId?: string },
  deps: Pick<MonitorDeps, 'riskTasks'>,
  what: Pick<ClientAccessAttempt, 'action' | 'category' | 'recordId'>,
): Promise<ClientAccessAttempt> {
  const { caller, clientId } = request;
  return {
    caller,
    clientId,
    ...(await accessContext(caller, clientId, deps)),
    ...what,
    ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
  };
}

/** The stored form of an Idempotency-Key: bound to the route and the caller, and not the raw key. */
export function submissionKey(route: string, callerId: string, idempotencyKey: string | undefined): string | undefined {
  if (idempotencyKey === undefined || idempotencyKey === '') return undefined;
  return createHash('sha256').update(`${route}\n${callerId}\n${idempotencyKey}`).digest('hex');
}

/** Whether two submissions carry the same content (key order does not matter). */
export function sameContent(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
