/**
 * Revokes a refresh token (sign-out) with Cognito RevokeToken. The token does not say which app
 * client it was issued to, so it is revoked with each of ours: the one that issued it revokes it
 * (and the access tokens it issued, for Cognito's own APIs), the other refuses it. An invalid,
 * expired or already revoked token is refused the same way: the caller learns nothing either way.
 */
import { CognitoIdentityProviderClient, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ServiceUnavailableError } from '../../domain/errors.js';
import { readEnvironment } from '../../config/environment.js';

export interface TokenRevocationPort {
  /** Resolves whether or not the token was valid; throws only when Cognito could not answer. */
  revokeRefreshToken(refreshToken: string): Promise<void>;
}

/** How Cognito says "not a token of this app client" (cognito-local: NotAuthorizedException). */
const REFUSALS = new Set(['NotAuthorizedException', 'UnauthorizedException', 'UnsupportedTokenTypeException', 'InvalidParameterException']);

export function createCognitoTokenRevocation(
  client = new CognitoIdentityProviderClient({}),
  env = readEnvironment(['CLIENT_USER_POOL_CLIENT_ID', 'STAFF_USER_POOL_CLIENT_ID']),
): TokenRevocationPort {
  const appClients = [env.CLIENT_USER_POOL_CLIENT_ID, env.STAFF_USER_POOL_CLIENT_ID];
  return {
    async revokeRefreshToken(refreshToken) {
      for (const ClientId of appClients) {
        try {
          await client.send(new RevokeTokenCommand({ ClientId, Token: refreshToken }));
        } catch (error) {
          const name = (error as { name?: string }).name ?? '';
          if (REFUSALS.has(name)) continue;
          if (name === 'TooManyRequestsException' || name === 'LimitExceededException') throw new ServiceUnavailableError();
          // UnsupportedOperationException (revocation off for the client) and anything else: a
          // fault of ours, a 500 for every token alike.
          throw error;
        }
      }
    },
  };
}
