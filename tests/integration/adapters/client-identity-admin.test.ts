/** The client user pool adapter against cognito-local. */
import { describe, expect, it } from 'vitest';
import { createCognitoClient, createCognitoClientIdentityAdmin } from '../../../shared/adapters/cognito/client-identity-admin.js';
import { EmailAlreadyRegisteredError } from '../../../shared/domain/errors.js';
import { clientPoolId, findClientUser, signInGroups, TEST_PASSWORD, uniqueEmail } from '../../workflow/support.js';

const identities = createCognitoClientIdentityAdmin({ client: createCognitoClient(), userPoolId: clientPoolId() });

describe('client identity admin', () => {
  // Issue 9, finding 4: on 65e63bb the client was created with email_verified=true, unproven.
  it('creates a confirmed client with an UNVERIFIED email who signs in with the password set, in the client group; markEmailVerified verifies it', async () => {
    const email = uniqueEmail('idp');
    const { userId } = await identities.createUser({ email, firstName: 'Quinn', lastName: 'Harrow', signupRequestId: 'req-idp-1' });
    await identities.setPermanentPassword(email, TEST_PASSWORD);
    await identities.addToGroup(email, 'client');
    // Both are idempotent: a retried task calls them again.
    await identities.setPermanentPassword(email, TEST_PASSWORD);
    await identities.addToGroup(email, 'client');

    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await identities.findUser(email)).toEqual({ userId, signupRequestId: 'req-idp-1' });
    const user = await findClientUser(email);
    expect(user).toMatchObject({ sub: userId, status: 'CONFIRMED', groups: ['client'] });
    expect(user?.attributes).toMatchObject({ email, email_verified: 'false', given_name: 'Quinn', family_name: 'Harrow' });
    expect(await signInGroups(email, TEST_PASSWORD)).toEqual(['client']);

    await identities.markEmailVerified(email);
    expect((await findClientUser(email))?.attributes).toMatchObject({ email, email_verified: 'true' });
    expect(await signInGroups(email, TEST_PASSWORD)).toEqual(['client']);
  });

  it('answers a taken email with EmailAlreadyRegisteredError', async () => {
    const email = uniqueEmail('idp');
    await identities.createUser({ email, firstName: 'Quinn', lastName: 'Harrow', signupRequestId: 'req-a' });
    await expect(identities.createUser({ email, firstName: 'Other', lastName: 'Person', signupRequestId: 'req-b' })).rejects.toBeInstanceOf(
      EmailAlreadyRegisteredError,
    );
  });

  it('deletes a user, and reports one already gone', async () => {
    const email = uniqueEmail('idp');
    await identities.createUser({ email, firstName: 'Quinn', lastName: 'Harrow', signupRequestId: 'req-c' });
    expect(await identities.deleteUser(email)).toBe('deleted');
    expect(await identities.findUser(email)).toBeUndefined();
    expect(await identities.deleteUser(email)).toBe('not_found');
  });
});
