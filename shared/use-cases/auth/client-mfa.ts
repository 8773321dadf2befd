/**
 * Optional TOTP for clients. A signed-in client:
 * 1. asks for a secret (POST /v1/me/mfa/setup) and adds it to an authenticator app;
 * 2. confirms with a current code (POST /v1/me/mfa/verify): TOTP becomes their second factor;
 * from then on POST /v1/auth/login answers SOFTWARE_TOKEN_MFA and POST /v1/auth/mfa finishes it.
 * Both steps act on the caller's own identity only: Cognito resolves the user from the access
 * token, never from an id in the request.
 */
import type { SoftwareTokenPort } from '../../adapters/cognito/software-token.js';

export async function beginClientMfaSetup(port: SoftwareTokenPort, accessToken: string): Promise<{ secretCode: string }> {
  return port.associate(accessToken);
}

export async function completeClientMfaSetup(port: SoftwareTokenPort, accessToken: string, code: string): Promise<void> {
  await port.verifyAndEnable(accessToken, code);
}
