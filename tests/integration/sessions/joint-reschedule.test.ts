/**
 * Moving a couple's joint sessions over HTTP on the local stack: a partner moves one session
 * (both partners get the update), the unit's therapist moves the rest of a series onto its own
 * times (one week later), a third client gets 404, and the unit's slot search offers the
 * couple-length starts of the unit's therapist (not the booked hour). All synthetic.
 */
import { describe, expect, it } from 'vitest';
import type { SessionList, SessionView } from '../../../shared/domain/sessions/schemas.js';
import { callApi } from '../../support/http.js';
import { waitForEmail } from '../../support/inbox.js';
import { createClient } from '../consultations/support.js';
import { createTherapist } from '../matching/support.js';
import { eveningStart, matchedCouple } from './support.js';

const WEEK = 7 * 86_400_000;

describe('rescheduling joint sessions', () => {
  it('offers the unit\'s couple-length slots; a partner moves one joint session (both partners get the update); the therapist moves the rest of the series a week on; others 404', async () => {
    const therapist = await createTherapist({ state: 'UT' });
    const { a, b, unitId } = await matchedCouple(therapist.clinicianId);
    const booked = await callApi<SessionList>('POST', `/v1/care-units/${unitId}/sessions`, { token: await a.token(), json: { startsAt: eveningStart(3, '17:00'), repeat: { every: 'week', count: 3 } } });
    expect(booked.status, booked.text).toBe(201);
    const [first, second, third] = booked.body.sessions;

    // A third client: 404.
    const stranger = await createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care' });
    expect((await callApi('POST', `/v1/sessions/${first!.id}/reschedule`, { token: await stranger.token(), json: { startsAt: eveningStart(3, '19:00') } })).status).toBe(404);

    // The unit's slot search: the therapist's couple-length starts, the booked hour not among them; others 404.
    for (const token of [await a.token(), await therapist.token()]) {
      const slots = await callApi<{ type: string; durationMinutes: number; slots: { start: string }[] }>('GET', `/v1/care-units/${unitId}/session-slots`, { token });
      expect(slots.status, slots.text).toBe(200);
      expect(slots.body).toMatchObject({ type: 'couple', durationMinutes: 80 });
      expect(slots.body.slots.length).toBeGreaterThan(0);
      expect(slots.body.slots.map((s) => s.start)).not.toContain(first!.start);
    }
    expect((await callApi('GET', `/v1/care-units/${unitId}/session-slots`, { token: await stranger.token() })).status).toBe(404);

    // Partner B moves the first session two hours later, the same evening.
    const to = new Date(Date.parse(first!.start) + 2 * 3_600_000).toISOString();
    const moved = await callApi<SessionView>('POST', `/v1/sessions/${first!.id}/reschedule`, { token: await b.token(), json: { startsAt: to } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ id: first!.id, start: to, status: 'booked', unitId });
    for (const partner of [a, b]) await waitForEmail({ to: partner.email, subjectIncludes: 'Your session was moved' });

    // The therapist moves the rest of the series (from the second) one week on: the third lands on its own old time's week after.
    const rest = await callApi<SessionView>('POST', `/v1/sessions/${second!.id}/reschedule`, {
      token: await therapist.token(),
      json: { startsAt: new Date(Date.parse(second!.start) + WEEK).toISOString(), scope: 'rest' },
    });
    expect(rest.status, rest.text).toBe(200);
    const listed = await callApi<SessionList>('GET', `/v1/care-units/${unitId}/sessions`, { token: await a.token() });
    const starts = new Map(listed.body.sessions.map((s) => [s.id, s.start]));
    expect(Date.parse(starts.get(second!.id)!)).toBe(Date.parse(second!.start) + WEEK);
    expect(Date.parse(starts.get(third!.id)!)).toBe(Date.parse(third!.start) + WEEK);
    expect(starts.get(first!.id)).toBe(to);
  }, 120_000);
});
