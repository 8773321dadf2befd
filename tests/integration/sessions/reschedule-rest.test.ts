/**
 * Rescheduling the rest of a series over HTTP (`scope: rest`): the session and every later
 * booked one of its series move by the same days to the new local time, each with its cells
 * swapped and its version + 1; all or nothing: one taken time -> 409 slot_taken, and every
 * session keeps its time and cells (the reservations given back).
 */
import { describe, expect, it } from 'vitest';
import type { SessionList, SessionView } from '../../../shared/domain/sessions/schemas.js';
import { bookSessions } from '../../../shared/use-cases/sessions/sessions.js';
import { callApi } from '../../support/http.js';
import { createClient, repositories as consultationRepositories } from '../consultations/support.js';
import { createTherapist } from '../matching/support.js';
import { assignTherapist, eveningStart, sessionDeps } from './support.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

async function seriesOfFour() {
  const therapist = await createTherapist({ state: 'UT' });
  const client = await createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care' });
  await assignTherapist(client.clientId, therapist.clinicianId);
  // Mondays 17:00 Denver, weekly.
  const startsAt = eveningStart(3, '17:00', { weekdays: [1] });
  const booked = await callApi<SessionList>('POST', `/v1/clients/${client.clientId}/sessions`, { token: await client.token(), json: { startsAt, repeat: { every: 'week', count: 4 } } });
  expect(booked.status, booked.text).toBe(201);
  return { therapist, client, sessions: booked.body.sessions };
}

const localTime = (iso: string) => new Date(iso).toLocaleString('en-US', { timeZone: 'America/Denver', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });

describe('reschedule the rest of a series', () => {
  it('moves the second session and every later one to Wednesdays 19:30, versions + 1, old times free; the first stays', async () => {
    const { therapist, client, sessions } = await seriesOfFour();
    const to = eveningStart(2, '19:30', { from: Date.parse(sessions[1]!.start), weekdays: [3] });
    const moved = await callApi<SessionView>('POST', `/v1/sessions/${sessions[1]!.id}/reschedule`, { token: await client.token(), json: { startsAt: to, scope: 'rest' } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ start: to, scheduleVersion: 2 });
    const after = await sessionDeps().sessions.listForClient(client.clientId);
    const byId = new Map(after.map((s) => [s.sessionId, s]));
    expect(byId.get(sessions[0]!.id)).toMatchObject({ start: sessions[0]!.start, scheduleVersion: 1 });
    for (const [i, s] of sessions.slice(1).entries()) {
      const now = byId.get(s.id)!;
      expect(now.scheduleVersion).toBe(2);
      expect(localTime(now.start)).toBe('Wed 19:30');
      expect(Date.parse(now.start) - Date.parse(to)).toBeGreaterThanOrEqual(i * WEEK - 3_600_000);
      expect(Date.parse(now.start) - Date.parse(to)).toBeLessThanOrEqual(i * WEEK + 3_600_000);
    }
    const { consultations } = consultationRepositories();
    for (const s of sessions.slice(1)) {
      // The old Monday times are free again.
      expect(await consultations.lockedCells(therapist.clinicianId, Date.parse(s.start), Date.parse(s.end), new Date())).toEqual([]);
      const now = byId.get(s.id)!;
      expect((await consultations.lockedCells(therapist.clinicianId, Date.parse(now.start), Date.parse(now.end), new Date())).length).toBeGreaterThan(0);
    }
  }, 60_000);

  it('is all or nothing: the third week\'s new time is taken -> 409 slot_taken, every session keeps its time, version and cells', async () => {
    const { therapist, client, sessions } = await seriesOfFour();
    const to = eveningStart(2, '19:30', { from: Date.parse(sessions[1]!.start), weekdays: [3] });
    // Another client of the same therapist takes the Wednesday of the third week.
    const other = await createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care' });
    await assignTherapist(other.clientId, therapist.clinicianId);
    const blocker = await bookSessions({ caller: { userId: other.clientId, role: 'client' }, clientId: other.clientId, request: { startsAt: new Date(Date.parse(to) + WEEK).toISOString() } }, sessionDeps());
    expect(blocker.sessions).toHaveLength(1);

    const refused = await callApi<{ code: string }>('POST', `/v1/sessions/${sessions[1]!.id}/reschedule`, { token: await client.token(), json: { startsAt: to, scope: 'rest' } });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.code).toBe('slot_taken');
    const after = await sessionDeps().sessions.listForClient(client.clientId);
    expect(after.map((s) => [s.sessionId, s.start, s.scheduleVersion])).toEqual(sessions.map((s) => [s.id, s.start, 1]));
    const { consultations } = consultationRepositories();
    // The reservation of the second session's new time was given back: Wednesday week 1 is free.
    expect(await consultations.lockedCells(therapist.clinicianId, Date.parse(to), Date.parse(to) + 50 * 60_000, new Date())).toEqual([]);
    for (const s of sessions) expect((await consultations.lockedCells(therapist.clinicianId, Date.parse(s.start), Date.parse(s.end), new Date())).length).toBeGreaterThan(0);
  }, 60_000);

  it('moves the rest onto times overlapping their own (30 minutes later, and one week later): the own cells are not a conflict', async () => {
    const { therapist, client, sessions } = await seriesOfFour();
    // 30 minutes later: each session's new cells overlap its own old ones.
    const later = new Date(Date.parse(sessions[1]!.start) + 30 * 60_000).toISOString();
    const shifted = await callApi<SessionView>('POST', `/v1/sessions/${sessions[1]!.id}/reschedule`, { token: await client.token(), json: { startsAt: later, scope: 'rest' } });
    expect(shifted.status, shifted.text).toBe(200);
    let after = new Map((await sessionDeps().sessions.listForClient(client.clientId)).map((s) => [s.sessionId, s]));
    for (const s of sessions.slice(1)) expect(localTime(after.get(s.id)!.start)).toBe('Mon 17:30');
    // One week later: each session moves onto the NEXT one's current time (held by the series itself).
    const nextWeek = new Date(Date.parse(after.get(sessions[1]!.id)!.start) + WEEK).toISOString();
    const pushed = await callApi<SessionView>('POST', `/v1/sessions/${sessions[1]!.id}/reschedule`, { token: await client.token(), json: { startsAt: nextWeek, scope: 'rest' } });
    expect(pushed.status, pushed.text).toBe(200);
    after = new Map((await sessionDeps().sessions.listForClient(client.clientId)).map((s) => [s.sessionId, s]));
    expect(after.get(sessions[1]!.id)).toMatchObject({ start: nextWeek, scheduleVersion: 3 });
    const { consultations } = consultationRepositories();
    for (const s of sessions.slice(1)) {
      const now = after.get(s.id)!;
      const cells = await consultations.lockedCells(therapist.clinicianId, Date.parse(now.start), Date.parse(now.end), new Date());
      expect(cells.length).toBeGreaterThan(0);
    }
    // The second week's Monday, no longer any session's, is free again.
    const freed = Date.parse(sessions[1]!.start) + 30 * 60_000;
    expect(await consultations.lockedCells(therapist.clinicianId, freed, freed + 50 * 60_000, new Date())).toEqual([]);
  }, 60_000);
});
