/**
 * The local API Gateway (local/api-server.ts) on its own, with stand-in handlers, so that what
 * it promises (the REST v1 proxy event, the authorizer's claims, 502 on a failing function) is
 * checked independently of the real handlers. Tokens come from the stack's cognito-local.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../local/api-server.js';
import { createCognitoAuthorizer } from '../../../local/authorizer.js';
import { REPOSITORY_ROOT } from '../../../local/stack.js';
import type { RouteDefinition } from '../../../shared/http/routes.js';
import { signInDirectly } from '../../support/cognito.js';

const FIXTURES = 'tests/integration/local-stack/fixtures';

const routes: RouteDefinition[] = [
  {
    id: 'echo-public',
    method: 'POST',
    path: '/v1/echo/{thing}',
    entry: `${FIXTURES}/echo-handler.ts`,
    access: 'public',
    summary: 'echo',
    tags: [],
    responses: { 200: { description: 'echo' } },
    capabilities: [],
  },
  {
    id: 'echo-protected',
    method: 'GET',
    path: '/v1/private/echo',
    entry: `${FIXTURES}/echo-handler.ts`,
    access: { roles: ['therapist'] },
    summary: 'echo',
    tags: [],
    responses: { 200: { description: 'echo' } },
    capabilities: [],
  },
  {
    id: 'echo-literal',
    method: 'POST',
    path: '/v1/echo/literal',
    entry: `${FIXTURES}/malformed-handler.ts`,
    access: 'public',
    summary: 'literal segments win over parameters',
    tags: [],
    responses: { 200: { description: 'x' } },
    capabilities: [],
  },
  {
    id: 'fails',
    method: 'GET',
    path: '/v1/fails',
    entry: `${FIXTURES}/failing-handler.ts`,
    access: 'public',
    summary: 'throws',
    tags: [],
    responses: { 200: { description: 'never' } },
    capabilities: [],
  },
];

interface Echo {
  event: APIGatewayProxyEvent;
  context: { awsRequestId: string; functionName: string; remainingMs: number };
}

let server: ApiServer;
const logLines: string[] = [];

beforeAll(async () => {
  const stack = inject('localStack');
  server = await startApiServer({
    port: 0,
    routes,
    verifyAccessToken: createCognitoAuthorizer([stack.clientPool, stack.staffPool]),
    repositoryRoot: REPOSITORY_ROOT,
    log: (line) => logLines.push(line),
  });
});

afterAll(async () => {
  await server?.stop();
});

describe('the REST v1 proxy event', () => {
  it('carries the resource, path parameters, query, headers and body as API Gateway does', async () => {
    const response = await fetch(`${server.url}/v1/echo/a%20b?x=1&x=2&y=z`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'one', 'User-Agent': 'vitest-agent' },
      body: '{"hello":"world"}',
    });
    expect(response.status).toBe(200);
    const { event, context } = (await response.json()) as Echo;

    expect(event.resource).toBe('/v1/echo/{thing}');
    expect(event.path).toBe('/v1/echo/a%20b');
    expect(event.httpMethod).toBe('POST');
    expect(event.pathParameters).toEqual({ thing: 'a b' });
    expect(event.queryStringParameters).toEqual({ x: '2', y: 'z' });
    expect(event.multiValueQueryStringParameters).toEqual({ x: ['1', '2'], y: ['z'] });
    expect(event.headers['X-Custom']).toBe('one');
    expect(event.multiValueHeaders['X-Custom']).toEqual(['one']);
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(event.body).toBe('{"hello":"world"}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.stageVariables).toBeNull();
    expect(event.requestContext.resourcePath).toBe('/v1/echo/{thing}');
    expect(event.requestContext.stage).toBe('local');
    expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
    expect(event.requestContext.identity.userAgent).toBe('vitest-agent');
    // A public method has no authorizer context, even if a token is sent.
    expect(event.requestContext.authorizer).toBeUndefined();

    const requestId = response.headers.get('x-amzn-requestid');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.requestId).toBe(requestId);
    expect(context.awsRequestId).toBe(requestId);
    expect(context.functionName).toBe('moodrx-local-echo-public');
    expect(context.remainingMs).toBeGreaterThan(20_000);

    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
  });

  it('gives null, not empty objects, when there is no query, path parameter or body', async () => {
    const { staffPool } = inject('localStack');
    expect(staffPool.clientId).toBeTruthy();
    const tokens = await signInDirectly('therapist.oh@example.com');
    const response = await fetch(`${server.url}/v1/private/echo`, { headers: { Authorization: `Bearer ${tokens.accessToken}` } });
    expect(response.status).toBe(200);
    const { event } = (await response.json()) as Echo;
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.body).toBeNull();
  });

  it('prefers a literal path segment over a {parameter}', async () => {
    // /v1/echo/literal is served by the malformed fixture: a 502 proves it was chosen.
    const response = await fetch(`${server.url}/v1/echo/literal`, { method: 'POST' });
    expect(response.status).toBe(502);
  });
});

describe('the Cognito authorizer', () => {
  it('passes the claims of a valid access token, every value a string', async () => {
    const tokens = await signInDirectly('therapist.oh@example.com');
    const response = await fetch(`${server.url}/v1/private/echo`, { headers: { Authorization: `Bearer ${tokens.accessToken}` } });
    expect(response.status).toBe(200);
    const { event } = (await response.json()) as Echo;
    const claims = (event.requestContext.authorizer as { claims: Record<string, unknown> }).claims;
    expect(claims['cognito:groups']).toBe('therapist');
    expect(claims.token_use).toBe('access');
    expect(claims.scope).toBe('aws.cognito.signin.user.admin');
    expect(claims.client_id).toBe(inject('localStack').staffPool.clientId);
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    for (const value of Object.values(claims)) expect(typeof value).toBe('string');
  });

  it('accepts the bare token as well as "Bearer <token>", as API Gateway does', async () => {
    const tokens = await signInDirectly('therapist.ca@example.com');
    const response = await fetch(`${server.url}/v1/private/echo`, { headers: { Authorization: tokens.accessToken } });
    expect(response.status).toBe(200);
  });

  it.each([
    ['no header', undefined],
    ['an empty bearer', 'Bearer '],
    ['garbage', 'Bearer not-a-token'],
    ['a JWT from another issuer', `Bearer ${unsignedToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc', token_use: 'access' })}`],
  ])('refuses %s with a 401 problem', async (_label, authorization) => {
    const response = await fetch(`${server.url}/v1/private/echo`, { headers: authorization ? { Authorization: authorization } : {} });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 401, code: 'authentication_required', title: 'Unauthorized', detail: 'Sign in to continue.' });
    expect(body.requestId).toBe(response.headers.get('x-amzn-requestid'));
  });

  it('refuses an ID token (the authorizer wants an access token)', async () => {
    const tokens = await signInDirectly('therapist.ny@example.com');
    const response = await fetch(`${server.url}/v1/private/echo`, { headers: { Authorization: `Bearer ${tokens.idToken}` } });
    expect(response.status).toBe(401);
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const tokens = await signInDirectly('therapist.tx@example.com');
    const [header, payload, signature] = tokens.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['admin'] })).toString('base64url');
    const response = await fetch(`${server.url}/v1/private/echo`, { headers: { Authorization: `Bearer ${header}.${forged}.${signature}` } });
    expect(response.status).toBe(401);
  });
});

describe('failing functions', () => {
  it('answers 502 with an internal_error problem when the handler throws, and logs no request body', async () => {
    const response = await fetch(`${server.url}/v1/fails?secret=should-not-be-logged`);
    expect(response.status).toBe(502);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 502, code: 'internal_error' });
    expect(JSON.stringify(body)).not.toContain('boom');
    const requestId = response.headers.get('x-amzn-requestid') as string;
    const lines = logLines.filter((line) => line.includes(requestId));
    expect(lines.some((line) => line.includes('boom from the failing fixture'))).toBe(true);
    expect(lines.some((line) => line.startsWith('GET /v1/fails 502 '))).toBe(true);
    expect(lines.join('\n')).not.toContain('should-not-be-logged');
  });
});

/** A JWT-shaped string with a bogus signature. */
function unsignedToken(payload: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', kid: 'CognitoLocal' })}.${encode(payload)}.c2lnbmF0dXJl`;
}
