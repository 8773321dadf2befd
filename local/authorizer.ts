/**
 * What API Gateway's Cognito user pool authorizer does for a method with
 * authorizationScopes ['aws.cognito.signin.user.admin'], done locally with `jose`:
 * the token must be an ACCESS token signed by one of the user pools (signature, issuer,
 * expiry), issued to that pool's app client, carrying the scope. The claims then reach the
 * handler as API Gateway REST passes them: every value a string.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';

export const REQUIRED_SCOPE = 'aws.cognito.signin.user.admin';

export interface AuthorizerPool {
  clientId: string;
  /** The `iss` of the pool's tokens. */
  issuer: string;
  jwksUrl: string;
}

/** Claims as API Gateway REST hands them to Lambda. */
export type AuthorizerClaims = Record<string, string>;

export type VerifyAccessToken = (authorizationHeader: string | undefined) => Promise<AuthorizerClaims | undefined>;

export function createCognitoAuthorizer(pools: readonly AuthorizerPool[]): VerifyAccessToken {
  // createRemoteJWKSet caches the keys and refetches only for an unknown `kid`.
  const byIssuer = new Map(pools.map((pool) => [pool.issuer, { pool, keys: createRemoteJWKSet(new URL(pool.jwksUrl)) }]));

  return async (authorizationHeader) => {
    const token = tokenFrom(authorizationHeader);
    if (!token) return undefined;
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return undefined;
    }
    const trusted = issuer === undefined ? undefined : byIssuer.get(issuer);
    if (!trusted) return undefined;
    try {
      const { payload } = await jwtVerify(token, trusted.keys, { issuer: trusted.pool.issuer, algorithms: ['RS256'] });
      if (payload.token_use !== 'access') return undefined;
      if (payload.client_id !== trusted.pool.clientId) return undefined;
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      if (!scopes.includes(REQUIRED_SCOPE)) return undefined;
      return toGatewayClaims(payload);
    } catch {
      return undefined;
    }
  };
}

/** API Gateway accepts the bare token or `Bearer <token>` in the Authorization header. */
function tokenFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const token = match ? match[1] : header.trim();
  return token && token.split('.').length === 3 ? token : undefined;
}

/**
 * Every claim becomes a string, as API Gateway REST does: arrays joined with commas
 * (`cognito:groups` "a,b"), booleans and numbers as text, and `exp`/`iat` in its Java-style
 * date format ("Fri Jul 29 18:52:53 UTC 2016").
 */
export function toGatewayClaims(payload: JWTPayload): AuthorizerClaims {
  const claims: AuthorizerClaims = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = gatewayDate(value);
    else if (Array.isArray(value)) claims[name] = value.map(String).join(',');
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function gatewayDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
