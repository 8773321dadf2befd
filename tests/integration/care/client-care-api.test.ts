/**
 * GET /v1/clients/{clientId} and POST /v1/clients/{clientId}/discharge over HTTP on the local
 * stack, from a client awaiting a match (the consultation clinician sees them) through an
 * accepted match (the therapist sees them, the lifecycle's next steps by the intake's concerns)
 * to the discharge (one transaction: stage, relationship, caseload, record; Idempotency-Key;
 * the former therapist 404). Every access audited; the chain verifies. Synthetic people in a
 * state no other test uses (SD).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createCareLifecycleRepository } from '../../../shared/adapters/dynamodb/care-lifecycle-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import type { ClientView, DischargeResponse } from '../../../shared/domain/discharge.js';
import type { AcceptMatchResponse } from '../../../shared/domain/matches.js';
import { callApi, getJson, postJson } from '../../support/http.js';
import { createConsultationClinician } from '../consultations/support.js';
import { clientAwaitingMatch, createTherapist, destroyClients, intakeRequest, repositories } from '../matching/support.js';

afterAll(destroyClients);

const STATE = 'SD';
const tableName = () => process.env.TABLE_NAME as string;

async function caseloadOf(therapistId: string): Promise<number | undefined> {
  const listed = await repositories().clinicians.listTherapists(STATE, new Date().toISOString().slice(0, 10));
  return listed.find((t) => t.profile.clinicianId === therapistId)?.caseload?.count;
}

describe('the client and their care over HTTP', () => {
  it('shows the client, their care team and what is next to the right people only, and a discharge by the therapist ends care', async () => {
    const clinician = await createConsultationClinician({ states: [STATE], timezone: 'America/Chicago' });
    const [client, therapist, other] = await Promise.all([
      clientAwaitingMatch(STATE, clinician.clinicianId),
      createTherapist({ state: STATE, specialties: ['ocd', 'anxiety'], modalities: ['erp', 'cbt'], lastName: 'Prairie' }),
      createTherapist({ state: STATE, specialties: ['grief'], modalities: ['psychodynamic'], lastName: 'Outsider' }),
    ]);
    const base = `/v1/clients/${client.clientId}`;
    const clientToken = await client.token();

    // Awaiting a match: the client and their consultation clinician; nobody else.
    const awaiting = await getJson<ClientView>(base, clientToken);
    expect(awaiting.status).toBe(200);
    expect(awaiting.body).toMatchObject({ clientId: client.clientId, stage: 'awaiting_match', consultationClinician: { clinicianId: clinician.clinicianId }, lifecycle: { measures: [], next: [] } });
    expect(awaiting.body).not.toHaveProperty('therapist');
    // While awaiting a match the lifecycle looks again within the hour.
    expect(Date.parse(awaiting.body.lifecycle.nextReviewAt ?? '') - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect((await getJson<ClientView>(base, await clinician.token())).status).toBe(200);
    expect((await getJson(base, await therapist.token())).status).toBe(404);

    // The consultation clinician confirms the intake (OCD, anxiety); the client accepts a match.
    expect((await callApi('PUT', `${base}/intake`, { json: intakeRequest(STATE), token: await clinician.token() })).status).toBe(200);
    const accepted = await postJson<AcceptMatchResponse>(`${base}/matches/${therapist.clinicianId}/accept`, {}, { token: clientToken });
    expect(accepted.status).toBe(201);
    expect(await caseloadOf(therapist.clinicianId)).toBe(1);

    const inCare = await getJson<ClientView>(base, clientToken);
    expect(inCare.body).toMatchObject({ stage: 'in_care', therapist: { clinicianId: therapist.clinicianId, lastName: 'Prairie', since: accepted.body.startedAt } });
    expect(inCare.body).not.toHaveProperty('consultationClinician');
    // OCD and anxiety: GAD-7; introductions and the baseline due at the lifecycle's next wake-up, the first measure reminder in 2 weeks.
    expect(inCare.body.lifecycle.measures).toEqual(['gad7']);
    const kinds = inCare.body.lifecycle.next.map((item) => item.kind);
    expect(kinds).toEqual(expect.arrayContaining(['introductions', 'baseline_measures', 'measure_reminder', 'engagement_check']));
    const reminder = inCare.body.lifecycle.next.find((item) => item.kind === 'measure_reminder' && Date.parse(item.at) > Date.now() + 86_400_000);
    expect(Date.parse(reminder?.at ?? '') - Date.parse(accepted.body.startedAt)).toBe(14 * 86_400_000);
    expect(inCare.body.lifecycle).not.toHaveProperty('disengagedSince');
    // The therapist now; the consultation clinician's part ended with the match; another therapist never.
    expect((await getJson<ClientView>(base, await therapist.token())).status).toBe(200);
    expect((await getJson(base, await clinician.token())).status).toBe(404);
    expect((await getJson(base, await other.token())).status).toBe(404);

    // Discharge: not the client (403, the route is for clinicians), not another therapist (404), not an unknown reason (400).
    expect((await postJson(`${base}/discharge`, { reason: 'goals_met' }, { token: clientToken })).status).toBe(403);
    expect((await postJson(`${base}/discharge`, { reason: 'goals_met' }, { token: await other.token() })).status).toBe(404);
    expect((await postJson(`${base}/discharge`, { reason: 'bored' }, { token: await therapist.token() })).status).toBe(400);

    const key = { 'Idempotency-Key': `discharge-${client.clientId}` };
    const discharged = await postJson<DischargeResponse>(`${base}/discharge`, { reason: 'goals_met', summary: 'Synthetic: goals met.' }, { token: await therapist.token(), headers: key });
    expect(discharged.status).toBe(200);
    expect(discharged.body).toMatchObject({ clientId: client.clientId, stage: 'discharged', reason: 'goals_met', dischargedBy: therapist.clinicianId });
    const replay = await postJson<DischargeResponse>(`${base}/discharge`, { reason: 'goals_met', summary: 'Synthetic: goals met.' }, { token: await therapist.token(), headers: key });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(discharged.body);
    // Without the key it is a new request, and they are no longer the client's therapist.
    expect((await postJson(`${base}/discharge`, { reason: 'goals_met' }, { token: await therapist.token() })).status).toBe(404);

    expect(await caseloadOf(therapist.clinicianId)).toBe(0);
    const after = await getJson<ClientView>(base, clientToken);
    expect(after.body).toMatchObject({ stage: 'discharged', discharge: { reason: 'goals_met', dischargedAt: discharged.body.dischargedAt }, lifecycle: { next: [], nextReviewAt: null } });
    expect(after.body).not.toHaveProperty('therapist');
    expect(JSON.stringify(after.body)).not.toContain('Synthetic: goals met.');
    expect((await getJson(base, await therapist.token())).status).toBe(404);
    // Out of the reconciler's index: nothing to resume for a closed care.
    const records = createCareLifecycleRepository({ documentClient: createDocumentClient(), tableName: tableName() });
    const active: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await records.clientsInStage('in_care', { limit: 100, ...(cursor ? { cursor } : {}) });
      active.push(...page.clientIds);
      cursor = page.cursor;
    } while (cursor);
    expect(active).not.toContain(client.clientId);
    expect(await records.latestDischarge(client.clientId)).toMatchObject({ reason: 'goals_met', summary: 'Synthetic: goals met.', therapistId: therapist.clinicianId });

    // Audited: every read and the discharge, denials included; the chain is intact.
    const auditLog = createAuditLog({ documentClient: createDocumentClient(), tableName: tableName() });
    const events = (await auditLog.events(client.clientId)).filter((event) => event.record.category === 'care');
    const summary = events.map((event) => `${event.actor.userId === therapist.clinicianId ? 'therapist' : event.actor.userId === client.clientId ? 'client' : 'other'} ${event.action} ${event.outcome}`);
    expect(summary).toEqual(expect.arrayContaining(['client read success', 'therapist read success', 'therapist update success', 'therapist update denied', 'other update denied', 'other read denied']));
    expect((await auditLog.verifyChain(client.clientId)).intact).toBe(true);
  });

  it('answers 404 for a client that does not exist, and 400 for an id that is not one', async () => {
    const clinician = await createConsultationClinician({ states: [STATE] });
    expect((await getJson(`/v1/clients/${crypto.randomUUID()}`, await clinician.token())).status).toBe(404);
    expect((await getJson('/v1/clients/not-an-id', await clinician.token())).status).toBe(400);
  });
});
