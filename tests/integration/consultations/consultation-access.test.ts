/**
 * Issue 9 over HTTP through the local stack. Finding 5: the consultation routes go through the
 * access policy and the audit (outcome writes, reads of the record with its notes, every
 * showing of the client's name and stage), and a former consultation clinician no longer sees
 * the client's name or stage. Finding 7: each consultation has its own video room, in the
 * response, the confirmation and the invite, and the response hides it once cancelled.
 */
import { describe, expect, it } from 'vitest';
import type { ConsultationView } from '../../../shared/domain/consultations.js';
import { bookConsultation } from '../../../shared/use-cases/consultations/book-consultation.js';
import { getJson, postJson } from '../../support/http.js';
import { waitForEmail } from '../../support/inbox.js';
import { auditLog, createClient, createConsultationClinician, gridStart, useCaseDeps } from './support.js';

const HOUR = 3_600_000;

type Listed = { consultations: ConsultationView[] };

describe('consultation data through the access policy and the audit (finding 5)', () => {
  it('audits the outcome write, the read of the record with its notes, and each showing of the client', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient({ firstName: 'Marisol' });
    const bookedAt = Date.now() - 3 * 24 * HOUR;
    const deps = useCaseDeps({ now: () => new Date(bookedAt) });
    const consultation = await bookConsultation({ clientId: client.clientId, start: gridStart(48, bookedAt), clinicianId: clinician.clinicianId }, deps);
    const audit = auditLog();
    const before = (await audit.events(client.clientId)).length;

    const notes = 'Synthetic note: goals discussed.';
    const written = await postJson<ConsultationView>(`/v1/consultations/${consultation.id}/outcome`, { outcome: 'completed', notes }, { token: await clinician.token() });
    expect(written.status).toBe(200);
    const read = await getJson<ConsultationView>(`/v1/consultations/${consultation.id}`, await clinician.token());
    expect(read.body).toMatchObject({ outcome: { notes }, client: { firstName: 'Marisol', stage: 'awaiting_match' } });

    const events = (await audit.events(client.clientId)).slice(before);
    expect(events.map((e) => `${e.actor.userId === clinician.clinicianId ? 'clinician' : e.actor.userId} ${e.action} ${e.record.category} ${e.outcome}`)).toEqual([
      'clinician update consultation success',
      'clinician read profile success',
      'clinician read consultation success',
      'clinician read profile success',
    ]);
    expect(events[0]).toMatchObject({ record: { id: consultation.id }, purpose: 'treatment', basis: 'consultation_clinician', requestId: expect.any(String) });
    expect(events[2]).toMatchObject({ record: { id: consultation.id }, basis: 'consultation_clinician' });
    expect(JSON.stringify(events)).not.toContain('Synthetic note');
    expect((await audit.verifyChain(client.clientId)).intact).toBe(true);
  });

  it('a former consultation clinician sees their appointment times without the client\'s name or stage', async () => {
    const clinician = await createConsultationClinician();
    const client = await createClient({ firstName: 'Marisol' });
    const booked = await postJson<ConsultationView>('/v1/consultations', { start: gridStart(30), clinicianId: clinician.clinicianId }, { token: await client.token() });
    expect(booked.status).toBe(201);
    const id = booked.body.id;
    const listed = async () => (await getJson<Listed>('/v1/consultations', await clinician.token())).body.consultations.find((c) => c.id === id);
    // While the consultation relationship lasts: the client's name and stage.
    expect((await listed())?.client).toMatchObject({ id: client.clientId, firstName: 'Marisol', stage: 'awaiting_consultation' });

    // The client cancels: the clinician's consultation relationship ends.
    const cancelled = await postJson<ConsultationView>(`/v1/consultations/${id}/cancel`, {}, { token: await client.token() });
    expect(cancelled.status).toBe(200);
    const after = await listed();
    expect(after).toMatchObject({ id, start: booked.body.start, status: 'cancelled' });
    expect(after?.client).toBeUndefined();
    const one = await getJson<ConsultationView>(`/v1/consultations/${id}`, await clinician.token());
    expect(one.status).toBe(200);
    expect(one.body.client).toBeUndefined();
    expect(one.text).not.toMatch(/Marisol|Testwood|awaiting_consultation/);

    const denied = (await auditLog().events(client.clientId)).filter((e) => e.actor.userId === clinician.clinicianId && e.outcome === 'denied');
    expect(denied.at(-1)).toMatchObject({ action: 'read', record: { category: 'profile' }, denialReason: 'created_outside_relationship' });
  });
});

describe('join links (finding 7)', () => {
  it('gives two consultations of one clinician different rooms, in the response, the confirmation and the invite; none once cancelled', async () => {
    const clinician = await createConsultationClinician();
    const [first, second] = await Promise.all([createClient(), createClient()]);
    const a = await postJson<ConsultationView>('/v1/consultations', { start: gridStart(30), clinicianId: clinician.clinicianId }, { token: await first.token() });
    const b = await postJson<ConsultationView>('/v1/consultations', { start: gridStart(32), clinicianId: clinician.clinicianId }, { token: await second.token() });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.joinUrl).toBe(`https://video.example.com/rooms/${a.body.id}`);
    expect(b.body.joinUrl).toBe(`https://video.example.com/rooms/${b.body.id}`);
    expect(a.body.joinUrl).not.toBe(b.body.joinUrl);

    const confirmation = await waitForEmail({ to: first.email, subjectIncludes: 'is booked' });
    expect(confirmation.body.text).toContain(a.body.joinUrl);
    expect(confirmation.body.text).not.toContain(b.body.joinUrl);
    const invite = Buffer.from(confirmation.attachments.find((x) => x.contentType.startsWith('text/calendar'))!.content, 'base64').toString('utf8').replace(/\r\n /g, '');
    expect(invite).toContain(`LOCATION:${a.body.joinUrl}`);

    const cancelled = await postJson<ConsultationView>(`/v1/consultations/${b.body.id}/cancel`, {}, { token: await second.token() });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).not.toHaveProperty('joinUrl');
    const later = await getJson<ConsultationView>(`/v1/consultations/${b.body.id}`, await second.token());
    expect(later.body).not.toHaveProperty('joinUrl');
    expect(later.text).not.toContain('/rooms/');
  });
});
