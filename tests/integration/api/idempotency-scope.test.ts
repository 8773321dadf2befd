/**
 * What an Idempotency-Key is bound to, over HTTP on the local stack (security review, issue 9
 * item 9): the caller, the method, the path WITH its parameters, and the body. The same key and
 * body on another client acts on that client; another caller never gets the first caller's
 * response; a replay runs the route's authorization for the caller now (404 once their access
 * ended) and is audited as a read of the stored response. Synthetic people in a state no other
 * test uses (WV, RI, DE).
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { HEALTH_RECORD_LIFETIME_SECONDS } from '../../../shared/http/idempotency.js';
import { TABLE_DESIGN } from '../../../shared/platform/table-design.js';
import type { AuditEvent } from '../../../shared/domain/audit.js';
import type { DischargeResponse } from '../../../shared/domain/discharge.js';
import type { DiagnosisVersion } from '../../../shared/domain/monitor/diagnoses.js';
import type { UsStateCode } from '../../../shared/domain/us-states.js';
import { callApi, getJson, postJson } from '../../support/http.js';
import { createClient, createConsultationClinician } from '../consultations/support.js';
import { clientAwaitingMatch, createTherapist, destroyClients, intakeRequest, type TestTherapist } from '../matching/support.js';

afterAll(destroyClients);

// One state per test: matches are the top 3 therapists of the client's state.
const DISCHARGE_STATE: UsStateCode = 'WV';
const REPLAY_STATE: UsStateCode = 'RI';
const CHECK_IN_STATE: UsStateCode = 'DE';
const tableName = () => process.env.TABLE_NAME as string;
const auditLog = () => createAuditLog({ documentClient: createDocumentClient(), tableName: tableName() });

/** A client in care with `therapist`: intake by their consultation clinician, then the client accepts the match. */
async function clientInCareWith(therapist: TestTherapist, state: UsStateCode) {
  const clinician = await createConsultationClinician({ states: [state], timezone: 'America/Chicago' });
  const client = await clientAwaitingMatch(state, clinician.clinicianId);
  const base = `/v1/clients/${client.clientId}`;
  expect((await callApi('PUT', `${base}/intake`, { json: intakeRequest(state), token: await clinician.token() })).status).toBe(200);
  const accepted = await postJson(`${base}/matches/${therapist.clinicianId}/accept`, {}, { token: await client.token() });
  expect(accepted.status, accepted.text).toBe(201);
  return client;
}

const DIAGNOSIS = { code: 'F41.1', severity: 'moderate', specifiers: [], basis: { assessmentIds: [], interview: true }, status: 'provisional' };

