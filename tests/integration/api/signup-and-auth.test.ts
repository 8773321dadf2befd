/**
 * Signup, sign-in and /v1/me over HTTP through the local stack: the API-Gateway-shaped
 * server, the real handlers, the signup workflow on the Step Functions emulator, and the
 * emulators behind it. Every person here is synthetic and unique per run.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CURRENT_LEGAL_DOCUMENTS } from '../../../shared/domain/legal-documents.js';
import { callApi, getJson, postJson } from '../../support/http.js';
import { SIGNUP_MINIMUM_RESPONSE_MS } from '../../../shared/config/signup.js';
import { SIGNUP_NOTICE_SUBJECT, VERIFICATION_SUBJECT } from '../../../shared/notifications/signup-emails.js';
import { emailsTo, waitForEmail } from '../../support/inbox.js';
import { latestVerificationCode, verifyFromInbox } from '../../support/signup.js';
import { findClientUser } from '../../workflow/support.js';

const PASSWORD = 'Calm-Harbor-42';

function newPerson(overrides: Record<string, unknown> = {}) {
  const id = randomUUID().slice(0, 8);
  return {
    email: `alex.morgan+${id}@example.com`,
    password: PASSWORD,
    firstName: 'Alex',
    lastName: 'Morgan',
    dateOfBirth: '1991-05-20',
    clientType: 'individual',
    state: 'OH',
    timezone: 'America/New_York',
    ageConfirmed: true,
    consents: Object.fromEntries(Object.values(CURRENT_LEGAL_DOCUMENTS).map((d) => [d.type, d.version])),
    ...overrides,
  };
}

interface Problem {
  code: string;
  status: number;
  detail: string;
  requestId: string;
  errors?: { field: string; message: string }[];
}

describe('signup, sign-in and me over HTTP', () => {
  it('lists the current legal documents publicly', async () => {
    const res = await getJson<{ documents: { type: string; version: string }[] }>('/v1/legal/documents');
    expect(res.status).toBe(200);
    expect(res.body.documents.map((d) => d.type).sort()).toEqual(['disclaimer', 'privacyPolicy', 'termsAndConditions']);
  });

  it('serves the OpenAPI document', async () => {
    const res = await getJson<{ openapi: string; paths: Record<string, unknown> }>('/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toContain('/v1/signup');
  });

  // Issue 9, finding 4: on 65e63bb signup answered 201 with the client id, forced
  // email_verified=true and sent the welcome email (and started the reminders) to any address
  // typed; booking needed nothing more.
  it('signs a person up with a code by email; only verification brings the welcome email and booking', async () => {
    const person = newPerson();
    const signup = await postJson<Record<string, unknown>>('/v1/signup', person, { headers: { 'User-Agent': 'MoodRx test client' } });
    expect(signup.status).toBe(202);
    expect(signup.body).toEqual({
      status: 'verification_required',
      email: person.email,
      detail: expect.stringContaining('code'),
      links: { verify: '/v1/signup/verify', login: '/v1/auth/login', legalDocuments: '/v1/legal/documents' },
    });
    expect(signup.text).not.toContain(PASSWORD);

    // The one email so far: the code. No welcome, nothing else.
    const code = await latestVerificationCode(person.email);
    expect((await emailsTo(person.email)).map((e) => e.subject)).toEqual([VERIFICATION_SUBJECT]);

    // Sign-in works before verification (the app can then show "enter your code"), booking does not.
    const login = await postJson<{ accessToken: string; refreshToken: string; expiresIn: number; tokenType: string }>('/v1/auth/login', {
      email: person.email.toUpperCase(),
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });
    const token = login.body.accessToken;
    const before = await getJson<Record<string, unknown>>('/v1/me', token);
    expect(before.body).toMatchObject({ role: 'client', emailVerified: false });
    const clientId = before.body.userId as string;
    const booking = { start: new Date(Date.now() + 3 * 86_400_000).toISOString() };
    const refused = await postJson<Problem>('/v1/consultations', booking, { token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('email_not_verified');
    const held = await postJson<Problem>('/v1/consultations/holds', booking, { token });
    expect(held.status).toBe(403);
    expect(held.body.code).toBe('email_not_verified');

    const wrong = await postJson<Problem>('/v1/signup/verify', { email: person.email, code: code === '000000' ? '000001' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('verification_failed');

    const verified = await postJson('/v1/signup/verify', { email: person.email.toUpperCase(), code });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toEqual({ status: 'verified', links: { login: '/v1/auth/login', me: '/v1/me' } });

    // Now the welcome email, the verified identity, and booking no longer refused for the email.
    const welcome = await waitForEmail({ to: person.email, subjectIncludes: 'Welcome' });
    expect(`${welcome.body.html ?? ''}${welcome.body.text ?? ''}`).toMatch(/15-minute/);
    expect((await findClientUser(person.email))?.attributes).toMatchObject({ email_verified: 'true' });
    const me = await getJson<Record<string, unknown>>('/v1/me', token);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      userId: clientId,
      role: 'client',
      email: person.email,
      firstName: 'Alex',
      lastName: 'Morgan',
      status: 'awaiting_consultation',
      timezone: 'America/New_York',
      state: 'OH',
      clientType: 'individual',
      emailVerified: true,
    });
    expect((await postJson<Problem>('/v1/consultations', booking, { token })).body.code).not.toBe('email_not_verified');

    // Single use: the same code again is refused, and sends nothing more.
    const again = await postJson<Problem>('/v1/signup/verify', { email: person.email, code });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('verification_failed');
    expect(await emailsTo(person.email)).toHaveLength(2);

    const refreshed = await postJson<{ accessToken: string; refreshToken?: string }>('/v1/auth/refresh', {
      refreshToken: login.body.refreshToken,
    });
    expect(refreshed.status).toBe(200);
    expect((await getJson('/v1/me', refreshed.body.accessToken)).status).toBe(200);
  });

  // Issue 9, finding 4: on 65e63bb a taken email answered 409 email_already_registered.
  it('answers a taken email byte for byte like a new one, in no less time, and tells its owner', async () => {
    const existing = newPerson();
    expect((await postJson('/v1/signup', existing)).status).toBe(202);
    await verifyFromInbox(existing.email);

    const fresh = newPerson({ email: existing.email.replace('alex.morgan+', 'sam.rivera+') });
    const started = performance.now();
    const forNew = await postJson('/v1/signup', fresh);
    const newMs = performance.now() - started;
    const restarted = performance.now();
    const forTaken = await postJson('/v1/signup', { ...existing, email: existing.email.toUpperCase(), firstName: 'Other', password: 'Other-Pass-77!' });
    const takenMs = performance.now() - restarted;
    const forStaff = await postJson('/v1/signup', newPerson({ email: 'therapist.oh@example.com' }));

    expect(forNew.status).toBe(202);
    expect(forTaken.status).toBe(forNew.status);
    expect(forStaff.status).toBe(forNew.status);
    // The body names the address it was given (lower case), so compare with the address swapped.
    expect(forTaken.text).toBe(forNew.text.replace(fresh.email, existing.email));
    expect(forStaff.text).toBe(forNew.text.replace(fresh.email, 'therapist.oh@example.com'));
    expect(forTaken.headers.get('content-type')).toBe(forNew.headers.get('content-type'));
    expect(forNew.text).not.toMatch(/clientId|awaiting|"id"/);
    for (const ms of [newMs, takenMs]) expect(ms).toBeGreaterThanOrEqual(SIGNUP_MINIMUM_RESPONSE_MS - 5);

    // The owner: code, welcome, then the notice; the account and its password untouched.
    const notice = await waitForEmail({ to: existing.email, subjectIncludes: SIGNUP_NOTICE_SUBJECT });
    expect(`${notice.body.html ?? ''}${notice.body.text ?? ''}`).not.toMatch(/https?:\/\/|Other|Alex/);
    expect((await emailsTo(existing.email)).map((e) => e.subject)).toEqual([VERIFICATION_SUBJECT, expect.stringMatching(/^Welcome/), SIGNUP_NOTICE_SUBJECT]);
    expect((await postJson('/v1/auth/login', { email: existing.email, password: PASSWORD })).status).toBe(200);
    expect((await postJson('/v1/auth/login', { email: existing.email, password: 'Other-Pass-77!' })).status).toBe(401);
    // The new address got its code.
    expect(await latestVerificationCode(fresh.email)).toMatch(/^\d{6}$/);
  });

  it('answers verification of an unknown email exactly like a wrong code, and locks a code after 5 wrong tries', async () => {
    const person = newPerson();
    expect((await postJson('/v1/signup', person)).status).toBe(202);
    const code = await latestVerificationCode(person.email);
    const wrongCode = code === '000000' ? '000001' : '000000';

    const unknown = await postJson<Problem>('/v1/signup/verify', { email: `nobody+${randomUUID()}@example.com`, code });
    const staff = await postJson<Problem>('/v1/signup/verify', { email: 'therapist.oh@example.com', code });
    const wrong = await postJson<Problem>('/v1/signup/verify', { email: person.email, code: wrongCode });
    for (const res of [unknown, staff, wrong]) {
      expect(res.status).toBe(400);
      expect({ ...res.body, requestId: '' }).toEqual({ ...wrong.body, requestId: '' });
    }
    for (let attempt = 2; attempt <= 5; attempt += 1) {
      expect((await postJson('/v1/signup/verify', { email: person.email, code: wrongCode })).status).toBe(400);
    }
    const locked = await postJson<Problem>('/v1/signup/verify', { email: person.email, code });
    expect(locked.status).toBe(400);
    expect({ ...locked.body, requestId: '' }).toEqual({ ...wrong.body, requestId: '' });
    expect((await emailsTo(person.email)).map((e) => e.subject)).toEqual([VERIFICATION_SUBJECT]);
  });

  it('answers an invalid signup with 400 listing every field, never echoing the password', async () => {
    const res = await postJson<Problem>('/v1/signup', {
      ...newPerson(),
      password: 'weakpass',
      dateOfBirth: '2015-01-01',
      state: 'XX',
      consents: { privacyPolicy: '1999-01-01' },
      isAdmin: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect([...new Set(res.body.errors?.map((e) => e.field))].sort()).toEqual(
      ['consents.disclaimer', 'consents.privacyPolicy', 'consents.termsAndConditions', 'dateOfBirth', 'isAdmin', 'password', 'state'].sort(),
    );
    expect(res.body.errors?.filter((e) => e.field === 'password').map((e) => e.message)).toEqual([
      'Include at least one uppercase letter.',
      'Include at least one number.',
      'Include at least one symbol, such as ! or #.',
    ]);
    expect(res.text).not.toContain('weakpass');
  });

  it('answers malformed JSON with 400 and a wrong content type with 415, never 5xx', async () => {
    const malformed = await callApi<Problem>('POST', '/v1/signup', { body: '{"email":', headers: { 'Content-Type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('malformed_json');
    const form = await callApi<Problem>('POST', '/v1/signup', { body: 'email=a', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const big = await callApi<Problem>('POST', '/v1/signup', {
      body: JSON.stringify({ ...newPerson(), firstName: 'x'.repeat(70 * 1024) }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(big.status).toBe(413);
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const person = newPerson();
    expect((await postJson('/v1/signup', person)).status).toBe(202);
    const wrongPassword = await postJson<Problem>('/v1/auth/login', { email: person.email, password: 'Not-The-Password-1' });
    const unknownEmail = await postJson<Problem>('/v1/auth/login', { email: `nobody+${randomUUID()}@example.com`, password: PASSWORD });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect({ ...wrongPassword.body, requestId: '' }).toEqual({ ...unknownEmail.body, requestId: '' });
  });

  it('returns the first response again for a retry with the same Idempotency-Key', async () => {
    const person = newPerson();
    const key = randomUUID();
    const first = await postJson('/v1/signup', person, { headers: { 'Idempotency-Key': key } });
    const retry = await postJson('/v1/signup', person, { headers: { 'Idempotency-Key': key } });
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.text).toBe(first.text);
    const reused = await postJson<Problem>('/v1/signup', { ...person, firstName: 'Changed' }, { headers: { 'Idempotency-Key': key } });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(await emailsTo(person.email)).toHaveLength(1);
  });

  it('refuses /v1/me without a token or with a forged one', async () => {
    expect((await getJson('/v1/me')).status).toBe(401);
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4IiwiY29nbml0bzpncm91cHMiOlsiYWRtaW4iXX0.c2lnbmF0dXJl';
    expect((await getJson('/v1/me', forged)).status).toBe(401);
  });
});
