/**
 * Treatment plans over HTTP on the local stack: the lifecycle (draft -> signed -> revised), a
 * revision with its evidence, the client's view and acknowledgement, two signs at once, role
 * access (the client, another client, another therapist, a former therapist) and the review
 * tasks' outcomes. Every client and therapist is new per test.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPlanRepository } from '../../../shared/adapters/dynamodb/plan-repository.js';
import type { PlanView } from '../../../shared/domain/plans/views.js';
import { callApi, getJson, postJson } from '../../support/http.js';
import { createClient, createStaff, db, relate, repositories, type Person } from '../risk/support.js';

const plans = () => createPlanRepository({ documentClient: db(), tableName: process.env.TABLE_NAME as string });

const draftBody = {
  problems: [{ id: 'p1', description: 'Low mood most days, withdrawn from friends' }],
  goals: [{ id: 'g1', problemIds: ['p1'], statement: 'I want to see my friends again without dreading it' }],
  objectives: [{ kind: 'measure', id: 'o1', goalId: 'g1', instrument: 'phq9', target: { kind: 'below', value: 10 }, dueDate: '2027-03-01' }],
  interventions: [{ id: 'i1', modality: 'behavioral_activation', goalIds: ['g1'], frequency: { every: 'week', sessions: 12 } }],
  sessionFrequency: { every: 'week' },
  dischargeCriteria: ['PHQ-9 below 10 at two measures in a row'],
  strengths: ['Keeps a journal'],
  clinicianNotes: 'Formulation: avoidance maintains low mood.',
};

async function world(): Promise<{ client: Person; therapist: Person; base: string }> {
  const client = await createClient();
  const therapist = await createStaff('therapist');
  await relate(client.id, therapist.id, 'therapist');
  return { client, therapist, base: `/v1/clients/${client.id}` };
}

async function phq9(client: Person, answers: number[]): Promise<string> {
  const response = await postJson<{ assessmentId: string }>(`/v1/clients/${client.id}/assessments`, { instrument: 'phq9', answers }, { token: await client.token() });
  expect(response.status).toBe(201);
  return response.body.assessmentId;
}

async function activePlan(base: string, therapist: Person): Promise<PlanView> {
  const token = await therapist.token();
  const draft = await postJson<PlanView>(`${base}/plans`, draftBody, { token });
  expect(draft.status).toBe(201);
  const signed = await postJson<PlanView>(`${base}/plans/${draft.body.planId}/sign`, {}, { token });
  expect(signed.status).toBe(200);
  return signed.body;
}

describe('treatment plans over HTTP', () => {
  it('drafts, edits, signs, shows the client their view, and records the acknowledgement', async () => {
    const { client, therapist, base } = await world();
    const token = await therapist.token();
    const clientToken = await client.token();

    expect((await postJson(`${base}/plans`, draftBody, { token: clientToken })).status).toBe(403);
    const draft = await postJson<PlanView>(`${base}/plans`, draftBody, { token });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ version: 1, status: 'draft', subject: { kind: 'client', clientId: client.id }, levelOfCare: 'outpatient' });
    expect(draft.body.objectives[0]?.status).toBe('not_yet_measured');
    expect((await postJson(`${base}/plans`, draftBody, { token })).status).toBe(409);

    // A draft is the care team's: the client sees no plan yet.
    expect((await getJson(`${base}/plan`, clientToken)).status).toBe(404);
    expect((await getJson<{ versions: unknown[] }>(`${base}/plans`, clientToken)).body.versions).toEqual([]);
    expect((await getJson(`${base}/plans/${draft.body.planId}`, clientToken)).status).toBe(404);

    const edited = await callApi<PlanView>('PATCH', `${base}/plans/${draft.body.planId}`, { token, json: { levelOfCare: 'intensive_outpatient' } });
    expect(edited.status).toBe(200);
    expect(edited.body.levelOfCare).toBe('intensive_outpatient');
    // The rest of the draft is kept.
    expect(edited.body.objectives.map((o) => o.id)).toEqual(['o1']);
    expect(edited.body.interventions.map((i) => i.id)).toEqual(['i1']);

    const signed = await postJson<PlanView>(`${base}/plans/${draft.body.planId}/sign`, {}, { token });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'active', signedBy: { userId: therapist.id, role: 'therapist' } });
    expect((await callApi('PATCH', `${base}/plans/${draft.body.planId}`, { token, json: { levelOfCare: 'outpatient' } })).status).toBe(409);

    const seen = await getJson<PlanView>(`${base}/plan`, clientToken);
    expect(seen.status).toBe(200);
    expect(seen.body.clinicianNotes).toBeUndefined();
    expect((await getJson<PlanView>(`${base}/plan`, token)).body.clinicianNotes).toBe(draftBody.clinicianNotes);

    const acknowledged = await postJson<PlanView>(`${base}/plans/${draft.body.planId}/acknowledge`, { goalNotes: [{ goalId: 'g1', note: 'Saw one friend this week' }] }, { token: clientToken });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.acknowledgement?.goalNotes).toEqual([{ goalId: 'g1', note: 'Saw one friend this week' }]);
    const again = await postJson<PlanView>(`${base}/plans/${draft.body.planId}/acknowledge`, {}, { token: clientToken });
    expect(again.body.acknowledgement).toEqual(acknowledged.body.acknowledgement);
    expect((await postJson(`${base}/plans/${draft.body.planId}/acknowledge`, { goalNotes: [{ goalId: 'nope', note: 'x' }] }, { token: clientToken })).status).toBe(400);
  });

  it('revises with a reason and the evidence; the old version stays readable as revised; every version kept', async () => {
    const { client, therapist, base } = await world();
    const token = await therapist.token();
    const first = await activePlan(base, therapist);
    const assessmentId = await phq9(client, [2, 2, 2, 2, 2, 2, 2, 2, 0]);
    const other = await createClient();
    const foreign = await phq9(other, [1, 1, 1, 1, 1, 1, 1, 1, 0]);

    for (const id of [randomUUID(), foreign]) {
      const refused = await postJson(`${base}/plans/${first.planId}/revisions`, { revision: { reason: 'deterioration', text: 'Scores up', evidence: { assessmentIds: [id] } } }, { token });
      expect(refused.status).toBe(400);
    }
    const revision = await postJson<PlanView>(
      `${base}/plans/${first.planId}/revisions`,
      {
        revision: { reason: 'deterioration', text: 'PHQ-9 up since the move', evidence: { assessmentIds: [assessmentId] } },
        changes: { interventions: [{ id: 'i1', modality: 'behavioral_activation', goalIds: ['g1'], frequency: { every: 'week' }, status: 'stopped', stopReason: 'no reliable change after 8 sessions' }, { id: 'i2', modality: 'cbt', goalIds: ['g1'], frequency: { every: 'week', sessions: 12 } }] },
      },
      { token },
    );
    expect(revision.status).toBe(201);
    expect(revision.body).toMatchObject({ version: 2, status: 'draft', replaces: { planId: first.planId, version: 1 }, revision: { reason: 'deterioration', evidence: { assessmentIds: [assessmentId] } } });
    expect(revision.body.interventions[0]).toMatchObject({ status: 'stopped', stopReason: 'no reliable change after 8 sessions' });
    // Only the interventions changed: the objectives, strengths and discharge criteria are the active version's.
    expect(revision.body.objectives.map((o) => o.id)).toEqual(first.objectives.map((o) => o.id));
    expect(revision.body).toMatchObject({ strengths: first.strengths, dischargeCriteria: first.dischargeCriteria, levelOfCare: first.levelOfCare });

    expect((await postJson<PlanView>(`${base}/plans/${revision.body.planId}/sign`, {}, { token })).status).toBe(200);
    const versions = await getJson<{ versions: PlanView[] }>(`${base}/plans`, token);
    expect(versions.body.versions.map((v) => [v.version, v.status])).toEqual([[2, 'active'], [1, 'revised']]);
    const old = await getJson<PlanView>(`${base}/plans/${first.planId}`, await client.token());
    expect(old.body).toMatchObject({ status: 'revised', version: 1 });
    const current = await getJson<PlanView>(`${base}/plan`, await client.token());
    expect(current.body.revision).toEqual({ reason: 'deterioration', evidence: { assessmentIds: [assessmentId] } });
    expect((await postJson(`${base}/plans/${first.planId}/acknowledge`, {}, { token: await client.token() })).status).toBe(409);
  });

  it('two signs at once: one active plan, the other 409', async () => {
    const { therapist, base, client } = await world();
    const token = await therapist.token();
    const draft = await postJson<PlanView>(`${base}/plans`, draftBody, { token });
    const answers = await Promise.all([0, 1, 2].map(() => postJson(`${base}/plans/${draft.body.planId}/sign`, {}, { token })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    const pointer = await plans().activePointer(client.id);
    expect(pointer).toMatchObject({ planId: draft.body.planId, version: 1 });
    expect((await plans().versions(client.id)).filter((v) => v.status === 'active')).toHaveLength(1);
  });

  it('denies other clients, other therapists and former therapists their writes; a former therapist reads only their time', async () => {
    const { client, therapist, base } = await world();
    const first = await activePlan(base, therapist);
    const otherClient = await createClient();
    const otherTherapist = await createStaff('therapist');
    expect((await getJson(`${base}/plan`, await otherClient.token())).status).toBe(404);
    expect((await getJson(`${base}/plans/${first.planId}`, await otherTherapist.token())).status).toBe(404);
    expect((await postJson(`${base}/plans/${first.planId}/revisions`, { revision: { reason: 'other', text: 'x' } }, { token: await otherTherapist.token() })).status).toBe(404);

    // Rematch: the therapist becomes a former therapist, a new one takes over and revises.
    const endedAt = new Date().toISOString();
    await repositories().careTeam.end({ clientId: client.id, clinicianId: therapist.id, kind: 'therapist', endedAt, endReason: 'rematch' });
    const next = await createStaff('therapist');
    await relate(client.id, next.id, 'therapist');
    const revision = await postJson<PlanView>(`${base}/plans/${first.planId}/revisions`, { revision: { reason: 'client_preference', text: 'New therapist' } }, { token: await next.token() });
    expect(revision.status).toBe(201);

    const former = await therapist.token();
    const versions = await getJson<{ versions: PlanView[] }>(`${base}/plans`, former);
    expect(versions.status).toBe(200);
    expect(versions.body.versions.map((v) => v.planId)).toEqual([first.planId]);
    expect((await getJson(`${base}/plans/${revision.body.planId}`, former)).status).toBe(404);
    expect((await postJson(`${base}/plans/${revision.body.planId}/sign`, {}, { token: former })).status).toBe(404);
    expect((await postJson(`${base}/plans/${revision.body.planId}/sign`, {}, { token: await next.token() })).status).toBe(200);
  });

  it('closes a review task with "no change" and a reason, or by a signed revision', async () => {
    const { client, therapist, base } = await world();
    const token = await therapist.token();
    const plan = await activePlan(base, therapist);
    for (const kind of ['not_on_track', 'review_due'] as const) {
      const opened = await plans().openReview({ reviewId: `${kind}:${plan.planId}`, clientId: client.id, planId: plan.planId, kind, therapistId: therapist.id, status: 'open', openedAt: new Date().toISOString() });
      expect(opened).toBe('opened');
    }
    expect(await plans().openReview({ reviewId: `review_due:${plan.planId}`, clientId: client.id, planId: plan.planId, kind: 'review_due', status: 'open', openedAt: new Date().toISOString() })).toBe('exists');
    const open = await getJson<{ reviews: { reviewId: string }[] }>(`${base}/plan-reviews`, token);
    expect(open.body.reviews.map((r) => r.reviewId).sort()).toEqual([`not_on_track:${plan.planId}`, `review_due:${plan.planId}`]);
    expect((await getJson(`${base}/plan-reviews`, await client.token())).status).toBe(403);
    // Shown on the client's care view, to the care team only.
    const care = await getJson<{ planReviews?: { reviewId: string; kind: string }[] }>(base, token);
    expect(care.body.planReviews?.map((r) => r.kind).sort()).toEqual(['not_on_track', 'review_due']);
    expect((await getJson<{ planReviews?: unknown }>(base, await client.token())).body.planReviews).toBeUndefined();

    const closed = await postJson<{ status: string; outcome: string; reason: string }>(`${base}/plan-reviews`, { reviewId: `review_due:${plan.planId}`, outcome: 'no_change', reason: 'Reviewed with the client: on track' }, { token });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'no_change', reason: 'Reviewed with the client: on track' });
    expect((await postJson(`${base}/plan-reviews`, { reviewId: `review_due:${plan.planId}`, outcome: 'no_change', reason: 'again' }, { token })).status).toBe(409);

    const revision = await postJson<PlanView>(`${base}/plans/${plan.planId}/revisions`, { revision: { reason: 'not_on_track', text: 'No change at week 8' } }, { token });
    await postJson(`${base}/plans/${revision.body.planId}/sign`, {}, { token });
    const all = await getJson<{ reviews: { reviewId: string; status: string; outcome?: string; revisionPlanId?: string }[] }>(`${base}/plan-reviews?status=all`, token);
    expect(all.body.reviews.find((r) => r.reviewId === `not_on_track:${plan.planId}`)).toMatchObject({ status: 'closed', outcome: 'revised', revisionPlanId: revision.body.planId });
    expect((await getJson<{ reviews: unknown[] }>(`${base}/plan-reviews`, token)).body.reviews).toEqual([]);
  });
});
