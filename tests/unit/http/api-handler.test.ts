import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as errors from '../../../shared/domain/errors.js';
import { apiHandler, MAX_BODY_BYTES } from '../../../shared/http/api-handler.js';
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
    const me = apiHandler('get-me', async ({ caller }) => ({ status: 200, body: caller }));
    const get = (claims?: Record<string, string>) =>
      invoke(me, event({ httpMethod: 'GET', resource: '/v1/me', path: '/v1/me', body: null, headers: {}, ...(claims ? { claims } : {}) }));

    it('answers 401 when no verified claims reached the handler', async () => {
      const res = await get();
      expect(res.statusCode).toBe(401);
      expect(res.json).toMatchObject({ code: 'authentication_required' });
    });

    it('answers 403 for a token without any MoodRx role', async () => {
      const res = await get({ sub: 'user-1', 'cognito:groups': 'marketing' });
      expect(res.statusCode).toBe(403);
    });

    it('gives the use case the caller with their role', async () => {
      const res = await get({ sub: 'user-1', 'cognito:groups': 'client' });
      expect(res.statusCode).toBe(200);
      expect(res.json).toEqual({ userId: 'user-1', role: 'client', groups: ['client'] });
    });
  });
});

describe('idempotency wiring', () => {
  it('refuses to build an idempotent route without its middleware, and the reverse', () => {
    expect(() => apiHandler('signup', async () => ({ status: 201 }))).toThrow(/idempotent/);
    expect(() => apiHandler('login', async () => ({ status: 200 }), { idempotency: () => ({}) })).toThrow(/idempotent/);
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
