/** submitAssessment and listAssessments with in-memory fakes: scoring, storage, access, audit, risk escalation. */
import { describe, expect, it } from 'vitest';
import {
  IdempotencyKeyReuseError,
  NotFoundError,
  RiskEscalationNotStartedError,
  InvalidCursorError,
} from '../../../shared/domain/errors.js';
import type { AssessmentSubmission } from '../../../shared/domain/instruments/registry.js';
import { CRISIS_RESOURCES } from '../../../shared/domain/monitor/crisis-resources.js';
import type { Role } from '../../../shared/domain/roles.js';
import { listAssessments, submitAssessment, weeksInCare } from '../../../shared/use-cases/monitor/assessments.js';
import { ESCALATION_START_DELAYS_MS } from '../../../shared/use-cases/monitor/risk-escalation.js';
import { encodeCursor } from '../../../shared/use-cases/monitor/cursors.js';
import { monitorWorld, TEST_CURSOR_KEY, type MonitorWorld } from './fakes.js';

const CLIENT_A = '0a000000-0000-4000-8000-00000000000a';
const CLIENT_B = '0b000000-0000-4000-8000-00000000000b';
const THERAPIST = '7e000000-0000-4000-8000-000000000001';
const OTHER_THERAPIST = '7e000000-0000-4000-8000-000000000002';
const CONSULTANT = 'c0000000-0000-4000-8000-000000000001';
const COORDINATOR = 'c0000000-0000-4000-8000-000000000002';
const SUPERVISOR = '50000000-0000-4000-8000-000000000001';

const PHQ9_ITEM9_ONLY: AssessmentSubmission = { instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 1] };
const PHQ9_CLEAR: AssessmentSubmission = { instrument: 'phq9', answers: [1, 1, 1, 1, 1, 1, 1, 1, 0] };
const phq9 = (total: number): AssessmentSubmission => {
  const answers = [0, 0, 0, 0, 0, 0, 0, 0, 0] as (0 | 1 | 2 | 3)[];
  for (let i = 0, left = total; left > 0; i += 1) {
    answers[i] = Math.min(3, left) as 0 | 1 | 2 | 3;
    left -= answers[i]!;
  }
  return { instrument: 'phq9', answers };
};

const as = (userId: string, role: Role) => ({ userId, role });
const client = as(CLIENT_A, 'client');
const therapist = as(THERAPIST, 'therapist');

async function world(): Promise<MonitorWorld> {
  const w = monitorWorld([CLIENT_A, CLIENT_B]);
  await w.careTeam.begin({ clientId: CLIENT_A, clinicianId: THERAPIST, kind: 'therapist', startedAt: '2026-01-05T15:00:00.000Z' });
  return w;
}

