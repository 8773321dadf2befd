/**
 * CORS on the local stack (issue 9), as a browser on another origin meets it: the preflight
 * on every resource of the route table, the gateway's own errors and the handlers' answers.
 * The local stack allows any port of localhost and 127.0.0.1 (local/stack-environment.ts).
 */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/http/routes.js';
import { callApi, type ApiResponse } from '../../support/http.js';

const ALLOWED = ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://localhost'];
const REFUSED = ['https://evil.example', 'http://localhost.evil.example:5173', 'https://localhost:5173', 'null', 'https://app.moodrx.example'];

const preflight = (path: string, origin: string, method = 'POST'): Promise<ApiResponse> =>
  callApi('OPTIONS', path, {
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key' },
  });

const corsHeaderNames = (response: ApiResponse): string[] => [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

function expectNoCors(response: ApiResponse, label: string): void {
  expect(corsHeaderNames(response), label).toEqual([]);
  expect(response.headers.get('vary'), label).toBe('Origin');
}

function expectAllowed(response: ApiResponse, origin: string, label: string): void {
  expect(response.headers.get('access-control-allow-origin'), label).toBe(origin);
  expect(response.headers.get('vary'), label).toBe('Origin');
  expect(response.headers.get('access-control-allow-credentials'), label).toBeNull();
}

/** `/v1/clients/{clientId}/x` -> `/v1/clients/some-id/x`. */
const concrete = (path: string): string => path.replace(/\{[^}]+\}/g, 'some-id');

describe('CORS preflight', () => {
  it('answers OPTIONS on every resource of the route table with 204 and the CORS headers, for an allowed origin, without a token', async () => {
    const methodsByPath = new Map<string, string[]>();
    for (const route of ROUTES) methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
    expect(methodsByPath.size).toBeGreaterThan(20);
    for (const [path, methods] of methodsByPath) {
      const origin = ALLOWED[0]!;
      const response = await preflight(concrete(path), origin, methods[0]);
      expect(response.status, path).toBe(204);
      expectAllowed(response, origin, path);
      const allowMethods = response.headers.get('access-control-allow-methods')!.split(', ');
      expect(allowMethods.sort(), path).toEqual([...methods, 'OPTIONS'].sort());
      expect(response.headers.get('access-control-allow-headers'), path).toBe('Authorization, Content-Type, Idempotency-Key');
      expect(Number(response.headers.get('access-control-max-age')), path).toBeGreaterThan(0);
      expect(response.text, path).toBe('');
    }
  });

  it('echoes each allowed origin (any port of localhost and 127.0.0.1)', async () => {
    for (const origin of ALLOWED) expectAllowed(await preflight('/v1/me', origin, 'GET'), origin, origin);
  });

  it('gives a disallowed origin no CORS headers, so the browser refuses the call', async () => {
    for (const origin of REFUSED) {
      const response = await preflight('/v1/clients/some-id/assessments', origin);
      expect(response.status, origin).toBe(204);
      expectNoCors(response, origin);
    }
  });

  it('answers OPTIONS on a path the API does not have with a 404 problem', async () => {
    const response = await preflight('/v1/no-such-thing', ALLOWED[0]!);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('CORS on actual responses', () => {
  it("puts the handler's answers within reach of an allowed origin only, exposing the request id", async () => {
    const origin = ALLOWED[1]!;
    const allowed = await callApi('GET', '/v1/legal/documents', { headers: { Origin: origin } });
    expect(allowed.status).toBe(200);
    expectAllowed(allowed, origin, 'legal documents');
    expect(allowed.headers.get('access-control-expose-headers')?.split(', ')).toEqual(expect.arrayContaining(['x-amzn-RequestId', 'Location', 'Retry-After']));
    for (const refused of REFUSED) expectNoCors(await callApi('GET', '/v1/legal/documents', { headers: { Origin: refused } }), refused);
  });

  it("puts the handler's problems within reach of an allowed origin only", async () => {
    const origin = ALLOWED[0]!;
    const bad = await callApi('POST', '/v1/auth/login', { json: { email: 'not-an-email' }, headers: { Origin: origin } });
    expect(bad.status).toBe(400);
    expectAllowed(bad, origin, 'login 400');
    expectNoCors(await callApi('POST', '/v1/auth/login', { json: { email: 'not-an-email' }, headers: { Origin: REFUSED[0]! } }), 'login 400 refused');
  });

  it("puts the gateway's own errors (401, 404, 405) within reach of an allowed origin only", async () => {
    const origin = ALLOWED[0]!;
    const calls: [string, string, number][] = [
      ['GET', '/v1/me', 401],
      ['GET', '/v1/nowhere', 404],
      ['DELETE', '/v1/me', 405],
    ];
    for (const [method, path, status] of calls) {
      const response = await callApi(method, path, { headers: { Origin: origin } });
      expect(response.status, path).toBe(status);
      expectAllowed(response, origin, `${method} ${path}`);
      expectNoCors(await callApi(method, path, { headers: { Origin: REFUSED[0]! } }), `${method} ${path} refused`);
    }
  });

  it('adds nothing CORS-specific for a caller that sends no Origin (not a browser)', async () => {
    const response = await callApi('GET', '/v1/legal/documents');
    expect(response.status).toBe(200);
    expect(corsHeaderNames(response)).toEqual([]);
  });
});
