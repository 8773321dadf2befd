/**
 * Care units over HTTP on the local stack: a couple made by invitation (consent recorded with
 * its time), each member's own record private from the other (404 per record category), a
 * joint release authorized only by both, the unit matched once, and the audit trail.
 */
import { describe, expect, it } from 'vitest';
import { callApi } from '../../support/http.js';
import { emailsTo, waitForEmail } from '../../support/inbox.js';
import { createClient, createConsultationClinician } from '../consultations/support.js';
import { clientAwaitingMatch, createTherapist, intakeRequest } from '../matching/support.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CLIENT_INTRODUCTION_SUBJECT } from '../../../shared/notifications/care-lifecycle-emails.js';

async function couple() {
  const [a, b] = await Promise.all([createClient({ state: 'VT', firstName: 'Rowan' }), createClient({ state: 'VT', firstName: 'Sage' })]);
  const created = await callApi<{ unitId: string; members: unknown[] }>('POST', '/v1/care-units', { json: { kind: 'couple', role: 'partner', consent: true }, token: await a.token() });
  expect(created.status).toBe(201);
  const unitId = created.body.unitId;
  const invited = await callApi('POST', `/v1/care-units/${unitId}/invitations`, { json: { email: b.email, role: 'partner' }, token: await a.token() });
  expect(invited.status).toBe(202);
  const accepted = await callApi<{ members: { clientId: string; status: string }[] }>('POST', `/v1/care-units/${unitId}/accept`, { json: { consent: true }, token: await b.token() });
  expect(accepted.status).toBe(200);
  return { a, b, unitId, accepted };
}

async function auditCategories(clientId: string): Promise<{ category: string; outcome: string; action: string }[]> {
  const db = createDocumentClient();
  try {
    const { Items = [] } = await db.send(new QueryCommand({ TableName: process.env.TABLE_NAME as string, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.auditPartition(clientId) } }));
    return Items.map((i) => ({ category: i.event.record.category, outcome: i.event.outcome, action: i.event.action }));
  } finally {
    db.destroy();
  }
}

