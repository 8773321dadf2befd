/** Check-ins and diagnoses use cases with in-memory fakes. */
import { describe, expect, it } from 'vitest';
import {
  ConcurrentChangeError,
  ForbiddenError,
  InvalidCursorError,
  IdempotencyKeyReuseError,
  NotFoundError,
  RiskEscalationNotStartedError,
  ValidationError,
} from '../../../shared/domain/errors.js';
import { CheckInRequestSchema, type CheckInRequest } from '../../../shared/domain/monitor/check-ins.js';
import { CRISIS_RESOURCES } from '../../../shared/domain/monitor/crisis-resources.js';
import { RecordDiagnosisRequestSchema, type RecordDiagnosisRequest } from '../../../shared/domain/monitor/diagnoses.js';
import type { Role } from '../../../shared/domain/roles.js';
import { submitAssessment } from '../../../shared/use-cases/monitor/assessments.js';
import { listCheckIns, recordCheckIn } from '../../../shared/use-cases/monitor/check-ins.js';
import { listDiagnoses, recordDiagnosis } from '../../../shared/use-cases/monitor/diagnoses.js';
import { monitorWorld, type MonitorWorld } from './fakes.js';

const CLIENT_A = '0a000000-0000-4000-8000-00000000000a';
const CLIENT_B = '0b000000-0000-4000-8000-00000000000b';
const THERAPIST = '7e000000-0000-4000-8000-000000000001';
const OTHER_THERAPIST = '7e000000-0000-4000-8000-000000000002';
const CONSULTANT = 'c0000000-0000-4000-8000-000000000001';
const COORDINATOR = 'c0000000-0000-4000-8000-000000000002';

const as = (userId: string, role: Role) => ({ userId, role });
const client = as(CLIENT_A, 'client');
const therapist = as(THERAPIST, 'therapist');
const DAY = 86_400_000;

const checkIn = (change: Partial<CheckInRequest> = {}): CheckInRequest =>
  CheckInRequestSchema.parse({ mood: 5, anxiety: 4, sleepHours: 7, triggers: { tags: ['work_or_school'] }, copingSkills: ['exercise'], selfHarmThoughts: false, ...change });

async function world(): Promise<MonitorWorld> {
  const w = monitorWorld([CLIENT_A, CLIENT_B]);
  await w.careTeam.begin({ clientId: CLIENT_A, clinicianId: THERAPIST, kind: 'therapist', startedAt: '2026-01-05T15:00:00.000Z' });
  return w;
}

