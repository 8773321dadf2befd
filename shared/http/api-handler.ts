/**
 * The middy stack every API function shares:
 *
 *   Powertools logger context -> problem+json error mapping -> request parsing (size, media
 *   type, JSON, zod validation of body/query/path with unknown fields rejected, caller and
 *   role from the authorizer's claims, the token's app client ours) -> Idempotency-Key (routes
 *   marked idempotent) -> use case
 *
 * and, around it all, CORS: every response (success, problem, idempotent replay) carries
 * `Access-Control-Allow-Origin` for an Origin on CORS_ALLOWED_ORIGINS, and `Vary: Origin`.
 *
 * A handler module is one line of wiring: `export const handler = apiHandler('get-me', impl)`.
 * The route's definition (shared/http/routes.ts) is the single source for its rules.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import {
  ForbiddenError,
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors.js';
import { readEnvironment } from '../config/environment.js';
import { logger } from '../observability/logger.js';
import { readCorsAllowList } from '../config/cors.js';
import { callerFrom, type Caller } from './caller.js';
import { corsResponseHeaders, headerOf } from './cors.js';
import { fieldErrorsFrom, problemFromError, problemResponse, SECURITY_HEADERS } from './problem.js';
import { ROUTES, type RouteDefinition, type RouteId } from './routes.js';

/** Bodies larger than this are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Lower-cased, as headers are compared here. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

type ApiMiddleware = middy.MiddlewareObj<ApiEvent, APIGatewayProxyResult, Error, Context>;

export interface ApiHandlerOptions {
  /**
   * Required exactly for routes marked `idempotent` (shared/http/idempotency.ts). Passed in by
   * those handlers rather than imported here, so that other functions do not bundle it.
   */
  idempotency?: (route: RouteDefinition, replay: ReplayCheck) => middy.MiddlewareObj<ApiEvent>;
}

/** A stored response about to be replayed: its status and parsed body. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * Runs before a stored response is returned for an `Idempotency-Key` replay: the route's own
 * authorization for the caller NOW (a denial throws, e.g. NotFoundError when their access ended
 * meanwhile) and the audit event of reading the stored response. The route's role check has
 * already run (parsing comes first).
 */
export type ReplayCheck<R = unknown> = (request: ApiRequest<R>, stored: StoredResponse) => Promise<void>;

export interface ApiHandlerOptionsFor<R> extends ApiHandlerOptions {
  /** Required exactly with `idempotency`. */
  replay?: ReplayCheck<R>;
}

type RouteOf<Id extends RouteId> = Extract<(typeof ROUTES)[number], { id: Id }>;
type Part<R, K extends 'body' | 'query' | 'params'> = R extends { request: { [P in K]: infer S extends z.ZodType } }
  ? z.output<S>
  : undefined;

