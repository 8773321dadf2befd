/**
 * POST /v1/auth/logout over HTTP through the local stack: cognito-local implements RevokeToken,
 * so a refresh after logout really fails, for a client (client pool) and for staff (staff pool).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestIdentity } from '../../support/cognito.js';
import { callApi, postJson } from '../../support/http.js';

const PASSWORD = 'Quiet-Lake-73!';

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

async function signedIn(pool: 'client' | 'staff'): Promise<Tokens> {
  const email = `logout.${pool}+${randomUUID().slice(0, 8)}@example.com`;
  await createTestIdentity({ pool, email, group: pool === 'client' ? 'client' : 'therapist', password: PASSWORD });
  const login = await postJson<Tokens>('/v1/auth/login', { email, password: PASSWORD });
  expect(login.status).toBe(200);
  return login.body;
}

describe('POST /v1/auth/logout', () => {
  for (const pool of ['client', 'staff'] as const) {
    it(`revokes a ${pool}'s refresh token: a refresh afterwards is refused`, async () => {
      const tokens = await signedIn(pool);
      expect((await postJson('/v1/auth/refresh', { refreshToken: tokens.refreshToken })).status).toBe(200);

      const logout = await postJson('/v1/auth/logout', { refreshToken: tokens.refreshToken });
      expect(logout.status).toBe(204);
      expect(logout.text).toBe('');

      const refresh = await postJson<{ code: string }>('/v1/auth/refresh', { refreshToken: tokens.refreshToken });
      expect(refresh.status).toBe(401);
      expect(refresh.body.code).toBe('invalid_credentials');
    });
  }

  it('answers 204 alike for a token that was never valid and for one already revoked', async () => {
    const tokens = await signedIn('client');
    expect((await postJson('/v1/auth/logout', { refreshToken: tokens.refreshToken })).status).toBe(204);
    const again = await postJson('/v1/auth/logout', { refreshToken: tokens.refreshToken });
    const forged = await postJson('/v1/auth/logout', { refreshToken: `eyJ${randomUUID()}` });
    expect([again.status, forged.status]).toEqual([204, 204]);
    expect([again.text, forged.text]).toEqual(['', '']);
  });

  it('validates the body strictly: a refresh token and nothing else', async () => {
    const unknown = await postJson<{ code: string; errors: { field: string }[] }>('/v1/auth/logout', { refreshToken: 'x', everywhere: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('validation_failed');
    expect(unknown.body.errors.map((e) => e.field)).toContain('everywhere');

    const missing = await postJson<{ code: string; errors: { field: string }[] }>('/v1/auth/logout', {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e) => e.field)).toEqual(['refreshToken']);

    const notJson = await callApi('POST', '/v1/auth/logout', { body: 'refreshToken=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(notJson.status).toBe(415);
  });
});