describe('check-ins', () => {
  it('store the check-in under the client; no flag, no escalation', async () => {
    const w = await world();
    const response = await recordCheckIn({ caller: client, clientId: CLIENT_A, checkIn: checkIn({ note: 'Slept badly' }) }, w.deps);
    expect(response).toMatchObject({ clientId: CLIENT_A, mood: 5, note: 'Slept badly', riskFlags: [], recordedBy: client, recordedAt: w.clock.now.toISOString() });
    expect(response).not.toHaveProperty('crisisResources');
    expect(w.checkIns.records).toHaveLength(1);
    expect(w.escalation.calls).toEqual([]);
    expect(w.auditLog.events(CLIENT_A)).toEqual([expect.objectContaining({ action: 'create', outcome: 'success', record: { category: 'check_in', id: response.checkInId } })]);
  });

  it('with thoughts of self-harm: a same-day risk flag like PHQ-9 item 9, the escalation started after the store, and crisis resources', async () => {
    const w = await world();
    w.escalation.onStart = (input) => expect(w.checkIns.records.map((r) => r.checkInId)).toContain(input.source.id);
    const response = await recordCheckIn({ caller: client, clientId: CLIENT_A, checkIn: checkIn({ selfHarmThoughts: true }) }, w.deps);
    expect(response.riskFlags).toEqual([expect.objectContaining({ kind: 'check_in_self_harm', level: 'moderate' })]);
    expect(response.crisisResources).toEqual(CRISIS_RESOURCES);
    expect(w.escalation.calls).toEqual([{ clientId: CLIENT_A, level: 'moderate', source: { type: 'check_in', id: response.checkInId }, flaggedAt: response.recordedAt }]);
    expect(w.pending.markers.size).toBe(0);
  });

  it('503 when the escalation cannot be started, the check-in kept; the same key again starts it without a second check-in', async () => {
    const w = await world();
    w.escalation.failures = 3;
    const input = { caller: client, clientId: CLIENT_A, checkIn: checkIn({ selfHarmThoughts: true }), idempotencyKey: 'ck' };
    const error = await recordCheckIn(input, w.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RiskEscalationNotStartedError);
    expect((error as RiskEscalationNotStartedError).extensions.crisisResources).toEqual(CRISIS_RESOURCES);
    expect(w.pending.markers.size).toBe(1);
    const again = await recordCheckIn(input, w.deps);
    expect(again.checkInId).toBe(w.checkIns.records[0]!.checkInId);
    expect(w.checkIns.records).toHaveLength(1);
    expect(w.escalation.started.size).toBe(1);
    expect(w.pending.markers.size).toBe(0);
    await expect(recordCheckIn({ ...input, checkIn: checkIn({ mood: 1, selfHarmThoughts: true }) }, w.deps)).rejects.toThrow(IdempotencyKeyReuseError);
  });

  it('are written by the client only: the therapist is refused (404), another client 404', async () => {
    const w = await world();
    await expect(recordCheckIn({ caller: therapist, clientId: CLIENT_A, checkIn: checkIn() }, w.deps)).rejects.toThrow(NotFoundError);
    await expect(recordCheckIn({ caller: as(CLIENT_B, 'client'), clientId: CLIENT_A, checkIn: checkIn({ selfHarmThoughts: true }) }, w.deps)).rejects.toThrow(NotFoundError);
    expect(w.checkIns.records).toEqual([]);
    expect(w.escalation.calls).toEqual([]);
  });

  it('list newest first with 7-day and 28-day averages over every recent check-in, not only the page', async () => {
    const w = await world();
    const log = [
      { daysAgo: 40, mood: 1, anxiety: 9, sleepHours: 3 },
      { daysAgo: 20, mood: 2, anxiety: 8, sleepHours: 5 },
      { daysAgo: 10, mood: 4, anxiety: 6, sleepHours: 6 },
      { daysAgo: 5, mood: 6, anxiety: 4, sleepHours: 7 },
      { daysAgo: 1, mood: 8, anxiety: 2, sleepHours: 8 },
    ];
    const end = w.clock.now.getTime() + 50 * DAY;
    for (const { daysAgo, ...entry } of log) {
      w.clock.now = new Date(end - daysAgo * DAY);
      await recordCheckIn({ caller: client, clientId: CLIENT_A, checkIn: checkIn(entry) }, w.deps);
    }
    w.clock.now = new Date(end);
    const page = await listCheckIns({ caller: therapist, clientId: CLIENT_A, query: { limit: 2 } }, w.deps);
    expect(page.items.map((c) => c.mood)).toEqual([8, 6]);
    expect(page.trends.last7Days).toEqual({ days: 7, count: 2, mood: 7, anxiety: 3, sleepHours: 7.5 });
    expect(page.trends.last28Days).toEqual({ days: 28, count: 4, mood: 5, anxiety: 5, sleepHours: 6.5 });
    const next = await listCheckIns({ caller: therapist, clientId: CLIENT_A, query: { limit: 10, cursor: page.nextCursor! } }, w.deps);
    expect(next.items.map((c) => c.mood)).toEqual([4, 2, 1]);
    expect(next.nextCursor).toBeNull();
    // A cursor is the caller's own: the client cannot page with the therapist's (issue 9, finding 6).
    await expect(listCheckIns({ caller: client, clientId: CLIENT_A, query: { limit: 10, cursor: page.nextCursor! } }, w.deps)).rejects.toThrow(InvalidCursorError);
    for (const caller of [as(CLIENT_B, 'client'), as(OTHER_THERAPIST, 'therapist'), as(COORDINATOR, 'coordinator')]) {
      await expect(listCheckIns({ caller, clientId: CLIENT_A, query: { limit: 10 } }, w.deps)).rejects.toThrow(NotFoundError);
    }
    expect(w.auditLog.events(CLIENT_A).filter((e) => e.action === 'list').map((e) => e.outcome)).toEqual(['success', 'success', 'denied', 'denied', 'denied']);
  });
});