describe('submitting an assessment', () => {
  it('a client with PHQ-9 item 9 = 1 and every other item 0: stored, flagged, crisis resources, escalation started after the store', async () => {
    const w = await world();
    w.escalation.onStart = (input) => {
      // Stored BEFORE the escalation starts.
      expect(w.assessments.records.map((r) => r.assessmentId)).toContain(input.source.id);
    };
    const response = await submitAssessment({ caller: client, clientId: CLIENT_A, submission: PHQ9_ITEM9_ONLY, requestId: 'req-1' }, w.deps);

    expect(response).toMatchObject({ clientId: CLIENT_A, instrument: 'phq9', total: 1, band: { id: 'minimal' }, riskFlags: [{ kind: 'phq9_item9', level: 'moderate' }] });
    expect(response.riskFlags[0]).not.toHaveProperty('reason');
    expect(response.crisisResources).toEqual(CRISIS_RESOURCES);

    const [stored] = w.assessments.records;
    expect(stored).toMatchObject({
      assessmentId: response.assessmentId,
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 1],
      submittedBy: client,
      submittedAt: w.clock.now.toISOString(),
      result: { total: 1, instrumentVersion: '1.0.0', thresholdsVersion: 'moodrx-2026.1' },
    });
    expect(w.escalation.calls).toEqual([
      { clientId: CLIENT_A, level: 'moderate', source: { type: 'assessment', id: response.assessmentId }, flaggedAt: stored!.submittedAt },
    ]);
    expect(w.pending.markers.size).toBe(0);
    expect(w.auditLog.events(CLIENT_A)).toEqual([
      expect.objectContaining({ action: 'create', outcome: 'success', purpose: 'self_access', basis: 'self', record: { category: 'assessment', id: response.assessmentId }, requestId: 'req-1' }),
    ]);
    expect(await w.auditLog.verifyChain(CLIENT_A)).toMatchObject({ intact: true, length: 1 });
  });

  it('without a risk flag: no crisis resources, no escalation', async () => {
    const w = await world();
    const response = await submitAssessment({ caller: client, clientId: CLIENT_A, submission: PHQ9_CLEAR }, w.deps);
    expect(response).toMatchObject({ total: 8, band: { id: 'mild' }, riskFlags: [] });
    expect(response).not.toHaveProperty('crisisResources');
    expect(w.escalation.calls).toEqual([]);
  });

  it('the assigned therapist submitting: full flags, no crisis resources, escalation at the highest level', async () => {
    const w = await world();
    const response = await submitAssessment(
      { caller: therapist, clientId: CLIENT_A, submission: { instrument: 'cssrs_screener', answers: { q1: true, q2: true, q3: true, q4: true, q5: false, q6: false } } },
      w.deps,
    );
    expect(response.riskFlags[0]).toMatchObject({ kind: 'cssrs_screener', level: 'high', reason: expect.any(String), action: expect.stringMatching(/Immediate/) });
    expect(response).not.toHaveProperty('crisisResources');
    expect(response.details).toMatchObject({ triage: 'high' });
    expect(w.escalation.calls[0]).toMatchObject({ level: 'high' });
    expect(w.auditLog.events(CLIENT_A)[0]).toMatchObject({ purpose: 'treatment', basis: 'assigned_therapist', outcome: 'success' });
  });

  it('a consultation clinician before matching may submit; after matching, 404', async () => {
    const w = monitorWorld([CLIENT_A]);
    await w.careTeam.begin({ clientId: CLIENT_A, clinicianId: CONSULTANT, kind: 'consultation', startedAt: '2026-02-01T15:00:00.000Z' });
    await submitAssessment({ caller: as(CONSULTANT, 'coordinator'), clientId: CLIENT_A, submission: PHQ9_CLEAR }, w.deps);
    expect(w.auditLog.events(CLIENT_A).at(-1)).toMatchObject({ basis: 'consultation_clinician', outcome: 'success' });

    await w.careTeam.begin({ clientId: CLIENT_A, clinicianId: THERAPIST, kind: 'therapist', startedAt: '2026-02-10T15:00:00.000Z' });
    await expect(submitAssessment({ caller: as(CONSULTANT, 'coordinator'), clientId: CLIENT_A, submission: PHQ9_CLEAR }, w.deps)).rejects.toThrow(NotFoundError);
  });

  it.each([
    ['another client', as(CLIENT_B, 'client')],
    ['another therapist', as(OTHER_THERAPIST, 'therapist')],
    ['a coordinator without a consultation', as(COORDINATOR, 'coordinator')],
    ['a supervisor', as(SUPERVISOR, 'supervisor')],
    ['an admin', as('ad000000-0000-4000-8000-000000000001', 'admin')],
  ])('%s gets 404; nothing is stored or started; the denial is audited', async (_label, caller) => {
    const w = await world();
    await expect(submitAssessment({ caller, clientId: CLIENT_A, submission: PHQ9_ITEM9_ONLY }, w.deps)).rejects.toThrow(NotFoundError);
    expect(w.assessments.records).toEqual([]);
    expect(w.escalation.calls).toEqual([]);
    expect(w.auditLog.events(CLIENT_A)).toEqual([expect.objectContaining({ outcome: 'denied', action: 'create', actor: caller })]);
  });

  it('a client whose profile is gone gets 404 and the attempt is audited as a failure', async () => {
    const w = await world();
    w.clients.delete(CLIENT_A);
    await expect(submitAssessment({ caller: client, clientId: CLIENT_A, submission: PHQ9_ITEM9_ONLY }, w.deps)).rejects.toThrow(NotFoundError);
    expect(w.auditLog.events(CLIENT_A)[0]).toMatchObject({ outcome: 'failure' });
    expect(w.escalation.calls).toEqual([]);
  });

  it('retries a failing start and succeeds on the third attempt', async () => {
    const w = await world();
    w.escalation.failures = 2;
    const response = await submitAssessment({ caller: client, clientId: CLIENT_A, submission: PHQ9_ITEM9_ONLY }, w.deps);
    expect(response.crisisResources).toBeDefined();
    expect(w.escalation.calls).toHaveLength(3);
    expect(w.pauses).toEqual(ESCALATION_START_DELAYS_MS.filter((ms) => ms > 0));
    expect(w.log.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
    expect(w.pending.markers.size).toBe(0);
  });

  it('when the start keeps failing: 503 with the record kept and marked, crisis resources for the client; a retry with the same key starts it, no second record', async () => {
    const w = await world();
    w.escalation.failures = Infinity;
    const attempt = () => submitAssessment({ caller: client, clientId: CLIENT_A, submission: PHQ9_ITEM9_ONLY, idempotencyKey: 'key-1' }, w.deps);
    const error = await attempt().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RiskEscalationNotStartedError);
    const stored = w.assessments.records[0]!;
    expect((error as RiskEscalationNotStartedError).extensions).toEqual({ recordId: stored.assessmentId, crisisResources: CRISIS_RESOURCES });
    expect([...w.pending.markers.values()]).toEqual([{ clientId: CLIENT_A, level: 'moderate', source: { type: 'assessment', id: stored.assessmentId }, flaggedAt: stored.submittedAt }]);
    expect(w.log.lines.at(-1)).toMatchObject({ level: 'error', fields: { sourceId: stored.assessmentId } });
    // Logs carry ids only, never the answers, the flag's reason or the risk level (issue 9: the
    // level next to a client id is health data; this asserted `riskLevel: 'moderate'` before).
    expect(JSON.stringify(w.log.lines)).not.toMatch(/item 9|Several days|answers/);
    for (const line of w.log.lines) expect(Object.keys(line.fields ?? {})).not.toEqual(expect.arrayContaining([expect.stringMatching(/level/i)]));
    expect(JSON.stringify(w.log.lines.map((l) => l.fields))).not.toContain('moderate');

    w.escalation.failures = 0;
    w.clock.advance(60_000);
    const retried = await attempt();
    expect(retried.assessmentId).toBe(stored.assessmentId);
    expect(retried.submittedAt).toBe(stored.submittedAt);
    expect(w.assessments.records).toHaveLength(1);
    expect([...w.escalation.started.values()]).toEqual([{ clientId: CLIENT_A, level: 'moderate', source: { type: 'assessment', id: stored.assessmentId }, flaggedAt: stored.submittedAt }]);
    expect(w.pending.markers.size).toBe(0);
    // Both attempts are audited against the one record.
    expect(w.auditLog.events(CLIENT_A).map((e) => [e.outcome, e.record.id])).toEqual([
      ['success', stored.assessmentId],
      ['success', stored.assessmentId],
    ]);
  });

  it('a clinician whose start keeps failing gets the 503 without crisis resources', async () => {
    const w = await world();
    w.escalation.failures = Infinity;
    const error = await submitAssessment({ caller: therapist, clientId: CLIENT_A, submission: PHQ9_ITEM9_ONLY }, w.deps).catch((e: unknown) => e);
    expect((error as RiskEscalationNotStartedError).extensions).toEqual({ recordId: w.assessments.records[0]!.assessmentId });
  });

  it('the same Idempotency-Key with other answers is 422, and makes nothing', async () => {
    const w = await world();
    await submitAssessment({ caller: client, clientId: CLIENT_A, submission: PHQ9_CLEAR, idempotencyKey: 'k' }, w.deps);
    await expect(submitAssessment({ caller: client, clientId: CLIENT_A, submission: PHQ9_ITEM9_ONLY, idempotencyKey: 'k' }, w.deps)).rejects.toThrow(IdempotencyKeyReuseError);
    expect(w.assessments.records).toHaveLength(1);
    expect(w.escalation.calls).toEqual([]);
  });

  it('starts the escalation even when the audit append fails after the store, then fails closed', async () => {
    const w = await world();
    const original = w.auditLog.record.bind(w.auditLog);
    w.auditLog.record = async (event) => {
      if (event.outcome === 'success') throw new Error('audit table unavailable');
      return original(event);
    };
    await expect(submitAssessment({ caller: client, clientId: CLIENT_A, submission: PHQ9_ITEM9_ONLY }, w.deps)).rejects.toThrow('audit table unavailable');
    expect(w.assessments.records).toHaveLength(1);
    expect(w.escalation.calls).toHaveLength(1);
  });
});

