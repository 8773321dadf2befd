/**
 * Password sign-in and token refresh against the two user pools (clients; staff, where MFA is
 * required). A person exists in one pool only (emails are unique across both), so sign-in
 * tries the client pool and then the staff pool; an unknown email and a wrong password look
 * the same to the caller.
 */
import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SignInChallenge } from '../../domain/auth.js';
import { InvalidCredentialsError, ServiceUnavailableError, ValidationError } from '../../domain/errors.js';
import { readEnvironment } from '../../config/environment.js';

export interface IssuedTokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
}

/**
 * Staff must pass MFA, and an account an admin created must first get a new password: the
 * step before answers with a challenge and a short-lived session.
 */
export interface MfaChallenge {
  challenge: SignInChallenge;
  session: string;
}

export interface SignInPort {
  signIn(email: string, password: string): Promise<IssuedTokens | MfaChallenge>;
  refresh(refreshToken: string): Promise<IssuedTokens>;
  answerMfa(email: string, session: string, code: string): Promise<IssuedTokens>;
  beginMfaSetup(session: string): Promise<{ secretCode: string; session: string }>;
  completeMfaSetup(email: string, session: string, code: string): Promise<IssuedTokens>;
  /** Answers NEW_PASSWORD_REQUIRED (staff pool): tokens, or the next challenge (MFA_SETUP in AWS). */
  answerNewPassword(email: string, session: string, newPassword: string): Promise<IssuedTokens | MfaChallenge>;
}

const STAFF_CHALLENGES: ReadonlySet<string> = new Set<SignInChallenge>(['SOFTWARE_TOKEN_MFA', 'MFA_SETUP', 'NEW_PASSWORD_REQUIRED']);

function challengeFrom(output: { ChallengeName?: string; Session?: string }): MfaChallenge | undefined {
  if (output.ChallengeName && STAFF_CHALLENGES.has(output.ChallengeName) && output.Session) {
    return { challenge: output.ChallengeName as SignInChallenge, session: output.Session };
  }
  return undefined;
}

/** Cognito says "no" in several ways; to the caller they are all the same 401. */
const REJECTIONS = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  // cognito-local answers a wrong password with this (AWS uses NotAuthorizedException).
  'InvalidPasswordException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
  'CodeMismatchException',
  'ExpiredCodeException',
  'EnableSoftwareTokenMFAException',
]);

export function createCognitoSignIn(
  client = new CognitoIdentityProviderClient({}),
  env = readEnvironment(['CLIENT_USER_POOL_CLIENT_ID', 'STAFF_USER_POOL_CLIENT_ID']),
): SignInPort {
  const appClients = [env.CLIENT_USER_POOL_CLIENT_ID, env.STAFF_USER_POOL_CLIENT_ID];

  async function call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (REJECTIONS.has(name)) throw new InvalidCredentialsError();
      if (name === 'TooManyRequestsException' || name === 'LimitExceededException') throw new ServiceUnavailableError();
      throw error;
    }
  }

  return {
    async signIn(email, password) {
      for (const ClientId of appClients) {
        let output: InitiateAuthCommandOutput;
        try {
          output = await call(() =>
            client.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } })),
          );
        } catch (error) {
          if (error instanceof InvalidCredentialsError) continue;
          throw error;
        }
        if (output.AuthenticationResult) return tokensFrom(output.AuthenticationResult);
        // Staff challenges (new password, MFA setup, MFA) and a client's TOTP (optional in the
        // client pool, set up with /v1/me/mfa/*) can be finished through this API; any other
        // challenge cannot: refuse rather than half sign someone in.
        const challenge = challengeFrom(output);
        if (challenge && (ClientId === env.STAFF_USER_POOL_CLIENT_ID || challenge.challenge === 'SOFTWARE_TOKEN_MFA')) return challenge;
        throw new InvalidCredentialsError();
      }
      throw new InvalidCredentialsError();
    },

    async refresh(refreshToken) {
      for (const ClientId of appClients) {
        try {
          const output = await call(() =>
            client.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } })),
          );
          if (output.AuthenticationResult) return tokensFrom(output.AuthenticationResult);
        } catch (error) {
          if (!(error instanceof InvalidCredentialsError)) throw error;
        }
      }
      throw new InvalidCredentialsError();
    },

    // Required for staff, optional for clients. The session belongs to the app client that
    // issued it and the other refuses it before looking at the code, so the staff client (the
    // common case) is asked first, then the client pool's.
    async answerMfa(email, session, code) {
      for (const ClientId of [env.STAFF_USER_POOL_CLIENT_ID, env.CLIENT_USER_POOL_CLIENT_ID]) {
        try {
          const output = await call(() =>
            client.send(
              new RespondToAuthChallengeCommand({
                ClientId,
                ChallengeName: 'SOFTWARE_TOKEN_MFA',
                Session: session,
                ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code },
              }),
            ),
          );
          if (output.AuthenticationResult) return tokensFrom(output.AuthenticationResult);
        } catch (error) {
          if (!(error instanceof InvalidCredentialsError)) throw error;
        }
      }
      throw new InvalidCredentialsError();
    },

    async beginMfaSetup(session) {
      const output = await call(() => client.send(new AssociateSoftwareTokenCommand({ Session: session })));
      if (!output.SecretCode || !output.Session) throw new InvalidCredentialsError();
      return { secretCode: output.SecretCode, session: output.Session };
    },

    async answerNewPassword(email, session, newPassword) {
      return call(() => respondToNewPassword(client, env.STAFF_USER_POOL_CLIENT_ID, email, session, newPassword));
    },

    async completeMfaSetup(email, session, code) {
      const verified = await call(() =>
        client.send(new VerifySoftwareTokenCommand({ Session: session, UserCode: code, FriendlyDeviceName: 'MoodRx authenticator' })),
      );
      if (verified.Status !== 'SUCCESS' || !verified.Session) throw new InvalidCredentialsError();
      const output = await call(() =>
        client.send(
          new RespondToAuthChallengeCommand({
            ClientId: env.STAFF_USER_POOL_CLIENT_ID,
            ChallengeName: 'MFA_SETUP',
            Session: verified.Session,
            ChallengeResponses: { USERNAME: email },
          }),
        ),
      );
      if (!output.AuthenticationResult) throw new InvalidCredentialsError();
      return tokensFrom(output.AuthenticationResult);
    },
  };
}

// The staff pool's challenges continue through here.
async function respondToNewPassword(
  client: CognitoIdentityProviderClient,
  clientId: string,
  email: string,
  session: string,
  newPassword: string,
): Promise<IssuedTokens | MfaChallenge> {
  let output;
  try {
    output = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD: newPassword },
      }),
    );
  } catch (error) {
    // Here (unlike at sign-in) it means the NEW password breaks the pool's policy; never echo it.
    if ((error as { name?: string }).name === 'InvalidPasswordException') {
      throw new ValidationError([{ field: 'newPassword', message: 'Choose a password that meets the password policy.' }]);
    }
    throw error;
  }
  if (output.AuthenticationResult) return tokensFrom(output.AuthenticationResult);
  const challenge = challengeFrom(output);
  if (challenge && challenge.challenge !== 'NEW_PASSWORD_REQUIRED') return challenge;
  throw new InvalidCredentialsError();
}

function tokensFrom(result: AuthenticationResultType): IssuedTokens {
  if (!result.AccessToken || !result.IdToken) throw new InvalidCredentialsError();
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    expiresIn: result.ExpiresIn ?? 3600,
  };
}
