/**
 * Logout's revocation against the Cognito API as AWS answers it (aws-sdk-client-mock): the
 * answers cognito-local does not give (UnauthorizedException, throttling, revocation off). The
 * happy path and a refresh after logout run for real against cognito-local in
 * tests/integration/api/logout.test.ts.
 */
import { CognitoIdentityProviderClient, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCognitoTokenRevocation } from '../../../shared/adapters/cognito/token-revocation.js';
import { ServiceUnavailableError } from '../../../shared/domain/errors.js';
import { logOut } from '../../../shared/use-cases/auth/log-out.js';

const env = { CLIENT_USER_POOL_CLIENT_ID: 'client-app', STAFF_USER_POOL_CLIENT_ID: 'staff-app' };
const cognito = mockClient(CognitoIdentityProviderClient);
const revocation = createCognitoTokenRevocation(new CognitoIdentityProviderClient({ region: 'us-east-1' }), env);
const named = (name: string) => Object.assign(new Error(`${name} from Cognito`), { name });

beforeEach(() => cognito.reset());

describe('Cognito token revocation (logout)', () => {
  it('revokes the token with each of our app clients, whichever issued it', async () => {
    cognito.on(RevokeTokenCommand, { ClientId: 'client-app' }).rejects(named('UnauthorizedException'));
    cognito.on(RevokeTokenCommand, { ClientId: 'staff-app' }).resolves({});
    await expect(logOut(revocation, 'staff-refresh-token')).resolves.toBeUndefined();
    expect(cognito.commandCalls(RevokeTokenCommand).map((call) => call.args[0].input)).toEqual([
      { ClientId: 'client-app', Token: 'staff-refresh-token' },
      { ClientId: 'staff-app', Token: 'staff-refresh-token' },
    ]);
  });

  it('resolves alike for a token neither app client knows, whatever Cognito calls the refusal', async () => {
    for (const refusal of ['NotAuthorizedException', 'UnauthorizedException', 'UnsupportedTokenTypeException', 'InvalidParameterException']) {
      cognito.reset();
      cognito.on(RevokeTokenCommand).rejects(named(refusal));
      await expect(logOut(revocation, 'not-a-token'), refusal).resolves.toBeUndefined();
      expect(cognito.commandCalls(RevokeTokenCommand)).toHaveLength(2);
    }
  });

  it('answers 503 when Cognito throttles, rather than pretending the token was revoked', async () => {
    cognito.on(RevokeTokenCommand).rejects(named('TooManyRequestsException'));
    await expect(logOut(revocation, 'refresh-token')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('lets a configuration fault (revocation off for the app client) surface as an error for every token alike', async () => {
    cognito.on(RevokeTokenCommand).rejects(named('UnsupportedOperationException'));
    await expect(logOut(revocation, 'refresh-token')).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
  });
});
