/**
 * Monitoring over HTTP on the local stack: instruments, assessments (with the risk escalation
 * started), check-ins, diagnoses; who may see what (client A, client B, the assigned
 * therapist, another therapist, a coordinator, a supervisor); the audit trail of every read
 * and write.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../local/emulators/wait.js';
import type { AssessmentHistory, SubmitAssessmentResponse } from '../../../shared/domain/monitor/assessments.js';
import type { CheckInList, RecordCheckInResponse } from '../../../shared/domain/monitor/check-ins.js';
import { CRISIS_RESOURCES } from '../../../shared/domain/monitor/crisis-resources.js';
import type { DiagnosisList, DiagnosisVersion } from '../../../shared/domain/monitor/diagnoses.js';
import { callApi, getJson, postJson } from '../../support/http.js';
import { auditLog, beginCare, demoStaff, destroyClients, newClient, riskEscalationExecution, type Person } from './support.js';

afterAll(destroyClients);

const PHQ9_ITEM9_ONLY = { instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 1] };
const checkIn = { mood: 3, anxiety: 7, sleepHours: 5.5, triggers: { tags: ['work_or_school', 'loneliness'], text: 'Long week' }, copingSkills: ['deep_breathing'], selfHarmThoughts: false };

let therapist: Person;
let otherTherapist: Person;
let coordinator: Person;
let supervisor: Person;
let admin: Person;

beforeAll(async () => {
  [therapist, otherTherapist, coordinator, supervisor, admin] = await Promise.all([
    demoStaff('therapist.oh@example.com'),
    demoStaff('therapist.ca@example.com'),
    demoStaff('coordinator@example.com'),
    demoStaff('supervisor@example.com'),
    demoStaff('admin@example.com'),
  ]);
});

/** Client A with the demo Ohio therapist assigned, and an unrelated client B. */
async function clientsAandB(): Promise<{ a: Person; b: Person }> {
  const [a, b] = await Promise.all([newClient(), newClient()]);
  await beginCare(a.userId, therapist.userId, 'therapist');
  return { a, b };
}

describe('GET /v1/instruments', () => {
  it('lists the four instruments with items, options, recall period and version, for any signed-in role; 401 without a token', async () => {
    const client = await newClient();
    for (const token of [await client.token(), await admin.token()]) {
      const response = await getJson<{ instruments: { id: string; items: unknown[]; options: unknown[]; recallPeriod: { text: string }; version: string }[] }>('/v1/instruments', token);
      expect(response.status).toBe(200);
      expect(response.body.instruments.map((i) => i.id)).toEqual(['phq9', 'gad7', 'pcl5', 'cssrs_screener']);
      const phq9 = response.body.instruments[0]!;
      expect(phq9).toMatchObject({ version: '1.0.0', recallPeriod: { text: 'Over the last 2 weeks' } });
      expect(phq9.items).toHaveLength(9);
      expect(phq9.options).toHaveLength(4);
    }
    expect((await getJson('/v1/instruments')).status).toBe(401);
  });
});

