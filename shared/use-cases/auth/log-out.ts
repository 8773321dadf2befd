/**
 * Sign-out: the refresh token stops working, so the session ends when the access token in hand
 * expires (at most an hour; the API's authorizer accepts it until then).
 *
 * 1. revoke the refresh token with the app client that issued it
 * 2. answer the same whether or not it was a valid token, so the route cannot be used to test
 *    stolen or guessed tokens
 */
import type { TokenRevocationPort } from '../../adapters/cognito/token-revocation.js';

export async function logOut(port: TokenRevocationPort, refreshToken: string): Promise<void> {
  await port.revokeRefreshToken(refreshToken);
}
