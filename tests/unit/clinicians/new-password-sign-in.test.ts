/**
 * NEW_PASSWORD_REQUIRED for admin-created staff. As deployed (staff pool with MFA required),
 * Cognito answers the new password with MFA_SETUP; cognito-local answers with tokens and does
 * not check the session, so the AWS shape is pinned here with aws-sdk-client-mock. The local
 * path runs for real in tests/integration/clinicians/clinicians-api.test.ts.
 */
import { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCognitoSignIn } from '../../../shared/adapters/cognito/sign-in.js';
import { LoginResponseSchema, NewPasswordRequestSchema } from '../../../shared/domain/auth.js';
import { InvalidCredentialsError, ValidationError } from '../../../shared/domain/errors.js';
import { answerNewPassword, signIn } from '../../../shared/use-cases/auth/sign-in.js';

const env = { CLIENT_USER_POOL_CLIENT_ID: 'client-app', STAFF_USER_POOL_CLIENT_ID: 'staff-app' };
const cognito = mockClient(CognitoIdentityProviderClient);
const port = createCognitoSignIn(new CognitoIdentityProviderClient({ region: 'us-east-1' }), env);
const notAuthorized = Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException' });
const SESSION = 'session-new-password-0123456789';

beforeEach(() => cognito.reset());

describe('new password for admin-created staff', () => {
  it('surfaces NEW_PASSWORD_REQUIRED from the staff pool at login, with its session', async () => {
    cognito.on(InitiateAuthCommand, { ClientId: 'client-app' }).rejects(notAuthorized);
    cognito.on(InitiateAuthCommand, { ClientId: 'staff-app' }).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: SESSION });
    const response = await signIn(port, 'new.clinician@example.com', 'Temp-Pass-1234!');
    expect(response).toEqual({ challenge: 'NEW_PASSWORD_REQUIRED', session: SESSION });
    expect(LoginResponseSchema.safeParse(response).success).toBe(true);
  });

  it('never surfaces a challenge from the client pool', async () => {
    cognito.on(InitiateAuthCommand, { ClientId: 'client-app' }).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: SESSION });
    await expect(signIn(port, 'sam@example.com', 'pw')).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('answers the challenge in the staff pool and passes MFA_SETUP on (as AWS does with MFA required)', async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves({ ChallengeName: 'MFA_SETUP', Session: 'session-mfa-setup' });
    const request = NewPasswordRequestSchema.parse({ email: 'New.Clinician@example.com', session: SESSION, newPassword: 'Chosen-Pass-99!' });
    await expect(answerNewPassword(port, request)).resolves.toEqual({ challenge: 'MFA_SETUP', session: 'session-mfa-setup' });
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]!.args[0].input).toEqual({
      ClientId: 'staff-app',
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: SESSION,
      ChallengeResponses: { USERNAME: 'new.clinician@example.com', NEW_PASSWORD: 'Chosen-Pass-99!' },
    });
  });

  it('returns tokens when the pool asks nothing more', async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 } });
    await expect(answerNewPassword(port, { email: 'n@example.com', session: SESSION, newPassword: 'Chosen-Pass-99!' })).resolves.toEqual({
      tokenType: 'Bearer',
      accessToken: 'a',
      idToken: 'i',
      refreshToken: 'r',
      expiresIn: 3600,
    });
  });

  it('turns an expired session into the usual 401, and a policy refusal into a 400 on newPassword', async () => {
    cognito.on(RespondToAuthChallengeCommand).rejects(Object.assign(new Error('Invalid session'), { name: 'NotAuthorizedException' }));
    await expect(port.answerNewPassword('n@example.com', SESSION, 'Chosen-Pass-99!')).rejects.toBeInstanceOf(InvalidCredentialsError);
    cognito.reset();
    cognito.on(RespondToAuthChallengeCommand).rejects(Object.assign(new Error('Password does not conform'), { name: 'InvalidPasswordException' }));
    const error = await port.answerNewPassword('n@example.com', SESSION, 'Chosen-Pass-99!').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([{ field: 'newPassword', message: 'Choose a password that meets the password policy.' }]);
  });

  it('refuses a repeated NEW_PASSWORD_REQUIRED rather than loop', async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'again' });
    await expect(port.answerNewPassword('n@example.com', SESSION, 'Chosen-Pass-99!')).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('checks the new password against the policy before Cognito sees it', () => {
    const result = NewPasswordRequestSchema.safeParse({ email: 'n@example.com', session: SESSION, newPassword: 'short' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain('"short"');
  });
});
