/**
 * What the API stack writes to the logs (security review, issue 9, LOW): never the event (the
 * Powertools `logEvent` is pinned off, even with POWERTOOLS_LOGGER_LOG_EVENT=true), and for a
 * 500 only the error's name and its stack frames, never a line of its message.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Before the logger module is imported: the environment that would turn event logging on.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

const { apiHandler } = await import('../../../shared/http/api-handler.js');

const context = { awsRequestId: 'lambda-request-id', functionName: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function loginEvent(password: string): APIGatewayProxyEvent {
  return {
    resource: '/v1/auth/login',
    path: '/v1/auth/login',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: JSON.stringify({ email: 'alex@example.com', password }),
    isBase64Encoded: false,
    requestContext: { requestId: 'api-request-id', identity: { sourceIp: '203.0.113.9' }, authorizer: null } as unknown as APIGatewayProxyEvent['requestContext'],
  } as APIGatewayProxyEvent;
}

/** Everything the logger writes (Powertools writes JSON lines to stdout/stderr). */
function captureOutput() {
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => void written.push(args.map(String).join(' ')));
  return { text: () => written.join('\n'), restore: () => [out, err, log].forEach((spy) => spy.mockRestore()) };
}

afterEach(() => vi.restoreAllMocks());

describe('API logging', () => {
  it('never logs the event, even with POWERTOOLS_LOGGER_LOG_EVENT=true at debug level', async () => {
    const login = apiHandler('login', async () => ({ status: 200, body: {} }));
    const output = captureOutput();
    const res = await login(loginEvent('Synthetic-Secret-1!'), context);
    output.restore();
    expect(res.statusCode).toBe(200);
    expect(output.text()).not.toContain('Synthetic-Secret-1!');
    expect(output.text()).not.toContain('Lambda invocation event');
  });

  it('logs a 500 with the error name and stack frames only, no line of a multi-line message', async () => {
    const failing = apiHandler('login', async () => {
      throw new TypeError('Cannot read properties\nof CLIENT#c-123 diagnosis F41.1\nanswers [3,3,2]');
    });
    const output = captureOutput();
    const res = await failing(loginEvent('whatever'), context);
    output.restore();
    expect(res.statusCode).toBe(500);
    const logged = output.text();
    expect(logged).toContain('request failed');
    expect(logged).toContain('TypeError');
    expect(logged).toMatch(/at .*api-logging\.test\.ts/);
    for (const leaked of ['Cannot read properties', 'CLIENT#c-123', 'F41.1', 'answers [3,3,2]']) expect(logged).not.toContain(leaked);
  });
});
