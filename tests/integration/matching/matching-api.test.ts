/**
 * Matching over HTTP on the local stack: a completed free consultation and the intake, three
 * explained matches, accepting one (the therapist gains access), a rematch that cuts the old
 * therapist's access to new records and keeps them out of new matches; two clients racing for
 * the last place of a caseload; who gets 404. Each test ranks its own synthetic therapists in
 * a state no other test uses.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { AcceptMatchResponse, IntakeView, MatchesView, PinView, RematchResponse } from '../../../shared/domain/matches.js';
import type { AssessmentHistory } from '../../../shared/domain/monitor/assessments.js';
import type { UsStateCode } from '../../../shared/domain/us-states.js';
import { bookConsultation } from '../../../shared/use-cases/consultations/book-consultation.js';
import { callApi, getJson, postJson } from '../../support/http.js';
import { createClient, createConsultationClinician, gridStart, useCaseDeps, type TestClient, type TestClinician } from '../consultations/support.js';
import { demoStaff } from '../monitor/support.js';
import { clientAwaitingMatch, createTherapist, destroyClients, intakeRequest, repositories, type TestTherapist } from './support.js';

afterAll(destroyClients);

interface Problem {
  status: number;
  code: string;
  detail: string;
  reason?: string;
  matches?: MatchesView['matches'];
}

const HOUR = 3_600_000;
const PHQ9 = { instrument: 'phq9', answers: [1, 1, 1, 1, 1, 0, 0, 0, 0] };

const putJson = <T>(path: string, json: unknown, token: string) => callApi<T>('PUT', path, { json, token });
const ids = (view: { matches: { therapistId: string }[] }) => view.matches.map((m) => m.therapistId);

/** Four therapists in `state`: the first the best fit (OCD with ERP), the last a weaker one. */
async function directory(state: UsStateCode, options: { bestCapacity?: number } = {}): Promise<TestTherapist[]> {
  return Promise.all([
    createTherapist({ state, lastName: 'Avalon', capacity: options.bestCapacity ?? 10 }),
    createTherapist({ state, lastName: 'Brightwater', modalities: ['cbt'] }),
    createTherapist({ state, lastName: 'Cedarly', specialties: ['ocd'], modalities: ['act'] }),
    createTherapist({ state, lastName: 'Dunmore', specialties: ['grief', 'anxiety'], modalities: ['psychodynamic'] }),
  ]);
}

async function caseloadOf(state: UsStateCode, therapistId: string): Promise<number | undefined> {
  const listed = await repositories().clinicians.listTherapists(state, new Date().toISOString().slice(0, 10));
  return listed.find((t) => t.profile.clinicianId === therapistId)?.caseload?.count;
}

async function confirmIntake(client: TestClient, clinician: TestClinician, state: UsStateCode) {
  const res = await putJson<IntakeView>(`/v1/clients/${client.clientId}/intake`, intakeRequest(state), await clinician.token());
  expect(res.status).toBe(200);
  return res.body;
}

