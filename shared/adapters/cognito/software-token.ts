/**
 * A signed-in person's authenticator app (TOTP), set up with their own access token: Cognito's
 * AssociateSoftwareToken, VerifySoftwareToken and SetUserMFAPreference take the access token
 * instead of IAM credentials, so the function needs no Cognito permission. Used for clients,
 * for whom MFA is optional (staff set TOTP up at their first sign-in: /v1/auth/mfa/*).
 */
import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationRequiredError, ServiceUnavailableError, ValidationError } from '../../domain/errors.js';

export interface SoftwareTokenPort {
  /** A new TOTP secret for the token's user; not in force until verified. */
  associate(accessToken: string): Promise<{ secretCode: string }>;
  /** Checks a code of the new secret, then makes TOTP the user's (preferred) second factor. */
  verifyAndEnable(accessToken: string, code: string): Promise<void>;
}

const WRONG_CODE = new Set(['CodeMismatchException', 'EnableSoftwareTokenMFAException', 'ExpiredCodeException']);

export function createCognitoSoftwareToken(client = new CognitoIdentityProviderClient({})): SoftwareTokenPort {
  async function call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (WRONG_CODE.has(name)) throw new ValidationError([{ field: 'code', message: 'That code does not match. Enter the current 6-digit code from the app.' }]);
      // A revoked (logged out) or expired access token.
      if (name === 'NotAuthorizedException') throw new AuthenticationRequiredError();
      if (name === 'TooManyRequestsException' || name === 'LimitExceededException') throw new ServiceUnavailableError();
      throw error;
    }
  }

  return {
    async associate(accessToken) {
      const output = await call(() => client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken })));
      if (!output.SecretCode) throw new ServiceUnavailableError();
      return { secretCode: output.SecretCode };
    },

    async verifyAndEnable(accessToken, code) {
      const verified = await call(() =>
        client.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code, FriendlyDeviceName: 'MoodRx authenticator' })),
      );
      if (verified.Status !== 'SUCCESS') throw new ValidationError([{ field: 'code', message: 'That code does not match. Enter the current 6-digit code from the app.' }]);
      await call(() =>
        client.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })),
      );
    },
  };
}
