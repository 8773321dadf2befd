/**
 * A therapist's session tasks over HTTP: two no-shows in a row raise one; the therapist lists
 * their open tasks (nobody else may list theirs), closes one with a note (the same close again:
 * the same answer), and a closed task leaves the open list.
 */
import { describe, expect, it } from 'vitest';
import type { SessionTaskList, SessionTaskView } from '../../../shared/domain/sessions/schemas.js';
import { bookSessions, recordAttendance } from '../../../shared/use-cases/sessions/sessions.js';
import { callApi } from '../../support/http.js';
import { createClient } from '../consultations/support.js';
import { createTherapist } from '../matching/support.js';
import { assignTherapist, eveningStart, sessionDeps } from './support.js';

const HOUR = 3_600_000;

describe('session tasks', () => {
  it('lists the therapist\'s open no-show task, refuses anyone else, and closes it with a note', async () => {
    const therapist = await createTherapist({ state: 'UT' });
    const other = await createTherapist({ state: 'UT' });
    const client = await createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care' });
    await assignTherapist(client.clientId, therapist.clinicianId);
    const caller = { userId: therapist.clinicianId, role: 'therapist' as const };
    const { sessions } = await bookSessions({ caller, clientId: client.clientId, request: { startsAt: eveningStart(2, '18:30'), repeat: { every: 'week', count: 2 } } }, sessionDeps());
    const after = sessionDeps({ now: () => new Date(Date.parse(sessions[1]!.end) + HOUR) });
    await recordAttendance({ caller, sessionId: sessions[0]!.id, request: { status: 'no_show' } }, after);
    await recordAttendance({ caller, sessionId: sessions[1]!.id, request: { status: 'no_show' } }, after);

    const path = `/v1/clinicians/${therapist.clinicianId}/session-tasks`;
    const listed = await callApi<SessionTaskList>('GET', path, { token: await therapist.token() });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.tasks).toEqual([{ id: sessions[1]!.id, kind: 'no_shows_in_a_row', clientId: client.clientId, sessionId: sessions[1]!.id, raisedAt: expect.any(String), status: 'open' }]);
    expect((await callApi('GET', path, { token: await other.token() })).status).toBe(404);
    expect((await callApi('GET', path, { token: await client.token() })).status).toBe(403);
    expect((await callApi('POST', `${path}/${sessions[1]!.id}/close`, { token: await other.token(), json: { note: 'x' } })).status).toBe(404);
    // A session without a task: nothing to close.
    const none = await callApi<{ code: string }>('POST', `${path}/${sessions[0]!.id}/close`, { token: await therapist.token(), json: { note: 'Called.' } });
    expect([none.status, none.body.code]).toEqual([409, 'session_task_not_open']);

    const note = 'Reached the client by phone; rebooked for next week.';
    const closed = await callApi<SessionTaskView>('POST', `${path}/${sessions[1]!.id}/close`, { token: await therapist.token(), json: { note } });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: therapist.clinicianId, note });
    const again = await callApi<SessionTaskView>('POST', `${path}/${sessions[1]!.id}/close`, { token: await therapist.token(), json: { note } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(closed.body);
    expect((await callApi<SessionTaskList>('GET', path, { token: await therapist.token() })).body.tasks).toEqual([]);
  }, 60_000);
});
