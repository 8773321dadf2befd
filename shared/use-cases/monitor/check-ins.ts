/**
 * Check-ins: POST and GET /v1/clients/{clientId}/check-ins.
 *
 * recordCheckIn (the client, on their own record):
 *   1. a retry with the same Idempotency-Key finds the check-in it made
 *   2. withClientAccess (create, check_in; audited): store it (with a pending-escalation
 *      marker when it reports thoughts of self-harm) in ONE transaction
 *   3. only then, with the self-harm flag (checkInSelfHarmFlag, "like a PHQ-9 item 9"): start
 *      the risk escalation, retried; 503 with the check-in kept if it cannot be started
 *   4. answer: the check-in, and the crisis resources when flagged
 *
 * listCheckIns: newest first, paginated, with 7-day and 28-day averages (pure checkInTrends
 * over every check-in of the last 28 days, not only the page).
 */
import { withinScope } from '../../domain/access.js';
import { IdempotencyKeyReuseError, NotFoundError, RiskEscalationNotStartedError } from '../../domain/errors.js';
import { checkInSelfHarmFlag } from '../../domain/instruments/check-in-risk.js';
import { DEFAULT_THRESHOLDS } from '../../domain/instruments/thresholds.js';
import {
  checkInTrends,
  checkInView,
  trendsStart,
  type CheckInList,
  type CheckInListQuery,
  type CheckInRequest,
  type RecordCheckInResponse,
  type StoredCheckIn,
} from '../../domain/monitor/check-ins.js';
import { crisisResourcesFor } from '../../domain/monitor/crisis-resources.js';
import type { Caller } from '../../domain/roles.js';
import { authorizeReplay, storedRecordId, withClientAccess, type ClientAccessAttempt } from '../access/client-access.js';
import { decodeCursor, encodeCursor, type CursorContext } from './cursors.js';
import { monitorAccess, newRecordId, sameContent, submissionKey, type MonitorDeps } from './dependencies.js';
import { pendingEscalationFor, startRiskEscalation } from './risk-escalation.js';

export interface RecordCheckInInput {
  caller: Pick<Caller, 'userId' | 'role'>;
  clientId: string;
  checkIn: CheckInRequest;
  idempotencyKey?: string;
  requestId?: string;
}

const SUBMISSION_ROUTE = 'record-check-in';

/** The fields a client sends, as stored: what a retry must repeat exactly. */
function content(checkIn: CheckInRequest): CheckInRequest {
  const { mood, anxiety, sleepHours, triggers, copingSkills, note, selfHarmThoughts } = checkIn;
  return { mood, anxiety, sleepHours, triggers, copingSkills, ...(note === undefined ? {} : { note }), selfHarmThoughts };
}

export async function recordCheckIn(input: RecordCheckInInput, deps: MonitorDeps): Promise<RecordCheckInResponse> {
  const { caller, clientId } = input;
  const now = deps.now();
  const key = submissionKey(SUBMISSION_ROUTE, caller.userId, input.idempotencyKey);
  const earlier = key === undefined ? undefined : await deps.checkIns.findBySubmissionKey(clientId, key);
  const flag = checkInSelfHarmFlag(input.checkIn.selfHarmThoughts, deps.thresholds ?? DEFAULT_THRESHOLDS);
  const fresh: StoredCheckIn = {
    ...content(input.checkIn),
    checkInId: earlier ?? newRecordId(deps, now),
    clientId,
    recordedAt: now.toISOString(),
    recordedBy: { userId: caller.userId, role: caller.role },
    riskFlags: flag ? [flag] : [],
  };
  const escalationOf = (record: StoredCheckIn) =>
    pendingEscalationFor(clientId, record.riskFlags, { type: 'check_in', id: record.checkInId }, record.recordedAt);

  let kept: StoredCheckIn | undefined;
  let stored: StoredCheckIn;
  try {
    stored = await withClientAccess(
      deps,
      await monitorAccess(input, deps, { action: 'create', category: 'check_in', recordId: fresh.checkInId }),
      async () => {
        let record: StoredCheckIn | undefined;
        if (earlier === undefined) {
          const pending = escalationOf(fresh);
          const saved = await deps.checkIns.save(fresh, { ...(key ? { submissionKey: key } : {}), ...(pending ? { pendingEscalation: pending } : {}) });
          record = saved.outcome === 'client_not_found' ? undefined : saved.record;
        } else {
          record = await deps.checkIns.get(clientId, earlier);
        }
        if (!record) throw new NotFoundError();
        kept = record;
        if (!sameContent(content(record), content(input.checkIn))) throw new IdempotencyKeyReuseError();
        return record;
      },
    );
  } catch (error) {
    const pending = kept && escalationOf(kept);
    if (pending && !(error instanceof IdempotencyKeyReuseError)) await startRiskEscalation(pending, deps);
    throw error;
  }

  const crisisResources = crisisResourcesFor(caller, stored.riskFlags);
  const pending = escalationOf(stored);
  if (pending && !(await startRiskEscalation(pending, deps))) throw new RiskEscalationNotStartedError(stored.checkInId, crisisResources);
  const view = checkInView(stored);
  return crisisResources ? { ...view, crisisResources } : view;
}

export interface ListCheckInsInput {
  caller: Pick<Caller, 'userId' | 'role'>;
  clientId: string;
  query: CheckInListQuery;
  requestId?: string;
}

export async function listCheckIns(input: ListCheckInsInput, deps: MonitorDeps): Promise<CheckInList> {
  const { clientId, query } = input;
  const cursorContext: CursorContext = { list: 'check-ins', clientId, callerId: input.caller.userId };
  const after = decodeCursor(query.cursor, deps.cursorSigningKey, cursorContext);
  return withClientAccess(
    deps,
    await monitorAccess(input, deps, { action: 'list', category: 'check_in' }),
    async (access) => {
      const now = deps.now();
      // A former clinician's windows bound the query itself: the cursor never comes from a row they may not see.
      const within = access.scope.kind === 'created_within' ? { within: access.scope.windows } : {};
      const page = await deps.checkIns.list(clientId, { limit: query.limit, ...(after ? { after } : {}), ...within });
      const recent = (await deps.checkIns.since(clientId, trendsStart(now).toISOString())).filter((c) => withinScope(access.scope, c.recordedAt));
      return {
        items: page.items.filter((c) => withinScope(access.scope, c.recordedAt)).map(checkInView),
        nextCursor: encodeCursor(page.lastKey, deps.cursorSigningKey, cursorContext),
        trends: checkInTrends(recent, now),
      };
    },
  );
}

/**
 * An `Idempotency-Key` replay of this route (shared/http/idempotency.ts): the route's decision
 * for the caller now (404 if their access ended meanwhile), and the read of the stored
 * response audited.
 */
export async function authorizeCheckInReplay(
  input: { caller: ClientAccessAttempt['caller']; clientId: string; requestId?: string },
  stored: unknown,
  deps: MonitorDeps,
): Promise<void> {
  const recordId = storedRecordId(stored, 'checkInId');
  await authorizeReplay(deps, await monitorAccess(input, deps, { action: 'create', category: 'check_in', ...(recordId === undefined ? {} : { recordId }) }));
}
