/**
 * Diagnoses: POST and GET /v1/clients/{clientId}/diagnoses.
 *
 * recordDiagnosis (a clinician responsible for the client: the access policy allows
 * `diagnosis` writes to the assigned therapist and, before matching, the consultation
 * clinician only; everyone else 404, the client 403):
 *   1. a retry with the same Idempotency-Key finds the version it made
 *   2. withClientAccess (create for a new diagnosis, update for a new version; audited):
 *      a. every assessment named in `basis` must be an assessment of THIS client (400 naming
 *         the ones that are not; existence elsewhere never shows)
 *      b. write version 1 of a new diagnosis, or version n+1 of the one `revises` names:
 *         "if absent" and, for n+1, only when version n exists (a concurrent change -> 409)
 *   Nothing is updated in place or deleted: the history is every version.
 *
 * listDiagnoses: every diagnosis with its history (the client reads their own too).
 */
import { withinScope } from '../../domain/access.js';
import { ConcurrentChangeError, IdempotencyKeyReuseError, NotFoundError, ValidationError } from '../../domain/errors.js';
import {
  diagnosisVersion,
  groupDiagnoses,
  type DiagnosisList,
  type DiagnosisVersion,
  type RecordDiagnosisRequest,
} from '../../domain/monitor/diagnoses.js';
import type { Caller } from '../../domain/roles.js';
import { authorizeReplay, storedRecordId, withClientAccess, type ClientAccessAttempt } from '../access/client-access.js';
import { monitorAccess, newRecordId, sameContent, submissionKey, type MonitorDeps } from './dependencies.js';

export interface RecordDiagnosisInput {
  caller: Pick<Caller, 'userId' | 'role'>;
  clientId: string;
  request: RecordDiagnosisRequest;
  idempotencyKey?: string;
  requestId?: string;
}

const SUBMISSION_ROUTE = 'record-diagnosis';

/** What a retry must repeat: everything but ids, version and time. */
function content(v: DiagnosisVersion) {
  return { code: v.code, name: v.name, severity: v.severity, specifiers: v.specifiers, basis: v.basis, status: v.status };
}

export async function recordDiagnosis(input: RecordDiagnosisInput, deps: MonitorDeps): Promise<DiagnosisVersion> {
  const { caller, clientId, request } = input;
  const now = deps.now();
  const key = submissionKey(SUBMISSION_ROUTE, caller.userId, input.idempotencyKey);
  const earlier = key === undefined ? undefined : await deps.diagnoses.findBySubmissionKey(clientId, key);
  const target = earlier ?? {
    diagnosisId: request.revises?.diagnosisId ?? newRecordId(deps, now),
    version: request.revises ? request.revises.version + 1 : 1,
  };
  const fresh = diagnosisVersion(request, { ...target, clientId }, now.toISOString(), { userId: caller.userId, role: caller.role });

  return withClientAccess(
    deps,
    await monitorAccess(input, deps, { action: target.version === 1 ? 'create' : 'update', category: 'diagnosis', recordId: target.diagnosisId }),
    async () => {
      const record = earlier === undefined ? await write(fresh, key, deps) : await versionOf(clientId, earlier, deps);
      if (!sameContent(content(record), content(fresh))) throw new IdempotencyKeyReuseError();
      return record;
    },
  );
}

async function versionOf(clientId: string, target: { diagnosisId: string; version: number }, deps: MonitorDeps): Promise<DiagnosisVersion> {
  const found = (await deps.diagnoses.list(clientId)).find((v) => v.diagnosisId === target.diagnosisId && v.version === target.version);
  if (!found) throw new NotFoundError();
  return found;
}

async function write(fresh: DiagnosisVersion, key: string | undefined, deps: MonitorDeps): Promise<DiagnosisVersion> {
  const ids = fresh.basis.assessmentIds;
  if (ids.length > 0) {
    const known = await deps.assessments.existing(fresh.clientId, ids);
    const unknown = ids.flatMap((id, index) => (known.has(id) ? [] : [{ field: `basis.assessmentIds.${index}`, message: 'This client has no assessment with this id.' }]));
    if (unknown.length > 0) throw new ValidationError(unknown, 'The basis names assessments this client does not have.');
  }
  const result = await deps.diagnoses.record(fresh, key ? { submissionKey: key } : {});
  switch (result.outcome) {
    case 'created':
    case 'existing':
      return result.record;
    case 'conflict':
      throw new ConcurrentChangeError();
    case 'revised_not_found':
      throw new NotFoundError('This client has no such diagnosis version to revise.');
    case 'client_not_found':
      throw new NotFoundError();
  }
}

export interface ListDiagnosesInput {
  caller: Pick<Caller, 'userId' | 'role'>;
  clientId: string;
  requestId?: string;
}

export async function listDiagnoses(input: ListDiagnosesInput, deps: MonitorDeps): Promise<DiagnosisList> {
  const { clientId } = input;
  return withClientAccess(
    deps,
    await monitorAccess(input, deps, { action: 'list', category: 'diagnosis' }),
    async (access) => ({
      diagnoses: groupDiagnoses((await deps.diagnoses.list(clientId)).filter((v) => withinScope(access.scope, v.recordedAt))),
    }),
  );
}

/**
 * An `Idempotency-Key` replay of this route (shared/http/idempotency.ts): the route's decision
 * for the caller now (404 if their access ended meanwhile), and the read of the stored
 * response audited.
 */
export async function authorizeDiagnosisReplay(
  input: { caller: ClientAccessAttempt['caller']; clientId: string; requestId?: string },
  stored: unknown,
  deps: MonitorDeps,
): Promise<void> {
  const recordId = storedRecordId(stored, 'diagnosisId');
  await authorizeReplay(deps, await monitorAccess(input, deps, { action: storedVersion(stored) === 1 ? 'create' : 'update', category: 'diagnosis', ...(recordId === undefined ? {} : { recordId }) }));
}

function storedVersion(body: unknown): number | undefined {
  return typeof body === 'object' && body !== null && typeof (body as { version?: unknown }).version === 'number' ? (body as { version: number }).version : undefined;
}