describe('matching, from a completed consultation to a rematch', () => {
  it('a client sees three explained matches, accepts one who gains access, and a rematch cuts that access and excludes them', async () => {
    const state = 'NM';
    const [clinician, client, therapists] = await Promise.all([createConsultationClinician({ states: [state], timezone: 'America/Denver' }), createClient({ state, timezone: 'America/Denver' }), directory(state)]);
    const [best, second, third] = therapists as [TestTherapist, TestTherapist, TestTherapist, TestTherapist];
    const clientToken = await client.token();
    const clinicianToken = await clinician.token();
    const base = `/v1/clients/${client.clientId}`;

    // Before the consultation: no matches yet.
    const early = await getJson<Problem>(`${base}/matches`, clientToken);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'matching_not_ready', reason: 'consultation_not_completed' });

    // The free consultation, booked three days ago for two days ago, completed by its clinician.
    const bookedAt = Date.now() - 72 * HOUR;
    const consultation = await bookConsultation({ clientId: client.clientId, start: gridStart(24, bookedAt), clinicianId: clinician.clinicianId }, useCaseDeps({ now: () => new Date(bookedAt) }));
    const outcome = await postJson<{ client: { stage: string } }>(`/v1/consultations/${consultation.id}/outcome`, { outcome: 'completed' }, { token: clinicianToken });
    expect(outcome.status).toBe(200);

    // The client pre-fills a draft; matching waits for the clinician's confirmed intake.
    const draft = await putJson<IntakeView>(`${base}/intake`, intakeRequest(state, { goals: ['My own words'] }), clientToken);
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ confirmed: null, draft: { version: 'draft', intake: { timezone: 'America/Denver', goals: ['My own words'] } } });
    const waiting = await getJson<Problem>(`${base}/matches`, clientToken);
    expect(waiting.body).toMatchObject({ code: 'matching_not_ready', reason: 'intake_not_confirmed' });
    const confirmed = await confirmIntake(client, clinician, state);
    expect(confirmed.confirmed).toMatchObject({ version: 'confirmed', updatedBy: { userId: clinician.clinicianId, role: 'coordinator' } });
    expect((await getJson<IntakeView>(`${base}/intake`, clinicianToken)).body.draft?.intake.goals).toEqual(['My own words']);

    // Three explained matches, best first; no utilisation shown to the client.
    const seen = await getJson<MatchesView>(`${base}/matches`, clientToken);
    expect(seen.status).toBe(200);
    expect(ids(seen.body)).toEqual([best.clinicianId, second.clinicianId, third.clinicianId]);
    for (const match of seen.body.matches) {
      expect(match.reasons.map((r) => r.text)).toContain('licensed in New Mexico');
      expect(match.score.components.map((c) => c.component)).not.toContain('caseload');
      expect(match.therapist).toMatchObject({ clinicianId: match.therapistId, licensedStates: [state] });
      expect(match.therapist).not.toHaveProperty('caseloadCapacity');
    }
    expect(seen.body.matches[0]!.reasons.map((r) => r.text)).toContain('specializes in OCD and uses ERP');
    expect(seen.body).not.toHaveProperty('directory');
    const staffView = await getJson<MatchesView>(`${base}/matches`, clinicianToken);
    expect(staffView.body).toMatchObject({ audience: 'clinician', directory: { size: 4, eligible: 4 } });
    expect(ids(staffView.body)).toEqual(ids(seen.body));

    // A first measure, before any therapist.
    const before = await postJson<{ assessmentId: string }>(`${base}/assessments`, PHQ9, { token: clientToken });
    expect(before.status).toBe(201);
    expect((await getJson(`${base}/assessments`, await best.token())).status).toBe(404);

    // Accept the best match: 201, the same again 200, and the therapist can read the record.
    const accepted = await postJson<AcceptMatchResponse>(`${base}/matches/${best.clinicianId}/accept`, {}, { token: clientToken });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ stage: 'in_care', therapistId: best.clinicianId, match: { rank: 1 } });
    const again = await postJson<AcceptMatchResponse>(`${base}/matches/${best.clinicianId}/accept`, {}, { token: clientToken });
    expect(again.status).toBe(200);
    expect(again.body.startedAt).toBe(accepted.body.startedAt);
    expect(await caseloadOf(state, best.clinicianId)).toBe(1);
    expect((await getJson<{ status: string }>('/v1/me', clientToken)).body.status).toBe('in_care');
    const readable = await getJson<AssessmentHistory>(`${base}/assessments`, await best.token());
    expect(readable.status).toBe(200);
    expect(readable.body.items.map((a) => a.assessmentId)).toEqual([before.body.assessmentId]);
    // The consultation clinician's part ended with the match.
    expect((await getJson(`${base}/matches`, clinicianToken)).status).toBe(404);
    const during = await postJson<{ assessmentId: string }>(`${base}/assessments`, PHQ9, { token: clientToken });
    expect(during.status).toBe(201);

    // Rematch: the old therapist loses access to new records at once and is not offered again.
    const note = 'Synthetic: we did not click.';
    const rematched = await postJson<RematchResponse>(`${base}/rematch`, { reason: 'communication_style', note }, { token: clientToken });
    expect(rematched.status).toBe(200);
    expect(rematched.body).toMatchObject({ stage: 'awaiting_match', ended: { therapistId: best.clinicianId, reason: 'communication_style' } });
    expect(ids(rematched.body.matches!)).not.toContain(best.clinicianId);
    expect(ids(rematched.body.matches!)).toHaveLength(3);
    expect(rematched.text).not.toContain(note);
    expect(await caseloadOf(state, best.clinicianId)).toBe(0);

    const after = await postJson<{ assessmentId: string }>(`${base}/assessments`, PHQ9, { token: clientToken });
    expect(after.status).toBe(201);
    // The former therapist keeps read access to what was recorded during their care only.
    const formerView = await getJson<AssessmentHistory>(`${base}/assessments`, await best.token());
    expect(formerView.status).toBe(200);
    expect(formerView.body.items.map((a) => a.assessmentId)).toEqual([during.body.assessmentId]);
    expect((await postJson(`${base}/assessments`, PHQ9, { token: await best.token() })).status).toBe(404);

    const now = await getJson<MatchesView>(`${base}/matches`, clientToken);
    expect(ids(now.body)).not.toContain(best.clinicianId);
    const refused = await postJson<Problem>(`${base}/matches/${best.clinicianId}/accept`, {}, { token: clientToken });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('match_not_offered');
    expect(refused.body.matches!.map((m) => m.therapistId)).toEqual(ids(now.body));

    // A second therapist after the rematch.
    const next = await postJson<AcceptMatchResponse>(`${base}/matches/${second.clinicianId}/accept`, {}, { token: clientToken });
    expect(next.status).toBe(201);
    expect((await getJson(`${base}/assessments`, await second.token())).status).toBe(200);
  });
});