describe('assessments', () => {
  it('a client submits a PHQ-9 with item 9 = 1: 201 with crisis resources, stored, and the risk escalation started', async () => {
    const { a } = await clientsAandB();
    const response = await postJson<SubmitAssessmentResponse>(`/v1/clients/${a.userId}/assessments`, PHQ9_ITEM9_ONLY, { token: await a.token() });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ clientId: a.userId, instrument: 'phq9', total: 1, band: { id: 'minimal' }, riskFlags: [{ kind: 'phq9_item9', level: 'moderate' }] });
    expect(response.body.crisisResources).toEqual(CRISIS_RESOURCES);
    expect(response.body.crisisResources?.resources.map((r) => r.id)).toEqual(['988', '911']);
    expect(response.body.crisisResources?.notMonitoredForEmergencies).toMatch(/does not monitor messages/);

    const execution = await pollUntil(
      'the risk-escalation execution',
      async () => (await riskEscalationExecution({ type: 'assessment', id: response.body.assessmentId })) ?? Promise.reject(new Error('not started yet')),
      { deadlineMs: 10_000 },
    );
    // Ids only (issue 9): the workflow reads the level and the time from the assessment.
    expect(execution.input).toEqual({ clientId: a.userId, source: { type: 'assessment', id: response.body.assessmentId } });

    // The therapist sees the flag with its reason; the client's own history never shows it.
    const forTherapist = await getJson<AssessmentHistory>(`/v1/clients/${a.userId}/assessments`, await therapist.token());
    expect(forTherapist.status).toBe(200);
    expect(forTherapist.body.items[0]!.riskFlags[0]).toMatchObject({ kind: 'phq9_item9', reason: expect.stringContaining('item 9'), action: expect.any(String) });
    const forClient = await getJson<AssessmentHistory>(`/v1/clients/${a.userId}/assessments`, await a.token());
    expect(forClient.body.items[0]!.riskFlags[0]).toEqual({ kind: 'phq9_item9', level: 'moderate' });

    // The escalation opened a risk task: a supervisor may now review the client's measures (read only).
    const forSupervisor = await pollUntil(
      'the supervisor reading while the risk task is open',
      async () => {
        const read = await getJson<AssessmentHistory>(`/v1/clients/${a.userId}/assessments`, await supervisor.token());
        if (read.status !== 200) throw new Error(`status ${read.status}`);
        return read;
      },
      { deadlineMs: 10_000 },
    );
    expect(forSupervisor.body.items.map((i) => i.assessmentId)).toEqual([response.body.assessmentId]);
    expect((await postJson(`/v1/clients/${a.userId}/assessments`, PHQ9_ITEM9_ONLY, { token: await supervisor.token() })).status).toBe(404);
  });

  it('a clear PHQ-9 gets no crisis resources and starts nothing; the therapist may submit one too', async () => {
    const { a } = await clientsAandB();
    const own = await postJson<SubmitAssessmentResponse>(`/v1/clients/${a.userId}/assessments`, { instrument: 'gad7', answers: [1, 1, 1, 1, 1, 1, 1] }, { token: await a.token() });
    expect(own.status).toBe(201);
    expect(own.body).not.toHaveProperty('crisisResources');
    expect(await riskEscalationExecution({ type: 'assessment', id: own.body.assessmentId })).toBeUndefined();
    const byTherapist = await postJson<SubmitAssessmentResponse>(
      `/v1/clients/${a.userId}/assessments`,
      { instrument: 'pcl5', answers: Array.from({ length: 20 }, () => 2) },
      { token: await therapist.token() },
    );
    expect(byTherapist.status).toBe(201);
    expect(byTherapist.body).toMatchObject({ total: 40, submittedBy: { userId: therapist.userId, role: 'therapist' }, details: { probablePtsd: true } });
    expect(byTherapist.body.clinicalFlags.map((f) => f.kind)).toEqual(['pcl5_probable_ptsd', 'pcl5_dsm5_symptom_pattern']);
  });

  it('validates answers exactly (400 naming the field) and honours Idempotency-Key', async () => {
    const { a } = await clientsAandB();
    const token = await a.token();
    const short = await postJson<{ code: string; errors: { field: string }[] }>(`/v1/clients/${a.userId}/assessments`, { instrument: 'phq9', answers: [0, 1] }, { token });
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('validation_failed');
    const skip = await postJson<{ errors: { field: string; message: string }[] }>(
      `/v1/clients/${a.userId}/assessments`,
      { instrument: 'cssrs_screener', answers: { q1: false, q2: false, q3: true, q6: false } },
      { token },
    );
    expect(skip.status).toBe(400);
    expect(skip.body.errors).toEqual([expect.objectContaining({ field: 'answers.q3', message: expect.stringMatching(/only when question 2 is yes/) })]);

    const key = randomUUID();
    const body = { instrument: 'phq9', answers: [1, 1, 1, 1, 1, 1, 1, 1, 0] };
    const first = await postJson<SubmitAssessmentResponse>(`/v1/clients/${a.userId}/assessments`, body, { token, headers: { 'Idempotency-Key': key } });
    const again = await postJson<SubmitAssessmentResponse>(`/v1/clients/${a.userId}/assessments`, body, { token, headers: { 'Idempotency-Key': key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.assessmentId).toBe(first.body.assessmentId);
    const listed = await getJson<AssessmentHistory>(`/v1/clients/${a.userId}/assessments`, token);
    expect(listed.body.items).toHaveLength(1);
  });

  it('history: newest first, paginated, with the outcome summary per instrument', async () => {
    const { a } = await clientsAandB();
    const token = await a.token();
    for (const answers of [
      [3, 3, 3, 3, 3, 3, 0, 0, 0],
      [2, 2, 2, 2, 2, 2, 0, 0, 0],
      [1, 1, 1, 1, 1, 1, 1, 0, 0],
    ]) {
      expect((await postJson(`/v1/clients/${a.userId}/assessments`, { instrument: 'phq9', answers }, { token })).status).toBe(201);
    }
    expect((await postJson(`/v1/clients/${a.userId}/assessments`, { instrument: 'gad7', answers: [2, 2, 2, 2, 0, 0, 0] }, { token })).status).toBe(201);

    const page1 = await getJson<AssessmentHistory>(`/v1/clients/${a.userId}/assessments?instrument=phq9&limit=2`, await therapist.token());
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((i) => i.total)).toEqual([7, 12]);
    expect(page1.body.outcomes).toEqual([
      expect.objectContaining({
        instrument: 'phq9',
        count: 3,
        baseline: expect.objectContaining({ total: 18 }),
        latest: expect.objectContaining({ total: 7 }),
        change: -11,
        reliableChange: 'improvement',
        response: true,
        remission: false,
        notOnTrack: false,
      }),
    ]);
    const page2 = await getJson<AssessmentHistory>(`/v1/clients/${a.userId}/assessments?instrument=phq9&limit=2&cursor=${page1.body.nextCursor}`, await therapist.token());
    expect(page2.body.items.map((i) => i.total)).toEqual([18]);
    expect(page2.body.nextCursor).toBeNull();

    const all = await getJson<AssessmentHistory>(`/v1/clients/${a.userId}/assessments`, token);
    expect(all.body.items.map((i) => i.instrument)).toEqual(['gad7', 'phq9', 'phq9', 'phq9']);
    expect(all.body.outcomes.map((o) => o.instrument)).toEqual(['phq9', 'gad7']);

    const badCursor = await getJson(`/v1/clients/${a.userId}/assessments?cursor=bm9wZQ`, token);
    expect(badCursor.status).toBe(400);
    expect((await getJson(`/v1/clients/${a.userId}/assessments?limit=500`, token)).status).toBe(400);
  });
});

