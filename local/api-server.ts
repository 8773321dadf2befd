/**
 * The local API Gateway: a node:http server on 127.0.0.1 that serves shared/http/routes.ts the
 * way API Gateway REST with Lambda proxy integrations does, calling the same handler modules
 * Lambda runs. It does what the gateway does before and after the handler, and nothing more:
 * route matching (404/405), the Cognito authorizer (401), the 10 MB request limit (413), the
 * REST v1 proxy event, the request id header, 502 when the function fails, and CORS where the
 * gateway answers: the OPTIONS preflight of every resource (in AWS a MOCK integration) and its
 * own errors (in AWS the gateway responses). Everything else (validation, the 64 KB body limit,
 * roles, CORS headers on the function's answers) is the handler's job, here as in AWS.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corsPreflightHeaders, corsResponseHeaders, type CorsAllowList } from '../shared/http/cors.js';
import { problem, PROBLEM_CONTENT_TYPE, SECURITY_HEADERS, type ProblemCode } from '../shared/http/problem.js';
import type { RouteDefinition } from '../shared/http/routes.js';
import type { AuthorizerClaims, VerifyAccessToken } from './authorizer.js';
import { lambdaContext } from './lambda-context.js';
import { LOCAL_ACCOUNT_ID } from './stack-environment.js';
import { runAsFunction } from './iam/table-guard.js';

/** API Gateway's own payload limit; our handlers enforce their smaller one. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway REST's integration timeout. */
export const GATEWAY_TIMEOUT_MS = 29_000;
export const LOCAL_STAGE = 'local';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult | undefined>;

export interface ApiServerOptions {
  /** 0: a free port. */
  port: number;
  routes: readonly RouteDefinition[];
  verifyAccessToken: VerifyAccessToken;
  /** Where route entries (`functions/api/x.ts`) are resolved. */
  repositoryRoot: string;
  log?: (line: string) => void;
  /** Gives the event's request time (API Gateway's requestTimeEpoch): the stack's clock. */
  now?: () => Date;
  /**
   * Local-only routes (the clock control), tried before the route table. Nothing of them exists
   * in AWS. Answers undefined for a path that is not theirs.
   */
  localRoutes?: (method: string, path: string, body: string | null) => Promise<{ status: number; body: unknown } | undefined>;
  /**
   * Origins whose browser apps may call the API (shared/http/cors.ts); the handlers read the
   * same list from CORS_ALLOWED_ORIGINS. Empty or absent: no CORS headers at all.
   */
  corsAllowList?: CorsAllowList;
}

export interface ApiServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  paramNames: string[];
  /** Literal segments win over `{param}` segments, as in API Gateway. */
  literalSegments: number;
}

export function compileRoutes(routes: readonly RouteDefinition[]): CompiledRoute[] {
  return routes
    .map((route) => {
      const paramNames: string[] = [];
      let literalSegments = 0;
      const source = route.path
        .split('/')
        .map((segment) => {
          const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
          if (!param) {
            literalSegments += 1;
            return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          }
          paramNames.push(param[1] as string);
          return param[2] ? '(.+)' : '([^/]+)';
        })
        .join('/');
      return { route, pattern: new RegExp(`^${source}$`), paramNames, literalSegments };
    })
    .sort((a, b) => b.literalSegments - a.literalSegments);
}

export type RouteMatch =
  | { kind: 'found'; route: RouteDefinition; pathParameters: Record<string, string> | null }
  | { kind: 'method_not_allowed'; allowed: string[] }
  | { kind: 'not_found' };

export function matchRoute(compiled: readonly CompiledRoute[], method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const candidate of compiled) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    if (candidate.route.method !== method) {
      allowed.push(candidate.route.method);
      continue;
    }
    const pathParameters: Record<string, string> = {};
    candidate.paramNames.forEach((name, index) => {
      const raw = match[index + 1] ?? '';
      pathParameters[name] = safeDecode(raw);
    });
    return { kind: 'found', route: candidate.route, pathParameters: candidate.paramNames.length > 0 ? pathParameters : null };
  }
  return allowed.length > 0 ? { kind: 'method_not_allowed', allowed: [...new Set(allowed)] } : { kind: 'not_found' };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

class PayloadTooLargeError extends Error {
  constructor() {
    super('Request body over the gateway limit');
    this.name = 'PayloadTooLargeError';
  }
}

/** Past this, an oversized body is no longer read to its end: the connection is cut. */
const DISCARD_LIMIT_BYTES = 10 * GATEWAY_MAX_BODY_BYTES;

/**
 * Reads the body as API Gateway would receive it, refusing more than its limit. An oversized
 * body is still read (and dropped) to its end before the 413 goes out: answering while the
 * client is still sending makes it see a reset connection instead of the answer.
 */
async function readBody(request: IncomingMessage): Promise<string | null> {
  let tooLarge = Number(request.headers['content-length'] ?? 0) > GATEWAY_MAX_BODY_BYTES;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > GATEWAY_MAX_BODY_BYTES) tooLarge = true;
    if (!tooLarge) {
      chunks.push(chunk);
      continue;
    }
    chunks.length = 0;
    if (size > DISCARD_LIMIT_BYTES) {
      request.destroy();
      break;
    }
  }
  if (tooLarge) throw new PayloadTooLargeError();
  return size === 0 ? null : Buffer.concat(chunks).toString('utf8');
}

