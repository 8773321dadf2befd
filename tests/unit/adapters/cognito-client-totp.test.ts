/**
 * Optional TOTP for clients against the Cognito API as AWS answers it (aws-sdk-client-mock):
 * cognito-local has no MFA challenge flow. Setup with the client's own access token, then the
 * sign-in that asks for the code and POST /v1/auth/mfa answering it with the client app client.
 */
import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCognitoSignIn } from '../../../shared/adapters/cognito/sign-in.js';
import { createCognitoSoftwareToken } from '../../../shared/adapters/cognito/software-token.js';
import { AuthenticationRequiredError, InvalidCredentialsError, ValidationError } from '../../../shared/domain/errors.js';
import { accessTokenFrom } from '../../../shared/http/caller.js';
import { answerMfa, signIn } from '../../../shared/use-cases/auth/sign-in.js';
import { beginClientMfaSetup, completeClientMfaSetup } from '../../../shared/use-cases/auth/client-mfa.js';

const env = { CLIENT_USER_POOL_CLIENT_ID: 'client-app', STAFF_USER_POOL_CLIENT_ID: 'staff-app' };
const cognito = mockClient(CognitoIdentityProviderClient);
const sdk = new CognitoIdentityProviderClient({ region: 'us-east-1' });
const signInPort = createCognitoSignIn(sdk, env);
const softwareToken = createCognitoSoftwareToken(sdk);
const named = (name: string) => Object.assign(new Error(`${name} from Cognito`), { name });
const result = { AccessToken: 'access', IdToken: 'id', RefreshToken: 'refresh', ExpiresIn: 3600 };

beforeEach(() => cognito.reset());

describe('client TOTP setup (signed in)', () => {
  it('gives the secret for the caller’s own access token, then verifies a code and makes TOTP their second factor', async () => {
    cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: 'JBSWY3DPEHPK3PXP' });
    cognito.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
    cognito.on(SetUserMFAPreferenceCommand).resolves({});
    await expect(beginClientMfaSetup(softwareToken, 'client-access-token')).resolves.toEqual({ secretCode: 'JBSWY3DPEHPK3PXP' });
    await completeClientMfaSetup(softwareToken, 'client-access-token', '123456');
    expect(cognito.commandCalls(AssociateSoftwareTokenCommand)[0]!.args[0].input).toEqual({ AccessToken: 'client-access-token' });
    expect(cognito.commandCalls(VerifySoftwareTokenCommand)[0]!.args[0].input).toMatchObject({ AccessToken: 'client-access-token', UserCode: '123456' });
    expect(cognito.commandCalls(SetUserMFAPreferenceCommand)[0]!.args[0].input).toEqual({
      AccessToken: 'client-access-token',
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
  });

  it('turns on nothing when the code is wrong, and says so on the code field', async () => {
    cognito.on(VerifySoftwareTokenCommand).rejects(named('EnableSoftwareTokenMFAException'));
    const error = await completeClientMfaSetup(softwareToken, 'client-access-token', '000000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.field)).toEqual(['code']);
    expect(cognito.commandCalls(SetUserMFAPreferenceCommand)).toHaveLength(0);
  });

  it('answers 401 for an access token Cognito no longer accepts (revoked at logout)', async () => {
    cognito.on(AssociateSoftwareTokenCommand).rejects(named('NotAuthorizedException'));
    await expect(beginClientMfaSetup(softwareToken, 'revoked')).rejects.toBeInstanceOf(AuthenticationRequiredError);
  });

  it('takes the access token from the Authorization header as API Gateway accepts it', () => {
    expect(accessTokenFrom({ authorization: 'Bearer a.b.c' })).toBe('a.b.c');
    expect(accessTokenFrom({ authorization: 'a.b.c' })).toBe('a.b.c');
    expect(() => accessTokenFrom({})).toThrow(AuthenticationRequiredError);
  });
});

describe('client sign-in with TOTP on', () => {
  it('answers SOFTWARE_TOKEN_MFA for a client who turned TOTP on (before: refused as a challenge it cannot finish)', async () => {
    cognito.on(InitiateAuthCommand, { ClientId: 'client-app' }).resolves({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'client-session' });
    await expect(signIn(signInPort, 'sam@example.com', 'pw')).resolves.toEqual({ challenge: 'SOFTWARE_TOKEN_MFA', session: 'client-session' });
    expect(cognito.commandCalls(InitiateAuthCommand)).toHaveLength(1);
  });

  it('still refuses other challenges from the client pool', async () => {
    for (const ChallengeName of ['MFA_SETUP', 'NEW_PASSWORD_REQUIRED', 'SMS_MFA'] as const) {
      cognito.reset();
      cognito.on(InitiateAuthCommand, { ClientId: 'client-app' }).resolves({ ChallengeName, Session: 's' });
      cognito.on(InitiateAuthCommand, { ClientId: 'staff-app' }).rejects(named('NotAuthorizedException'));
      await expect(signIn(signInPort, 'sam@example.com', 'pw'), ChallengeName).rejects.toBeInstanceOf(InvalidCredentialsError);
    }
  });

  it('finishes a client’s MFA through POST /v1/auth/mfa with the client app client, once the staff one refuses the session', async () => {
    cognito.on(RespondToAuthChallengeCommand, { ClientId: 'staff-app' }).rejects(named('NotAuthorizedException'));
    cognito.on(RespondToAuthChallengeCommand, { ClientId: 'client-app' }).resolves({ AuthenticationResult: result });
    await expect(answerMfa(signInPort, { email: 'sam@example.com', session: 'client-session', code: '123456' })).resolves.toMatchObject({
      tokenType: 'Bearer',
      accessToken: 'access',
    });
    expect(cognito.commandCalls(RespondToAuthChallengeCommand).map((c) => c.args[0].input.ClientId)).toEqual(['staff-app', 'client-app']);
  });

  it('gives the same 401 for a wrong code whichever pool the person is in', async () => {
    cognito.on(RespondToAuthChallengeCommand, { ClientId: 'staff-app' }).rejects(named('NotAuthorizedException'));
    cognito.on(RespondToAuthChallengeCommand, { ClientId: 'client-app' }).rejects(named('CodeMismatchException'));
    await expect(answerMfa(signInPort, { email: 'sam@example.com', session: 'client-session', code: '000000' })).rejects.toBeInstanceOf(InvalidCredentialsError);
  });
});
