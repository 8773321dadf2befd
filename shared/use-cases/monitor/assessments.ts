/**
 * Assessments: POST and GET /v1/clients/{clientId}/assessments.
 *
 * submitAssessment:
 *   1. score the (route-validated) answers with the instrument's pure scoring
 *   2. a retry with the same Idempotency-Key finds the record it made (consistent read)
 *   3. withClientAccess (create, assessment; audited): store the assessment, its
 *      per-instrument copy, the submission key and, when a risk flag was raised, a
 *      pending-escalation marker, in ONE transaction (only if the client exists)
 *   4. only then, with any risk flag: start the risk escalation (retried); if it cannot be
 *      started, 503 with the record kept (see risk-escalation.ts)
 *   5. answer: the assessment as the caller's audience sees it; for a client with a risk
 *      flag, the crisis resources
 * If the audit append fails after the store (step 3 throws), a flagged assessment's
 * escalation is still started before the error goes back: the alert must not depend on it.
 *
 * listAssessments: newest first, one instrument or all, paginated by an opaque cursor; with
 * the outcome summary (baseline, latest, change, reliable change, response, remission,
 * caseness, not on track) per instrument over the whole series. A former clinician sees only
 * records created within their relationship (access scope), queried by those windows; the
 * cursor is signed and bound to the list, client and caller (cursors.ts).
 */
import { withinScope, type CareRelationship } from '../../domain/access.js';
import { IdempotencyKeyReuseError, NotFoundError, RiskEscalationNotStartedError } from '../../domain/errors.js';
import type { InstrumentId } from '../../domain/instruments/definition.js';
import { outcomeRulesFor, summarizeOutcomes, type OutcomeSummary } from '../../domain/instruments/outcomes.js';
import { scoreAssessment, type AssessmentSubmission } from '../../domain/instruments/registry.js';
import { DEFAULT_THRESHOLDS } from '../../domain/instruments/thresholds.js';
import { INSTRUMENT_IDS } from '../../domain/instruments/definition.js';
import {
  assessmentView,
  audienceOf,
  type AssessmentHistory,
  type AssessmentHistoryQuery,
  type StoredAssessment,
  type SubmitAssessmentResponse,
} from '../../domain/monitor/assessments.js';
import { crisisResourcesFor } from '../../domain/monitor/crisis-resources.js';
import type { Caller } from '../../domain/roles.js';
import { authorizeReplay, storedRecordId, withClientAccess, type ClientAccessAttempt } from '../access/client-access.js';
import { decodeCursor, encodeCursor, type CursorContext } from './cursors.js';
import { monitorAccess, newRecordId, sameContent, submissionKey, type MonitorDeps } from './dependencies.js';
import { pendingEscalationFor, startRiskEscalation } from './risk-escalation.js';

export interface SubmitAssessmentInput {
  caller: Pick<Caller, 'userId' | 'role'>;
  clientId: string;
  submission: AssessmentSubmission;
  idempotencyKey?: string;
  requestId?: string;
}

const SUBMISSION_ROUTE = 'submit-assessment';

export async function submitAssessment(input: SubmitAssessmentInput, deps: MonitorDeps): Promise<SubmitAssessmentResponse> {
  const { caller, clientId, submission } = input;
  const result = scoreAssessment(submission, deps.thresholds ?? DEFAULT_THRESHOLDS);
  const now = deps.now();
  const key = submissionKey(SUBMISSION_ROUTE, caller.userId, input.idempotencyKey);
  const earlier = key === undefined ? undefined : await deps.assessments.findBySubmissionKey(clientId, key);

  const fresh: StoredAssessment = {
    assessmentId: earlier ?? newRecordId(deps, now),
    clientId,
    instrument: submission.instrument,
    answers: submission.answers,
    result,
    submittedAt: now.toISOString(),
    submittedBy: { userId: caller.userId, role: caller.role },
  };

  let kept: StoredAssessment | undefined;
  const escalationOf = (record: StoredAssessment) =>
    pendingEscalationFor(clientId, record.result.riskFlags, { type: 'assessment', id: record.assessmentId }, record.submittedAt);

  let stored: StoredAssessment;
  try {
    stored = await withClientAccess(
      deps,
      await monitorAccess(input, deps, { action: 'create', category: 'assessment', recordId: fresh.assessmentId }),
      async () => {
        const record = earlier === undefined ? await save(fresh, key, escalationOf(fresh), deps) : await deps.assessments.get(clientId, earlier);
        if (!record) throw new NotFoundError();
        kept = record;
        // The same key with other answers is another submission, not a retry.
        if (record.instrument !== submission.instrument || !sameContent(record.answers, submission.answers)) throw new IdempotencyKeyReuseError();
        return record;
      },
    );
  } catch (error) {
    const pending = kept && escalationOf(kept);
    if (pending && !(error instanceof IdempotencyKeyReuseError)) await startRiskEscalation(pending, deps);
    throw error;
  }

  const crisisResources = crisisResourcesFor(caller, stored.result.riskFlags);
  const pending = escalationOf(stored);
  if (pending && !(await startRiskEscalation(pending, deps))) throw new RiskEscalationNotStartedError(stored.assessmentId, crisisResources);
  const view = assessmentView(stored, audienceOf(caller.role));
  return crisisResources ? { ...view, crisisResources } : view;
}

