import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as errors from '../../../shared/domain/errors.js';
import { apiHandler, idempotencyScope, MAX_BODY_BYTES } from '../../../shared/http/api-handler.js';
import { logger } from '../../../shared/observability/logger.js';
import { PROBLEM_CATALOG, problemFromError } from '../../../shared/http/problem.js';

const context = { awsRequestId: 'lambda-request-id', functionName: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function event(overrides: Partial<APIGatewayProxyEvent> & { claims?: Record<string, string> } = {}): APIGatewayProxyEvent {
  const { claims, ...rest } = overrides;
  return {
    resource: '/v1/auth/login',
    path: '/v1/auth/login',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json', 'User-Agent': 'vitest' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: JSON.stringify({ email: 'alex@example.com', password: 'whatever' }),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'api-request-id',
      identity: { sourceIp: '203.0.113.9', userAgent: 'vitest' },
      authorizer: claims ? { claims } : null,
    } as unknown as APIGatewayProxyEvent['requestContext'],
    ...rest,
  };
}

/** Builds a handler (its cold start) with these environment variables, then restores them. */
function withEnvironment<T>(variables: Record<string, string | undefined>, build: () => T): T {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  try {
    return build();
  } finally {
    vi.unstubAllEnvs();
  }
}

async function invoke(handler: (e: APIGatewayProxyEvent, c: Context) => Promise<APIGatewayProxyResult>, e: APIGatewayProxyEvent) {
  const response = await handler(e, context);
  return { ...response, json: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : undefined };
}

const login = apiHandler('login', async ({ body, requestId, sourceIp }) => ({
  status: 200,
  body: { seen: body.email, requestId, sourceIp },
}));

