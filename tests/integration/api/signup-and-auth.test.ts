/**
 * Signup, sign-in and /v1/me over HTTP through the local stack: the API-Gateway-shaped
 * server, the real handlers, the signup workflow on the Step Functions emulator, and the
 * emulators behind it. Every person here is synthetic and unique per run.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CURRENT_LEGAL_DOCUMENTS } from '../../../shared/domain/legal-documents.js';
import { callApi, getJson, postJson } from '../../support/http.js';
import { emailsTo, waitForEmail } from '../../support/inbox.js';

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

  it('signs a person up, welcomes them by email, and lets them sign in and read their profile', async () => {
    const person = newPerson();
    const signup = await postJson<{ clientId: string; status: string; links: Record<string, string> }>('/v1/signup', person, {
      headers: { 'User-Agent': 'MoodRx test client' },
    });
    expect(signup.status).toBe(201);
    expect(signup.body).toMatchObject({ status: 'awaiting_consultation', email: person.email });
    expect(signup.body.clientId).toMatch(/\S{8,}/);
    expect(signup.text).not.toContain(PASSWORD);

    const welcome = await waitForEmail({ to: person.email });
    expect(welcome.subject).toMatch(/welcome/i);
    expect(`${welcome.body.html ?? ''}${welcome.body.text ?? ''}`).toMatch(/15-minute/);

    const login = await postJson<{ accessToken: string; idToken: string; refreshToken: string; expiresIn: number; tokenType: string }>(
      '/v1/auth/login',
      { email: person.email.toUpperCase(), password: PASSWORD },
    );
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });

    const me = await getJson<Record<string, unknown>>('/v1/me', login.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      userId: signup.body.clientId,
      role: 'client',
      email: person.email,
      firstName: 'Alex',
      lastName: 'Morgan',
      status: 'awaiting_consultation',
      timezone: 'America/New_York',
      state: 'OH',
      clientType: 'individual',
    });

    const refreshed = await postJson<{ accessToken: string; refreshToken?: string }>('/v1/auth/refresh', {
      refreshToken: login.body.refreshToken,
    });
    expect(refreshed.status).toBe(200);
    expect((await getJson('/v1/me', refreshed.body.accessToken)).status).toBe(200);
  });

  it('refuses a second signup with the same email in another letter case, creating nothing', async () => {
    const person = newPerson();
    expect((await postJson('/v1/signup', person)).status).toBe(201);
    await waitForEmail({ to: person.email });

    const again = await postJson<Problem>('/v1/signup', { ...person, email: person.email.toUpperCase(), firstName: 'Other' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body).toMatchObject({ code: 'email_already_registered', requestId: expect.any(String) });
    // Still one welcome email, and the first account still signs in with its password.
    expect(await emailsTo(person.email)).toHaveLength(1);
    expect((await postJson('/v1/auth/login', { email: person.email, password: PASSWORD })).status).toBe(200);
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
    expect((await postJson('/v1/signup', person)).status).toBe(201);
    const wrongPassword = await postJson<Problem>('/v1/auth/login', { email: person.email, password: 'Not-The-Password-1' });
    const unknownEmail = await postJson<Problem>('/v1/auth/login', { email: `nobody+${randomUUID()}@example.com`, password: PASSWORD });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect({ ...wrongPassword.body, requestId: '' }).toEqual({ ...unknownEmail.body, requestId: '' });
  });

  it('returns the first response again for a retry with the same Idempotency-Key', async () => {
    const person = newPerson();
    const key = randomUUID();
    const first = await postJson<{ clientId: string }>('/v1/signup', person, { headers: { 'Idempotency-Key': key } });
    const retry = await postJson<{ clientId: string }>('/v1/signup', person, { headers: { 'Idempotency-Key': key } });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.clientId).toBe(first.body.clientId);
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