describe('care units', () => {
  it('emails the invitee exactly once: the inviter\'s first name, the kind of unit, a link to the app, nothing clinical', async () => {
    const [a, b] = await Promise.all([createClient({ state: 'VT', firstName: 'Rowan' }), createClient({ state: 'VT', firstName: 'Sage' })]);
    // The inviter has health data on record: none of it may reach the email.
    const assessed = await callApi('POST', `/v1/clients/${a.clientId}/assessments`, { json: { instrument: 'phq9', answers: [2, 2, 1, 1, 0, 1, 0, 1, 0] }, token: await a.token() });
    expect(assessed.status, assessed.text).toBe(201);
    const created = await callApi<{ unitId: string }>('POST', '/v1/care-units', { json: { kind: 'couple', role: 'partner', consent: true }, token: await a.token() });
    expect(created.status).toBe(201);
    const { unitId } = created.body;
    const invite = async () => callApi('POST', `/v1/care-units/${unitId}/invitations`, { json: { email: b.email, role: 'partner' }, token: await a.token() });
    expect((await invite()).status).toBe(202);

    const email = await waitForEmail({ to: b.email, subjectIncludes: 'care unit' });
    const text = email.body.text ?? '';
    expect(text).toContain('Hi Sage,');
    expect(text).toContain('Rowan invited you');
    expect(text).toContain('as a couple');
    expect(text).toContain(`/care-units/${unitId}`);
    expect(email.body.html).toContain(`/care-units/${unitId}`);
    for (const body of [text, email.body.html ?? '', email.subject]) {
      // First name only; no last name, no scores, instruments or anything of anyone's care.
      expect(body).not.toMatch(/Testwood|PHQ|score|diagnos|assessment|depress|anxi/i);
    }
    // The same invitation again (a retry, a double tap): the same 202, no second email.
    expect((await invite()).status).toBe(202);
    expect(await emailsTo(b.email)).toHaveLength(1);
    // Accepting sends nothing either.
    expect((await callApi('POST', `/v1/care-units/${unitId}/accept`, { json: { consent: true }, token: await b.token() })).status).toBe(200);
    expect(await emailsTo(b.email)).toHaveLength(1);
  });

  it('makes a couple by invitation: both see names and roles, the same answer for an unknown email', async () => {
    const { a, b, unitId, accepted } = await couple();
    expect(accepted.body.members.map((m) => [m.clientId, m.status]).sort()).toEqual([[a.clientId, 'active'], [b.clientId, 'active']].sort());
    const unknown = await callApi<{ status: string }>('POST', `/v1/care-units/${unitId}/invitations`, { json: { email: `nobody.${unitId.slice(0, 8)}@example.com`, role: 'partner' }, token: await a.token() });
    expect(unknown.status).toBe(202);
    expect(unknown.body.status).toBe('invited_if_registered');
    const listed = await callApi<{ units: { unitId: string; status: string }[] }>('GET', '/v1/care-units', { token: await b.token() });
    expect(listed.body.units).toContainEqual(expect.objectContaining({ unitId, status: 'active' }));
    const view = await callApi<{ members: Record<string, unknown>[] }>('GET', `/v1/care-units/${unitId}`, { token: await b.token() });
    expect(view.status).toBe(200);
    for (const member of view.body.members) expect(Object.keys(member).sort()).toEqual(['clientId', 'firstName', 'lastName', 'role', 'status']);
    // An outsider: 404.
    const outsider = await createClient({ state: 'VT' });
    expect((await callApi('GET', `/v1/care-units/${unitId}`, { token: await outsider.token() })).status).toBe(404);
    // The audit trail: the unit on each member's own chain.
    expect(await auditCategories(b.clientId)).toEqual(expect.arrayContaining([expect.objectContaining({ category: 'care_unit', action: 'create', outcome: 'success' })]));
  });

  it("keeps each member's own record from the other: B gets 404 on A's assessments, check-ins, plans, notes (and the rest)", async () => {
    const { a, b } = await couple();
    const written = await callApi('POST', `/v1/clients/${a.clientId}/check-ins`, {
      json: { mood: 5, anxiety: 4, sleepHours: 7, triggers: { tags: [] }, copingSkills: ['deep_breathing'], selfHarmThoughts: false },
      token: await a.token(),
    });
    expect(written.status).toBe(201);
    const assessed = await callApi('POST', `/v1/clients/${a.clientId}/assessments`, { json: { instrument: 'gad7', answers: [1, 1, 0, 0, 1, 0, 0] }, token: await a.token() });
    expect(assessed.status).toBe(201);
    for (const path of ['assessments', 'check-ins', 'plans', 'plan', 'notes', 'psychotherapy-notes', 'diagnoses', 'intake', 'sessions', '']) {
      const url = `/v1/clients/${a.clientId}${path ? `/${path}` : ''}`;
      const response = await callApi('GET', url, { token: await b.token() });
      // Psychotherapy notes are clinicians' only: the role gate answers 403 before any object.
      expect(response.status, url).toBe(path === 'psychotherapy-notes' ? 403 : 404);
    }
    // A reads their own.
    expect((await callApi('GET', `/v1/clients/${a.clientId}/check-ins`, { token: await a.token() })).status).toBe(200);
  });

  it("releases the joint record only with both partners' authorization; a refusal refuses", async () => {
    const { a, b, unitId } = await couple();
    const asked = await callApi<{ releaseId: string; status: string; awaiting: string[]; exportAvailable: boolean }>('POST', `/v1/care-units/${unitId}/releases`, {
      json: { recipient: 'Synthetic Clinic', purpose: 'Continuity of care (synthetic).', scope: ['joint_notes', 'joint_sessions'] },
      token: await a.token(),
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ status: 'pending', awaiting: [b.clientId], exportAvailable: false });
    // A cannot decide for B.
    const forOther = await callApi('POST', `/v1/care-units/${unitId}/releases/${asked.body.releaseId}/consent`, { json: { decision: 'authorize', forClientId: b.clientId }, token: await a.token() });
    expect(forOther.status).toBe(409);
    const decided = await callApi<{ status: string }>('POST', `/v1/care-units/${unitId}/releases/${asked.body.releaseId}/consent`, { json: { decision: 'authorize' }, token: await b.token() });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('authorized');

    const second = await callApi<{ releaseId: string }>('POST', `/v1/care-units/${unitId}/releases`, { json: { recipient: 'Synthetic Court', purpose: 'Synthetic.', scope: ['unit_plan'] }, token: await a.token() });
    const refused = await callApi<{ status: string }>('POST', `/v1/care-units/${unitId}/releases/${second.body.releaseId}/consent`, { json: { decision: 'refuse' }, token: await b.token() });
    expect(refused.body.status).toBe('refused');
    const again = await callApi('POST', `/v1/care-units/${unitId}/releases/${second.body.releaseId}/consent`, { json: { decision: 'authorize' }, token: await b.token() });
    expect(again.status).toBe(409);
  });

  it('matches the unit once: one acceptance begins care with the therapist for both members, one caseload place', async () => {
    const consultant = await createConsultationClinician({ states: ['NH'] });
    // A therapist who sees couples.
    const therapist = await createTherapist({ state: 'NH', clientTypes: ['individual', 'couple'] });
    const [a, b] = await Promise.all([clientAwaitingMatch('NH', consultant.clinicianId), clientAwaitingMatch('NH', consultant.clinicianId)]);
    const intake = await callApi('PUT', `/v1/clients/${a.clientId}/intake`, { json: intakeRequest('NH', { clientType: 'couple' }), token: await consultant.token() });
    expect(intake.status).toBe(200);
    const unit = await callApi<{ unitId: string }>('POST', '/v1/care-units', { json: { kind: 'couple', role: 'partner', consent: true }, token: await a.token() });
    await callApi('POST', `/v1/care-units/${unit.body.unitId}/invitations`, { json: { email: b.email, role: 'partner' }, token: await a.token() });
    await callApi('POST', `/v1/care-units/${unit.body.unitId}/accept`, { json: { consent: true }, token: await b.token() });
    // Each member's care lifecycle as signup leaves it: generation 1 recorded on the profile
    // (its execution asleep until its daily review), so the accept has one to wake.
    const db = createDocumentClient();
    for (const member of [a, b]) {
      await db.send(
        new UpdateCommand({
          TableName: process.env.TABLE_NAME as string,
          Key: keys.clientProfile(member.clientId),
          UpdateExpression: 'SET careLifecycleExecutionArn = :arn, careLifecycleGeneration = :g',
          ExpressionAttributeValues: { ':arn': `arn:aws:states:us-east-1:000000000000:execution:moodrx-local-care-lifecycle:client-${member.clientId}-1`, ':g': 1 },
        }),
      );
    }

    const matched = await callApi<{ therapistId: string; yourCareBegan: boolean }>('POST', `/v1/care-units/${unit.body.unitId}/matches/${therapist.clinicianId}/accept`, { token: await a.token() });
    expect(matched.status, matched.text).toBe(201);
    expect(matched.body).toMatchObject({ therapistId: therapist.clinicianId, yourCareBegan: true });
    const repeat = await callApi('POST', `/v1/care-units/${unit.body.unitId}/matches/${therapist.clinicianId}/accept`, { token: await b.token() });
    expect(repeat.status).toBe(200);
    for (const member of [a, b]) {
      const care = await callApi<{ stage: string; therapist?: { clinicianId: string } }>('GET', `/v1/clients/${member.clientId}`, { token: await member.token() });
      expect(care.body.stage).toBe('in_care');
      // The accept woke each member's lifecycle: the introduction arrives now, not at the next daily review.
      await waitForEmail({ to: member.email, subjectIncludes: CLIENT_INTRODUCTION_SUBJECT });
      expect((await emailsTo(member.email)).filter((e) => e.subject.includes(CLIENT_INTRODUCTION_SUBJECT))).toHaveLength(1);
    }
    // ONE caseload place for the unit.
    const { Item } = await db.send(new GetCommand({ TableName: process.env.TABLE_NAME as string, Key: keys.caseload(therapist.clinicianId), ConsistentRead: true }));
    db.destroy();
    expect(Item?.count).toBe(1);
    // The therapist sees the unit (both members in their care).
    const seen = await callApi<{ members: unknown[] }>('GET', `/v1/care-units/${unit.body.unitId}`, { token: await therapist.token() });
    expect(seen.status).toBe(200);
    expect(seen.body.members).toHaveLength(2);
    expect(seen.body).not.toHaveProperty('careEndedAt');

    // One partner leaves: fewer than two active members, so the unit's JOINT care ends with the
    // leave (one transaction); each partner's own care with the therapist goes on.
    const left = await callApi('POST', `/v1/care-units/${unit.body.unitId}/leave`, { token: await b.token() });
    expect(left.status, left.text).toBe(200);
    const ended = await callApi<{ careEndedAt?: string; therapistId: string | null; members: { clientId: string }[] }>('GET', `/v1/care-units/${unit.body.unitId}`, { token: await a.token() });
    expect(ended.body).toMatchObject({ therapistId: therapist.clinicianId, careEndedAt: expect.any(String), members: [{ clientId: a.clientId }] });
    for (const member of [a, b]) {
      const care = await callApi<{ stage: string; therapist?: { clinicianId: string } }>('GET', `/v1/clients/${member.clientId}`, { token: await member.token() });
      expect(care.body).toMatchObject({ stage: 'in_care', therapist: { clinicianId: therapist.clinicianId } });
    }
    // The unit is not matched again: joint care starts again with a new unit.
    const again = await callApi<{ code: string }>('POST', `/v1/care-units/${unit.body.unitId}/matches/${therapist.clinicianId}/accept`, { token: await a.token() });
    expect(again.status).not.toBe(201);
  });
});
