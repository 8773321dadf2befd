/**
 * The free consultation over HTTP through the local stack: slots in the client's zone,
 * booking (with the confirmation and its calendar invite in the inbox), one free consultation
 * per client, holds, cancel and rebook exactly once, reschedule, the cutoff, outcomes,
 * ownership (404 for anyone else) and 50 concurrent bookings of one slot. Each test makes its
 * own clinician and clients: the stack and its table are shared.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConsultationView, HoldResponse, Slot, SlotsResponse } from '../../../shared/domain/consultations.js';
import { bookConsultation } from '../../../shared/use-cases/consultations/book-consultation.js';
import { callApi, getJson, postJson, type ApiResponse } from '../../support/http.js';
import { emailsTo, waitForEmail, type InboxEmail } from '../../support/inbox.js';
import { createClient, createConsultationClinician, gridStart, repositories, useCaseDeps, type TestClient, type TestClinician } from './support.js';

interface Problem {
  code: string;
  status: number;
  detail: string;
  alternatives?: Slot[];
  errors?: { field: string; message: string }[];
}

const HOUR = 3_600_000;

async function slotsOf(client: TestClient, clinician: TestClinician, query = ''): Promise<Slot[]> {
  const res = await getJson<SlotsResponse>(`/v1/consultations/slots${query}`, await client.token());
  expect(res.status).toBe(200);
  return res.body.slots.filter((slot) => slot.clinicians.some((c) => c.id === clinician.clinicianId));
}

type Booked = ConsultationView & Partial<Omit<Problem, 'status'>>;

async function book(client: TestClient, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ApiResponse<Booked>> {
  return postJson<Booked>('/v1/consultations', body, { token: await client.token(), headers });
}

function calendarAttachment(email: InboxEmail): string {
  const attachment = email.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  if (!attachment) throw new Error(`No calendar attachment in "${email.subject}"`);
  return Buffer.from(attachment.content, 'base64').toString('utf8').replace(/\r\n /g, '');
}

describe('slots', () => {
  it('lists free 15-minute starts of clinicians licensed in the client state, in UTC and in the client zone', async () => {
    const clinician = await createConsultationClinician({ states: ['WY'] });
    const client = await createClient({ state: 'WY', timezone: 'America/Denver' });
    const from = gridStart(24);
    const to = new Date(Date.parse(from) + 2 * HOUR).toISOString();
    const res = await getJson<SlotsResponse>(`/v1/consultations/slots?from=${from}&to=${to}`, await client.token());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timezone: 'America/Denver', from, to, durationMinutes: 15 });
    const mine = res.body.slots.filter((slot) => slot.clinicians.some((c) => c.id === clinician.clinicianId));
    expect(mine.map((s) => s.start)).toEqual(Array.from({ length: 8 }, (_, i) => new Date(Date.parse(from) + i * 15 * 60_000).toISOString()));
    for (const slot of mine) {
      expect(slot.start).toMatch(/Z$/);
      expect(slot.startLocal).toMatch(/-0[67]:00$/); // Mountain time, MST or MDT
      expect(Date.parse(slot.startLocal)).toBe(Date.parse(slot.start));
    }
    expect(mine[0]!.clinicians.find((c) => c.id === clinician.clinicianId)).toEqual({
      id: clinician.clinicianId,
      displayName: `${clinician.firstName} ${clinician.lastName}, LPCC`,
      credential: 'LPCC',
      pronouns: 'they/them',
    });
  });

  it('offers nothing sooner than the notice or past the horizon, and no clinician from another state', async () => {
    const clinician = await createConsultationClinician({ states: ['VT'] });
    const client = await createClient({ state: 'VT', timezone: 'America/New_York' });
    const elsewhere = await createClient({ state: 'WY' });
    const all = await slotsOf(client, clinician);
    expect(all.length).toBeGreaterThan(1000);
    const starts = all.map((s) => Date.parse(s.start));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(Date.now() + 2 * HOUR - 60_000);
    expect(Math.max(...starts)).toBeLessThan(Date.now() + 14 * 24 * HOUR);
    expect(await slotsOf(elsewhere, clinician)).toEqual([]);
  });

  it('is for clients only, and validates the window', async () => {
    const clinician = await createConsultationClinician();
    expect((await getJson('/v1/consultations/slots', await clinician.token())).status).toBe(403);
    const client = await createClient();
    const bad = await getJson<Problem>('/v1/consultations/slots?from=2026-12-08T00:00:00Z&to=2026-12-07T00:00:00Z', await client.token());
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('query.to');
  });
});

describe('booking', () => {
  it('books, sends the confirmation with a calendar invite to both, hides the slot, and refuses a second free consultation', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient();
    const start = gridStart(30);
    const res = await book(client, { start, clinicianId: clinician.clinicianId });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'booked',
      start,
      end: new Date(Date.parse(start) + 15 * 60_000).toISOString(),
      timezone: 'America/Denver',
      clinician: { id: clinician.clinicianId, credential: 'LPCC' },
      scheduleVersion: 1,
    });
    expect(res.body.joinUrl).toMatch(/^https:\/\/video\.example\.com\/rooms\//);
    expect(Date.parse(res.body.startLocal)).toBe(Date.parse(start));
    const id = res.body.id;

    const confirmation = await waitForEmail({ to: client.email, subjectIncludes: 'is booked' });
    expect(confirmation.body.text).toContain(res.body.joinUrl);
    expect(confirmation.body.html).toContain(res.body.joinUrl);
    const ics = calendarAttachment(confirmation);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:${id}`);
    expect(ics).toContain('SEQUENCE:1');
    expect(ics).toContain(`DTSTART:${start.replace(/[-:]/g, '').replace('.000Z', 'Z')}`);
    const forClinician = await waitForEmail({ to: clinician.email, subjectIncludes: 'New consultation' });
    expect(forClinician.subject).toContain('Avery T.');
    expect(calendarAttachment(forClinician)).toContain(`UID:${id}`);

    expect((await slotsOf(client, clinician)).map((s) => s.start)).not.toContain(start);
    const second = await book(client, { start: gridStart(40), clinicianId: clinician.clinicianId });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('free_consultation_used');

    const mine = await getJson<{ consultations: ConsultationView[] }>('/v1/consultations', await client.token());
    expect(mine.body.consultations.map((c) => c.id)).toEqual([id]);
    const theirs = await getJson<{ consultations: ConsultationView[] }>('/v1/consultations', await clinician.token());
    expect(theirs.body.consultations.find((c) => c.id === id)?.client).toMatchObject({ id: client.clientId, firstName: 'Avery', stage: 'awaiting_consultation' });
  });

  it('returns the same consultation for a retry with the same Idempotency-Key', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient();
    const body = { start: gridStart(26), clinicianId: clinician.clinicianId };
    const key = randomUUID();
    const first = await book(client, body, { 'Idempotency-Key': key });
    const again = await book(client, body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it('chooses a clinician free at that start when none is given', async () => {
    const clinician = await createConsultationClinician({ states: ['ND'] });
    const client = await createClient({ state: 'ND', timezone: 'America/Chicago' });
    const slot = (await slotsOf(client, clinician))[5]!;
    const res = await book(client, { start: slot.start });
    expect(res.status).toBe(201);
    expect(slot.clinicians.map((c) => c.id)).toContain(res.body.clinician.id);
  });

  it('refuses a start that is not offered (off the grid, outside hours, too soon) whatever the client sends', async () => {
    const clinician = await createConsultationClinician({
      availability: { weekly: [{ day: 'mon', start: '09:00', end: '10:00' }], exceptions: [] },
    });
    const client = await createClient();
    for (const start of [new Date(Date.now() + 3 * 24 * HOUR + 7 * 60_000).toISOString(), gridStart(1), gridStart(15 * 24)]) {
      const res = await book(client, { start, clinicianId: clinician.clinicianId });
      expect(res.status, start).toBe(400);
      expect(res.body.errors?.[0]?.field).toBe('start');
    }
  });

  it('lets 50 concurrent bookings of one slot make exactly one consultation: one 201, 49 409s, no 5xx', async () => {
    const clinician = await createConsultationClinician({ states: ['MT'] });
    const clients = await Promise.all(Array.from({ length: 50 }, () => createClient({ state: 'MT' })));
    await Promise.all(clients.map((c) => c.token()));
    const start = gridStart(50);
    const results = await Promise.all(clients.map((c) => book(c, { start, clinicianId: clinician.clinicianId })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(statuses.filter((s) => s >= 500)).toHaveLength(0);
    for (const lost of results.filter((r) => r.status === 409)) {
      expect(lost.body.code).toBe('slot_taken');
      expect(lost.body.detail).toMatch(/other times/);
      expect(lost.body.alternatives?.length).toBeGreaterThan(0);
      expect(lost.body.alternatives?.map((a) => a.start)).not.toContain(start);
    }
    // Exactly one booking stored: the clinician's schedule, and every client's free-consultation record.
    const { consultations } = repositories();
    const stored = (await consultations.listForClinician(clinician.clinicianId, start)).filter((c) => c.start === start);
    expect(stored).toHaveLength(1);
    const records = await Promise.all(clients.map((c) => consultations.getFreeConsultation(c.clientId)));
    expect(records.filter((r) => r?.state === 'booked')).toHaveLength(1);
    const cells = await consultations.lockedCells(clinician.clinicianId, Date.parse(start), Date.parse(start) + 20 * 60_000, new Date());
    expect(cells).toHaveLength(4);
  });
});

describe('holds', () => {
  it('keeps a start for its client, caps holds per client, and converts the hold into the booking', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient();
    const other = await createClient();
    const [a, b, c] = [gridStart(30), gridStart(31), gridStart(32)];
    const hold = await postJson<HoldResponse>('/v1/consultations/holds', { start: a, clinicianId: clinician.clinicianId }, { token: await client.token() });
    expect(hold.status).toBe(201);
    expect(Date.parse(hold.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect((await slotsOf(other, clinician)).map((s) => s.start)).not.toContain(a);
    expect((await book(other, { start: a, clinicianId: clinician.clinicianId })).body.code).toBe('slot_taken');

    expect((await postJson('/v1/consultations/holds', { start: b, clinicianId: clinician.clinicianId }, { token: await client.token() })).status).toBe(201);
    const third = await postJson<Problem>('/v1/consultations/holds', { start: c, clinicianId: clinician.clinicianId }, { token: await client.token() });
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('hold_limit_reached');

    const booked = await book(client, { start: a, holdId: hold.body.holdId });
    expect(booked.status).toBe(201);
    expect(booked.body.clinician.id).toBe(clinician.clinicianId);
    // The hold became the booking: gone from the client's holds, its cells the consultation's.
    const { consultations } = repositories();
    expect(await consultations.findHold(client.clientId, hold.body.holdId, new Date())).toBeUndefined();
    expect((await consultations.lockedCells(clinician.clinicianId, Date.parse(a), Date.parse(a) + 20 * 60_000, new Date(Date.now() + HOUR))).length).toBe(4);
    // Booked: no more holds for this client.
    const after = await postJson<Problem>('/v1/consultations/holds', { start: c, clinicianId: clinician.clinicianId }, { token: await client.token() });
    expect(after.body.code).toBe('free_consultation_used');
  });
});

describe('hold cap under concurrency', () => {
  it('gives one client at most two holds however many requests race', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient();
    const token = await client.token();
    const starts = [30, 31, 32, 33, 34, 35].map((h) => gridStart(h));
    const results = await Promise.all(
      starts.map((start) => postJson<Problem>('/v1/consultations/holds', { start, clinicianId: clinician.clinicianId }, { token })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'hold_limit_reached')).toBe(true);
  });
});

describe('cancel and reschedule', () => {
  it('cancels, frees the time exactly once, and lets the client book again', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient();
    const start = gridStart(28);
    const booked = await book(client, { start, clinicianId: clinician.clinicianId });
    const cancel = await postJson<ConsultationView>(`/v1/consultations/${booked.body.id}/cancel`, {}, { token: await client.token() });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'cancelled', cancelledBy: 'client' });
    expect((await postJson(`/v1/consultations/${booked.body.id}/cancel`, {}, { token: await client.token() })).status).toBe(200);
    const notice = await waitForEmail({ to: client.email, subjectIncludes: 'Cancelled' });
    expect(calendarAttachment(notice)).toMatch(/METHOD:CANCEL[\s\S]*SEQUENCE:2/);

    const [x, y] = await Promise.all([createClient(), createClient()]);
    expect((await slotsOf(x, clinician)).map((s) => s.start)).toContain(start);
    const race = await Promise.all([x, y].map((c) => book(c, { start, clinicianId: clinician.clinicianId })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await book(client, { start: gridStart(36), clinicianId: clinician.clinicianId })).status).toBe(201);
  });

  it('reschedules to another free start of the same clinician, moving the lock atomically, with a new version and invite', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient();
    const before = gridStart(30);
    const after = new Date(Date.parse(before) + 15 * 60_000).toISOString(); // overlaps the old cells
    const booked = await book(client, { start: before, clinicianId: clinician.clinicianId });
    const moved = await postJson<ConsultationView>(`/v1/consultations/${booked.body.id}/reschedule`, { start: after }, { token: await clinician.token() });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ start: after, scheduleVersion: 2, status: 'booked', timezone: clinician.timezone });
    const free = (await slotsOf(client, clinician)).map((s) => s.start);
    const earlier = new Date(Date.parse(before) - 15 * 60_000).toISOString();
    expect(free).not.toContain(after);
    expect(free).not.toContain(before); // within the buffer of `after`
    expect(free).toContain(earlier); // was within the buffer of `before`: freed by the move
    const notice = await waitForEmail({ to: client.email, subjectIncludes: 'moved' });
    expect(calendarAttachment(notice)).toMatch(new RegExp(`UID:${booked.body.id}[\\s\\S]*SEQUENCE:2`));
    // The freed start can be booked by someone else.
    const other = await createClient();
    expect((await book(other, { start: earlier, clinicianId: clinician.clinicianId })).status).toBe(201);
  });

  it('refuses to move onto a taken time, offering that clinician\'s free times', async () => {
    const clinician = await createConsultationClinician();
    const [a, b] = await Promise.all([createClient(), createClient()]);
    const first = await book(a, { start: gridStart(30), clinicianId: clinician.clinicianId });
    const taken = gridStart(33);
    await book(b, { start: taken, clinicianId: clinician.clinicianId });
    const res = await postJson<Problem>(`/v1/consultations/${first.body.id}/reschedule`, { start: taken }, { token: await a.token() });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('slot_taken');
    expect(res.body.alternatives!.every((s) => s.clinicians.every((c) => c.id === clinician.clinicianId))).toBe(true);
  });

  it('refuses changes after the cutoff with the reason', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient();
    // Booked three hours ago for 90 minutes from now.
    const bookedAt = Date.now() - 3 * HOUR;
    const start = gridStart(4.5, bookedAt);
    const consultation = await bookConsultation({ clientId: client.clientId, start, clinicianId: clinician.clinicianId }, useCaseDeps({ now: () => new Date(bookedAt) }));
    for (const [path, body] of [['cancel', {}], ['reschedule', { start: gridStart(30) }]] as const) {
      const res = await postJson<Problem>(`/v1/consultations/${consultation.id}/${path}`, body, { token: await client.token() });
      expect(res.status, path).toBe(409);
      expect(res.body).toMatchObject({ code: 'change_too_late', detail: 'Consultations can be cancelled or moved until 2 hours before they start.' });
    }
  });
});

describe('outcome', () => {
  async function pastConsultation(clinician: TestClinician, client: TestClient, hoursAfterBooking = 48): Promise<ConsultationView> {
    // Booked three days ago for about yesterday.
    const bookedAt = Date.now() - 3 * 24 * HOUR;
    const start = gridStart(hoursAfterBooking, bookedAt);
    return bookConsultation({ clientId: client.clientId, start, clinicianId: clinician.clinicianId }, useCaseDeps({ now: () => new Date(bookedAt) }));
  }

  it('is refused before the start', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient();
    const booked = await book(client, { start: gridStart(30), clinicianId: clinician.clinicianId });
    const res = await postJson<Problem>(`/v1/consultations/${booked.body.id}/outcome`, { outcome: 'completed' }, { token: await clinician.token() });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('outcome_too_early');
  });

  it('completed: the client moves to awaiting match, keeps no free consultation, and the notes stay with the clinician', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient();
    const consultation = await pastConsultation(clinician, client);
    const notes = 'Synthetic note: discussed goals.';
    const res = await postJson<ConsultationView>(`/v1/consultations/${consultation.id}/outcome`, { outcome: 'completed', notes }, { token: await clinician.token() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', outcome: { outcome: 'completed', notes }, client: { stage: 'awaiting_match' } });
    const again = await postJson(`/v1/consultations/${consultation.id}/outcome`, { outcome: 'completed' }, { token: await clinician.token() });
    expect(again.status).toBe(200);
    const other = await postJson<Problem>(`/v1/consultations/${consultation.id}/outcome`, { outcome: 'no_show' }, { token: await clinician.token() });
    expect(other.body.code).toBe('outcome_already_recorded');

    const me = await getJson<{ status: string }>('/v1/me', await client.token());
    expect(me.body.status).toBe('awaiting_match');
    const seen = await getJson<ConsultationView>(`/v1/consultations/${consultation.id}`, await client.token());
    expect(seen.body.outcome).toEqual({ outcome: 'completed', recordedAt: expect.any(String) });
    expect(seen.text).not.toContain('Synthetic note');
    const retry = await book(client, { start: gridStart(30), clinicianId: clinician.clinicianId });
    expect(retry.body.code).toBe('free_consultation_used');
    expect(retry.body.detail).toMatch(/had your free consultation/);
    // Notes are never emailed.
    for (const email of [...(await emailsTo(client.email)), ...(await emailsTo(clinician.email))]) {
      expect(`${email.body.text ?? ''}${email.body.html ?? ''}`).not.toContain('Synthetic note');
    }
  });

  it('no_show: one rebook is allowed (offered by email), a second no-show forfeits it', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient();
    const { consultations } = repositories();
    const first = await pastConsultation(clinician, client);
    // The workflow run has stopped waiting for this outcome: the API starts the follow-up itself.
    expect(await consultations.closeOutcomeWatch(first.id, 1, new Date())).toBe('closed');
    const res = await postJson<ConsultationView>(`/v1/consultations/${first.id}/outcome`, { outcome: 'no_show' }, { token: await clinician.token() });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('no_show');
    const offer = await waitForEmail({ to: client.email, subjectIncludes: 'We missed you' });
    expect(offer.body.text).toContain('/consultation');
    expect((await getJson<{ status: string }>('/v1/me', await client.token())).body.status).toBe('awaiting_consultation');

    const second = await pastConsultation(clinician, client, 50);
    expect((await postJson(`/v1/consultations/${second.id}/outcome`, { outcome: 'no_show' }, { token: await clinician.token() })).status).toBe(200);
    const third = await book(client, { start: gridStart(30), clinicianId: clinician.clinicianId });
    expect(third.status).toBe(409);
    expect(third.body.detail).toMatch(/missed/);
    expect(await consultations.getFreeConsultation(client.clientId)).toMatchObject({ state: 'forfeited', noShows: 2 });
  });
});

describe('ownership', () => {
  it('shows and changes a consultation for its client and its clinician only; anyone else gets 404', async () => {
    const clinician = await createConsultationClinician();
    const stranger = await createConsultationClinician();
    const client = await createClient();
    const otherClient = await createClient();
    const booked = await book(client, { start: gridStart(30), clinicianId: clinician.clinicianId });
    const id = booked.body.id;
    expect((await getJson(`/v1/consultations/${id}`, await client.token())).status).toBe(200);
    expect((await getJson(`/v1/consultations/${id}`, await clinician.token())).status).toBe(200);
    for (const outsider of [otherClient, stranger]) {
      const token = await outsider.token();
      expect((await getJson<Problem>(`/v1/consultations/${id}`, token)).body.code).toBe('not_found');
      expect((await postJson(`/v1/consultations/${id}/cancel`, {}, { token })).status).toBe(404);
      expect((await postJson(`/v1/consultations/${id}/reschedule`, { start: gridStart(40) }, { token })).status).toBe(404);
      const mine = await getJson<{ consultations: ConsultationView[] }>('/v1/consultations', token);
      expect(mine.body.consultations.map((c) => c.id)).not.toContain(id);
    }
    expect((await postJson(`/v1/consultations/${id}/outcome`, { outcome: 'completed' }, { token: await stranger.token() })).status).toBe(404);
    expect((await postJson(`/v1/consultations/${id}/outcome`, { outcome: 'completed' }, { token: await client.token() })).status).toBe(403);
    expect((await getJson(`/v1/consultations/${randomUUID()}`, await client.token())).status).toBe(404);
    expect((await callApi('GET', `/v1/consultations/not-an-id`, { token: await client.token() })).status).toBe(400);
  });
});