/** Header names keep the client's casing; the single-value map keeps the last value, like API Gateway. */
function gatewayHeaders(request: IncomingMessage, sourceIp: string): { headers: Record<string, string>; multi: Record<string, string[]> } {
  const headers: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase()) ?? name;
    headers[existing] = value;
    (multi[existing] ??= []).push(value);
  }
  // API Gateway appends the caller's address to X-Forwarded-For and names the protocol and port.
  const forwardedName = Object.keys(headers).find((key) => key.toLowerCase() === 'x-forwarded-for') ?? 'X-Forwarded-For';
  const forwarded = headers[forwardedName] ? `${headers[forwardedName]}, ${sourceIp}` : sourceIp;
  headers[forwardedName] = forwarded;
  multi[forwardedName] = [forwarded];
  const port = String(request.socket.localPort ?? '');
  for (const [name, value] of [['X-Forwarded-Proto', 'http'], ['X-Forwarded-Port', port]] as const) {
    if (!Object.keys(headers).some((key) => key.toLowerCase() === name.toLowerCase())) {
      headers[name] = value;
      multi[name] = [value];
    }
  }
  return { headers, multi };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

function queryParameters(search: URLSearchParams): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of search) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return Object.keys(single).length === 0 ? { single: null, multi: null } : { single, multi };
}

