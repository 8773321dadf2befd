/**
 * A care unit's joint care ends over HTTP on the local stack: a matched couple books a weekly
 * joint series of 3; then one partner leaves (fewer than two active members), or the unit's
 * therapist discharges one partner (member_care_ended). Either way the unit shows careEndedAt,
 * the future joint sessions are `cancelled_care_ended` (by system), the hour is free again for
 * another client of the therapist, and each partner (the one who left too) and the therapist
 * get the cancellation notice. A leave whose cancellation failed part-way is finished by the
 * same leave again. All synthetic.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SessionList } from '../../../shared/domain/sessions/schemas.js';
import { leaveUnit } from '../../../shared/use-cases/care-units/units.js';
import { careUnitDependencies } from '../../../functions/api/care-unit-dependencies.js';
import { pollUntil } from '../../../local/emulators/wait.js';
import { callApi } from '../../support/http.js';
import { emailsTo } from '../../support/inbox.js';
import { createClient } from '../consultations/support.js';
import { createTherapist } from '../matching/support.js';
import { assignTherapist, careEndedSessionsFailingOnSecondChange, eveningStart, matchedCouple, sessionDeps } from './support.js';

async function coupleWithSeries() {
  const therapist = await createTherapist({ state: 'UT' });
  const couple = await matchedCouple(therapist.clinicianId);
  const booked = await callApi<SessionList>('POST', `/v1/care-units/${couple.unitId}/sessions`, {
    token: await couple.a.token(),
    json: { startsAt: eveningStart(2, '17:00'), repeat: { every: 'week', count: 3 } },
  });
  expect(booked.status, booked.text).toBe(201);
  return { therapist, ...couple, sessions: booked.body.sessions };
}

/** Polls the inbox (deadline, no sleep) until `to` has `count` emails whose subject includes `subject`. */
async function expectEmails(to: string, subject: string, count: number) {
  const found = await pollUntil(
    `${count} "${subject}" emails to ${to}`,
    async () => {
      const emails = (await emailsTo(to)).filter((e) => e.subject.includes(subject));
      if (emails.length < count) throw new Error(`${emails.length} so far`);
      return emails;
    },
    { deadlineMs: 30_000, intervalMs: 100 },
  );
  expect(found).toHaveLength(count);
}

async function expectJointCareEnded(input: Awaited<ReturnType<typeof coupleWithSeries>>, viewer: { token: () => Promise<string> }) {
  const { therapist, unitId, sessions } = input;
  const unit = await callApi<{ careEndedAt?: string }>('GET', `/v1/care-units/${unitId}`, { token: await viewer.token() });
  expect(unit.status, unit.text).toBe(200);
  expect(unit.body.careEndedAt).toEqual(expect.any(String));
  const listed = await callApi<SessionList>('GET', `/v1/care-units/${unitId}/sessions`, { token: await therapist.token() });
  expect(listed.status, listed.text).toBe(200);
  expect(listed.body.sessions.map((s) => s.id)).toEqual(sessions.map((s) => s.id));
  for (const s of listed.body.sessions) expect(s).toMatchObject({ status: 'cancelled_care_ended', cancelledBy: 'system' });
  // The hour is free again: another client of the therapist books it.
  const other = await createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care' });
  await assignTherapist(other.clientId, therapist.clinicianId);
  const rebooked = await callApi('POST', `/v1/clients/${other.clientId}/sessions`, { token: await other.token(), json: { startsAt: sessions[0]!.start } });
  expect(rebooked.status, rebooked.text).toBe(201);
  // Each partner and the therapist: one cancellation per session.
  for (const partner of [input.a, input.b]) await expectEmails(partner.email, 'Cancelled: session', sessions.length);
  await expectEmails(therapist.email, 'Session cancelled', sessions.length);
}

describe('joint sessions when the unit\'s joint care ends', () => {
  it('a partner leaves: the unit\'s joint care ends, its future joint sessions are cancelled (care_ended), the hour is free, both partners and the therapist are told', async () => {
    const couple = await coupleWithSeries();
    const left = await callApi<{ status: string }>('POST', `/v1/care-units/${couple.unitId}/leave`, { token: await couple.b.token() });
    expect(left.status, left.text).toBe(200);
    expect(left.body.status).toBe('left');
    await expectJointCareEnded(couple, couple.a);
  }, 120_000);

  it('the unit\'s therapist discharges one partner: the joint care ends (member_care_ended) and the joint sessions are cancelled likewise', async () => {
    const couple = await coupleWithSeries();
    await assignTherapist(couple.a.clientId, couple.therapist.clinicianId);
    const discharged = await callApi('POST', `/v1/clients/${couple.a.clientId}/discharge`, {
      token: await couple.therapist.token(),
      json: { reason: 'goals_met' },
      headers: { 'Idempotency-Key': `discharge-${randomUUID()}` },
    });
    expect(discharged.status, discharged.text).toBe(200);
    await expectJointCareEnded(couple, couple.b);
    // A new joint session is refused: joint care ended.
    const again = await callApi<{ code: string }>('POST', `/v1/care-units/${couple.unitId}/sessions`, { token: await couple.b.token(), json: { startsAt: eveningStart(3, '20:00') } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('unit_care_ended');
  }, 120_000);

  it('a leave whose cancellation failed part-way is finished by the same leave again', async () => {
    const couple = await coupleWithSeries();
    const base = sessionDeps();
    const faulty = careEndedSessionsFailingOnSecondChange();
    await expect(leaveUnit({ caller: { userId: couple.b.clientId, role: 'client' }, unitId: couple.unitId }, { ...careUnitDependencies(), sessionsOnUnitCareEnd: faulty })).rejects.toThrow('Synthetic fault');
    const statuses = async () => Promise.all(couple.sessions.map(async (s) => (await base.sessions.get(s.id))?.status));
    expect(await statuses()).toEqual(['cancelled_care_ended', 'booked', 'booked']);

    const retried = await callApi<{ status: string }>('POST', `/v1/care-units/${couple.unitId}/leave`, { token: await couple.b.token() });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body).toEqual({ unitId: couple.unitId, status: 'left' });
    expect(await statuses()).toEqual(['cancelled_care_ended', 'cancelled_care_ended', 'cancelled_care_ended']);
    // The unit shows its joint care ended (by the leave's own transaction).
    const view = await callApi<{ careEndedAt?: string }>('GET', `/v1/care-units/${couple.unitId}`, { token: await couple.a.token() });
    expect(view.body.careEndedAt).toEqual(expect.any(String));
  }, 120_000);
});
