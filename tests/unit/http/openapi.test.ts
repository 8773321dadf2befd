import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../../shared/http/openapi.js';
import { ROUTES } from '../../../shared/http/routes.js';

const document = buildOpenApi(ROUTES);

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1', () => {
    expect(document.openapi).toBe('3.1.0');
  });

  it('has exactly the operations of the route table', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('marks public and protected operations like the route table', () => {
    for (const route of ROUTES) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as { security: unknown[]; operationId: string };
      expect(operation.operationId).toBe(route.id);
      expect(operation.security).toEqual(route.access === 'public' ? [] : [{ cognitoAccessToken: [] }]);
    }
  });

  it('rejects unknown fields in every request body', () => {
    for (const route of ROUTES.filter((r) => 'request' in r && r.request && 'body' in r.request)) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as {
        requestBody: { content: { 'application/json': { schema: { $ref?: string } } } };
      };
      const ref = operation.requestBody.content['application/json'].schema.$ref;
      const schema = ref ? document.components.schemas[ref.split('/').pop()!] : operation.requestBody.content['application/json'].schema;
      // A body that is one of several shapes (an assessment per instrument): each shape is strict.
      const shapes = (schema as { oneOf?: unknown[] }).oneOf ?? [schema];
      for (const shape of shapes) expect(shape, route.id).toMatchObject({ type: 'object', additionalProperties: false });
    }
  });

  it('resolves every $ref to a component', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(document.components.schemas, ref).toHaveProperty(ref);
  });

  it('documents problem responses as application/problem+json', () => {
    const signup = document.paths['/v1/signup']?.post as { responses: Record<string, { content?: Record<string, unknown> }> };
    for (const status of ['400', '413', '415', '422', '500']) {
      expect(signup.responses[status]?.content, status).toHaveProperty('application/problem+json');
    }
    expect(signup.responses['202']?.content).toHaveProperty('application/json');
  });
});