async function save(
  record: StoredAssessment,
  key: string | undefined,
  pending: ReturnType<typeof pendingEscalationFor>,
  deps: MonitorDeps,
): Promise<StoredAssessment | undefined> {
  const saved = await deps.assessments.save(record, { ...(key ? { submissionKey: key } : {}), ...(pending ? { pendingEscalation: pending } : {}) });
  return saved.outcome === 'client_not_found' ? undefined : saved.record;
}

export interface ListAssessmentsInput {
  caller: Pick<Caller, 'userId' | 'role'>;
  clientId: string;
  query: AssessmentHistoryQuery;
  requestId?: string;
}

/** Instruments with outcome rules (the C-SSRS screener triages; it has no series to summarize). */
export const OUTCOME_INSTRUMENTS: readonly InstrumentId[] = INSTRUMENT_IDS.filter((id) => outcomeRulesFor(id) !== null);

const WEEK_MS = 7 * 86_400_000;

/** Weeks since the current therapist relationship began, or undefined before matching. */
export function weeksInCare(relationships: readonly CareRelationship[], now: Date): number | undefined {
  const starts = relationships.filter((r) => r.kind === 'therapist' && r.endedAt === undefined).map((r) => Date.parse(r.startedAt));
  if (starts.length === 0) return undefined;
  return Math.max(0, (now.getTime() - Math.min(...starts)) / WEEK_MS);
}

export async function listAssessments(input: ListAssessmentsInput, deps: MonitorDeps): Promise<AssessmentHistory> {
  const { caller, clientId, query } = input;
  const cursorContext: CursorContext = { list: `assessments:${query.instrument ?? 'all'}`, clientId, callerId: caller.userId };
  const after = decodeCursor(query.cursor, deps.cursorSigningKey, cursorContext);
  return withClientAccess(
    deps,
    await monitorAccess(input, deps, { action: 'list', category: 'assessment' }),
    async (access) => {
      const now = deps.now();
      const page = await deps.assessments.list(clientId, {
        limit: query.limit,
        ...(after ? { after } : {}),
        ...(query.instrument ? { instrument: query.instrument } : {}),
        // A former clinician's windows bound the query itself: the cursor never comes from a row they may not see.
        ...(access.scope.kind === 'created_within' ? { within: access.scope.windows } : {}),
      });
      const audience = audienceOf(caller.role);
      const items = page.items.filter((a) => withinScope(access.scope, a.submittedAt)).map((a) => assessmentView(a, audience));

      const instruments = query.instrument ? OUTCOME_INSTRUMENTS.filter((id) => id === query.instrument) : OUTCOME_INSTRUMENTS;
      const weeks = weeksInCare(await deps.careTeam.relationshipsOf(clientId), now);
      const thresholds = deps.thresholds ?? DEFAULT_THRESHOLDS;
      const outcomes: OutcomeSummary[] = [];
      for (const instrument of instruments) {
        const series = (await deps.assessments.series(clientId, instrument)).filter((p) => withinScope(access.scope, p.at));
        const summary = summarizeOutcomes(
          instrument,
          series.map(({ total, at }) => ({ total, at })),
          { thresholds, ...(weeks === undefined ? {} : { weeksInCare: weeks }) },
        );
        if (summary) outcomes.push(summary);
      }
      return { items, nextCursor: encodeCursor(page.lastKey, deps.cursorSigningKey, cursorContext), outcomes };
    },
  );
}

/**
 * An `Idempotency-Key` replay of this route (shared/http/idempotency.ts): the route's decision
 * for the caller now (404 if their access ended meanwhile), and the read of the stored
 * response audited.
 */
export async function authorizeAssessmentReplay(
  input: { caller: ClientAccessAttempt['caller']; clientId: string; requestId?: string },
  stored: unknown,
  deps: MonitorDeps,
): Promise<void> {
  const recordId = storedRecordId(stored, 'assessmentId');
  await authorizeReplay(deps, await monitorAccess(input, deps, { action: 'create', category: 'assessment', ...(recordId === undefined ? {} : { recordId }) }));
}
