/**
 * Joint sessions over HTTP on the local stack: a couple books a weekly series of 3 with the
 * unit's therapist (80-minute couple sessions, both partners invited), each partner gets ONE
 * confirmation listing the 3 dates, the hour is taken for the therapist's individual clients
 * too, both partners and the therapist see them on the unit and nowhere in a partner's own
 * list, and a third client or another therapist gets 404. All synthetic.
 */
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import type { SessionList } from '../../../shared/domain/sessions/schemas.js';
import { callApi } from '../../support/http.js';
import { emailsTo, waitForEmail } from '../../support/inbox.js';
import { createClient } from '../consultations/support.js';
import { createCareUnitRepository } from '../../../shared/adapters/dynamodb/care-unit-repository.js';
import { recordAnyAttendance } from '../../../shared/use-cases/sessions/joint-sessions.js';
import { createTherapist } from '../matching/support.js';
import { assignTherapist, eveningStart, matchedCouple, sessionDeps } from './support.js';

describe('joint sessions of a care unit', () => {
  it('books a weekly series of 3 for a couple: one confirmation per partner listing 3 dates, the hour taken for individual clients, visible on the unit only, 404 for others', async () => {
    const therapist = await createTherapist({ state: 'UT' });
    const { a, b, unitId } = await matchedCouple(therapist.clinicianId);
    const startsAt = eveningStart(2, '17:00');
    const booked = await callApi<SessionList>('POST', `/v1/care-units/${unitId}/sessions`, { token: await a.token(), json: { startsAt, repeat: { every: 'week', count: 3 } } });
    expect(booked.status, booked.text).toBe(201);
    const sessions = booked.body.sessions;
    expect(sessions).toHaveLength(3);
    for (const s of sessions) {
      expect(s).toMatchObject({ type: 'couple', unitId, status: 'booked' });
      expect(Date.parse(s.end) - Date.parse(s.start)).toBe(80 * 60_000);
      expect(s.members?.map((m) => m.clientId).sort()).toEqual([a.clientId, b.clientId].sort());
      expect(s.joinUrl).toBe(`https://video.example.com/rooms/${s.id}`);
    }

    // One confirmation per partner for the whole series, listing the 3 dates.
    for (const partner of [a, b]) {
      const confirmation = await waitForEmail({ to: partner.email, subjectIncludes: 'Your 3 sessions are booked' });
      for (const s of sessions) expect(confirmation.body.text).toContain(s.joinUrl!);
      expect((await emailsTo(partner.email)).filter((e) => /booked/.test(e.subject))).toHaveLength(1);
    }

    // The hour is the therapist's: an individual client of theirs cannot take it.
    const individual = await createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care' });
    await assignTherapist(individual.clientId, therapist.clinicianId);
    const clash = await callApi<{ code: string }>('POST', `/v1/clients/${individual.clientId}/sessions`, { token: await individual.token(), json: { startsAt: sessions[1]!.start } });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('slot_taken');

    // Both partners and the therapist see them on the unit; never in a partner's own list.
    for (const token of [await b.token(), await a.token(), await therapist.token()]) {
      const listed = await callApi<SessionList>('GET', `/v1/care-units/${unitId}/sessions`, { token });
      expect(listed.status).toBe(200);
      expect(listed.body.sessions.map((s) => s.id)).toEqual(sessions.map((s) => s.id));
    }
    const own = await callApi<SessionList>('GET', `/v1/clients/${b.clientId}/sessions`, { token: await b.token() });
    expect(own.status).toBe(200);
    expect(own.body.sessions).toEqual([]);

    // A third client and another therapist: 404, booking or listing.
    const third = await createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care' });
    const other = await createTherapist({ state: 'UT' });
    for (const token of [await third.token(), await other.token()]) {
      expect((await callApi('GET', `/v1/care-units/${unitId}/sessions`, { token })).status).toBe(404);
      expect((await callApi('POST', `/v1/care-units/${unitId}/sessions`, { token, json: { startsAt: eveningStart(3, '20:00') } })).status).toBe(404);
    }

    // The existing session routes serve a joint session by the joint rules.
    expect((await callApi('GET', `/v1/sessions/${sessions[0]!.id}`, { token: await b.token() })).status).toBe(200);
    expect((await callApi('GET', `/v1/sessions/${sessions[0]!.id}`, { token: await third.token() })).status).toBe(404);
    expect((await callApi('POST', `/v1/sessions/${sessions[2]!.id}/cancel`, { token: await third.token(), json: {} })).status).toBe(404);
    const cancelled = await callApi<SessionList>('POST', `/v1/sessions/${sessions[2]!.id}/cancel`, { token: await b.token(), json: {} });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.sessions.map((s) => s.status)).toEqual(['cancelled']);
    // Its cells are free again: the individual client can now book that hour.
    expect((await callApi('POST', `/v1/clients/${individual.clientId}/sessions`, { token: await individual.token(), json: { startsAt: sessions[2]!.start } })).status).toBe(201);
  }, 120_000);

  it('records attendance per member: one partner a no-show twice in a row gets the task, the other none; the session took place', async () => {
    const therapist = await createTherapist({ state: 'UT' });
    const { a, b, unitId } = await matchedCouple(therapist.clinicianId);
    const booked = await callApi<SessionList>('POST', `/v1/care-units/${unitId}/sessions`, { token: await a.token(), json: { startsAt: eveningStart(2, '18:00'), repeat: { every: 'week', count: 2 } } });
    expect(booked.status, booked.text).toBe(201);
    const [first, second] = booked.body.sessions;
    const deps = (at: string) => ({ ...sessionDeps({ now: () => new Date(Date.parse(at) + 10 * 60_000) }), units: createCareUnitRepository({ documentClient: createDocumentClient(), tableName: process.env.TABLE_NAME as string }) });
    const asTherapist = { userId: therapist.clinicianId, role: 'therapist' as const };
    // A partner may not record attendance: 404.
    await expect(recordAnyAttendance({ caller: { userId: a.clientId, role: 'client' }, sessionId: first!.id, request: { status: 'attended', clientId: a.clientId } }, deps(first!.start))).rejects.toThrow(/not found/i);
    const partly = await recordAnyAttendance({ caller: asTherapist, sessionId: first!.id, request: { status: 'attended', clientId: a.clientId } }, deps(first!.start));
    expect(partly.status).toBe('booked');
    const whole = await recordAnyAttendance({ caller: asTherapist, sessionId: first!.id, request: { status: 'no_show', clientId: b.clientId } }, deps(first!.start));
    expect(whole.status).toBe('attended');
    expect(Object.fromEntries(whole.members!.map((m) => [m.clientId, m.status]))).toEqual({ [a.clientId]: 'attended', [b.clientId]: 'no_show' });
    await recordAnyAttendance({ caller: asTherapist, sessionId: second!.id, request: { status: 'attended', clientId: a.clientId } }, deps(second!.start));
    await recordAnyAttendance({ caller: asTherapist, sessionId: second!.id, request: { status: 'no_show', clientId: b.clientId } }, deps(second!.start));
    const records = sessionDeps().sessions;
    expect(await records.getTask(b.clientId, second!.id)).toMatchObject({ kind: 'no_shows_in_a_row', clientId: b.clientId, therapistId: therapist.clinicianId, status: 'open' });
    expect(await records.getTask(a.clientId, second!.id)).toBeUndefined();
    // Each member's attendance once: a different answer for B is refused.
    await expect(recordAnyAttendance({ caller: asTherapist, sessionId: second!.id, request: { status: 'attended', clientId: b.clientId } }, deps(second!.start))).rejects.toThrow(/can no longer be changed/);
  }, 120_000);
});
