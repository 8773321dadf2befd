/**
 * Clinician profiles and availability over HTTP through the local stack (real handlers,
 * cognito-local, DynamoDB Local, the SES emulator). Every person is synthetic and unique per run.
 *
 * cognito-local 5.3.0 and the first sign-in of an admin-created account, as measured here:
 * InitiateAuth answers NEW_PASSWORD_REQUIRED for a FORCE_CHANGE_PASSWORD user WITHOUT checking
 * the password; RespondToAuthChallenge accepts any non-empty Session and returns tokens (the
 * local staff pool has MFA off; AWS would answer MFA_SETUP, see
 * tests/unit/clinicians/new-password-sign-in.test.ts). So this file proves the local flow end
 * to end with the right password and leaves the wrong-password and MFA cases to the unit tests.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createClinicianRepository } from '../../../shared/adapters/dynamodb/clinician-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { createStaffAuditLog } from '../../../shared/adapters/dynamodb/staff-audit-log.js';
import type { ClinicianAvailability, ClinicianProfile, PublicClinicianProfile } from '../../../shared/domain/clinicians.js';
import { CURRENT_LEGAL_DOCUMENTS } from '../../../shared/domain/legal-documents.js';
import { openIntervals } from '../../../shared/domain/scheduling.js';
import { signInDirectly } from '../../support/cognito.js';
import { callApi, getJson, postJson } from '../../support/http.js';
import { waitForEmail } from '../../support/inbox.js';
import { clinicianInput, daysFromToday, uniqueClinicianEmail } from '../../unit/clinicians/fixtures.js';

interface Problem {
  code: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  fields?: string[];
}

const tokens = new Map<string, Promise<string>>();
/** Access token of a demo staff member (cached per file). */
function staffToken(email: string): Promise<string> {
  if (!tokens.has(email)) tokens.set(email, signInDirectly(email).then((t) => t.accessToken));
  return tokens.get(email)!;
}

async function createClinicianAs(adminToken: string, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return postJson<ClinicianProfile & Problem>('/v1/admin/clinicians', clinicianInput(overrides), { token: adminToken, headers });
}

