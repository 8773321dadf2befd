/**
 * Care with a therapist ends (discharge by the therapist, rematch by the client) over HTTP: the
 * client's FUTURE booked sessions with that therapist become `cancelled_care_ended` (by
 * `system`), their lock cells are free again, and a past attended session stays as it was; the
 * former therapist's open no-show task about the client is closed (`care_ended`, by `system`)
 * and leaves their open list.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SessionList, SessionTaskList } from '../../../shared/domain/sessions/schemas.js';
import { bookSessions, recordAttendance } from '../../../shared/use-cases/sessions/sessions.js';
import { dischargeClient } from '../../../shared/use-cases/care-lifecycle/client-care.js';
import type { DischargeResponse } from '../../../shared/domain/discharge.js';
import { clientCareDependencies } from '../../../functions/api/client-care-dependencies.js';
import { callApi } from '../../support/http.js';
import { createClient, repositories as consultationRepositories } from '../consultations/support.js';
import { createTherapist } from '../matching/support.js';
import { assignTherapist, careEndedSessionsFailingOnSecondChange, eveningStart, sessionDeps } from './support.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Two weekly no-shows in a row with `therapistId`, after the attended session of inCareWithPastSession (same day, later): the task they raise. */
async function noShowTask(clientId: string, therapistId: string): Promise<string> {
  const from = Date.now() - 12 * DAY;
  const caller = { userId: therapistId, role: 'therapist' as const };
  const { sessions } = await bookSessions(
    { caller, clientId, request: { startsAt: eveningStart(1, '20:00', { from }), repeat: { every: 'week', count: 2 } } },
    sessionDeps({ now: () => new Date(from) }),
  );
  const after = sessionDeps({ now: () => new Date(Date.parse(sessions[1]!.end) + HOUR) });
  for (const s of sessions) await recordAttendance({ caller, sessionId: s.id, request: { status: 'no_show' } }, after);
  const task = await sessionDeps().sessions.getTask(clientId, sessions[1]!.id);
  expect(task?.status).toBe('open');
  return sessions[1]!.id;
}

async function inCareWithPastSession() {
  const therapist = await createTherapist({ state: 'UT' });
  const client = await createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care' });
  const past = Date.now() - 12 * DAY;
  await assignTherapist(client.clientId, therapist.clinicianId, new Date(past - DAY).toISOString());
  // A session held 10 days ago, booked then and recorded attended after it.
  const asTherapist = { userId: therapist.clinicianId, role: 'therapist' as const };
  const held = await bookSessions({ caller: asTherapist, clientId: client.clientId, request: { startsAt: eveningStart(1, '18:00', { from: past }) } }, sessionDeps({ now: () => new Date(past) }));
  const heldId = held.sessions[0]!.id;
  await recordAttendance({ caller: asTherapist, sessionId: heldId, request: { status: 'attended' } }, sessionDeps());
  // A weekly series of 3 ahead, booked by the client over HTTP.
  const booked = await callApi<SessionList>('POST', `/v1/clients/${client.clientId}/sessions`, {
    token: await client.token(),
    json: { startsAt: eveningStart(2, '18:30'), repeat: { every: 'week', count: 3 } },
  });
  expect(booked.status, booked.text).toBe(201);
  return { therapist, client, heldId, future: booked.body.sessions };
}

async function expectCancelledAndFreed(clientToken: string, clientId: string, therapistId: string, heldId: string, futureIds: string[]) {
  const listed = await callApi<SessionList>('GET', `/v1/clients/${clientId}/sessions`, { token: clientToken });
  expect(listed.status, listed.text).toBe(200);
  const byId = new Map(listed.body.sessions.map((s) => [s.id, s]));
  expect(byId.get(heldId)?.status).toBe('attended');
  for (const id of futureIds) {
    expect(byId.get(id)).toMatchObject({ status: 'cancelled_care_ended', fhirStatus: 'cancelled', cancelledBy: 'system' });
    expect(byId.get(id)?.joinUrl).toBeUndefined();
  }
  const { consultations } = consultationRepositories();
  for (const id of futureIds) {
    const stored = await sessionDeps().sessions.get(id);
    expect(await consultations.lockedCells(therapistId, Date.parse(stored!.start), Date.parse(stored!.end), new Date())).toEqual([]);
  }
}

