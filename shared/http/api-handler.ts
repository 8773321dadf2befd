/**
 * The middy stack every API function shares:
 *
 *   Powertools logger context -> problem+json error mapping -> request parsing (size, media
 *   type, JSON, zod validation of body/query/path with unknown fields rejected, caller and
 *   role from the authorizer's claims) -> Idempotency-Key (routes marked idempotent) -> use case
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
  idempotency?: (route: RouteDefinition) => middy.MiddlewareObj;
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
  options: ApiHandlerOptions = {},
) {
  const route: RouteDefinition = ROUTES.find((r) => r.id === routeId)!;
  if (Boolean(route.idempotent) !== Boolean(options.idempotency)) {
    throw new Error(`Route ${route.id}: pass the idempotency middleware exactly when the route is marked idempotent`);
  }
  const stack = middy<ApiEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(problemErrors())
    .use(parseRequest(route));
  if (options.idempotency) stack.use(options.idempotency(route) as ApiMiddleware);
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
        // The error's name and stack help us; its message and the input stay out of the logs,
        // since SDK messages can quote values.
        logger.error('request failed', { code: body.code, errorName: request.error?.name, stack: stackFrames(request.error) });
      } else {
        logger.info('request rejected', { code: body.code, status: body.status });
      }
      request.response = problemResponse(body);
    },
  };
}

/** The stack without its first line, which repeats the message. */
function stackFrames(error: Error | null | undefined): string | undefined {
  return error?.stack?.split('\n').slice(1).join('\n');
}

function parseRequest(route: RouteDefinition): ApiMiddleware {
  return {
    before: async ({ event, context }) => {
      const headers = lowerCaseHeaders(event.headers);
      const caller = route.access === 'public' ? undefined : callerFrom(event);
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
        // Scoped to the caller, so two people can never collide on a key.
        ...(idempotencyKey ? { idempotencyKey: `${caller?.userId ?? 'anonymous'}:${idempotencyKey}` } : {}),
      };
    },
  };
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
