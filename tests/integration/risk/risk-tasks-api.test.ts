/**
 * Risk tasks over HTTP on the shared local stack, from the real start: a client submits a PHQ-9
 * with item 9 answered 1 (POST /v1/clients/{id}/assessments), the stack's Step Functions
 * emulator runs workflows/risk-escalation.asl.json (real time: its 1-4 h deadlines never pass
 * during a test), the alert lands in the SES inbox, and the clinicians work the task through
 * GET /v1/risk-tasks, POST .../acknowledge and POST .../assessment. Authorization across the
 * client, another client, the assigned therapist, another therapist, a coordinator, a
 * supervisor and an admin; every read and write audited.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { RISK_ALERT_SUBJECT } from '../../../shared/notifications/risk-emails.js';
import { riskTaskIdFor, type RiskTask } from '../../../shared/domain/risk-tasks.js';
import { pollUntil } from '../../../local/emulators/wait.js';
import { callApi, getJson, postJson } from '../../support/http.js';
import { CLIENT_FIRST_NAME, CLIENT_LAST_NAME, createClient, createStaff, db, demoStaff, emailsAbout, recipients, relate, repositories, type Person } from './support.js';

const PHQ9_ITEM9_ONLY = [0, 0, 0, 0, 0, 0, 0, 0, 1];

const SAFETY_PLAN = {
  warningSigns: ['Not sleeping', 'Pulling away from friends'],
  internalCopingStrategies: ['Walk the dog', 'Paced breathing'],
  socialDistractions: { people: [{ name: 'Cousin (synthetic)', contact: '555-0100' }], places: ['Community garden'] },
  peopleToAskForHelp: [{ name: 'Sibling (synthetic)', contact: '555-0101' }],
  professionalsAndAgencies: [
    { name: 'Assigned therapist', contact: '555-0102' },
    { name: '988 Suicide & Crisis Lifeline', contact: '988' },
  ],
  environmentSafety: ['Medications kept by a family member'],
};

const ASSESSMENT = {
  level: 'moderate',
  rationale: 'Passive ideation without plan or intent; protective factors present (synthetic).',
  actions: ['Safety plan completed together', 'Session frequency increased to weekly'],
  safetyPlan: SAFETY_PLAN,
};

/** Submits the flagged PHQ-9 as the client and waits for the alert; returns the task id and the alert's latency. */
async function flaggedAssessment(client: Person): Promise<{ taskId: string; alertMs: number }> {
  const started = Date.now();
  const submitted = await postJson<{ assessmentId: string; riskFlags: unknown[] }>(
    `/v1/clients/${client.id}/assessments`,
    { instrument: 'phq9', answers: PHQ9_ITEM9_ONLY },
    { token: await client.token() },
  );
  expect(submitted.status, submitted.text).toBe(201);
  expect(submitted.body.riskFlags.length).toBeGreaterThan(0);
  const taskId = riskTaskIdFor({ type: 'assessment', id: submitted.body.assessmentId });
  await pollUntil(
    'the alert email',
    async () => {
      if (!(await emailsAbout(taskId)).some((email) => email.subject === RISK_ALERT_SUBJECT)) throw new Error('not yet');
    },
    { deadlineMs: 15_000, intervalMs: 25 },
  );
  return { taskId, alertMs: Date.now() - started };
}

const acknowledge = async (taskId: string, who: Person) => postJson<RiskTask>(`/v1/risk-tasks/${taskId}/acknowledge`, {}, { token: await who.token() });
const assess = async (taskId: string, who: Person, body: unknown = ASSESSMENT) =>
  postJson<RiskTask & { code?: string; errors?: { field: string }[] }>(`/v1/risk-tasks/${taskId}/assessment`, body, {
    token: await who.token(),
    headers: { 'Idempotency-Key': randomUUID() },
  });
const listed = async (who: Person): Promise<string[]> => {
  const response = await getJson<{ tasks: RiskTask[] }>('/v1/risk-tasks', await who.token());
  expect(response.status, response.text).toBe(200);
  return response.body.tasks.map((task) => task.taskId);
};