describe('API handler stack', () => {
  it('passes a valid request, parsed and normalized, to the use case and answers JSON', async () => {
    const res = await invoke(login, event({ body: JSON.stringify({ email: 'Alex@Example.com', password: 'x' }) }));
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['Content-Type']).toBe('application/json');
    expect(res.headers?.['Cache-Control']).toBe('no-store');
    expect(res.json).toEqual({ seen: 'alex@example.com', requestId: 'api-request-id', sourceIp: '203.0.113.9' });
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await invoke(login, event({ body: '{"email": ' }));
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['Content-Type']).toBe('application/problem+json');
    expect(res.json).toMatchObject({ code: 'malformed_json', status: 400, requestId: 'api-request-id' });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await invoke(login, event({ headers: { 'content-type': 'text/plain' } }));
    expect(res.statusCode).toBe(415);
    expect(res.json).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('accepts a JSON media type with parameters and in any letter case', async () => {
    const res = await invoke(login, event({ headers: { 'CONTENT-TYPE': 'Application/JSON; charset=utf-8' } }));
    expect(res.statusCode).toBe(200);
  });

  it(`refuses bodies over ${MAX_BODY_BYTES} bytes with 413`, async () => {
    const body = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await invoke(login, event({ body }));
    expect(res.statusCode).toBe(413);
    expect(res.json).toMatchObject({ code: 'payload_too_large' });
  });

  it('rejects unknown fields and lists each invalid field', async () => {
    const res = await invoke(login, event({ body: JSON.stringify({ email: 'nope', admin: true }) }));
    expect(res.statusCode).toBe(400);
    expect(res.json).toMatchObject({ code: 'validation_failed' });
    expect(res.json?.errors).toEqual(
      expect.arrayContaining([
        { field: 'admin', message: 'This field is not allowed.' },
        { field: 'password', message: 'Enter your password.' },
        expect.objectContaining({ field: 'email' }),
      ]),
    );
  });

  it('rejects a JSON body that is not an object', async () => {
    const res = await invoke(login, event({ body: '[1,2]' }));
    expect(res.statusCode).toBe(400);
    expect(res.json).toMatchObject({ code: 'validation_failed' });
  });

  it('rejects an Idempotency-Key with invisible characters', async () => {
    const res = await invoke(login, event({ headers: { 'content-type': 'application/json', 'Idempotency-Key': 'a b' } }));
    expect(res.statusCode).toBe(400);
    expect(res.json?.errors).toEqual([{ field: 'Idempotency-Key', message: 'Use 1 to 255 visible ASCII characters.' }]);
  });

  it('turns an unexpected error into a 500 that reveals nothing', async () => {
    const failing = apiHandler('login', async () => {
      throw new Error('ConditionalCheckFailed on CLIENT#123 with diagnosis F41.1');
    });
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const res = await invoke(failing, event());
    const written = JSON.stringify(logged.mock.calls);
    logged.mockRestore();
    expect(written).toContain('internal_error');
    expect(written).not.toContain('F41.1');
    expect(res.statusCode).toBe(500);
    expect(res.json).toMatchObject({ code: 'internal_error', requestId: 'api-request-id' });
    expect(res.body).not.toContain('F41.1');
    expect(res.body).not.toContain('CLIENT#');
    expect(res.body).not.toMatch(/at .*\.ts/);
  });

  describe('protected routes', () => {
    // Set by CDK on every function of a route that takes a token (infra/stacks/api-stack.ts).
    const appClients = { CLIENT_USER_POOL_CLIENT_ID: 'client-app-client', STAFF_USER_POOL_CLIENT_ID: 'staff-app-client' };
    const me = withEnvironment(appClients, () => apiHandler('get-me', async ({ caller }) => ({ status: 200, body: caller })));
    const get = (claims?: Record<string, string>) =>
      invoke(me, event({ httpMethod: 'GET', resource: '/v1/me', path: '/v1/me', body: null, headers: {}, ...(claims ? { claims } : {}) }));

    it('answers 401 when no verified claims reached the handler', async () => {
      const res = await get();
      expect(res.statusCode).toBe(401);
      expect(res.json).toMatchObject({ code: 'authentication_required' });
    });

    it('answers 403 for a token without any MoodRx role', async () => {
      const res = await get({ sub: 'user-1', 'cognito:groups': 'marketing', client_id: 'client-app-client' });
      expect(res.statusCode).toBe(403);
    });

    it('gives the use case the caller with their role', async () => {
      const res = await get({ sub: 'user-1', 'cognito:groups': 'client', client_id: 'client-app-client' });
      expect(res.statusCode).toBe(200);
      expect(res.json).toEqual({ userId: 'user-1', role: 'client', groups: ['client'] });
    });

    it('accepts the access tokens of both app clients', async () => {
      const res = await get({ sub: 'staff-1', 'cognito:groups': 'therapist', client_id: 'staff-app-client' });
      expect(res.statusCode).toBe(200);
    });

    // API Gateway's Cognito authorizer checks signature, pool, expiry and scope of an access
    // token, not the app client it was issued to: another app client of our pools must not get in.
    it('answers 401 for a verified token of another app client, or of none, without calling the use case', async () => {
      const called = vi.fn(async () => ({ status: 200 }));
      const guarded = withEnvironment(appClients, () => apiHandler('get-me', called));
      for (const client_id of ['someone-elses-app-client', '', undefined]) {
        const claims = { sub: 'user-1', 'cognito:groups': 'client', ...(client_id === undefined ? {} : { client_id }) };
        const res = await invoke(guarded, event({ httpMethod: 'GET', resource: '/v1/me', path: '/v1/me', body: null, headers: {}, claims }));
        expect(res.statusCode, String(client_id)).toBe(401);
        expect(res.json).toMatchObject({ code: 'authentication_required' });
      }
      expect(called).not.toHaveBeenCalled();
    });

    it('fails at cold start when the app clients are not configured, rather than letting any token through', () => {
      expect(() => withEnvironment({ CLIENT_USER_POOL_CLIENT_ID: undefined, STAFF_USER_POOL_CLIENT_ID: 'staff-app-client' }, () => apiHandler('get-me', async () => ({ status: 200 })))).toThrow(
        /CLIENT_USER_POOL_CLIENT_ID/,
      );
    });
  });
});

describe('idempotency wiring', () => {
  it('refuses to build an idempotent route without its middleware, and the reverse', () => {
    expect(() => apiHandler('signup', async () => ({ status: 201 }))).toThrow(/idempotent/);
    expect(() => apiHandler('login', async () => ({ status: 200 }), { idempotency: () => ({}) })).toThrow(/idempotent/);
  });

  it('refuses an idempotent route without its replay check', () => {
    expect(() => apiHandler('signup', async () => ({ status: 201 }), { idempotency: () => ({}) })).toThrow(/replay check/);
    expect(() => apiHandler('signup', async () => ({ status: 201 }), { idempotency: () => ({ before: async () => undefined }), replay: async () => undefined })).not.toThrow();
  });
});