describe('diagnoses', () => {
  const request = (change: Record<string, unknown> = {}): RecordDiagnosisRequest =>
    RecordDiagnosisRequestSchema.parse({ code: 'F41.1', severity: 'moderate', basis: { interview: true }, status: 'provisional', ...change });

  it('the assigned therapist records one; a change is a new version; the history stays; the client reads them', async () => {
    const w = await world();
    const assessment = await submitAssessment({ caller: client, clientId: CLIENT_A, submission: { instrument: 'gad7', answers: [2, 2, 2, 2, 2, 1, 1] } }, w.deps);
    const first = await recordDiagnosis({ caller: therapist, clientId: CLIENT_A, request: request({ basis: { interview: true, assessmentIds: [assessment.assessmentId], notes: 'Worry most days for 8 months' } }) }, w.deps);
    expect(first).toMatchObject({ clientId: CLIENT_A, version: 1, code: 'F41.1', name: 'Generalized anxiety disorder', status: 'provisional', recordedBy: therapist });

    w.clock.advance(14 * DAY);
    const second = await recordDiagnosis(
      { caller: therapist, clientId: CLIENT_A, request: request({ revises: { diagnosisId: first.diagnosisId, version: 1 }, status: 'confirmed', severity: 'severe' }) },
      w.deps,
    );
    expect(second).toMatchObject({ diagnosisId: first.diagnosisId, version: 2, status: 'confirmed', severity: 'severe' });

    const listed = await listDiagnoses({ caller: client, clientId: CLIENT_A }, w.deps);
    expect(listed.diagnoses).toHaveLength(1);
    expect(listed.diagnoses[0]!.current).toEqual(second);
    expect(listed.diagnoses[0]!.history).toEqual([first, second]);
    expect(w.auditLog.events(CLIENT_A).filter((e) => e.record.category === 'diagnosis').map((e) => [e.action, e.outcome, e.basis])).toEqual([
      ['create', 'success', 'assigned_therapist'],
      ['update', 'success', 'assigned_therapist'],
      ['list', 'success', 'self'],
    ]);
  });

  it('a change from a stale version is 409; a version of a diagnosis the client does not have is 404', async () => {
    const w = await world();
    const first = await recordDiagnosis({ caller: therapist, clientId: CLIENT_A, request: request() }, w.deps);
    await recordDiagnosis({ caller: therapist, clientId: CLIENT_A, request: request({ revises: { diagnosisId: first.diagnosisId, version: 1 }, status: 'confirmed' }) }, w.deps);
    await expect(
      recordDiagnosis({ caller: therapist, clientId: CLIENT_A, request: request({ revises: { diagnosisId: first.diagnosisId, version: 1 }, status: 'resolved' }) }, w.deps),
    ).rejects.toThrow(ConcurrentChangeError);
    await expect(
      recordDiagnosis({ caller: therapist, clientId: CLIENT_A, request: request({ revises: { diagnosisId: first.diagnosisId, version: 5 } }) }, w.deps),
    ).rejects.toThrow(NotFoundError);
    expect(w.diagnoses.versions.map((v) => v.version)).toEqual([1, 2]);
  });

  it('rejects basis assessments that are not this client\'s (400 naming them)', async () => {
    const w = await world();
    await w.careTeam.begin({ clientId: CLIENT_B, clinicianId: THERAPIST, kind: 'therapist', startedAt: '2026-01-05T15:00:00.000Z' });
    const ofB = await submitAssessment({ caller: as(CLIENT_B, 'client'), clientId: CLIENT_B, submission: { instrument: 'gad7', answers: [1, 1, 1, 1, 1, 1, 1] } }, w.deps);
    const ofA = await submitAssessment({ caller: client, clientId: CLIENT_A, submission: { instrument: 'gad7', answers: [1, 1, 1, 1, 1, 1, 1] } }, w.deps);
    const error = await recordDiagnosis(
      { caller: therapist, clientId: CLIENT_A, request: request({ basis: { interview: false, assessmentIds: [ofA.assessmentId, ofB.assessmentId] } }) },
      w.deps,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([{ field: 'basis.assessmentIds.1', message: expect.any(String) }]);
    expect(w.diagnoses.versions).toEqual([]);
  });

  it('the consultation clinician before matching may record; after matching only the therapist', async () => {
    const w = monitorWorld([CLIENT_A]);
    await w.careTeam.begin({ clientId: CLIENT_A, clinicianId: CONSULTANT, kind: 'consultation', startedAt: '2026-02-01T15:00:00.000Z' });
    await expect(recordDiagnosis({ caller: as(CONSULTANT, 'coordinator'), clientId: CLIENT_A, request: request() }, w.deps)).resolves.toMatchObject({ version: 1 });
    await w.careTeam.begin({ clientId: CLIENT_A, clinicianId: THERAPIST, kind: 'therapist', startedAt: '2026-02-10T15:00:00.000Z' });
    await expect(recordDiagnosis({ caller: as(CONSULTANT, 'coordinator'), clientId: CLIENT_A, request: request() }, w.deps)).rejects.toThrow(NotFoundError);
    await expect(recordDiagnosis({ caller: therapist, clientId: CLIENT_A, request: request() }, w.deps)).resolves.toMatchObject({ version: 1 });
  });

  it('the client may not record one (403); other clinicians 404; and nobody else reads them', async () => {
    const w = await world();
    await recordDiagnosis({ caller: therapist, clientId: CLIENT_A, request: request() }, w.deps);
    await expect(recordDiagnosis({ caller: client, clientId: CLIENT_A, request: request() }, w.deps)).rejects.toThrow(ForbiddenError);
    for (const caller of [as(OTHER_THERAPIST, 'therapist'), as(COORDINATOR, 'coordinator')]) {
      await expect(recordDiagnosis({ caller, clientId: CLIENT_A, request: request() }, w.deps)).rejects.toThrow(NotFoundError);
    }
    for (const caller of [as(CLIENT_B, 'client'), as(OTHER_THERAPIST, 'therapist'), as(COORDINATOR, 'coordinator')]) {
      await expect(listDiagnoses({ caller, clientId: CLIENT_A }, w.deps)).rejects.toThrow(NotFoundError);
    }
    expect(w.diagnoses.versions).toHaveLength(1);
    expect(await w.auditLog.verifyChain(CLIENT_A)).toMatchObject({ intact: true, length: 7 });
  });

  it('a retry with the same Idempotency-Key returns the version it made; other content with it is 422', async () => {
    const w = await world();
    const first = await recordDiagnosis({ caller: therapist, clientId: CLIENT_A, request: request(), idempotencyKey: 'dx' }, w.deps);
    w.clock.advance(1000);
    expect(await recordDiagnosis({ caller: therapist, clientId: CLIENT_A, request: request(), idempotencyKey: 'dx' }, w.deps)).toEqual(first);
    await expect(recordDiagnosis({ caller: therapist, clientId: CLIENT_A, request: request({ status: 'confirmed' }), idempotencyKey: 'dx' }, w.deps)).rejects.toThrow(
      IdempotencyKeyReuseError,
    );
    expect(w.diagnoses.versions).toHaveLength(1);
  });
});
