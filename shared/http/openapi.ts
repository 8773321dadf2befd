/**
 * OpenAPI 3.1 generated from the route table and its zod schemas (zod's own JSON Schema
 * output, draft 2020-12, which is OpenAPI 3.1's dialect). Named schemas (`.meta({ id })`)
 * become components; strict objects keep `additionalProperties: false`.
 */
import * as z from 'zod';
import { ProblemSchema, type ProblemCode, PROBLEM_CATALOG } from './problem.js';
import type { RouteDefinition } from './routes.js';

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
}

export function buildOpenApi(routes: readonly RouteDefinition[], version = '1.0.0'): OpenApiDocument {
  const components: Record<string, JsonSchema> = {};
  const schemaRef = (schema: z.ZodType, io: 'input' | 'output') => hoist(schema, io, components);
  const problemRef = schemaRef(ProblemSchema, 'output');

  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const isPublic = route.access === 'public';
    const operation: Record<string, unknown> = {
      operationId: route.id,
      summary: route.summary,
      tags: [...route.tags],
      security: isPublic ? [] : [{ cognitoAccessToken: [] }],
      ...(isPublic ? {} : { 'x-moodrx-roles': [...(route.access as { roles: readonly string[] }).roles] }),
      parameters: [...pathParameters(route.path), ...queryParameters(route), ...(route.idempotent ? [IDEMPOTENCY_PARAMETER] : [])],
      responses: {} as Record<string, unknown>,
    };
    if (route.request?.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: schemaRef(route.request.body, 'input') } } };
    }
    const responses = operation.responses as Record<string, unknown>;
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { 'application/json': { schema: schemaRef(response.schema, 'output') } } } : {}),
      };
    }
    for (const code of problemCodesFor(route)) {
      const { status, title } = PROBLEM_CATALOG[code];
      const existing = responses[String(status)] as { description: string } | undefined;
      responses[String(status)] = {
        description: existing ? `${existing.description} / ${title}` : title,
        content: { 'application/problem+json': { schema: problemRef } },
      };
    }
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'MoodRx API',
      version,
      description:
        'Virtual mental-health therapy: signup, consultation, matching, measurement-based care. ' +
        'Errors are RFC 9457 problem details. Send the access token as `Authorization: Bearer <token>`.',
    },
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        cognitoAccessToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The accessToken from POST /v1/auth/login.' },
      },
    },
  };
}

const IDEMPOTENCY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Retry-safe creation: a retry with the same key (and the same body) returns the first response.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

function problemCodesFor(route: RouteDefinition): ProblemCode[] {
  const codes: ProblemCode[] = ['internal_error'];
  if (route.access !== 'public') codes.push('authentication_required', 'forbidden');
  if (route.request?.body || route.request?.query || route.request?.params) codes.push('validation_failed');
  if (route.request?.body) codes.push('malformed_json', 'payload_too_large', 'unsupported_media_type');
  if (route.idempotent) codes.push('idempotency_key_reused', 'request_in_progress');
  return codes;
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParameters(route: RouteDefinition) {
  const query = route.request?.query;
  if (!query) return [];
  const schema = z.toJSONSchema(query, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

/** Converts one schema, moves its named parts into `components` and returns a reference or inline schema. */
function hoist(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema & {
    $defs?: Record<string, JsonSchema>;
  };
  const { $schema: _ignored, $defs, ...root } = json;
  const rewrite = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'));
  for (const [name, definition] of Object.entries($defs ?? {})) components[name] = rewrite(definition) as JsonSchema;
  return rewrite(root) as JsonSchema;
}
