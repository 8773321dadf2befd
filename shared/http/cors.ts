/**
 * CORS for browser apps on other origins (issue 9), in one place for the three answerers:
 * API Gateway's OPTIONS mocks and gateway responses (infra/stacks/api-stack.ts,
 * infra/constructs/problem-gateway-responses.ts), every handler's response
 * (shared/http/api-handler.ts) and the local API server (local/api-server.ts).
 *
 * An origin is allowed only when it is on the stage's allow-list; only then is it echoed in
 * `Access-Control-Allow-Origin`, and every answer says `Vary: Origin` so no cache serves one
 * origin's answer to another. Credentials are never allowed: the API authenticates with bearer
 * tokens in `Authorization`, not cookies, so `Access-Control-Allow-Credentials` never appears.
 *
 * Allow-list entries are exact origins (`https://app.moodrx.example`) or, for the local stack
 * only, any port of one host (`http://localhost:*`).
 */
import * as z from 'zod';

/** Request headers a browser app may send (beyond the CORS-safelisted ones). */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key'] as const;

/** Response headers a browser app may read (beyond the CORS-safelisted ones). */
export const CORS_EXPOSED_HEADERS = ['x-amzn-RequestId', 'Location', 'ETag', 'Retry-After'] as const;

/** How long a browser may reuse a preflight answer (Chromium caps it at 2 h). */
export const CORS_MAX_AGE_SECONDS = 600;

/** `scheme://host[:port]` (no path, no trailing slash), or `scheme://host:*` for any port. */
export const CorsOriginPatternSchema = z
  .string()
  .regex(/^https?:\/\/[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d{1,5}|\*))?$/, 'an origin is scheme://host[:port] (lower case, no path), or scheme://host:* for any port');

/** An exact https origin: what a deployed stage allows. */
export const HttpsOriginSchema = z
  .string()
  .regex(/^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)+(:\d{1,5})?$/, 'an origin is https://host[:port], lower case, with no path or trailing slash');

export type CorsAllowList = readonly string[];

/** Whether `origin` (the request's Origin header) is on the allow-list. */
export function isOriginAllowed(origin: string | undefined, allowList: CorsAllowList): origin is string {
  if (!origin) return false;
  return allowList.some((entry) => {
    if (!entry.endsWith(':*')) return entry === origin;
    const base = entry.slice(0, -2);
    // Any port of that scheme and host, or none; never a longer host (`localhost.evil.example`).
    return origin === base || (origin.startsWith(`${base}:`) && /^\d{1,5}$/.test(origin.slice(base.length + 1)));
  });
}

/** Headers for an actual (non-preflight) response. */
export function corsResponseHeaders(origin: string | undefined, allowList: CorsAllowList): Record<string, string> {
  if (allowList.length === 0) return {};
  if (!isOriginAllowed(origin, allowList)) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(', '),
    Vary: 'Origin',
  };
}

/** Headers for a preflight (OPTIONS) answer on a resource that serves `methods`. */
export function corsPreflightHeaders(origin: string | undefined, allowList: CorsAllowList, methods: readonly string[]): Record<string, string> {
  if (allowList.length === 0) return {};
  if (!isOriginAllowed(origin, allowList)) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
    'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(', '),
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
    Vary: 'Origin',
  };
}

/** The value of a header, whatever its casing. */
export function headerOf(headers: Readonly<Record<string, string | undefined>> | null | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