describe('sessions when care with the therapist ends', () => {
  it('a discharge cancels the client\'s future sessions with the therapist and frees their times; the past attended one stays', async () => {
    const { therapist, client, heldId, future } = await inCareWithPastSession();
    const discharged = await callApi('POST', `/v1/clients/${client.clientId}/discharge`, {
      token: await therapist.token(),
      json: { reason: 'goals_met' },
      headers: { 'Idempotency-Key': `discharge-${randomUUID()}` },
    });
    expect(discharged.status, discharged.text).toBe(200);
    await expectCancelledAndFreed(await client.token(), client.clientId, therapist.clinicianId, heldId, future.map((s) => s.id));
  });

  it('a rematch cancels the client\'s future sessions with the former therapist and frees their times', async () => {
    const { therapist, client, heldId, future } = await inCareWithPastSession();
    const rematched = await callApi('POST', `/v1/clients/${client.clientId}/rematch`, {
      token: await client.token(),
      json: { reason: 'scheduling' },
      headers: { 'Idempotency-Key': `rematch-${randomUUID()}` },
    });
    expect(rematched.status, rematched.text).toBe(200);
    await expectCancelledAndFreed(await client.token(), client.clientId, therapist.clinicianId, heldId, future.map((s) => s.id));
  });

  it('ending care closes the former therapist\'s open no-show task about the client (care_ended, by system)', async () => {
    const { therapist, client } = await inCareWithPastSession();
    const taskId = await noShowTask(client.clientId, therapist.clinicianId);
    const tasksPath = `/v1/clinicians/${therapist.clinicianId}/session-tasks`;
    const before = await callApi<SessionTaskList>('GET', tasksPath, { token: await therapist.token() });
    expect(before.body.tasks.map((t) => t.id)).toEqual([taskId]);

    const discharged = await callApi('POST', `/v1/clients/${client.clientId}/discharge`, {
      token: await therapist.token(),
      json: { reason: 'goals_met' },
      headers: { 'Idempotency-Key': `discharge-${randomUUID()}` },
    });
    expect(discharged.status, discharged.text).toBe(200);

    const { sessions } = sessionDeps();
    expect(await sessions.getTask(client.clientId, taskId)).toMatchObject({ status: 'closed', closedBy: 'system', closeReason: 'care_ended', closedAt: expect.any(String) });
    expect(await sessions.openTasksOf(therapist.clinicianId)).toEqual([]);
  }, 60_000);

  it('a discharge that failed part-way (the second cancellation threw) is finished by the HTTP retry with the same Idempotency-Key', async () => {
    const { therapist, client, heldId, future } = await inCareWithPastSession();
    const key = `discharge-${randomUUID()}`;
    const faulty = careEndedSessionsFailingOnSecondChange();
    const asTherapist = { userId: therapist.clinicianId, role: 'therapist' as const };
    await expect(
      dischargeClient({ caller: asTherapist, clientId: client.clientId, request: { reason: 'goals_met' }, idempotencyKey: key }, { ...clientCareDependencies(), sessionsOnCareEnd: faulty }),
    ).rejects.toThrow('Synthetic fault');
    const statuses = async () => Promise.all(future.map(async (s) => (await sessionDeps().sessions.get(s.id))?.status));
    expect(await statuses()).toEqual(['cancelled_care_ended', 'booked', 'booked']);

    // The route's idempotency record of a failed request is deleted: the retry runs the route again, and finishes.
    const retried = await callApi<DischargeResponse>('POST', `/v1/clients/${client.clientId}/discharge`, {
      token: await therapist.token(),
      json: { reason: 'goals_met' },
      headers: { 'Idempotency-Key': key },
    });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body).toMatchObject({ clientId: client.clientId, stage: 'discharged', reason: 'goals_met', dischargedBy: therapist.clinicianId });
    await expectCancelledAndFreed(await client.token(), client.clientId, therapist.clinicianId, heldId, future.map((s) => s.id));
    // Another key is not this discharge: 404 as before.
    const other = await callApi('POST', `/v1/clients/${client.clientId}/discharge`, { token: await therapist.token(), json: { reason: 'goals_met' }, headers: { 'Idempotency-Key': `discharge-${randomUUID()}` } });
    expect(other.status).toBe(404);
  }, 60_000);
});
