/**
 * The running local stack over HTTP, as a client sees it: the gateway's own answers (404, 405,
 * 401, 413) on the real route table, and the authorizer letting a seeded staff member through.
 */
import { describe, expect, it } from 'vitest';
import { GATEWAY_MAX_BODY_BYTES } from '../../../local/api-server.js';
import { signInDirectly } from '../../support/cognito.js';
import { apiUrl, callApi, getJson } from '../../support/http.js';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  requestId: string;
}

function expectProblem(response: { status: number; headers: Headers; body: unknown }, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = response.body as ProblemBody;
  expect(body).toMatchObject({ status, code });
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.requestId).toBe(response.headers.get('x-amzn-requestid'));
}

describe('local API gateway on the real route table', () => {
  it('answers an unknown path with a 404 problem', async () => {
    expectProblem(await getJson('/v1/no-such-thing'), 404, 'not_found');
    expectProblem(await getJson('/v2/me'), 404, 'not_found');
  });

  it('answers a known path with the wrong method with a 405 problem naming the allowed method', async () => {
    const response = await callApi('DELETE', '/v1/me');
    expectProblem(response, 405, 'method_not_allowed');
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('refuses /v1/me without a token, and with a bad one, with a 401 problem', async () => {
    const none = await getJson('/v1/me');
    expectProblem(none, 401, 'authentication_required');
    expect((none.body as ProblemBody).detail).toBe('Sign in to continue.');
    expectProblem(await getJson('/v1/me', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'), 401, 'authentication_required');
  });

  it('lets a seeded staff member through the authorizer with an access token', async () => {
    const tokens = await signInDirectly('supervisor@example.com');
    const response = await getJson('/v1/me', tokens.accessToken);
    // Whatever the handler answers, it is not the gateway refusing the token.
    expect(response.status).not.toBe(401);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts a request id on every response', async () => {
    const responses = await Promise.all([getJson('/v1/legal/documents'), getJson('/v1/nowhere'), getJson('/v1/me')]);
    const ids = responses.map((response) => response.headers.get('x-amzn-requestid'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses a body over 10 MB with a 413 problem, declared or streamed', async () => {
    const tooBig = 'x'.repeat(GATEWAY_MAX_BODY_BYTES + 1);
    const declared = await callApi('POST', '/v1/signup', { body: tooBig, headers: { 'Content-Type': 'application/json' } });
    expectProblem(declared, 413, 'payload_too_large');

    // Chunked, with no Content-Length: the limit is counted while reading.
    const chunk = new Uint8Array(1024 * 1024).fill(120);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > GATEWAY_MAX_BODY_BYTES) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await fetch(apiUrl('/v1/signup'), {
      method: 'POST',
      body: stream,
      headers: { 'Content-Type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
