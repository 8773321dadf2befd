/**
 * Therapy sessions over HTTP and the use cases on the local table: the atomic booking (50
 * concurrent bookings of one therapist hour -> exactly one), series booked whole or not at
 * all, series edits (cancel the rest, reschedule one), late cancellation, attendance with the
 * two-no-shows task, the shared calendar with consultations, and who may book and read.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { cancelSession, recordAttendance, bookSessions } from '../../../shared/use-cases/sessions/sessions.js';
import { callApi } from '../../support/http.js';
import { createClient, repositories as consultationRepositories } from '../consultations/support.js';
import { createTherapist } from '../matching/support.js';
import { assignTherapist, careTeam, eveningStart, sessionDeps } from './support.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

async function clientOf(therapistId: string) {
  const client = await createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care' });
  await assignTherapist(client.clientId, therapistId);
  return client;
}

describe('therapy sessions', () => {
  it('lets 50 concurrent bookings of one therapist hour make exactly one session: one 201, 49 409s, no 5xx', async () => {
    const therapist = await createTherapist({ state: 'UT', capacity: 60 });
    const clients = await Promise.all(Array.from({ length: 50 }, () => clientOf(therapist.clinicianId)));
    await Promise.all(clients.map((c) => c.token()));
    const startsAt = eveningStart(5, '18:00');
    const results = await Promise.all(
      clients.map(async (c) => callApi('POST', `/v1/clients/${c.clientId}/sessions`, { token: await c.token(), json: { startsAt } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(results.filter((r) => r.status === 409).every((r) => (r.body as { code: string }).code === 'slot_taken')).toBe(true);
    const booked = (await Promise.all(clients.map((c) => sessionDeps().sessions.listForClient(c.clientId)))).flat();
    expect(booked.map((s) => s.start)).toEqual([startsAt]);
  }, 120_000);

  it('books a weekly series at the same local time with per-session join links, and a consultation cannot take its time', async () => {
    const therapist = await createTherapist({ state: 'UT' });
    const client = await clientOf(therapist.clinicianId);
    const startsAt = eveningStart(2, '17:30');
    const response = await callApi('POST', `/v1/clients/${client.clientId}/sessions`, { token: await client.token(), json: { startsAt, repeat: { every: 'week', count: 4 } } });
    expect(response.status, response.text).toBe(201);
    const sessions = (response.body as { sessions: { id: string; start: string; startLocal: string; joinUrl: string; series: { index: number } }[] }).sessions;
    expect(sessions).toHaveLength(4);
    expect(sessions.map((s) => s.series.index)).toEqual([1, 2, 3, 4]);
    for (const s of sessions) {
      expect(new Date(s.start).toLocaleTimeString('en-US', { timeZone: 'America/Denver', hour12: false })).toBe('17:30:00');
      expect(s.joinUrl).toBe(`https://video.example.com/rooms/${s.id}`);
    }
    expect(new Set(sessions.map((s) => s.joinUrl)).size).toBe(4);
    // The lock cells are the consultations' cells: a consultation at the session's time is refused.
    const stored = await sessionDeps().sessions.get(sessions[1]!.id);
    const { consultations } = consultationRepositories();
    const locked = await consultations.lockedCells(therapist.clinicianId, Date.parse(stored!.start), Date.parse(stored!.end), new Date());
    expect(locked.length).toBeGreaterThan(0);
    // Slots no longer offer the booked times.
    const slots = await callApi('GET', `/v1/clients/${client.clientId}/session-slots?from=${encodeURIComponent(startsAt)}&to=${encodeURIComponent(new Date(Date.parse(startsAt) + HOUR).toISOString())}`, { token: await client.token() });
    expect(slots.status).toBe(200);
    expect((slots.body as { slots: { start: string }[] }).slots.map((s) => s.start)).not.toContain(startsAt);
  }, 60_000);

  it('books a series whole or not at all: one taken week -> 409 and nothing of the series remains', async () => {
    const therapist = await createTherapist({ state: 'UT' });
    const [first, second] = await Promise.all([clientOf(therapist.clinicianId), clientOf(therapist.clinicianId)]);
    const startsAt = eveningStart(2, '19:00');
    const week3 = new Date(Date.parse(startsAt) + 2 * WEEK);
    // The third week's time (same local time; no DST change checked here: the series computes it).
    const series = await bookSessions({ caller: { userId: first.clientId, role: 'client' }, clientId: first.clientId, request: { startsAt, repeat: { every: 'week', count: 3 } } }, sessionDeps());
    const third = series.sessions[2]!.start;
    await cancelSession({ caller: { userId: first.clientId, role: 'client' }, sessionId: series.sessions[0]!.id, scope: 'rest' }, sessionDeps());
    expect(Math.abs(Date.parse(third) - week3.getTime())).toBeLessThanOrEqual(HOUR);
    // Another client of the therapist takes the third week's time; the series then cannot be booked.
    const taken = await callApi('POST', `/v1/clients/${second.clientId}/sessions`, { token: await second.token(), json: { startsAt: third } });
    expect(taken.status, taken.text).toBe(201);
    const refused = await callApi('POST', `/v1/clients/${first.clientId}/sessions`, { token: await first.token(), json: { startsAt, repeat: { every: 'week', count: 3 } } });
    expect(refused.status).toBe(409);
    expect((refused.body as { code: string }).code).toBe('slot_taken');
    const left = (await sessionDeps().sessions.listForClient(first.clientId)).filter((s) => s.status === 'booked');
    expect(left).toEqual([]);
    // The first week is free again.
    const again = await callApi('POST', `/v1/clients/${first.clientId}/sessions`, { token: await first.token(), json: { startsAt } });
    expect(again.status, again.text).toBe(201);
  }, 60_000);

  it('edits a series: cancel the rest from the second session, reschedule the first; a cancellation inside 24 h is late', async () => {
    const therapist = await createTherapist({ state: 'UT' });
    const client = await clientOf(therapist.clinicianId);
    const startsAt = eveningStart(3, '20:00');
    const deps = sessionDeps();
    const client_ = { userId: client.clientId, role: 'client' as const };
    const { sessions } = await bookSessions({ caller: client_, clientId: client.clientId, request: { startsAt, repeat: { every: '2weeks', count: 4 } } }, deps);
    const rest = await callApi('POST', `/v1/sessions/${sessions[1]!.id}/cancel`, { token: await client.token(), json: { scope: 'rest' } });
    expect(rest.status, rest.text).toBe(200);
    expect((rest.body as { sessions: { id: string; status: string }[] }).sessions.map((s) => s.id)).toEqual(sessions.slice(1).map((s) => s.id));
    const after = await deps.sessions.listForClient(client.clientId);
    expect(after.map((s) => s.status)).toEqual(['booked', 'cancelled', 'cancelled', 'cancelled']);

    const moveTo = eveningStart(3, '17:00');
    const moved = await callApi('POST', `/v1/sessions/${sessions[0]!.id}/reschedule`, { token: await client.token(), json: { startsAt: moveTo } });
    expect(moved.status, moved.text).toBe(200);
    expect((moved.body as { start: string; scheduleVersion: number })).toMatchObject({ start: moveTo, scheduleVersion: 2 });

    // 23 hours before the (moved) start, the client's cancellation is late.
    const late = await cancelSession({ caller: client_, sessionId: sessions[0]!.id, scope: 'one' }, sessionDeps({ now: () => new Date(Date.parse(moveTo) - 23 * HOUR) }));
    expect(late.sessions[0]!.status).toBe('late_cancelled');
    expect(late.sessions[0]!.fhirStatus).toBe('cancelled');
  }, 60_000);

  it('records attendance from the start on; two no-shows in a row raise a task; attended sessions are counted', async () => {
    const therapist = await createTherapist({ state: 'UT' });
    const client = await clientOf(therapist.clinicianId);
    const caller = { userId: therapist.clinicianId, role: 'therapist' as const };
    const startsAt = eveningStart(2, '18:30');
    const { sessions } = await bookSessions({ caller, clientId: client.clientId, request: { startsAt, repeat: { every: 'week', count: 3 } } }, sessionDeps());
    const early = await callApi('POST', `/v1/sessions/${sessions[0]!.id}/attendance`, { token: await therapist.token(), json: { status: 'attended' } });
    expect(early.status).toBe(409);
    const afterAll = sessionDeps({ now: () => new Date(Date.parse(sessions[2]!.end) + HOUR) });
    await recordAttendance({ caller, sessionId: sessions[0]!.id, request: { status: 'attended' } }, afterAll);
    await recordAttendance({ caller, sessionId: sessions[1]!.id, request: { status: 'no_show' } }, afterAll);
    const tasks = async () =>
      (await createDocumentClient().send(new QueryCommand({
        TableName: process.env.TABLE_NAME,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.clientPartition(client.clientId), ':prefix': keys.sessionTaskPrefix() },
        ConsistentRead: true,
      }))).Items ?? [];
    expect(await tasks()).toHaveLength(0);
    await recordAttendance({ caller, sessionId: sessions[2]!.id, request: { status: 'no_show' } }, afterAll);
    const raised = await tasks();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ sessionId: sessions[2]!.id, therapistId: therapist.clinicianId, status: 'open' });
    expect(await afterAll.sessions.attendedSessions(client.clientId)).toBe(1);
    expect(await afterAll.sessions.attendedSessions(client.clientId, sessions[1]!.start)).toBe(0);
  }, 60_000);

  it('books only with the current therapist: a former therapist cannot book and reads only sessions of their time', async () => {
    const [former, current] = await Promise.all([createTherapist({ state: 'UT' }), createTherapist({ state: 'UT' })]);
    const client = await clientOf(former.clinicianId);
    const other = await createClient({ state: 'UT', stage: 'in_care' });
    const first = await callApi('POST', `/v1/clients/${client.clientId}/sessions`, { token: await former.token(), json: { startsAt: eveningStart(2, '17:00') } });
    expect(first.status, first.text).toBe(201);
    const ended = await careTeam().end({ clientId: client.clientId, clinicianId: former.clinicianId, kind: 'therapist', endedAt: new Date().toISOString(), endReason: 'rematch' });
    expect(ended.outcome).toBe('ended');
    const noTherapist = await callApi('POST', `/v1/clients/${client.clientId}/sessions`, { token: await client.token(), json: { startsAt: eveningStart(2, '18:00') } });
    expect(noTherapist.status).toBe(409);
    expect((noTherapist.body as { code: string }).code).toBe('no_therapist');
    await assignTherapist(client.clientId, current.clinicianId, new Date().toISOString());
    const byFormer = await callApi('POST', `/v1/clients/${client.clientId}/sessions`, { token: await former.token(), json: { startsAt: eveningStart(2, '18:00') } });
    expect(byFormer.status).toBe(404);
    const byCurrent = await callApi('POST', `/v1/clients/${client.clientId}/sessions`, { token: await current.token(), json: { startsAt: eveningStart(2, '19:00') } });
    expect(byCurrent.status, byCurrent.text).toBe(201);
    const formerList = await callApi('GET', `/v1/clients/${client.clientId}/sessions`, { token: await former.token() });
    expect(formerList.status).toBe(200);
    expect((formerList.body as { sessions: { id: string }[] }).sessions.map((s) => s.id)).toEqual([(first.body as { sessions: { id: string }[] }).sessions[0]!.id]);
    const clientList = await callApi('GET', `/v1/clients/${client.clientId}/sessions`, { token: await client.token() });
    expect((clientList.body as { sessions: unknown[] }).sessions).toHaveLength(2);
    const stranger = await callApi('GET', `/v1/sessions/${(byCurrent.body as { sessions: { id: string }[] }).sessions[0]!.id}`, { token: await other.token() });
    expect(stranger.status).toBe(404);
  }, 60_000);
});