describe('risk tasks over HTTP', () => {
  let clientA: Person;
  let clientB: Person;
  let therapist: Person;
  let otherTherapist: Person;
  let supervisor: Person;
  let coordinator: Person;
  let admin: Person;
  let taskId: string;

  beforeAll(async () => {
    [clientA, clientB, therapist, otherTherapist] = await Promise.all([createClient(), createClient(), createStaff('therapist'), createStaff('therapist')]);
    [supervisor, coordinator, admin] = await Promise.all([
      demoStaff('supervisor@example.com', 'supervisor'),
      demoStaff('coordinator@example.com', 'coordinator'),
      demoStaff('admin@example.com', 'admin'),
    ]);
    await relate(clientA.id, therapist.id, 'therapist');
    ({ taskId } = await flaggedAssessment(clientA));
  });

  it('alerts the assigned therapist with the minimum necessary: no name, no instrument, no answers, no score', async () => {
    const emails = await emailsAbout(taskId);
    expect(recipients(emails)).toEqual([therapist.email]);
    const [alert] = emails;
    const content = `${alert!.subject}\n${alert!.body.text ?? ''}\n${alert!.body.html ?? ''}`.toLowerCase();
    for (const forbidden of [CLIENT_FIRST_NAME, CLIENT_LAST_NAME, clientA.id, clientA.email, 'phq', 'item 9', 'score', 'total', 'answer', 'moderate', 'severe', 'suicid', 'self-harm']) {
      expect(content, forbidden).not.toContain(forbidden.toLowerCase());
    }
    expect(alert!.body.text).toContain(`/risk-tasks/${taskId}`);
  });

  it('lists the task for its therapist and the supervisors only', async () => {
    expect(await listed(therapist)).toContain(taskId);
    expect(await listed(supervisor)).toContain(taskId);
    expect(await listed(otherTherapist)).not.toContain(taskId);
    expect(await listed(coordinator)).not.toContain(taskId);
    const task = (await getJson<{ tasks: RiskTask[] }>('/v1/risk-tasks', await therapist.token())).body.tasks.find((t) => t.taskId === taskId);
    expect(task).toMatchObject({ clientId: clientA.id, status: 'open', responsibility: 'therapist', responsibleClinicianId: therapist.id, source: { type: 'assessment' } });
    // Clients have no risk-task list at all.
    expect((await getJson('/v1/risk-tasks', await clientA.token())).status).toBe(403);
  });

  it('answers 404 to anyone who may not act on the task, and for an unknown task', async () => {
    for (const [who, person] of [
      ['another therapist', otherTherapist],
      ['the client', clientA],
      ['another client', clientB],
      ['a coordinator who is not on call for it', coordinator],
      ['an admin', admin],
    ] as const) {
      const response = await acknowledge(taskId, person);
      expect(response.status, who).toBe(404);
      expect((await assess(taskId, person)).status, who).toBe(404);
    }
    expect((await acknowledge(`risk-assessment-${randomUUID()}`, therapist)).status).toBe(404);
    expect((await acknowledge('not-a-task', therapist)).status).toBe(400);
  });

  it('acknowledges once: the same therapist again gets the same answer, someone else 409', async () => {
    const first = await acknowledge(taskId, therapist);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: therapist.id });
    const again = await acknowledge(taskId, therapist);
    expect(again.status).toBe(200);
    expect(again.body.acknowledgedAt).toBe(first.body.acknowledgedAt);
    const other = await acknowledge(taskId, supervisor);
    expect(other.status).toBe(409);
    expect((other.body as { code?: string }).code).toBe('risk_task_acknowledged_by_other');
  });

  it('validates the assessment strictly: the safety plan lists 988, and moderate/high needs one', async () => {
    const no988 = await assess(taskId, therapist, {
      ...ASSESSMENT,
      safetyPlan: { ...SAFETY_PLAN, professionalsAndAgencies: [{ name: 'Assigned therapist', contact: '555-0102' }] },
    });
    expect(no988.status).toBe(400);
    expect(no988.body.errors?.map((e) => e.field)).toContain('safetyPlan.professionalsAndAgencies');
    const { safetyPlan: _plan, ...withoutPlan } = ASSESSMENT;
    expect((await assess(taskId, therapist, withoutPlan)).status).toBe(400);
    expect((await assess(taskId, therapist, { ...ASSESSMENT, extra: true })).status).toBe(400);
    expect((await assess(taskId, therapist, { ...ASSESSMENT, referral: { levelOfCare: 'spa', to: 'x', reason: 'y' } })).status).toBe(400);
  });

  it('the assessment closes the task, stores the referral under the client, and is audited', async () => {
    const referral = { levelOfCare: 'intensive_outpatient', to: 'Synthetic IOP Program', reason: 'Needs more support than weekly sessions.' };
    const assessed = await assess(taskId, therapist, { ...ASSESSMENT, referral });
    expect(assessed.status, assessed.text).toBe(200);
    expect(assessed.body).toMatchObject({ status: 'assessed', assessment: { level: 'moderate', assessedBy: therapist.id, referral, safetyPlan: SAFETY_PLAN } });
    const { Item } = await db().send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: keys.referral(clientA.id, taskId), ConsistentRead: true }));
    expect(Item).toMatchObject({ ...referral, clientId: clientA.id, taskId, referredBy: therapist.id });
    expect(await repositories().tasks.hasOpenTask(clientA.id)).toBe(false);

    const again = await assess(taskId, therapist);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('risk_task_closed');
    expect(await listed(therapist)).not.toContain(taskId);
    expect(await listed(supervisor)).not.toContain(taskId);

    const events = (await repositories().auditLog.events(clientA.id)).filter((e) => e.record.id === taskId);
    const summary = events.map((e) => `${e.actor.role}:${e.action}:${e.outcome}`);
    expect(summary).toContain('system:create:success');
    expect(summary).toContain('therapist:list:success');
    expect(summary).toContain('supervisor:list:success');
    expect(summary).toContain('therapist:update:success');
    expect(summary).toContain('therapist:update:denied');
    expect(summary).toContain('client:update:denied');
    expect(summary).toContain('coordinator:update:denied');
    expect(events.every((e) => e.record.category === 'risk' && e.purpose === 'risk_review')).toBe(true);
    expect((await repositories().auditLog.verifyChain(clientA.id)).intact).toBe(true);
  });

  it('no clinician: the on-call coordinator is alerted, sees and acknowledges the task, may not assess it; a supervisor does', async () => {
    const clientC = await createClient();
    const { taskId: onCallTask } = await flaggedAssessment(clientC);
    expect(recipients(await emailsAbout(onCallTask))).toEqual(['coordinator@example.com']);
    expect(await listed(coordinator)).toContain(onCallTask);
    expect(await listed(therapist)).not.toContain(onCallTask);

    const acknowledged = await acknowledge(onCallTask, coordinator);
    expect(acknowledged.status, acknowledged.text).toBe(200);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', responsibility: 'on_call', acknowledgedBy: coordinator.id });
    const refused = await assess(onCallTask, coordinator);
    expect(refused.status).toBe(403);
    const bySupervisor = await assess(onCallTask, supervisor);
    expect(bySupervisor.status, bySupervisor.text).toBe(200);
    expect(bySupervisor.body.status).toBe('assessed');
  });

  it('an Idempotency-Key replay of the assessment gets the first answer', async () => {
    const clientD = await createClient();
    await relate(clientD.id, therapist.id, 'therapist');
    const { taskId: replayTask } = await flaggedAssessment(clientD);
    const key = randomUUID();
    const send = async () =>
      callApi<RiskTask>('POST', `/v1/risk-tasks/${replayTask}/assessment`, { json: { ...ASSESSMENT, level: 'low' }, token: await therapist.token(), headers: { 'Idempotency-Key': key } });
    const first = await send();
    const second = await send();
    expect(first.status, first.text).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
  });
});
