/**
 * The care unit's treatment plan over HTTP on the local stack: a couple matched to a therapist;
 * the therapist drafts (invisible to the partners), signs; both partners read the client view
 * and acknowledge; a revision keeps the old version readable; an instrument objective is
 * refused (422); a partner who left, and a third client, get 404.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callApi } from '../../support/http.js';
import { createClient } from '../consultations/support.js';
import { createTherapist } from '../matching/support.js';
import { matchedCouple } from './support.js';

interface UnitPlan {
  planId: string;
  version: number;
  status: string;
  subject: { kind: string; careUnitId?: string };
  clinicianNotes?: string;
  revision?: { reason: string; text?: string };
  acknowledgement: { acknowledgedAt: string } | null;
  acknowledgements: { firstName: string; lastName: string; acknowledgedAt: string }[];
}

const DRAFT = {
  problems: [{ id: 'p1', description: 'Disagreements about money escalate (synthetic).' }],
  goals: [{ id: 'g1', problemIds: ['p1'], statement: 'We plan the month together without a fight.' }],
  objectives: [{ kind: 'behaviour', id: 'o1', goalId: 'g1', description: 'A 20-minute budget check-in every Sunday.', dueDate: '2031-01-31' }],
  sessionFrequency: { every: 'week', sessions: 12 },
  dischargeCriteria: ['Eight Sunday check-ins in a row (synthetic).'],
  clinicianNotes: 'Synthetic formulation: pursue-withdraw cycle.',
};

const idem = () => ({ 'Idempotency-Key': randomUUID() });

describe("the care unit's treatment plan", () => {
  it('draft -> sign -> both partners read and acknowledge -> revise -> the old version stays readable; a partner who left and a third client 404', async () => {
    const { a, b, therapist, unitId } = await matchedCouple();
    const plans = `/v1/care-units/${unitId}/plans`;

    // The privacy rule: an instrument objective, a diagnosis link: 422 with the code saying why.
    const measure = await callApi<{ code: string; fields: string[] }>('POST', plans, {
      json: { ...DRAFT, objectives: [{ kind: 'measure', id: 'o2', goalId: 'g1', instrument: 'phq9', target: { kind: 'below', value: 10 }, dueDate: '2031-01-31' }] },
      token: await therapist.token(),
      headers: idem(),
    });
    expect(measure.status, measure.text).toBe(422);
    expect(measure.headers.get('content-type')).toContain('application/problem+json');
    expect(measure.body).toMatchObject({ code: 'unit_plan_measure_objective', fields: ['objectives.0'] });
    const diagnosis = await callApi<{ code: string }>('POST', plans, {
      json: { ...DRAFT, problems: [{ ...DRAFT.problems[0], diagnosisIds: [randomUUID()] }] },
      token: await therapist.token(),
      headers: idem(),
    });
    expect(diagnosis.status).toBe(422);
    expect(diagnosis.body.code).toBe('unit_plan_member_diagnosis');

    // A member cannot write the plan (403 by role).
    expect((await callApi('POST', plans, { json: DRAFT, token: await a.token(), headers: idem() })).status).toBe(403);

    const draft = await callApi<UnitPlan>('POST', plans, { json: DRAFT, token: await therapist.token(), headers: idem() });
    expect(draft.status, draft.text).toBe(201);
    expect(draft.body).toMatchObject({ version: 1, status: 'draft', subject: { kind: 'care_unit', careUnitId: unitId }, clinicianNotes: DRAFT.clinicianNotes });
    const planId = draft.body.planId;

    // The draft is invisible to the members.
    expect((await callApi<{ versions: unknown[] }>('GET', plans, { token: await a.token() })).body.versions).toEqual([]);
    expect((await callApi('GET', `${plans}/${planId}`, { token: await b.token() })).status).toBe(404);
    // Edited while a draft; the refusal holds on edit too.
    const edited = await callApi<UnitPlan>('PATCH', `${plans}/${planId}`, { json: { levelOfCare: 'outpatient', strengths: ['Both want to stay together (synthetic).'] }, token: await therapist.token() });
    expect(edited.status, edited.text).toBe(200);
    expect((await callApi<{ code: string }>('PATCH', `${plans}/${planId}`, { json: { primaryInstrument: 'gad7' }, token: await therapist.token() })).body.code).toBe('unit_plan_measure_objective');

    const signed = await callApi<UnitPlan>('POST', `${plans}/${planId}/sign`, { token: await therapist.token() });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body.status).toBe('active');

    // Both partners read the client view: no clinician notes.
    for (const member of [a, b]) {
      const read = await callApi<UnitPlan>('GET', `${plans}/${planId}`, { token: await member.token() });
      expect(read.status).toBe(200);
      expect(read.body.clinicianNotes).toBeUndefined();
      expect(read.body.acknowledgement).toBeNull();
    }
    const ackA = await callApi<UnitPlan>('POST', `${plans}/${planId}/acknowledge`, { json: {}, token: await a.token() });
    expect(ackA.status, ackA.text).toBe(200);
    expect(ackA.body.acknowledgement).not.toBeNull();
    expect(ackA.body.acknowledgements.map((x) => x.firstName)).toEqual([a.firstName]);
    const ackB = await callApi<UnitPlan>('POST', `${plans}/${planId}/acknowledge`, { json: {}, token: await b.token() });
    expect(ackB.status).toBe(200);
    expect(ackB.body.acknowledgements.map((x) => x.firstName)).toEqual([a.firstName, b.firstName]);
    for (const x of ackB.body.acknowledgements) expect(Object.keys(x).sort()).toEqual(['acknowledgedAt', 'firstName', 'lastName']);
    // A repeat keeps the first acknowledgement.
    const again = await callApi<UnitPlan>('POST', `${plans}/${planId}/acknowledge`, { json: {}, token: await a.token() });
    expect(again.body.acknowledgement?.acknowledgedAt).toBe(ackA.body.acknowledgement?.acknowledgedAt);
    // The therapist does not acknowledge (members only: 403 by role).
    expect((await callApi('POST', `${plans}/${planId}/acknowledge`, { json: {}, token: await therapist.token() })).status).toBe(403);

    // A revision: assessments as evidence are refused; then a new version, signed.
    const withEvidence = await callApi<{ code: string }>('POST', `${plans}/${planId}/revisions`, {
      json: { revision: { reason: 'not_on_track', text: 'Synthetic.', evidence: { assessmentIds: [randomUUID()] } } },
      token: await therapist.token(),
      headers: idem(),
    });
    expect(withEvidence.status).toBe(422);
    expect(withEvidence.body.code).toBe('unit_plan_member_evidence');
    const revision = await callApi<UnitPlan>('POST', `${plans}/${planId}/revisions`, {
      json: { revision: { reason: 'client_preference', text: 'They asked for a fortnightly rhythm (synthetic).' }, changes: { sessionFrequency: { every: 'two_weeks' } } },
      token: await therapist.token(),
      headers: idem(),
    });
    expect(revision.status, revision.text).toBe(201);
    expect(revision.body).toMatchObject({ version: 2, status: 'draft' });
    expect((await callApi('POST', `${plans}/${revision.body.planId}/sign`, { token: await therapist.token() })).status).toBe(200);
    const old = await callApi<UnitPlan>('GET', `${plans}/${planId}`, { token: await b.token() });
    expect(old.status).toBe(200);
    expect(old.body.status).toBe('revised');
    const list = await callApi<{ versions: UnitPlan[] }>('GET', plans, { token: await a.token() });
    expect(list.body.versions.map((v) => [v.version, v.status])).toEqual([[2, 'active'], [1, 'revised']]);
    expect(list.body.versions[0]!.revision).toEqual({ reason: 'client_preference', evidence: { assessmentIds: [] } });
    // The care team sees the revision's text.
    const asTherapist = await callApi<{ versions: UnitPlan[] }>('GET', plans, { token: await therapist.token() });
    expect(asTherapist.body.versions[0]!.revision?.text).toContain('fortnightly');

    // A third client: 404, however they ask.
    const outsider = await createClient({ state: 'NH' });
    expect((await callApi('GET', plans, { token: await outsider.token() })).status).toBe(404);
    expect((await callApi('GET', `${plans}/${planId}`, { token: await outsider.token() })).status).toBe(404);
    expect((await callApi('POST', `${plans}/${revision.body.planId}/acknowledge`, { json: {}, token: await outsider.token() })).status).toBe(404);
    // Another therapist: 404.
    const other = await createTherapist({ state: 'NH' });
    expect((await callApi('GET', plans, { token: await other.token() })).status).toBe(404);
    expect((await callApi('POST', `${plans}/${revision.body.planId}/end`, { json: { status: 'ended', reason: 'Synthetic.' }, token: await other.token() })).status).toBe(404);

    // B leaves the unit: no more access to the unit plan.
    expect((await callApi('POST', `/v1/care-units/${unitId}/leave`, { token: await b.token() })).status).toBe(200);
    expect((await callApi('GET', `${plans}/${planId}`, { token: await b.token() })).status).toBe(404);
    expect((await callApi('GET', plans, { token: await b.token() })).status).toBe(404);
    expect((await callApi('GET', plans, { token: await a.token() })).status).toBe(200);

    // The therapist ends the plan: nothing active afterwards, every version kept.
    const ended = await callApi<UnitPlan>('POST', `${plans}/${revision.body.planId}/end`, { json: { status: 'completed', reason: 'Goals met (synthetic).' }, token: await therapist.token() });
    expect(ended.status, ended.text).toBe(200);
    expect(ended.body.status).toBe('completed');
  });
});
