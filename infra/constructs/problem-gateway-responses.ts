/**
 * API Gateway answers some requests itself (no token, unknown route, throttled, blocked by the
 * WAF, a function that crashed). These gateway responses give those answers the same
 * `application/problem+json` shape and headers as the handlers' (shared/http/problem.ts), with
 * API Gateway's request id, so a client handles one error format.
 *
 * They carry CORS headers too, or a browser app could not read why it was refused. A gateway
 * response cannot test the request's Origin, so it names the stage's first allowed origin
 * (the app; a browser on any other origin is refused, as it should be) and says Vary: Origin;
 * credentials are never allowed.
 */
import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { CORS_EXPOSED_HEADERS } from '../../shared/http/cors.js';
import { PROBLEM_CONTENT_TYPE, SECURITY_HEADERS, problem, type ProblemCode } from '../../shared/http/problem.js';

interface GatewayProblem {
  readonly type: ResponseType;
  readonly code: ProblemCode;
  readonly detail: string;
}

/** Every 4XX type API Gateway can produce for this API gets a precise answer; DEFAULT_* catch the rest. */
export const GATEWAY_PROBLEMS: readonly GatewayProblem[] = [
  { type: ResponseType.UNAUTHORIZED, code: 'authentication_required', detail: 'Sign in and send the access token: Authorization: Bearer <accessToken>.' },
  { type: ResponseType.EXPIRED_TOKEN, code: 'authentication_required', detail: 'The access token has expired. Refresh it with POST /v1/auth/refresh.' },
  { type: ResponseType.ACCESS_DENIED, code: 'forbidden', detail: 'You do not have access to this.' },
  // API Gateway says 403 "Missing Authentication Token" for a path or method it does not know.
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, code: 'not_found', detail: 'There is no such endpoint. See GET /v1/openapi.json.' },
  { type: ResponseType.RESOURCE_NOT_FOUND, code: 'not_found', detail: 'Not found.' },
  { type: ResponseType.REQUEST_TOO_LARGE, code: 'payload_too_large', detail: 'The request body is too large.' },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, code: 'unsupported_media_type', detail: 'Send the request body as application/json.' },
  { type: ResponseType.WAF_FILTERED, code: 'forbidden', detail: 'The request was blocked by our firewall. If you think this is wrong, contact support with the request id.' },
  { type: ResponseType.THROTTLED, code: 'too_many_requests', detail: 'Too many requests. Please wait a moment and try again.' },
  { type: ResponseType.QUOTA_EXCEEDED, code: 'too_many_requests', detail: 'Too many requests. Please wait a moment and try again.' },
  { type: ResponseType.DEFAULT_4XX, code: 'request_rejected', detail: 'The request was rejected.' },
  { type: ResponseType.INTEGRATION_TIMEOUT, code: 'service_unavailable', detail: 'The service took too long to answer. Please try again.' },
  { type: ResponseType.DEFAULT_5XX, code: 'internal_error', detail: 'Something went wrong on our side. Quote the request id if you contact support.' },
];

/** The problem document as an API Gateway template: `$context.requestId` is filled in per request. */
export function problemBody(code: ProblemCode, detail: string): { status: number; body: string } {
  const document = problem(code, detail, '$context.requestId');
  return { status: document.status, body: JSON.stringify(document) };
}

export function addProblemGatewayResponses(api: RestApi, corsOrigins: readonly [string, ...string[]]): void {
  const headers: Record<string, string> = { 'Content-Type': `'${PROBLEM_CONTENT_TYPE}'` };
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers[name] = `'${value}'`;
  headers['Access-Control-Allow-Origin'] = `'${corsOrigins[0]}'`;
  headers['Access-Control-Expose-Headers'] = `'${CORS_EXPOSED_HEADERS.join(', ')}'`;
  headers.Vary = `'Origin'`;
  for (const entry of GATEWAY_PROBLEMS) {
    const { status, body } = problemBody(entry.code, entry.detail);
    api.addGatewayResponse(`Problem${entry.type.responseType}`, {
      type: entry.type,
      // The status is set explicitly so that it always equals the body's `status`.
      statusCode: String(status),
      responseHeaders: headers,
      templates: { 'application/json': body },
    });
  }
}