describe('the last place of a caseload', () => {
  async function racers(state: UsStateCode, count: number, bestCapacity: number) {
    const clinician = await createConsultationClinician({ states: [state], timezone: 'America/Denver' });
    const [therapists, clients] = await Promise.all([directory(state, { bestCapacity }), Promise.all(Array.from({ length: count }, () => clientAwaitingMatch(state, clinician.clinicianId)))]);
    for (const client of clients) await confirmIntake(client, clinician, state);
    const tokens = await Promise.all(clients.map((c) => c.token()));
    const best = therapists[0]!;
    // Every client sees the same therapist first.
    for (const [i, client] of clients.entries()) {
      const seen = await getJson<MatchesView>(`/v1/clients/${client.clientId}/matches`, tokens[i]);
      expect(ids(seen.body)[0]).toBe(best.clinicianId);
    }
    const results = await Promise.all(clients.map((client, i) => postJson<Problem & AcceptMatchResponse>(`/v1/clients/${client.clientId}/matches/${best.clinicianId}/accept`, {}, { token: tokens[i] })));
    return { best, clients, results };
  }

  it('two clients accepting the last place at once: one 201, one 409 therapist_full with fresh matches', async () => {
    const state = 'NV';
    const { best, results } = await racers(state, 2, 1);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.code).toBe('therapist_full');
    expect(loser.body.matches).toHaveLength(3);
    expect(loser.body.matches!.map((m) => m.therapistId)).not.toContain(best.clinicianId);
    expect(await caseloadOf(state, best.clinicianId)).toBe(1);
  });

  it('six clients for two places: exactly two are assigned and the counter stops at the capacity', async () => {
    const state = 'NE';
    const { best, clients, results } = await racers(state, 6, 2);
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'therapist_full')).toBe(true);
    expect(await caseloadOf(state, best.clinicianId)).toBe(2);
    const assigned = await Promise.all(clients.map(async (c) => (await repositories().careTeam.activeFor(c.clientId)).some((r) => r.kind === 'therapist')));
    expect(assigned.filter(Boolean)).toHaveLength(2);
  });
});

