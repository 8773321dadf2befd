/**
 * Who is calling, from the claims the Cognito authorizer verified. API Gateway (REST) passes
 * claims as strings; `cognito:groups` has been seen as "a,b", "[a b]" and as a JSON array, so
 * all three are accepted. The local server fills the same shape after verifying the token the
 * same way (local/api-server.ts).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { AuthenticationRequiredError, ForbiddenError } from '../domain/errors.js';
import { primaryRole, type Caller } from '../domain/roles.js';

export type { Caller };

export function parseGroups(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string' || raw.trim() === '') return [];
  const text = raw.trim();
  if (text.startsWith('[') && text.includes('"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // fall through to the plain forms
    }
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/**
 * The caller of a protected route; throws when the authorizer let nobody through, or let
 * through an access token issued to an app client that is not ours. API Gateway's Cognito
 * authorizer checks an access token's signature, pool, expiry and scope, but not its
 * `client_id` (it checks the audience of ID tokens only), so a token of another app client of
 * the same pool would pass: the check is here, as the local authorizer does it
 * (local/authorizer.ts).
 */
export function callerFrom(event: Pick<APIGatewayProxyEvent, 'requestContext'>, appClientIds: readonly string[]): Caller {
  const claims = (event.requestContext?.authorizer as { claims?: Record<string, unknown> } | null | undefined)?.claims;
  const userId = typeof claims?.sub === 'string' ? claims.sub : undefined;
  if (!claims || !userId) throw new AuthenticationRequiredError();
  if (typeof claims.client_id !== 'string' || !appClientIds.includes(claims.client_id)) throw new AuthenticationRequiredError();
  const groups = parseGroups(claims['cognito:groups']);
  const role = primaryRole(groups);
  // A verified token without any of our groups is an account that was never finished.
  if (!role) throw new ForbiddenError('Your account has no role yet. Contact support.');
  return { userId, role, groups };
}

/**
 * The access token as the client sent it (API Gateway accepts `Bearer <token>` or the bare
 * token), for the few Cognito calls that act on the token's own user. Only on protected routes,
 * after the authorizer verified it.
 */
export function accessTokenFrom(headers: Readonly<Record<string, string>>): string {
  const header = headers.authorization?.trim() ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? header;
  if (token === '') throw new AuthenticationRequiredError();
  return token;
}