/** "26/Nov/2026:06:22:50 +0000", API Gateway's requestTime. */
function requestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const compiled = compileRoutes(options.routes);
  const corsAllowList = options.corsAllowList ?? [];
  const modules = new Map<string, Promise<Handler>>();

  const loadHandler = (route: RouteDefinition): Promise<Handler> => {
    let loading = modules.get(route.entry);
    if (!loading) {
      // Imported once, on first use, like a Lambda cold start; tsx (or vitest) compiles the TypeScript.
      loading = import(pathToFileURL(resolve(options.repositoryRoot, route.entry)).href).then((module: { handler?: unknown }) => {
        if (typeof module.handler !== 'function') throw new Error(`${route.entry} does not export a handler function`);
        return module.handler as Handler;
      });
      // A failed import is retried on the next request (the file may be being edited).
      loading.catch(() => modules.delete(route.entry));
      modules.set(route.entry, loading);
    }
    return loading;
  };

  const server: Server = createServer((request, response) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    let resourcePath = '-';
    const origin = typeof request.headers.origin === 'string' ? request.headers.origin : undefined;
    const finish = (status: number): void => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The route template, never the raw path or query: they can carry ids and personal data.
      log(`${request.method ?? '-'} ${resourcePath} ${status} ${ms.toFixed(1)}ms ${requestId}`);
    };
    const sendProblem = (code: ProblemCode, detail: string, extra: { status?: number; headers?: Record<string, string> } = {}): void => {
      const body = problem(code, detail, requestId);
      const status = extra.status ?? body.status;
      send(response, status, {
        'Content-Type': PROBLEM_CONTENT_TYPE,
        ...SECURITY_HEADERS,
        ...corsResponseHeaders(origin, corsAllowList),
        ...extra.headers,
        'x-amzn-RequestId': requestId,
      }, JSON.stringify({ ...body, status }));
      finish(status);
    };

    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const method = request.method ?? 'GET';
      if (options.localRoutes && url.pathname.startsWith('/local/')) {
        resourcePath = url.pathname;
        const local = await options.localRoutes(method, url.pathname, await readBody(request));
        if (local) {
          const json = JSON.stringify(local.body);
          send(response, local.status, { 'Content-Type': local.status >= 400 ? PROBLEM_CONTENT_TYPE : 'application/json', ...SECURITY_HEADERS, 'x-amzn-RequestId': requestId }, json);
          finish(local.status);
          return;
        }
      }
      if (method === 'OPTIONS') {
        // The preflight, answered by the gateway as the MOCK integration does in AWS, without
        // the authorizer. A disallowed origin gets no CORS headers, so the browser refuses.
        // The resource API Gateway would pick (literal segments win), and every method on it.
        const resource = compiled.find((candidate) => candidate.pattern.test(url.pathname));
        if (resource) {
          const methods = compiled.filter((candidate) => candidate.route.path === resource.route.path).map((candidate) => candidate.route.method);
          drain(request);
          // Not the raw path: it can carry ids.
          resourcePath = '(preflight)';
          send(response, 204, { ...corsPreflightHeaders(origin, corsAllowList, methods), 'x-amzn-RequestId': requestId }, '');
          finish(204);
          return;
        }
      }
      const matched = matchRoute(compiled, method, url.pathname);
      if (matched.kind === 'not_found') {
        drain(request);
        sendProblem('not_found', 'There is no such resource.');
        return;
      }
      if (matched.kind === 'method_not_allowed') {
        drain(request);
        sendProblem('method_not_allowed', `Use ${matched.allowed.join(', ')} on this resource.`, {
          headers: { Allow: matched.allowed.join(', ') },
        });
        return;
      }
      const { route } = matched;
      resourcePath = route.path;

      let body: string | null;
      try {
        body = await readBody(request);
      } catch (error) {
        if (error instanceof PayloadTooLargeError) {
          if (!request.socket.destroyed) sendProblem('payload_too_large', 'The request body is too large.');
          return;
        }
        throw error;
      }

      const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
      const { headers, multi } = gatewayHeaders(request, sourceIp);
      let claims: AuthorizerClaims | undefined;
      if (route.access !== 'public') {
        claims = await options.verifyAccessToken(headerValue(headers, 'authorization'));
        if (!claims) {
          sendProblem('authentication_required', 'Sign in to continue.');
          return;
        }
      }

      const now = options.now?.() ?? new Date();
      const query = queryParameters(url.searchParams);
      const event: APIGatewayProxyEvent = {
        resource: route.path,
        path: url.pathname,
        httpMethod: method,
        headers,
        multiValueHeaders: multi,
        queryStringParameters: query.single,
        multiValueQueryStringParameters: query.multi,
        pathParameters: matched.pathParameters,
        stageVariables: null,
        body,
        isBase64Encoded: false,
        requestContext: {
          accountId: LOCAL_ACCOUNT_ID,
          apiId: 'local',
          // Public methods get no authorizer object, as in API Gateway.
          authorizer: claims ? { claims } : undefined,
          domainName: headerValue(headers, 'host') ?? '127.0.0.1',
          domainPrefix: 'local',
          extendedRequestId: requestId,
          httpMethod: method,
          identity: {
            accessKey: null,
            accountId: null,
            apiKey: null,
            apiKeyId: null,
            caller: null,
            clientCert: null,
            cognitoAuthenticationProvider: null,
            cognitoAuthenticationType: null,
            cognitoIdentityId: null,
            cognitoIdentityPoolId: null,
            principalOrgId: null,
            sourceIp,
            user: null,
            userAgent: headerValue(headers, 'user-agent') ?? null,
            userArn: null,
          },
          path: `/${LOCAL_STAGE}${url.pathname}`,
          protocol: `HTTP/${request.httpVersion}`,
          requestId,
          requestTime: requestTime(now),
          requestTimeEpoch: now.getTime(),
          resourceId: route.id,
          resourcePath: route.path,
          stage: LOCAL_STAGE,
        },
      };

      const functionName = `moodrx-local-${route.id}`;
      let result: APIGatewayProxyResult | undefined;
      let timer: NodeJS.Timeout | undefined;
      try {
        const handler = await loadHandler(route);
        const deadline = Date.now() + GATEWAY_TIMEOUT_MS;
        const timedOut = new Promise<'timeout'>((resolveTimeout) => {
          timer = setTimeout(() => resolveTimeout('timeout'), GATEWAY_TIMEOUT_MS);
        });
        // As the route's function: its table calls are held to its IAM (local/iam/table-guard.ts).
        const invocation = runAsFunction(route, () => handler(event, lambdaContext({ functionName, requestId, deadline })));
        const outcome = await Promise.race([invocation, timedOut]);
        if (outcome === 'timeout') {
          log(`${functionName} ${requestId} timed out after ${GATEWAY_TIMEOUT_MS} ms`);
          sendProblem('service_unavailable', 'The request took too long. Try again.', { status: 504 });
          return;
        }
        result = outcome;
      } catch (error) {
        // The error only: never the event, whose body may hold passwords or health data.
        log(`${functionName} ${requestId} failed: ${describeError(error)}`);
        sendProblem('internal_error', 'Something went wrong on our side. Quote the request id if you contact support.', { status: 502 });
        return;
      } finally {
        clearTimeout(timer);
      }
      if (!result || typeof result.statusCode !== 'number') {
        log(`${functionName} ${requestId} returned a malformed proxy response`);
        sendProblem('internal_error', 'Something went wrong on our side. Quote the request id if you contact support.', { status: 502 });
        return;
      }
      const responseHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(result.headers ?? {})) responseHeaders[name] = String(value);
      for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) responseHeaders[name] = values.map(String);
      if (!Object.keys(responseHeaders).some((name) => name.toLowerCase() === 'content-type')) {
        responseHeaders['Content-Type'] = 'application/json';
      }
      responseHeaders['x-amzn-RequestId'] = requestId;
      const payload = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      send(response, result.statusCode, responseHeaders, payload);
      finish(result.statusCode);
    })().catch((error: unknown) => {
      log(`local API ${requestId} failed: ${describeError(error)}`);
      if (!response.headersSent) sendProblem('internal_error', 'Something went wrong on our side.', { status: 500 });
      else response.destroy();
    });
  });

  // Keep-alive connections from clients would otherwise hold close() open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((error) => (error ? reject(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, headers: Record<string, string | string[]>, body: string | Buffer): void {
  response.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  response.end(body);
}

/** Discards a body we will not read, so the connection can be reused. */
function drain(request: IncomingMessage): void {
  request.resume();
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return typeof error;
}