describe('what an Idempotency-Key is bound to (idempotencyScope)', () => {
  const discharge = { method: 'POST', path: '/v1/clients/{clientId}/discharge' } as const;
  const accept = { method: 'POST', path: '/v1/clients/{clientId}/matches/{therapistId}/accept' } as const;
  const scope = (overrides: Partial<Parameters<typeof idempotencyScope>[0]> = {}) =>
    idempotencyScope({ route: discharge, params: { clientId: 'client-a' }, callerId: 'therapist-1', key: 'k-1', ...overrides });

  it('names the caller, the method, the path with its parameters and the key', () => {
    expect(scope()).toBe('therapist-1 POST /v1/clients/client-a/discharge k-1');
    expect(idempotencyScope({ route: accept, params: { therapistId: 't-9', clientId: 'c-1' }, callerId: 'c-1', key: 'x' })).toBe(
      'c-1 POST /v1/clients/c-1/matches/t-9/accept x',
    );
  });

  it('differs for another client, another caller, another route or another key', () => {
    const base = scope();
    expect(scope({ params: { clientId: 'client-b' } })).not.toBe(base);
    expect(scope({ callerId: 'therapist-2' })).not.toBe(base);
    expect(scope({ route: { method: 'POST', path: '/v1/clients/{clientId}/rematch' } })).not.toBe(base);
    expect(scope({ key: 'k-2' })).not.toBe(base);
    expect(idempotencyScope({ route: accept, params: { clientId: 'c-1', therapistId: 't-1' }, callerId: 'c-1', key: 'x' })).not.toBe(
      idempotencyScope({ route: accept, params: { clientId: 'c-1', therapistId: 't-2' }, callerId: 'c-1', key: 'x' }),
    );
  });

  it('cannot be forged across parts: parameters are encoded, and public routes are anonymous', () => {
    expect(scope({ params: { clientId: 'a/discharge k-1 b' } })).toBe('therapist-1 POST /v1/clients/a%2Fdischarge%20k-1%20b/discharge k-1');
    expect(idempotencyScope({ route: { method: 'POST', path: '/v1/signup' }, params: undefined, callerId: undefined, key: 'k' })).toBe('anonymous POST /v1/signup k');
  });

  it('refuses a path whose parameter has no value', () => {
    expect(() => scope({ params: {} })).toThrow(/clientId/);
  });

  it('is what the parsing layer hands to the idempotency layer', async () => {
    let seen: string | undefined;
    const probe = withEnvironment({ CLIENT_USER_POOL_CLIENT_ID: 'client-app-client', STAFF_USER_POOL_CLIENT_ID: 'staff-app-client' }, () =>
      apiHandler('discharge-client', async () => ({ status: 200 }), {
        idempotency: () => ({
          before: async (request) => {
            seen = request.event.moodrx?.idempotencyKey;
          },
        }),
        replay: async () => undefined,
      }),
    );
    const clientId = '0b7a4c1e-2f3d-4e5f-8a9b-1c2d3e4f5a6b';
    const res = await invoke(
      probe,
      event({
        resource: '/v1/clients/{clientId}/discharge',
        path: `/v1/clients/${clientId}/discharge`,
        pathParameters: { clientId },
        body: JSON.stringify({ reason: 'goals_met' }),
        headers: { 'content-type': 'application/json', 'Idempotency-Key': 'retry-1' },
        claims: { sub: 'therapist-1', 'cognito:groups': 'therapist', client_id: 'staff-app-client' },
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(seen).toBe(`therapist-1 POST /v1/clients/${clientId}/discharge retry-1`);
  });
});

describe('problem catalog', () => {
  it('has a status for the code of every application error', () => {
    const classes = Object.values(errors).filter((value) => typeof value === 'function' && value.prototype instanceof errors.AppError);
    const codes = classes.map((ErrorClass) => new (ErrorClass as unknown as new (arg?: unknown) => errors.AppError)([]).code);
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) expect(Object.keys(PROBLEM_CATALOG)).toContain(code);
  });

  it('maps an application error to its status and a human detail', () => {
    const body = problemFromError(new errors.EmailAlreadyRegisteredError(), 'r-1');
    // Issue 9, finding 4: neutral about whose the address is (it may be a client's).
    expect(body).toMatchObject({ status: 409, code: 'email_unavailable', requestId: 'r-1' });
    expect(body.type).toBe('https://moodrx.example/problems/email-unavailable');
    expect(body.detail).not.toMatch(/client|staff|registered|sign in/i);
  });
});
