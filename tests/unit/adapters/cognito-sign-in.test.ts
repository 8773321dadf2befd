/**
 * The staff pool requires MFA (TOTP). cognito-local cannot exercise MFA, so these flows run
 * against aws-sdk-client-mock answering as Cognito does; the password paths also run for real
 * against cognito-local in tests/integration/api.
 */
import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCognitoSignIn } from '../../../shared/adapters/cognito/sign-in.js';
import { InvalidCredentialsError, ServiceUnavailableError } from '../../../shared/domain/errors.js';

const env = { CLIENT_USER_POOL_CLIENT_ID: 'client-app', STAFF_USER_POOL_CLIENT_ID: 'staff-app' };
const cognito = mockClient(CognitoIdentityProviderClient);
const signIn = createCognitoSignIn(new CognitoIdentityProviderClient({ region: 'us-east-1' }), env);
const result = { AccessToken: 'access', IdToken: 'id', RefreshToken: 'refresh', ExpiresIn: 3600 };
const notAuthorized = Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException' });

beforeEach(() => cognito.reset());

describe('Cognito sign-in', () => {
  it('signs a client in through the client pool without touching the staff pool', async () => {
    cognito.on(InitiateAuthCommand, { ClientId: 'client-app' }).resolves({ AuthenticationResult: result });
    await expect(signIn.signIn('sam@example.com', 'pw')).resolves.toEqual({
      accessToken: 'access',
      idToken: 'id',
      refreshToken: 'refresh',
      expiresIn: 3600,
    });
    expect(cognito.commandCalls(InitiateAuthCommand)).toHaveLength(1);
  });

  it('answers a staff member with the MFA challenge of the staff pool', async () => {
    cognito.on(InitiateAuthCommand, { ClientId: 'client-app' }).rejects(notAuthorized);
    cognito.on(InitiateAuthCommand, { ClientId: 'staff-app' }).resolves({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'session-1' });
    await expect(signIn.signIn('robin@example.com', 'pw')).resolves.toEqual({ challenge: 'SOFTWARE_TOKEN_MFA', session: 'session-1' });
  });

  it('finishes MFA with the authenticator code', async () => {
    cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: result });
    await expect(signIn.answerMfa('robin@example.com', 'session-1', '123456')).resolves.toMatchObject({ accessToken: 'access' });
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]!.args[0].input).toEqual({
      ClientId: 'staff-app',
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: 'session-1',
      ChallengeResponses: { USERNAME: 'robin@example.com', SOFTWARE_TOKEN_MFA_CODE: '123456' },
    });
  });

  it('sets up an authenticator on first sign-in, then signs in', async () => {
    cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: 'JBSWY3DPEHPK3PXP', Session: 'session-2' });
    cognito.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS', Session: 'session-3' });
    cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: result });
    await expect(signIn.beginMfaSetup('session-1')).resolves.toEqual({ secretCode: 'JBSWY3DPEHPK3PXP', session: 'session-2' });
    await expect(signIn.completeMfaSetup('robin@example.com', 'session-2', '654321')).resolves.toMatchObject({ accessToken: 'access' });
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]!.args[0].input).toMatchObject({
      ChallengeName: 'MFA_SETUP',
      Session: 'session-3',
    });
  });

  it('turns a wrong code into the same 401 as a wrong password', async () => {
    cognito.on(RespondToAuthChallengeCommand).rejects(Object.assign(new Error('Invalid code'), { name: 'CodeMismatchException' }));
    await expect(signIn.answerMfa('robin@example.com', 'session-1', '000000')).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('refuses a challenge it cannot finish instead of half signing someone in', async () => {
    cognito.on(InitiateAuthCommand, { ClientId: 'client-app' }).rejects(notAuthorized);
    cognito.on(InitiateAuthCommand, { ClientId: 'staff-app' }).resolves({ ChallengeName: 'CUSTOM_CHALLENGE', Session: 's' });
    await expect(signIn.signIn('robin@example.com', 'pw')).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('reports throttling as a temporary problem, not as bad credentials', async () => {
    cognito.on(InitiateAuthCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    await expect(signIn.signIn('sam@example.com', 'pw')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
