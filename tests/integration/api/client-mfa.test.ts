/**
 * The contract of clients' optional TOTP routes over HTTP through the local stack: who may call
 * them and what they validate before Cognito is asked. The Cognito side (secret, verification,
 * preference, the SOFTWARE_TOKEN_MFA sign-in) is tested with aws-sdk-client-mock in
 * tests/unit/adapters/cognito-client-totp.test.ts: cognito-local has no MFA challenge flow.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestIdentity, signInDirectly } from '../../support/cognito.js';
import { postJson } from '../../support/http.js';

const PASSWORD = 'Quiet-Lake-73!';

async function tokenOf(pool: 'client' | 'staff'): Promise<string> {
  const email = `mfa.${pool}+${randomUUID().slice(0, 8)}@example.com`;
  await createTestIdentity({ pool, email, group: pool === 'client' ? 'client' : 'therapist', password: PASSWORD });
  return (await signInDirectly(email, { pool, password: PASSWORD })).accessToken;
}

describe('clients’ optional TOTP routes', () => {
  it('need a signed-in client: 401 without a token, 403 for staff (who set TOTP up at first sign-in)', async () => {
    for (const path of ['/v1/me/mfa/setup', '/v1/me/mfa/verify']) {
      const body = path.endsWith('verify') ? { code: '123456' } : {};
      expect((await postJson(path, body)).status, path).toBe(401);
    }
    const staff = await tokenOf('staff');
    const refused = await postJson<{ code: string }>('/v1/me/mfa/verify', { code: '123456' }, { token: staff });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
  });

  it('validate the code strictly: six digits and nothing else', async () => {
    const client = await tokenOf('client');
    for (const body of [{ code: '12345' }, { code: 'abcdef' }, { code: '123456', preferred: false }, {}]) {
      const res = await postJson<{ code: string }>('/v1/me/mfa/verify', body, { token: client });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });
});