describe('assessment history', () => {
  async function history(w: MonitorWorld, totals: number[], stepDays = 7) {
    for (const total of totals) {
      await submitAssessment({ caller: client, clientId: CLIENT_A, submission: phq9(total) }, w.deps);
      w.clock.advance(stepDays * 86_400_000);
    }
  }

  it('lists newest first in pages with an opaque cursor, with the outcome summary over the whole series', async () => {
    const w = await world();
    await history(w, [18, 15, 12, 9, 7]);
    await submitAssessment({ caller: client, clientId: CLIENT_A, submission: { instrument: 'gad7', answers: [2, 2, 2, 2, 0, 0, 0] } }, w.deps);

    const first = await listAssessments({ caller: therapist, clientId: CLIENT_A, query: { limit: 4, instrument: 'phq9' } }, w.deps);
    expect(first.items.map((a) => a.total)).toEqual([7, 9, 12, 15]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await listAssessments({ caller: therapist, clientId: CLIENT_A, query: { limit: 4, instrument: 'phq9', cursor: first.nextCursor! } }, w.deps);
    expect(second.items.map((a) => a.total)).toEqual([18]);
    expect(second.nextCursor).toBeNull();

    expect(first.outcomes).toEqual([
      expect.objectContaining({
        instrument: 'phq9',
        count: 5,
        baseline: { total: 18, at: '2026-03-02T15:00:00.000Z' },
        latest: expect.objectContaining({ total: 7 }),
        change: -11,
        reliableChange: 'improvement',
        response: true,
        remission: false,
        caseness: { baseline: true, latest: false },
        // About 12 weeks with the therapist: judged, and on track.
        notOnTrack: false,
      }),
    ]);

    const all = await listAssessments({ caller: client, clientId: CLIENT_A, query: { limit: 20 } }, w.deps);
    expect(all.items.map((a) => a.instrument)).toEqual(['gad7', 'phq9', 'phq9', 'phq9', 'phq9', 'phq9']);
    expect(all.outcomes.map((o) => o.instrument)).toEqual(['phq9', 'gad7']);
    expect(all.outcomes[1]).toMatchObject({ count: 1, change: 0, response: false, remission: false });
  });

  it('reports remission and no response on a short series, and not-on-track as null before matching', async () => {
    const w = monitorWorld([CLIENT_A]);
    await history(w, [6, 4]);
    const result = await listAssessments({ caller: client, clientId: CLIENT_A, query: { limit: 20 } }, w.deps);
    expect(result.outcomes[0]).toMatchObject({ change: -2, reliableChange: 'none', response: false, remission: true, notOnTrack: null });
  });

  it('audits each read; others get 404 and their denial is audited', async () => {
    const w = await world();
    await history(w, [10]);
    await listAssessments({ caller: therapist, clientId: CLIENT_A, query: { limit: 20 }, requestId: 'r2' }, w.deps);
    expect(w.auditLog.events(CLIENT_A).at(-1)).toMatchObject({ action: 'list', outcome: 'success', basis: 'assigned_therapist', record: { category: 'assessment' }, requestId: 'r2' });
    for (const caller of [as(CLIENT_B, 'client'), as(OTHER_THERAPIST, 'therapist'), as(COORDINATOR, 'coordinator'), as(SUPERVISOR, 'supervisor')]) {
      await expect(listAssessments({ caller, clientId: CLIENT_A, query: { limit: 20 } }, w.deps)).rejects.toThrow(NotFoundError);
      expect(w.auditLog.events(CLIENT_A).at(-1)).toMatchObject({ outcome: 'denied', actor: caller });
    }
    expect(await w.auditLog.verifyChain(CLIENT_A)).toMatchObject({ intact: true });
  });

  it('a supervisor reads the history while the client has an open risk task, and never writes', async () => {
    const w = await world();
    await history(w, [12]);
    const supervisor = as(SUPERVISOR, 'supervisor');
    await expect(listAssessments({ caller: supervisor, clientId: CLIENT_A, query: { limit: 20 } }, w.deps)).rejects.toThrow(NotFoundError);
    w.openRiskTasks.add(CLIENT_A);
    const read = await listAssessments({ caller: supervisor, clientId: CLIENT_A, query: { limit: 20 } }, w.deps);
    expect(read.items.map((a) => a.total)).toEqual([12]);
    expect(read.items[0]!.riskFlags).toEqual([]);
    expect(w.auditLog.events(CLIENT_A).at(-1)).toMatchObject({ purpose: 'risk_review', basis: 'supervisor', outcome: 'success' });
    await expect(submitAssessment({ caller: supervisor, clientId: CLIENT_A, submission: PHQ9_CLEAR }, w.deps)).rejects.toThrow(NotFoundError);
    // A supervisor who is the client's therapist keeps that access without a task.
    w.openRiskTasks.clear();
    await w.careTeam.begin({ clientId: CLIENT_B, clinicianId: SUPERVISOR, kind: 'therapist', startedAt: '2026-01-05T15:00:00.000Z' });
    await expect(submitAssessment({ caller: supervisor, clientId: CLIENT_B, submission: PHQ9_CLEAR }, w.deps)).resolves.toMatchObject({ clientId: CLIENT_B });
  });

  it('a former therapist reads only what was created during the relationship', async () => {
    const w = await world();
    await history(w, [14]);
    await w.careTeam.end({ clientId: CLIENT_A, clinicianId: THERAPIST, kind: 'therapist', endedAt: w.clock.now.toISOString(), endReason: 'rematch' });
    w.clock.advance(86_400_000);
    await history(w, [9]);
    const result = await listAssessments({ caller: therapist, clientId: CLIENT_A, query: { limit: 20 } }, w.deps);
    expect(result.items.map((a) => a.total)).toEqual([14]);
    expect(result.outcomes[0]).toMatchObject({ count: 1, latest: expect.objectContaining({ total: 14 }) });
    expect(w.auditLog.events(CLIENT_A).at(-1)).toMatchObject({ basis: 'former_clinician', outcome: 'success' });
  });

  it('refuses a cursor it did not give out (400) before reading anything', async () => {
    const w = await world();
    await expect(listAssessments({ caller: client, clientId: CLIENT_A, query: { limit: 20, cursor: 'garbage' } }, w.deps)).rejects.toThrow(InvalidCursorError);
    expect(w.auditLog.events(CLIENT_A)).toEqual([]);
    // A well-formed cursor is only a position: it never leaves the client in the path.
    await history(w, [5]);
    const context = { list: 'assessments:all', clientId: CLIENT_B, callerId: CLIENT_B };
    const other = await listAssessments(
      { caller: as(CLIENT_B, 'client'), clientId: CLIENT_B, query: { limit: 20, cursor: encodeCursor('ffffffff-ffff-7fff-bfff-ffffffffffff', TEST_CURSOR_KEY, context)! } },
      w.deps,
    );
    expect(other.items).toEqual([]);
    // Client A's cursor is not client B's.
    const ofA = encodeCursor('ffffffff-ffff-7fff-bfff-ffffffffffff', TEST_CURSOR_KEY, { ...context, clientId: CLIENT_A, callerId: CLIENT_A })!;
    await expect(listAssessments({ caller: as(CLIENT_B, 'client'), clientId: CLIENT_B, query: { limit: 20, cursor: ofA } }, w.deps)).rejects.toThrow(InvalidCursorError);
  });

  it('computes weeks in care from the current therapist relationship', () => {
    const now = new Date('2026-03-02T15:00:00.000Z');
    expect(weeksInCare([], now)).toBeUndefined();
    expect(weeksInCare([{ clientId: 'c', clinicianId: 't', kind: 'consultation', startedAt: '2026-01-01T00:00:00.000Z' }], now)).toBeUndefined();
    expect(weeksInCare([{ clientId: 'c', clinicianId: 't', kind: 'therapist', startedAt: '2026-02-23T15:00:00.000Z' }], now)).toBe(1);
  });
});