async function newClinician(overrides: Record<string, unknown> = {}): Promise<ClinicianProfile> {
  const res = await createClinicianAs(await staffToken('admin@example.com'), overrides);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** Signs up a client through the API and returns their access token. */
async function newClientToken(): Promise<{ token: string; email: string }> {
  const email = `client.${randomUUID().slice(0, 8)}@example.com`;
  const password = 'Calm-Harbor-42';
  const signup = await postJson('/v1/signup', {
    email,
    password,
    firstName: 'Casey',
    lastName: 'Testwell',
    dateOfBirth: '1990-02-14',
    clientType: 'individual',
    state: 'OH',
    timezone: 'America/New_York',
    ageConfirmed: true,
    consents: Object.fromEntries(Object.values(CURRENT_LEGAL_DOCUMENTS).map((d) => [d.type, d.version])),
  });
  expect(signup.status, signup.text).toBe(202);
  return { token: (await signInDirectly(email, { pool: 'client', password })).accessToken, email };
}

const patch = (path: string, json: unknown, token: string) => callApi<Problem & ClinicianProfile>('PATCH', path, { json, token });
const put = (path: string, json: unknown, token: string) => callApi<Problem & ClinicianAvailability>('PUT', path, { json, token });

describe('POST /v1/admin/clinicians', () => {
  it('creates the clinician, emails the invitation, and the temporary password leads through a new password to tokens', async () => {
    const email = uniqueClinicianEmail('invited');
    const created = await createClinicianAs(await staffToken('admin@example.com'), { email, role: 'therapist' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ email, role: 'therapist', version: 1, licenses: [{ state: 'OH', number: 'TEST-OH-0001' }, { state: 'PA' }] });

    const invitation = await waitForEmail({ to: email, subjectIncludes: 'clinician account' });
    const temporaryPassword = /Temporary password: (\S+)/.exec(invitation.body.text ?? '')?.[1];
    expect(temporaryPassword).toMatch(/^.{16}$/);
    expect(invitation.body.text).toMatch(/authenticator app/);

    const login = await postJson<{ challenge: string; session: string }>('/v1/auth/login', { email, password: temporaryPassword });
    expect(login.status, login.text).toBe(200);
    expect(login.body.challenge).toBe('NEW_PASSWORD_REQUIRED');

    const weak = await postJson<Problem>('/v1/auth/new-password', { email, session: login.body.session, newPassword: 'weak' });
    expect(weak.status).toBe(400);
    expect(weak.body.errors?.map((e) => e.field)).toContain('newPassword');

    const answered = await postJson<{ accessToken: string }>('/v1/auth/new-password', {
      email,
      session: login.body.session,
      newPassword: 'Chosen-Pass-2026!',
    });
    expect(answered.status, answered.text).toBe(200);
    const me = await getJson<{ role: string; userId: string }>('/v1/me', answered.body.accessToken);
    expect(me.body).toMatchObject({ role: 'therapist', userId: created.body.clinicianId });

    // The new clinician sees their own full profile and can publish their hours.
    const own = await getJson<ClinicianProfile>(`/v1/clinicians/${created.body.clinicianId}`, answered.body.accessToken);
    expect(own.body.licenses[0]?.number).toBe('TEST-OH-0001');
    const hours = await put(`/v1/clinicians/${created.body.clinicianId}/availability`, { weekly: [{ day: 'wed', start: '13:00', end: '15:00' }] }, answered.body.accessToken);
    expect(hours.status, hours.text).toBe(200);

    const again = await postJson<{ accessToken: string }>('/v1/auth/login', { email, password: 'Chosen-Pass-2026!' });
    expect(again.status).toBe(200);
    expect(again.body.accessToken).toBeTruthy();
  });

  // Issue 9, finding 4: on 65e63bb the answer was 409 `email_already_registered` ("Sign in
  // instead"), the same code signup used for clients. Now one neutral answer for any account:
  // an admin learns the address is taken, never that it is a client's.
  it('refuses an email of any existing account, staff or client, with one neutral 409 email_unavailable, and creates nothing', async () => {
    const admin = await staffToken('admin@example.com');
    const first = await newClinician();
    const answers = [];
    for (const email of [first.email, 'therapist.oh@example.com', (await newClientToken()).email]) {
      const res = await createClinicianAs(admin, { email });
      expect(res.status, email).toBe(409);
      expect(res.body.code).toBe('email_unavailable');
      expect(res.text).not.toMatch(/client|staff|clinician|sign in/i);
      answers.push({ ...res.body, requestId: '' });
    }
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('returns the same clinician for a retry with the same Idempotency-Key', async () => {
    const admin = await staffToken('admin@example.com');
    const body = clinicianInput({ email: uniqueClinicianEmail('idem') });
    const headers = { 'Idempotency-Key': randomUUID() };
    const first = await postJson<ClinicianProfile>('/v1/admin/clinicians', body, { token: admin, headers });
    const retry = await postJson<ClinicianProfile>('/v1/admin/clinicians', body, { token: admin, headers });
    expect(first.status, first.text).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
  });

  it('is for admins only, and validates licenses and vocabularies', async () => {
    const coordinator = await staffToken('coordinator@example.com');
    expect((await createClinicianAs(coordinator)).status).toBe(403);
    const admin = await staffToken('admin@example.com');
    const bad = await createClinicianAs(admin, {
      licenses: [{ state: 'OH', number: 'X-1', expiresOn: daysFromToday(-1) }],
      specialties: ['anxiety', 'palmistry'],
      timezone: 'America/Nowhere',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field).sort()).toEqual(['licenses.0.expiresOn', 'specialties.1', 'timezone']);
  });
});

describe('GET /v1/clinicians/{id}', () => {
  it('shows a client the public view: no license numbers, email, capacity or video room', async () => {
    const clinician = await newClinician();
    const { token } = await newClientToken();
    const res = await getJson<PublicClinicianProfile>(`/v1/clinicians/${clinician.clinicianId}`, token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clinicianId: clinician.clinicianId, licensedStates: ['OH', 'PA'], credentialLabel: 'LPCC' });
    expect(res.text).not.toContain('TEST-OH-0001');
    expect(res.text).not.toContain(clinician.email);
    expect(res.text).not.toContain('video.example.com');
    expect(res.body).not.toHaveProperty('caseloadCapacity');
  });

  it('shows staff who run the directory the full profile, and other therapists the public view', async () => {
    const clinician = await newClinician();
    for (const email of ['admin@example.com', 'coordinator@example.com', 'supervisor@example.com']) {
      const res = await getJson<ClinicianProfile>(`/v1/clinicians/${clinician.clinicianId}`, await staffToken(email));
      expect(res.body.licenses?.[0]?.number, email).toBe('TEST-OH-0001');
    }
    const peer = await getJson<PublicClinicianProfile>(`/v1/clinicians/${clinician.clinicianId}`, await staffToken('therapist.ca@example.com'));
    expect(peer.body).not.toHaveProperty('licenses');
  });

  it('answers 404 for an unknown id and for staff who are not clinicians', async () => {
    const { token } = await newClientToken();
    expect((await getJson(`/v1/clinicians/${randomUUID()}`, token)).status).toBe(404);
    const me = await getJson<{ userId: string }>('/v1/me', await staffToken('admin@example.com'));
    expect((await getJson(`/v1/clinicians/${me.body.userId}`, token)).status).toBe(404);
    expect((await getJson('/v1/clinicians/not%20an%20id', token)).status).toBe(400);
  });
});

describe('PATCH /v1/clinicians/{id}', () => {
  it('lets the clinician edit their own profile and an admin edit anyone', async () => {
    const ohTherapist = await staffToken('therapist.oh@example.com');
    const me = await getJson<{ userId: string }>('/v1/me', ohTherapist);
    const own = await patch(`/v1/clinicians/${me.body.userId}`, { pronouns: 'she/they' }, ohTherapist);
    expect(own.status, own.text).toBe(200);
    expect(own.body.pronouns).toBe('she/they');

    const clinician = await newClinician();
    const byAdmin = await patch(`/v1/clinicians/${clinician.clinicianId}`, { offersConsultations: false, bio: 'Edited by an admin.' }, await staffToken('admin@example.com'));
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body).toMatchObject({ offersConsultations: false, bio: 'Edited by an admin.', version: 2 });
  });

  it("refuses another therapist's edit (403), a coordinator's (403) and a client's (404), and changes nothing", async () => {
    const clinician = await newClinician();
    const path = `/v1/clinicians/${clinician.clinicianId}`;
    expect((await patch(path, { bio: 'Hijacked.' }, await staffToken('therapist.ny@example.com'))).status).toBe(403);
    expect((await patch(path, { bio: 'Hijacked.' }, await staffToken('coordinator@example.com'))).status).toBe(403);
    const client = await patch(path, { bio: 'Hijacked.' }, (await newClientToken()).token);
    expect(client.status).toBe(404);
    expect(client.body.code).toBe('not_found');
    const after = await getJson<ClinicianProfile>(path, await staffToken('admin@example.com'));
    expect(after.body).toMatchObject({ bio: clinician.bio, version: 1 });
  });

  it('refuses a therapist licensed in OH who adds CA to their own licenses (403 admin_only_fields): no CA listing, the refusal audited', async () => {
    const ohTherapist = await staffToken('therapist.oh@example.com');
    const me = await getJson<{ userId: string }>('/v1/me', ohTherapist);
    const path = `/v1/clinicians/${me.body.userId}`;
    const before = await getJson<ClinicianProfile>(path, ohTherapist);
    expect(before.body.licenses.map((l) => l.state)).toContain('OH');
    expect(before.body.licenses.map((l) => l.state)).not.toContain('CA');

    const licenses = [...before.body.licenses, { state: 'CA', number: 'TEST-CA-9999', expiresOn: daysFromToday(365) }];
    const refused = await patch(path, { licenses }, ohTherapist);
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body).toMatchObject({ code: 'admin_only_fields', fields: ['licenses'] });
    expect(refused.body.detail).toContain('licenses');
    // The other admin-only fields too, each named.
    const more = await patch(path, { offersConsultations: true, caseloadCapacity: 200, videoRoomUrl: 'https://video.example.com/x', bio: 'b' }, ohTherapist);
    expect(more.status).toBe(403);
    expect(more.body.fields).toEqual(['offersConsultations', 'caseloadCapacity', 'videoRoomUrl']);

    const after = await getJson<ClinicianProfile>(path, ohTherapist);
    expect(after.body.licenses).toEqual(before.body.licenses);
    const db = createDocumentClient();
    const TableName = process.env.TABLE_NAME as string;
    const { PK, SK } = keys.therapistListing(me.body.userId, 'CA');
    expect((await db.send(new GetCommand({ TableName, Key: { PK, SK }, ConsistentRead: true }))).Item).toBeUndefined();
    const caListing = await db.send(
      new QueryCommand({
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK = :sk',
        ExpressionAttributeValues: { ':pk': keys.therapistsInPartition('CA'), ':sk': `STAFF#${me.body.userId}` },
      }),
    );
    expect(caListing.Items).toEqual([]);

    const trail = createStaffAuditLog({ documentClient: db, tableName: TableName });
    const refusals = (await trail.events(me.body.userId)).filter((e) => e.outcome === 'denied' && e.fields?.includes('licenses'));
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.at(-1)).toMatchObject({ actor: { userId: me.body.userId, role: 'therapist' }, action: 'credentialing_change' });
    expect(await trail.verifyChain(me.body.userId)).toMatchObject({ intact: true });
  });

  it('lets an admin add a license: the CA listing follows and the staff audit trail records before and after', async () => {
    const clinician = await newClinician();
    const path = `/v1/clinicians/${clinician.clinicianId}`;
    const licenses = [...clinician.licenses, { state: 'CA', number: 'TEST-CA-0042', expiresOn: daysFromToday(365) }];
    const added = await patch(path, { licenses }, await staffToken('admin@example.com'));
    expect(added.status, added.text).toBe(200);
    expect(added.body.licenses.map((l) => l.state)).toEqual(['OH', 'PA', 'CA']);

    const db = createDocumentClient();
    const TableName = process.env.TABLE_NAME as string;
    const { PK, SK } = keys.therapistListing(clinician.clinicianId, 'CA');
    expect((await db.send(new GetCommand({ TableName, Key: { PK, SK }, ConsistentRead: true }))).Item).toMatchObject({ state: 'CA' });

    const admin = await getJson<{ userId: string }>('/v1/me', await staffToken('admin@example.com'));
    const trail = createStaffAuditLog({ documentClient: db, tableName: TableName });
    expect(await trail.events(clinician.clinicianId)).toEqual([
      expect.objectContaining({
        actor: { userId: admin.body.userId, role: 'admin' },
        staffId: clinician.clinicianId,
        outcome: 'success',
        changes: [{ field: 'licenses', before: clinician.licenses, after: licenses }],
      }),
    ]);
    expect(await trail.verifyChain(clinician.clinicianId)).toEqual({ intact: true, length: 1, lastHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses email and role changes and expired licenses', async () => {
    const clinician = await newClinician();
    const admin = await staffToken('admin@example.com');
    const path = `/v1/clinicians/${clinician.clinicianId}`;
    expect((await patch(path, { email: 'other@example.com' }, admin)).status).toBe(400);
    expect((await patch(path, { role: 'coordinator' }, admin)).status).toBe(400);
    expect((await patch(path, { licenses: [{ state: 'OH', number: 'X', expiresOn: daysFromToday(-3) }] }, admin)).status).toBe(400);
  });
});

describe('availability over HTTP', () => {
  it('round-trips hours across the daylight-saving change: 09:00 local before and after', async () => {
    const clinician = await newClinician({ timezone: 'America/Chicago', licenses: [{ state: 'IL', number: 'TEST-IL-7', expiresOn: daysFromToday(700) }] });
    const admin = await staffToken('admin@example.com');
    const hours = {
      weekly: [{ day: 'mon', start: '09:00', end: '12:00' }],
      exceptions: [
        { kind: 'unavailable', date: '2027-03-22' },
        { kind: 'available', date: '2027-03-13', start: '10:00', end: '11:00' },
      ],
    };
    const stored = await put(`/v1/clinicians/${clinician.clinicianId}/availability`, hours, admin);
    expect(stored.status, stored.text).toBe(200);
    const read = await getJson<ClinicianAvailability>(`/v1/clinicians/${clinician.clinicianId}/availability`, await staffToken('coordinator@example.com'));
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ clinicianId: clinician.clinicianId, timezone: 'America/Chicago', ...hours, updatedAt: stored.body.updatedAt });

    // What consultation scheduling reads (ConsultationDirectory) gives the same wall-clock hours;
    // the US change is 2027-03-14: Monday 03-08 is CST (UTC-6), Monday 03-15 CDT (UTC-5).
    const directory = createClinicianRepository({ documentClient: createDocumentClient(), tableName: process.env.TABLE_NAME as string });
    const listed = (await directory.listConsultationClinicians('IL', daysFromToday(0))).find((c) => c.clinicianId === clinician.clinicianId)!;
    const open = openIntervals(listed.availability, listed.timezone, Date.parse('2027-03-08T00:00:00Z'), Date.parse('2027-03-23T00:00:00Z'));
    expect(open.map((i) => new Date(i.start).toISOString())).toEqual([
      '2027-03-08T15:00:00.000Z',
      '2027-03-13T16:00:00.000Z',
      '2027-03-15T14:00:00.000Z',
    ]);
  });

  it("refuses another therapist's hours (403 to edit and to read) and a client's (404)", async () => {
    const clinician = await newClinician();
    const path = `/v1/clinicians/${clinician.clinicianId}/availability`;
    const body = { weekly: [{ day: 'fri', start: '09:00', end: '10:00' }] };
    const peer = await staffToken('therapist.tx@example.com');
    expect((await put(path, body, peer)).status).toBe(403);
    expect((await getJson(path, peer)).status).toBe(403);
    const { token } = await newClientToken();
    expect((await put(path, body, token)).status).toBe(404);
    expect((await getJson(path, token)).status).toBe(404);
    expect((await getJson<ClinicianAvailability>(path, await staffToken('admin@example.com'))).body.weekly).toEqual([]);
  });

  it('rejects overlapping hours and times off the 5-minute grid', async () => {
    const clinician = await newClinician();
    const res = await put(
      `/v1/clinicians/${clinician.clinicianId}/availability`,
      { weekly: [{ day: 'mon', start: '09:00', end: '12:00' }, { day: 'mon', start: '11:00', end: '13:02' }] },
      await staffToken('admin@example.com'),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field).sort()).toEqual(['weekly', 'weekly.1.end']);
  });
});