describe('check-ins', () => {
  it('a check-in reporting self-harm thoughts raises the flag, starts the escalation and gets crisis resources; the list has the trends', async () => {
    const { a } = await clientsAandB();
    const token = await a.token();
    const plain = await postJson<RecordCheckInResponse>(`/v1/clients/${a.userId}/check-ins`, checkIn, { token });
    expect(plain.status).toBe(201);
    expect(plain.body).not.toHaveProperty('crisisResources');
    const flagged = await postJson<RecordCheckInResponse>(`/v1/clients/${a.userId}/check-ins`, { ...checkIn, mood: 1, sleepHours: 3, selfHarmThoughts: true }, { token });
    expect(flagged.status).toBe(201);
    expect(flagged.body.riskFlags).toEqual([expect.objectContaining({ kind: 'check_in_self_harm', level: 'moderate' })]);
    expect(flagged.body.crisisResources).toEqual(CRISIS_RESOURCES);
    await pollUntil(
      'the risk-escalation execution of the check-in',
      async () => (await riskEscalationExecution({ type: 'check_in', id: flagged.body.checkInId })) ?? Promise.reject(new Error('not started yet')),
      { deadlineMs: 10_000 },
    );

    const list = await getJson<CheckInList>(`/v1/clients/${a.userId}/check-ins?limit=1`, await therapist.token());
    expect(list.status).toBe(200);
    expect(list.body.items.map((c) => c.checkInId)).toEqual([flagged.body.checkInId]);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    expect(list.body.trends.last7Days).toEqual({ days: 7, count: 2, mood: 2, anxiety: 7, sleepHours: 4.3 });
    expect(list.body.trends.last28Days).toMatchObject({ count: 2 });

    const invalid = await postJson<{ errors: { field: string }[] }>(`/v1/clients/${a.userId}/check-ins`, { ...checkIn, mood: 11, triggers: { tags: ['aliens'] } }, { token });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e) => e.field).sort()).toEqual(['mood', 'triggers.tags.0']);
  });
});