describe('Idempotency-Key scope', () => {
  it('the same key and body on two clients discharges both, each with its own answer', async () => {
    const therapist = await createTherapist({ state: DISCHARGE_STATE, lastName: 'Keyscope' });
    const first = await clientInCareWith(therapist, DISCHARGE_STATE);
    const second = await clientInCareWith(therapist, DISCHARGE_STATE);
    const key = { 'Idempotency-Key': `discharge-${randomUUID()}` };
    const body = { reason: 'goals_met' };

    const one = await postJson<DischargeResponse>(`/v1/clients/${first.clientId}/discharge`, body, { token: await therapist.token(), headers: key });
    const two = await postJson<DischargeResponse>(`/v1/clients/${second.clientId}/discharge`, body, { token: await therapist.token(), headers: key });
    expect(one.status, one.text).toBe(200);
    expect(two.status, two.text).toBe(200);
    expect(one.body.clientId).toBe(first.clientId);
    // Before: the second answer was the first client's discharge, and the second never happened.
    expect(two.body.clientId).toBe(second.clientId);
    for (const client of [first, second]) {
      const view = await getJson<{ stage: string }>(`/v1/clients/${client.clientId}`, await client.token());
      expect(view.body.stage).toBe('discharged');
    }
    // The discharging therapist's own retry still gets their answer (their relationship ended by this very discharge).
    const retry = await postJson<DischargeResponse>(`/v1/clients/${second.clientId}/discharge`, body, { token: await therapist.token(), headers: key });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(two.body);
  });

  it('a replay re-checks access now and is audited; another caller with the same key gets their own record', async () => {
    const therapist = await createTherapist({ state: REPLAY_STATE, lastName: 'Replaycheck' });
    const client = await clientInCareWith(therapist, REPLAY_STATE);
    const path = `/v1/clients/${client.clientId}/diagnoses`;
    const key = { 'Idempotency-Key': `diagnosis-${randomUUID()}` };

    const recorded = await postJson<DiagnosisVersion>(path, DIAGNOSIS, { token: await therapist.token(), headers: key });
    expect(recorded.status, recorded.text).toBe(201);
    const replayed = await postJson<DiagnosisVersion>(path, DIAGNOSIS, { token: await therapist.token(), headers: key });
    expect(replayed.status).toBe(201);
    expect(replayed.body).toEqual(recorded.body);

    // The replay is a read of the stored diagnosis, on the client's audit chain.
    const afterReplay = (await auditLog().events(client.clientId)).filter(
      (e: AuditEvent) => e.record.category === 'diagnosis' && e.actor.userId === therapist.clinicianId,
    );
    expect(afterReplay.map((e) => `${e.action} ${e.outcome}`)).toEqual(['create success', 'read success']);
    expect(afterReplay[1]).toMatchObject({ record: { category: 'diagnosis', id: recorded.body.diagnosisId }, basis: 'assigned_therapist', purpose: 'treatment' });

    // Another caller (a second therapist of nobody here) with the same key and body: not the first answer.
    const stranger = await createTherapist({ state: REPLAY_STATE, lastName: 'Stranger' });
    const foreign = await postJson<DiagnosisVersion>(path, DIAGNOSIS, { token: await stranger.token(), headers: key });
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toContain(recorded.body.diagnosisId);

    // The client rematches: the therapist's access ends, and so does their replay.
    const rematched = await postJson(`/v1/clients/${client.clientId}/rematch`, { reason: 'not_a_good_fit' }, { token: await client.token() });
    expect(rematched.status, rematched.text).toBe(200);
    const late = await postJson(path, DIAGNOSIS, { token: await therapist.token(), headers: key });
    expect(late.status).toBe(404);
    expect(late.text).not.toContain(recorded.body.diagnosisId);
    const afterRematch = (await auditLog().events(client.clientId)).filter(
      (e: AuditEvent) => e.record.category === 'diagnosis' && e.actor.userId === therapist.clinicianId,
    );
    expect(afterRematch.map((e) => `${e.action} ${e.outcome}`)).toEqual(['create success', 'read success', 'create denied']);
    expect(afterRematch[2]).toMatchObject({ denialReason: 'relationship_ended' });
    expect((await auditLog().verifyChain(client.clientId)).intact).toBe(true);
  });

  it('the same key by two clients on their own records gives each their own check-in', async () => {
    const [a, b] = await Promise.all([createClient({ state: CHECK_IN_STATE }), createClient({ state: CHECK_IN_STATE })]);
    const key = { 'Idempotency-Key': `check-in-${randomUUID()}` };
    const checkIn = { mood: 6, anxiety: 3, sleepHours: 7, triggers: { tags: [] }, copingSkills: [], selfHarmThoughts: false };
    const ofA = await postJson<{ checkInId: string }>(`/v1/clients/${a.clientId}/check-ins`, checkIn, { token: await a.token(), headers: key });
    const ofB = await postJson<{ checkInId: string }>(`/v1/clients/${b.clientId}/check-ins`, checkIn, { token: await b.token(), headers: key });
    expect(ofA.status, ofA.text).toBe(201);
    expect(ofB.status, ofB.text).toBe(201);
    expect(ofB.body.checkInId).not.toBe(ofA.body.checkInId);
  });

  it('keeps a stored response of a client route one hour at most (it copies health data outside the client partition)', async () => {
    const client = await createClient({ state: CHECK_IN_STATE });
    const checkIn = { mood: 4, anxiety: 5, sleepHours: 6, triggers: { tags: [] }, copingSkills: [], selfHarmThoughts: false };
    const before = Math.floor(Date.now() / 1000);
    const stored = await postJson(`/v1/clients/${client.clientId}/check-ins`, checkIn, { token: await client.token(), headers: { 'Idempotency-Key': `ttl-${randomUUID()}` } });
    expect(stored.status, stored.text).toBe(201);
    const after = Math.ceil(Date.now() / 1000);
    const records = await createDocumentClient().send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.idempotencyPartition('record-check-in') } }),
    );
    const expiries = (records.Items ?? []).map((item) => item[TABLE_DESIGN.timeToLiveAttribute] as number);
    const ours = expiries.filter((at) => at >= before + HEALTH_RECORD_LIFETIME_SECONDS);
    expect(ours.length).toBeGreaterThan(0);
    // Before: 24 hours.
    for (const at of expiries) expect(at).toBeLessThanOrEqual(after + HEALTH_RECORD_LIFETIME_SECONDS);
    expect(HEALTH_RECORD_LIFETIME_SECONDS).toBe(3_600);
  });
});
