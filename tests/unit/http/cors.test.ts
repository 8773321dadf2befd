/** CORS (issue 9): the allow-list rule, its configuration, and the headers every handler adds. */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { CORS_ALLOWED_ORIGINS, readCorsAllowList } from '../../../shared/config/cors.js';
import { ConfigurationError } from '../../../shared/config/environment.js';
import { apiHandler } from '../../../shared/http/api-handler.js';
import { corsPreflightHeaders, corsResponseHeaders, isOriginAllowed } from '../../../shared/http/cors.js';

const LOCAL = ['http://localhost:*', 'http://127.0.0.1:*'];
const STAGE = ['https://app.moodrx.example'];

describe('the origin allow-list', () => {
  it('allows exact origins and, for a `:*` entry, any port of that scheme and host', () => {
    expect(isOriginAllowed('https://app.moodrx.example', STAGE)).toBe(true);
    expect(isOriginAllowed('http://localhost:5173', LOCAL)).toBe(true);
    expect(isOriginAllowed('http://localhost', LOCAL)).toBe(true);
    expect(isOriginAllowed('http://127.0.0.1:8080', LOCAL)).toBe(true);
  });

  it('refuses everything else: other hosts, schemes, ports, look-alikes, null and no Origin', () => {
    for (const origin of [
      'https://evil.example',
      'http://app.moodrx.example',
      'https://app.moodrx.example:8443',
      'https://app.moodrx.example.evil.example',
      'https://dev.moodrx.example',
      'null',
      '',
      undefined,
    ]) {
      expect(isOriginAllowed(origin, STAGE), String(origin)).toBe(false);
    }
    for (const origin of ['http://localhost.evil.example:3000', 'https://localhost:3000', 'http://localhost:3000/', 'http://localhost:abc', 'http://127.0.0.1.evil.example']) {
      expect(isOriginAllowed(origin, LOCAL), origin).toBe(false);
    }
    expect(isOriginAllowed('https://app.moodrx.example', [])).toBe(false);
  });

  it('echoes an allowed Origin, never allows credentials, and always varies on Origin', () => {
    expect(corsResponseHeaders('http://localhost:3000', LOCAL)).toEqual({
      'Access-Control-Allow-Origin': 'http://localhost:3000',
      'Access-Control-Expose-Headers': 'x-amzn-RequestId, Location, ETag, Retry-After',
      Vary: 'Origin',
    });
    expect(corsResponseHeaders('https://evil.example', LOCAL)).toEqual({ Vary: 'Origin' });
    const preflight = corsPreflightHeaders('http://localhost:3000', LOCAL, ['GET', 'POST']);
    expect(preflight).toMatchObject({
      'Access-Control-Allow-Origin': 'http://localhost:3000',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key',
      Vary: 'Origin',
    });
    expect(Object.keys(preflight).filter((h) => /credentials/i.test(h))).toEqual([]);
    expect(corsPreflightHeaders('https://evil.example', LOCAL, ['GET'])).toEqual({ Vary: 'Origin' });
  });

  it('reads CORS_ALLOWED_ORIGINS: empty allows nothing, a malformed entry fails at cold start naming the variable', () => {
    expect(readCorsAllowList({})).toEqual([]);
    expect(readCorsAllowList({ [CORS_ALLOWED_ORIGINS]: ' https://app.moodrx.example , http://localhost:* ' })).toEqual([
      'https://app.moodrx.example',
      'http://localhost:*',
    ]);
    for (const bad of ['*', 'https://app.moodrx.example/', 'https://*.moodrx.example', 'app.moodrx.example']) {
      expect(() => readCorsAllowList({ [CORS_ALLOWED_ORIGINS]: bad }), bad).toThrow(ConfigurationError);
    }
  });
});

describe('CORS on handler responses', () => {
  const context = { awsRequestId: 'lambda-request-id', functionName: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
  const event = (origin: string | undefined, body: string): APIGatewayProxyEvent =>
    ({
      resource: '/v1/auth/login',
      path: '/v1/auth/login',
      httpMethod: 'POST',
      headers: { 'Content-Type': 'application/json', ...(origin ? { origin } : {}) },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body,
      isBase64Encoded: false,
      requestContext: { requestId: 'api-request-id', identity: { sourceIp: '203.0.113.9' }, authorizer: null },
    }) as unknown as APIGatewayProxyEvent;
  const saved = process.env[CORS_ALLOWED_ORIGINS];
  afterEach(() => {
    if (saved === undefined) delete process.env[CORS_ALLOWED_ORIGINS];
    else process.env[CORS_ALLOWED_ORIGINS] = saved;
  });

  it('adds the headers to successes and problems for an allowed Origin only, from the list read at cold start', async () => {
    process.env[CORS_ALLOWED_ORIGINS] = STAGE.join(',');
    const login = apiHandler('login', async () => ({ status: 200, body: { ok: true } }));
    const valid = JSON.stringify({ email: 'alex@example.com', password: 'x' });

    const ok = await login(event('https://app.moodrx.example', valid), context);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'https://app.moodrx.example', Vary: 'Origin', 'Cache-Control': 'no-store' });

    const problem = await login(event('https://app.moodrx.example', '{"email":'), context);
    expect(problem.statusCode).toBe(400);
    expect(problem.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'https://app.moodrx.example', 'Content-Type': 'application/problem+json' });

    for (const origin of ['https://evil.example', undefined]) {
      const refused = await login(event(origin, valid), context);
      expect(refused.statusCode).toBe(200);
      expect(refused.headers?.['Access-Control-Allow-Origin'], String(origin)).toBeUndefined();
      expect(refused.headers?.Vary).toBe('Origin');
    }
    expect(Object.keys(ok.headers ?? {}).filter((h) => /credentials/i.test(h))).toEqual([]);
  });

  it('adds nothing when no origin is configured', async () => {
    delete process.env[CORS_ALLOWED_ORIGINS];
    const login = apiHandler('login', async () => ({ status: 200, body: { ok: true } }));
    const response = await login(event('https://app.moodrx.example', JSON.stringify({ email: 'alex@example.com', password: 'x' })), context);
    expect(Object.keys(response.headers ?? {}).filter((h) => /^access-control|^vary$/i.test(h))).toEqual([]);
  });
});