describe('diagnoses', () => {
  it('recorded by the assigned therapist (a new version per change), readable by the client, 404 for other clinicians, 403 for the client writing', async () => {
    const { a, b } = await clientsAandB();
    const assessment = await postJson<SubmitAssessmentResponse>(`/v1/clients/${a.userId}/assessments`, { instrument: 'gad7', answers: [3, 2, 2, 2, 1, 1, 1] }, { token: await a.token() });
    const ofB = await postJson<SubmitAssessmentResponse>(`/v1/clients/${b.userId}/assessments`, { instrument: 'gad7', answers: [1, 1, 1, 1, 1, 1, 1] }, { token: await b.token() });
    const url = `/v1/clients/${a.userId}/diagnoses`;
    const body = { code: 'F41.1', severity: 'moderate', specifiers: [], basis: { assessmentIds: [assessment.body.assessmentId], interview: true }, status: 'provisional' };

    const foreignBasis = await postJson<{ errors: { field: string }[] }>(url, { ...body, basis: { assessmentIds: [ofB.body.assessmentId], interview: true } }, { token: await therapist.token() });
    expect(foreignBasis.status).toBe(400);
    expect(foreignBasis.body.errors).toEqual([expect.objectContaining({ field: 'basis.assessmentIds.0' })]);

    const first = await postJson<DiagnosisVersion>(url, body, { token: await therapist.token() });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, code: 'F41.1', name: 'Generalized anxiety disorder', recordedBy: { userId: therapist.userId } });
    const second = await postJson<DiagnosisVersion>(url, { ...body, revises: { diagnosisId: first.body.diagnosisId, version: 1 }, status: 'confirmed' }, { token: await therapist.token() });
    expect(second.status).toBe(201);
    const stale = await postJson<{ code: string }>(url, { ...body, revises: { diagnosisId: first.body.diagnosisId, version: 1 }, status: 'resolved' }, { token: await therapist.token() });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('concurrent_change');

    const read = await getJson<DiagnosisList>(url, await a.token());
    expect(read.status).toBe(200);
    expect(read.body.diagnoses).toHaveLength(1);
    expect(read.body.diagnoses[0]!.current).toMatchObject({ version: 2, status: 'confirmed' });
    expect(read.body.diagnoses[0]!.history.map((v) => v.status)).toEqual(['provisional', 'confirmed']);

    expect((await postJson(url, body, { token: await a.token() })).status).toBe(403);
    for (const person of [otherTherapist, coordinator, supervisor]) {
      expect((await postJson(url, body, { token: await person.token() })).status, person.email).toBe(404);
      expect((await getJson(url, await person.token())).status, person.email).toBe(404);
    }
    expect((await getJson(url, await b.token())).status).toBe(404);
  });

  it('the consultation clinician may record one before matching', async () => {
    const client = await newClient();
    await beginCare(client.userId, coordinator.userId, 'consultation');
    const response = await postJson<DiagnosisVersion>(
      `/v1/clients/${client.userId}/diagnoses`,
      { code: 'F43.23', severity: 'mild', basis: { interview: true, notes: 'Synthetic note for the test' }, status: 'provisional' },
      { token: await coordinator.token() },
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: 'Adjustment disorder with mixed anxiety and depressed mood', recordedBy: { role: 'coordinator' } });
  });
});

describe('access across clients and clinicians', () => {
  it('client B, another therapist, a coordinator and a supervisor get 404 on every route for client A; an admin 403; every attempt is in the audit chain, which verifies', async () => {
    const { a, b } = await clientsAandB();
    const base = `/v1/clients/${a.userId}`;
    const routes: { method: 'GET' | 'POST'; path: string; json?: unknown }[] = [
      { method: 'GET', path: `${base}/assessments` },
      { method: 'POST', path: `${base}/assessments`, json: PHQ9_ITEM9_ONLY },
      { method: 'GET', path: `${base}/check-ins` },
      { method: 'GET', path: `${base}/diagnoses` },
    ];
    for (const person of [b, otherTherapist, coordinator, supervisor]) {
      for (const route of routes) {
        const response = await callApi<{ code: string }>(route.method, route.path, { token: await person.token(), ...(route.json ? { json: route.json } : {}) });
        expect(response.status, `${person.email} ${route.method} ${route.path}`).toBe(404);
        expect(response.body.code).toBe('not_found');
      }
    }
    // Check-ins are written by the client only: other roles are refused by the route, clients by the policy.
    expect((await postJson(`${base}/check-ins`, checkIn, { token: await b.token() })).status).toBe(404);
    expect((await postJson(`${base}/check-ins`, checkIn, { token: await therapist.token() })).status).toBe(403);
    expect((await getJson(`${base}/assessments`, await admin.token())).status).toBe(403);
    // The same answer for a client id that does not exist: existence does not leak.
    expect((await getJson(`/v1/clients/${randomUUID()}/assessments`, await therapist.token())).status).toBe(404);

    // Allowed: the client and the assigned therapist, reads and writes.
    expect((await postJson(`${base}/assessments`, PHQ9_ITEM9_ONLY, { token: await a.token() })).status).toBe(201);
    expect((await getJson(`${base}/assessments`, await therapist.token())).status).toBe(200);
    expect((await getJson(`${base}/check-ins`, await a.token())).status).toBe(200);

    const log = auditLog();
    expect(await log.verifyChain(a.userId)).toMatchObject({ intact: true });
    // The risk-escalation workflow the flagged assessment started audits as `system` on the same chain.
    const events = (await log.events(a.userId)).filter((e) => e.actor.role !== 'system');
    expect(events).toHaveLength(4 * 4 + 1 + 3);
    const denied = events.filter((e) => e.outcome === 'denied');
    expect(denied).toHaveLength(17);
    expect(new Set(denied.map((e) => e.actor.userId))).toEqual(new Set([b.userId, otherTherapist.userId, coordinator.userId, supervisor.userId]));
    const successes = events.filter((e) => e.outcome === 'success').map((e) => [e.actor.userId, e.action, e.record.category]);
    expect(successes).toEqual([
      [a.userId, 'create', 'assessment'],
      [therapist.userId, 'list', 'assessment'],
      [a.userId, 'list', 'check_in'],
    ]);
    for (const event of events) expect(JSON.stringify(event)).not.toMatch(/answers|item 9/);
  });
});