describe('who may', () => {
  it('answers 404 to everyone but the client and their consultation clinician, 403 to roles a route does not serve', async () => {
    const state = 'ME';
    const [clinician, otherCoordinator, therapists] = await Promise.all([
      createConsultationClinician({ states: [state] }),
      createConsultationClinician({ states: [state] }),
      directory(state),
    ]);
    const [client, otherClient] = await Promise.all([clientAwaitingMatch(state, clinician.clinicianId), clientAwaitingMatch(state, otherCoordinator.clinicianId)]);
    await confirmIntake(client, clinician, state);
    const supervisor = await demoStaff('supervisor@example.com');
    const base = `/v1/clients/${client.clientId}`;
    const therapist = therapists[0]!;

    expect((await getJson(`${base}/matches`, await client.token())).status).toBe(200);
    expect((await getJson(`${base}/matches`, await clinician.token())).status).toBe(200);
    for (const token of [await otherClient.token(), await otherCoordinator.token(), await therapist.token(), await supervisor.token()]) {
      expect((await getJson(`${base}/matches`, token)).status).toBe(404);
    }
    // Intake: a coordinator may read it while the client awaits a match (see the next test for
    // a client in care); another client or an unrelated therapist gets 404.
    for (const token of [await otherClient.token(), await therapist.token()]) {
      expect((await getJson(`${base}/intake`, token)).status).toBe(404);
      expect((await putJson(`${base}/intake`, intakeRequest(state), token)).status).toBe(404);
    }
    expect((await postJson(`${base}/matches/${therapist.clinicianId}/accept`, {}, { token: await otherClient.token() })).status).toBe(404);
    expect((await postJson(`${base}/rematch`, { reason: 'other' }, { token: await otherClient.token() })).status).toBe(404);
    expect((await postJson(`${base}/matches/${therapist.clinicianId}/accept`, {}, { token: await therapist.token() })).status).toBe(403);

    // Pin: only the consultation clinician; shown first to the client.
    const weakest = therapists[3]!;
    expect((await postJson(`${base}/matches/pin`, { therapistId: weakest.clinicianId }, { token: await otherCoordinator.token() })).status).toBe(404);
    expect((await postJson(`${base}/matches/pin`, { therapistId: weakest.clinicianId }, { token: await client.token() })).status).toBe(403);
    expect((await postJson<Problem>(`${base}/matches/pin`, { therapistId: clinician.clinicianId }, { token: await clinician.token() })).status).toBe(400);
    const pinned = await postJson<PinView>(`${base}/matches/pin`, { therapistId: weakest.clinicianId }, { token: await clinician.token() });
    expect(pinned.status).toBe(200);
    const view = await getJson<MatchesView>(`${base}/matches`, await client.token());
    expect(view.body.matches[0]).toMatchObject({ therapistId: weakest.clinicianId, pinned: true });
    const staff = await getJson<MatchesView>(`${base}/matches`, await clinician.token());
    expect(staff.body.pin).toMatchObject({ therapistId: weakest.clinicianId, outcome: 'shown_first' });
    // A client without a therapist has nobody to leave.
    const none = await postJson<Problem>(`${base}/rematch`, { reason: 'other' }, { token: await client.token() });
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('not_in_care');
  });
});

describe('a coordinator and the intake (issue 9, finding 10)', () => {
  it('reads and writes the intake of a client awaiting a match, and gets 404 for GET and PUT once the client is in care', async () => {
    const state = 'WV';
    const [clinician, otherCoordinator, therapists] = await Promise.all([
      createConsultationClinician({ states: [state] }),
      createConsultationClinician({ states: [state] }),
      directory(state),
    ]);
    const client = await clientAwaitingMatch(state, clinician.clinicianId);
    const base = `/v1/clients/${client.clientId}`;
    const coordinatorToken = await otherCoordinator.token();

    // Awaiting a match: any coordinator runs the intake.
    expect((await getJson(`${base}/intake`, coordinatorToken)).status).toBe(200);
    const byCoordinator = await putJson<IntakeView>(`${base}/intake`, intakeRequest(state, { goals: ['Written by a coordinator'] }), coordinatorToken);
    expect(byCoordinator.status, byCoordinator.text).toBe(200);
    await confirmIntake(client, clinician, state);

    const accepted = await postJson<AcceptMatchResponse>(`${base}/matches/${therapists[0]!.clinicianId}/accept`, {}, { token: await client.token() });
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.body.stage).toBe('in_care');

    // In care: the coordinator who never held the consultation gets 404 for both, and nothing changes.
    const read = await getJson<Problem>(`${base}/intake`, coordinatorToken);
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('not_found');
    const overwrite = await putJson<Problem>(`${base}/intake`, intakeRequest(state, { goals: ['Overwritten'] }), coordinatorToken);
    expect(overwrite.status).toBe(404);
    const own = await getJson<IntakeView>(`${base}/intake`, await client.token());
    expect(own.status).toBe(200);
    expect(own.body.confirmed?.intake.goals).toEqual(['Spend less time checking']);
    // The consultation clinician's part ended with the match: a coordinator too, they get 404.
    expect((await getJson(`${base}/intake`, await clinician.token())).status).toBe(404);
    // The assigned therapist keeps the intake.
    expect((await getJson(`${base}/intake`, await therapists[0]!.token())).status).toBe(200);
  });
});