export interface ApiRequest<R = unknown> {
  body: Part<R, 'body'>;
  query: Part<R, 'query'>;
  params: Part<R, 'params'>;
  /** Absent only on public routes. */
  caller: R extends { access: 'public' } ? undefined : Caller;
  requestId: string;
  sourceIp: string | undefined;
  userAgent: string | undefined;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string>>;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the parsing middleware leaves on the event for the idempotency layer and the handler. */
export type ApiEvent = APIGatewayProxyEvent & {
  moodrx?: { request: ApiRequest<unknown>; idempotencyKey?: string };
};

export function apiHandler<Id extends RouteId>(
  routeId: Id,
  useCase: (request: ApiRequest<RouteOf<Id>>) => Promise<ApiResult>,
  options: ApiHandlerOptionsFor<RouteOf<Id>> = {},
) {
  const route: RouteDefinition = ROUTES.find((r) => r.id === routeId)!;
  const appClientIds = route.access === 'public' ? [] : ourAppClientIds();
  if (Boolean(route.idempotent) !== Boolean(options.idempotency) || Boolean(options.idempotency) !== Boolean(options.replay)) {
    throw new Error(`Route ${route.id}: pass the idempotency middleware and its replay check exactly when the route is marked idempotent`);
  }
  const stack = middy<ApiEvent, APIGatewayProxyResult, Error, Context>()
    // logEvent pinned off: the event holds bodies (passwords, answers) and tokens, and an
    // explicit false wins over POWERTOOLS_LOGGER_LOG_EVENT.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(problemErrors())
    .use(parseRequest(route, appClientIds));
  if (options.idempotency && options.replay) stack.use(options.idempotency(route, options.replay as ReplayCheck) as ApiMiddleware);
  const handler = stack.handler(async (event) => {
    const result = await useCase(event.moodrx!.request as ApiRequest<RouteOf<Id>>);
    return jsonResponse(result);
  });
  return withCors(handler, readCorsAllowList());
}

/**
 * Outside the middy stack rather than a middleware: an idempotent replay answers early from a
 * `before` and skips every `after`, and it must carry the headers too.
 */
function withCors(
  handler: (event: ApiEvent, context: Context) => Promise<APIGatewayProxyResult>,
  allowList: readonly string[],
): (event: ApiEvent, context: Context) => Promise<APIGatewayProxyResult> {
  return async (event, context) => {
    const response = await handler(event, context);
    const cors = corsResponseHeaders(headerOf(event.headers, 'origin'), allowList);
    return Object.keys(cors).length === 0 ? response : { ...response, headers: { ...response.headers, ...cors } };
  };
}

export function jsonResponse({ status, body, headers }: ApiResult): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...SECURITY_HEADERS, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

function requestIdOf(event: APIGatewayProxyEvent, context: Context): string {
  return event.requestContext?.requestId ?? context.awsRequestId;
}

function problemErrors(): ApiMiddleware {
  return {
    onError: async (request) => {
      const requestId = requestIdOf(request.event, request.context);
      const body = problemFromError(request.error, requestId);
      if (body.status >= 500) {
        // The error's name and stack frames help us; its message (every line of it) and the
        // input stay out of the logs, since SDK messages can quote values.
        logger.error('request failed', { code: body.code, errorName: request.error?.name, stack: stackFrames(request.error) });
      } else {
        logger.info('request rejected', { code: body.code, status: body.status });
      }
      request.response = problemResponse(body);
    },
  };
}

/** The stack's frames (`    at ...` lines) only: the lines before them repeat the message, all of its lines. */
function stackFrames(error: Error | null | undefined): string | undefined {
  return error?.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

/** The app clients whose access tokens a protected route accepts; read at cold start. */
function ourAppClientIds(): string[] {
  const env = readEnvironment(['CLIENT_USER_POOL_CLIENT_ID', 'STAFF_USER_POOL_CLIENT_ID']);
  return [env.CLIENT_USER_POOL_CLIENT_ID, env.STAFF_USER_POOL_CLIENT_ID];
}

function parseRequest(route: RouteDefinition, appClientIds: readonly string[]): ApiMiddleware {
  return {
    before: async ({ event, context }) => {
      const headers = lowerCaseHeaders(event.headers);
      const caller = route.access === 'public' ? undefined : callerFrom(event, appClientIds);
      if (caller && route.access !== 'public' && !route.access.roles.includes(caller.role)) {
        throw new ForbiddenError();
      }

      const schemas = route.request ?? {};
      let body: unknown = undefined;
      if (schemas.body) {
        const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
        if (raw && Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
        const mediaType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
        if (mediaType !== 'application/json' && !mediaType?.endsWith('+json')) throw new UnsupportedMediaTypeError();
        body = parseJson(raw ?? '');
      } else if (event.body && Buffer.byteLength(event.body, 'utf8') > MAX_BODY_BYTES) {
        throw new PayloadTooLargeError(MAX_BODY_BYTES);
      }

      const results = [
        validate(schemas.body, body, 'body'),
        validate(schemas.query, event.queryStringParameters ?? {}, 'query'),
        validate(schemas.params, event.pathParameters ?? {}, 'params'),
      ];
      const failures = results.flatMap((r) => r.errors);
      if (failures.length > 0) throw new ValidationError(failures);
      const parsed = Object.fromEntries(results.map((r) => [r.part, r.value]));

      const idempotencyKey = headers[IDEMPOTENCY_HEADER];
      if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
        throw new ValidationError([{ field: 'Idempotency-Key', message: 'Use 1 to 255 visible ASCII characters.' }]);
      }

      event.moodrx = {
        request: {
          body: parsed.body,
          query: parsed.query,
          params: parsed.params,
          caller,
          requestId: requestIdOf(event, context),
          sourceIp: event.requestContext?.identity?.sourceIp ?? undefined,
          userAgent: event.requestContext?.identity?.userAgent ?? headers['user-agent'],
          headers,
        } as ApiRequest<unknown>,
        ...(idempotencyKey
          ? { idempotencyKey: idempotencyScope({ route, params: parsed.params, callerId: caller?.userId, key: idempotencyKey }) }
          : {}),
      };
    },
  };
}

/**
 * What an `Idempotency-Key` is bound to (Powertools hashes this string into the record's key):
 * the caller, the method and the path WITH its parameters, and the key. The same key from
 * another person, or on another client (`/v1/clients/{clientId}/...`) or task, is another
 * request, never a replay of this one. The body is bound separately (the record stores its
 * hash: the same key with another body is a 422). Spaces separate the parts: a key, a user id
 * and an encoded path cannot contain one.
 */
export function idempotencyScope(input: {
  route: Pick<RouteDefinition, 'method' | 'path'>;
  params: unknown;
  callerId: string | undefined;
  key: string;
}): string {
  const params = (input.params ?? {}) as Record<string, unknown>;
  const path = input.route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`Route ${input.route.path}: no value for {${name}}`);
    return encodeURIComponent(String(value));
  });
  return `${input.callerId ?? 'anonymous'} ${input.route.method} ${path} ${input.key}`;
}

function validate(schema: z.ZodType | undefined, input: unknown, part: 'body' | 'query' | 'params') {
  if (!schema) return { part, value: undefined, errors: [] };
  const result = schema.safeParse(input);
  if (result.success) return { part, value: result.data, errors: [] };
  return { part, value: undefined, errors: fieldErrorsFrom(result.error.issues, part === 'body' ? undefined : part) };
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') throw new ValidationError([{ field: '(body)', message: 'Send a JSON object.' }]);
  try {
    return JSON.parse(raw);
  } catch {
    throw new MalformedJsonError();
  }
}

function lowerCaseHeaders(headers: APIGatewayProxyEvent['headers'] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}
