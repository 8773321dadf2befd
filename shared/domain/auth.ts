import * as z from 'zod';
import { EmailSchema, normalizeEmail, PasswordSchema } from './signup.js';
import { ROLES } from './roles.js';

export const LoginRequestSchema = z
  .strictObject({
    email: EmailSchema.transform(normalizeEmail),
    password: z.string({ error: 'Enter your password.' }).min(1, { error: 'Enter your password.' }).max(256),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.output<typeof LoginRequestSchema>;

export const RefreshRequestSchema = z
  .strictObject({
    refreshToken: z.string({ error: 'Send the refresh token you got at sign-in.' }).min(1).max(8192),
  })
  .meta({ id: 'RefreshRequest' });
export type RefreshRequest = z.output<typeof RefreshRequestSchema>;

export const LogoutRequestSchema = z
  .strictObject({
    refreshToken: z.string({ error: 'Send the refresh token you got at sign-in.' }).min(1).max(8192),
  })
  .meta({ id: 'LogoutRequest' });
export type LogoutRequest = z.output<typeof LogoutRequestSchema>;

export const TokensSchema = z
  .strictObject({
    tokenType: z.literal('Bearer'),
    accessToken: z.string().describe('Send as `Authorization: Bearer <accessToken>`.'),
    idToken: z.string(),
    refreshToken: z.string().optional().describe('Absent on refresh: keep the one you have.'),
    expiresIn: z.number().int().describe('Seconds until the access token expires.'),
  })
  .meta({ id: 'Tokens' });
export type Tokens = z.infer<typeof TokensSchema>;

export const MeResponseSchema = z
  .strictObject({
    userId: z.string(),
    role: z.enum(ROLES),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    status: z.string().optional().describe('For clients: the care stage.'),
    timezone: z.string().optional(),
    state: z.string().optional(),
    clientType: z.string().optional(),
    emailVerified: z
      .boolean()
      .optional()
      .describe('For clients: false until the signup code is verified (POST /v1/signup/verify); booking needs it.'),
  })
  .meta({ id: 'Me' });
export type MeResponse = z.infer<typeof MeResponseSchema>;

/** The steps staff sign-in can stop at before tokens are issued. */
export const SIGN_IN_CHALLENGES = ['SOFTWARE_TOKEN_MFA', 'MFA_SETUP', 'NEW_PASSWORD_REQUIRED'] as const;
export type SignInChallenge = (typeof SIGN_IN_CHALLENGES)[number];

/**
 * Staff sign-in stops here until the next step is done: a new password (first sign-in of an
 * account an admin created), then the authenticator (MFA is required for staff).
 */
export const MfaChallengeSchema = z
  .strictObject({
    challenge: z.enum(SIGN_IN_CHALLENGES).describe(
      'SOFTWARE_TOKEN_MFA: send a code from the authenticator app to POST /v1/auth/mfa. ' +
        'MFA_SETUP: first sign-in; POST /v1/auth/mfa/setup, add the secret to an authenticator app, then POST /v1/auth/mfa/verify. ' +
        'NEW_PASSWORD_REQUIRED: first sign-in with the temporary password from the invitation; choose a password with POST /v1/auth/new-password.',
    ),
    session: z.string(),
  })
  .meta({ id: 'MfaChallenge' });

export const LoginResponseSchema = z.union([TokensSchema, MfaChallengeSchema]).meta({ id: 'LoginResponse' });

const SessionSchema = z.string({ error: 'Send the session from the sign-in response.' }).min(20).max(4096);
const TotpCodeSchema = z.string({ error: 'Enter the 6-digit code.' }).regex(/^\d{6}$/, { error: 'Enter the 6-digit code.' });

export const MfaAnswerRequestSchema = z
  .strictObject({ email: EmailSchema.transform(normalizeEmail), session: SessionSchema, code: TotpCodeSchema })
  .meta({ id: 'MfaAnswerRequest' });
export type MfaAnswerRequest = z.output<typeof MfaAnswerRequestSchema>;

/** Answers NEW_PASSWORD_REQUIRED; the answer is tokens or the next challenge (MFA_SETUP in AWS). */
export const NewPasswordRequestSchema = z
  .strictObject({ email: EmailSchema.transform(normalizeEmail), session: SessionSchema, newPassword: PasswordSchema })
  .meta({ id: 'NewPasswordRequest' });
export type NewPasswordRequest = z.output<typeof NewPasswordRequestSchema>;

export const MfaSetupRequestSchema = z.strictObject({ session: SessionSchema }).meta({ id: 'MfaSetupRequest' });

export const MfaSetupResponseSchema = z
  .strictObject({
    secretCode: z.string().describe('Add this secret to an authenticator app (TOTP).'),
    session: z.string(),
  })
  .meta({ id: 'MfaSetupResponse' });

/** A signed-in client starts optional TOTP: the secret for the authenticator app. */
export const ClientMfaSetupResponseSchema = z
  .strictObject({
    secretCode: z.string().describe('Add this secret to an authenticator app (TOTP), then POST /v1/me/mfa/verify with a code.'),
  })
  .meta({ id: 'ClientMfaSetupResponse' });

export const ClientMfaVerifyRequestSchema = z.strictObject({ code: TotpCodeSchema }).meta({ id: 'ClientMfaVerifyRequest' });
export type ClientMfaVerifyRequest = z.output<typeof ClientMfaVerifyRequestSchema>;
