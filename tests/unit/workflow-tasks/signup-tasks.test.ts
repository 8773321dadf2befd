/** The signup workflow's task use cases, with in-memory ports: each step's rules and idempotency. */
import { beforeEach, describe, expect, it } from 'vitest';
import { EmailAlreadyRegisteredError } from '../../../shared/domain/errors.js';
import type { SignupAccount } from '../../../shared/domain/signup-workflow.js';
import { createIdentity } from '../../../shared/use-cases/signup/create-identity.js';
import { deleteIdentity } from '../../../shared/use-cases/signup/delete-identity.js';
import { persistClient, type PersistClientInput } from '../../../shared/use-cases/signup/persist-client.js';
import { removeClientRecords } from '../../../shared/use-cases/signup/remove-client-records.js';
import { sendWelcomeEmail } from '../../../shared/use-cases/signup/send-welcome-email.js';
import { startCareLifecycle } from '../../../shared/use-cases/signup/start-care-lifecycle.js';
import { ClientNotFoundError, ClientRecordsConflictError } from '../../../shared/use-cases/workflow-errors.js';
import { FakeClientRecords, FakeEmailSender, FakeIdentityAdmin, FakeWorkflowStarter, fixedNow } from './fakes.js';

const account: SignupAccount = {
  email: 'casey@example.com',
  firstName: 'Casey',
  lastName: 'Fernhill',
  dateOfBirth: '1988-02-29',
  clientType: 'couple',
  state: 'NY',
  timezone: 'America/New_York',
};

const persistInput = (clientId: string, overrides: Partial<PersistClientInput> = {}): PersistClientInput => ({
  requestId: 'req-1',
  clientId,
  account,
  consents: [
    { document: 'privacyPolicy', version: '2026-11-01' },
    { document: 'termsAndConditions', version: '2026-11-01' },
    { document: 'disclaimer', version: '2026-11-01' },
  ],
  consentContext: { ipAddress: '198.51.100.4', userAgent: 'unit', acceptedAt: '2026-11-20T14:59:00.000Z' },
  ...overrides,
});

describe('createIdentity', () => {
  let identities: FakeIdentityAdmin;
  beforeEach(() => {
    identities = new FakeIdentityAdmin();
  });
  const input = { requestId: 'req-1', email: 'casey@example.com', firstName: 'Casey', lastName: 'Fernhill', password: 'Secret-123!' };

  it('creates the user, sets the password as permanent and adds the client group, returning the sub as client id', async () => {
    const { clientId } = await createIdentity(input, { identities });
    expect(clientId).toBe('user-1');
    expect(identities.users.get('casey@example.com')).toMatchObject({ password: 'Secret-123!', groups: ['client'] });
  });

  it('throws EmailAlreadyRegisteredError for a taken email and deletes nothing', async () => {
    await createIdentity(input, { identities });
    await expect(createIdentity({ ...input, requestId: 'req-2', password: 'Other-123!' }, { identities })).rejects.toBeInstanceOf(
      EmailAlreadyRegisteredError,
    );
    expect(identities.calls.filter((call) => call.startsWith('deleteUser'))).toEqual([]);
    expect(identities.users.get('casey@example.com')?.password).toBe('Secret-123!');
  });

  it('resumes the user its own earlier attempt created (same signup request): a retry after a lost response', async () => {
    // The first attempt created the user, then failed before answering.
    await identities.createUser({ email: input.email, firstName: 'Casey', lastName: 'Fernhill', signupRequestId: input.requestId });
    const { clientId } = await createIdentity(input, { identities });
    expect(clientId).toBe('user-1');
    expect(identities.users.get(input.email)).toMatchObject({ password: 'Secret-123!', groups: ['client'] });
    // And a full retry after success changes nothing.
    expect(await createIdentity(input, { identities })).toEqual({ clientId: 'user-1' });
    expect(identities.users.get(input.email)?.groups).toEqual(['client']);
  });

  it.each(['setPermanentPassword', 'addToGroup'] as const)('deletes the user it made when %s fails, and rethrows that error', async (step) => {
    const failure = Object.assign(new Error('boom'), { name: 'InternalErrorException' });
    identities.failNext[step] = failure;
    await expect(createIdentity(input, { identities })).rejects.toBe(failure);
    expect(identities.users.size).toBe(0);
  });

  it('keeps the original error when the cleanup fails too', async () => {
    const failure = new Error('group failed');
    identities.failNext = { addToGroup: failure, deleteUser: new Error('delete failed') };
    const thrown = await createIdentity(input, { identities }).catch((error: unknown) => error);
    expect(thrown).toBe(failure);
    expect((thrown as Error).cause).toMatchObject({ message: 'delete failed' });
  });
});

describe('persistClient', () => {
  it('creates the client in the awaiting_consultation stage', async () => {
    const clients = new FakeClientRecords();
    expect(await persistClient(persistInput('c-1'), { clients, now: fixedNow })).toEqual({ status: 'awaiting_consultation', created: true });
    expect(clients.profiles.get('c-1')).toMatchObject({ stage: 'awaiting_consultation', createdAt: '2026-11-20T15:00:00.000Z' });
    expect(clients.consents.get('c-1')).toHaveLength(3);
  });

  it('succeeds on a retry of its own committed write', async () => {
    const clients = new FakeClientRecords();
    await persistClient(persistInput('c-1'), { clients, now: fixedNow });
    expect(await persistClient(persistInput('c-1'), { clients, now: fixedNow })).toEqual({ status: 'awaiting_consultation', created: false });
  });

  it.each([
    ['another client', { userId: 'c-other', kind: 'client' as const }],
    ['a staff member', { userId: 'c-1', kind: 'staff' as const }],
  ])('throws EmailAlreadyRegisteredError when %s owns the email', async (_who, owner) => {
    const clients = new FakeClientRecords();
    clients.emailOwners.set(account.email, owner);
    await expect(persistClient(persistInput('c-1'), { clients, now: fixedNow })).rejects.toBeInstanceOf(EmailAlreadyRegisteredError);
    expect(clients.profiles.size).toBe(0);
  });

  it('reports records of this client without its email claim as a conflict', async () => {
    const clients = new FakeClientRecords();
    await persistClient(persistInput('c-1'), { clients, now: fixedNow });
    clients.emailOwners.clear();
    await expect(persistClient(persistInput('c-1'), { clients, now: fixedNow })).rejects.toBeInstanceOf(ClientRecordsConflictError);
  });
});

describe('sendWelcomeEmail', () => {
  const input = { requestId: 'req-1', clientId: 'c-1', email: 'casey@example.com', firstName: 'Casey' };

  async function withClient() {
    const clients = new FakeClientRecords();
    await persistClient(persistInput('c-1'), { clients, now: fixedNow });
    return clients;
  }

  it('sends the welcome email and records it', async () => {
    const clients = await withClient();
    const email = new FakeEmailSender();
    const result = await sendWelcomeEmail(input, { clients, email, appBaseUrl: 'https://app.example', now: fixedNow });
    expect(result).toEqual({ sent: true, messageId: 'message-1' });
    expect(email.sent[0]).toMatchObject({ to: 'casey@example.com' });
    expect(email.sent[0]?.text).toContain('https://app.example/consultation');
    expect(clients.notifications.get('c-1/welcome')).toEqual({ key: 'welcome', channel: 'email', messageId: 'message-1', sentAt: '2026-11-20T15:00:00.000Z' });
  });

  it('skips a welcome email already recorded (a retry)', async () => {
    const clients = await withClient();
    const email = new FakeEmailSender();
    await sendWelcomeEmail(input, { clients, email, appBaseUrl: 'https://app.example', now: fixedNow });
    expect(await sendWelcomeEmail(input, { clients, email, appBaseUrl: 'https://app.example', now: fixedNow })).toEqual({
      sent: false,
      reason: 'already_sent',
    });
    expect(email.sent).toHaveLength(1);
  });

  it('records nothing when sending fails, so a retry sends', async () => {
    const clients = await withClient();
    const email = new FakeEmailSender();
    email.failNext = Object.assign(new Error('throttled'), { name: 'Throttling' });
    await expect(sendWelcomeEmail(input, { clients, email, appBaseUrl: 'https://app.example', now: fixedNow })).rejects.toThrow('throttled');
    expect(clients.notifications.size).toBe(0);
    expect((await sendWelcomeEmail(input, { clients, email, appBaseUrl: 'https://app.example', now: fixedNow })).sent).toBe(true);
  });
});

describe('startCareLifecycle', () => {
  it('starts client-<id>-1 with generation 1 and no wake-ups, and stores the ARN on the profile', async () => {
    const clients = new FakeClientRecords();
    await persistClient(persistInput('c-1'), { clients, now: fixedNow });
    const careLifecycle = new FakeWorkflowStarter();
    const { executionArn } = await startCareLifecycle({ requestId: 'req-1', clientId: 'c-1' }, { careLifecycle, clients, now: fixedNow });
    expect(JSON.parse(careLifecycle.executions.get('client-c-1-1') ?? '')).toEqual({ clientId: 'c-1', generation: 1, wakeUps: 0 });
    expect(clients.profiles.get('c-1')?.careLifecycleExecutionArn).toBe(executionArn);
    // A retry finds the same execution.
    expect((await startCareLifecycle({ requestId: 'req-1', clientId: 'c-1' }, { careLifecycle, clients, now: fixedNow })).executionArn).toBe(
      executionArn,
    );
    expect(careLifecycle.executions.size).toBe(1);
  });

  it('fails with ClientNotFoundError when the profile is gone', async () => {
    await expect(
      startCareLifecycle({ requestId: 'req-1', clientId: 'c-9' }, { careLifecycle: new FakeWorkflowStarter(), clients: new FakeClientRecords(), now: fixedNow }),
    ).rejects.toBeInstanceOf(ClientNotFoundError);
  });
});

describe('compensation', () => {
  it('removeClientRecords removes the client and releases only its own email claim, twice without harm', async () => {
    const clients = new FakeClientRecords();
    await persistClient(persistInput('c-1'), { clients, now: fixedNow });
    const input = { requestId: 'req-1', clientId: 'c-1', email: account.email };
    expect(await removeClientRecords(input, { clients })).toEqual({ removedItems: 4, emailReleased: true });
    expect(await removeClientRecords(input, { clients })).toEqual({ removedItems: 0, emailReleased: false });
    clients.emailOwners.set(account.email, { userId: 'staff-1', kind: 'staff' });
    await removeClientRecords(input, { clients });
    expect(clients.emailOwners.get(account.email)).toEqual({ userId: 'staff-1', kind: 'staff' });
  });

  it('deleteIdentity deletes our identity, accepts one already gone and never deletes someone else', async () => {
    const identities = new FakeIdentityAdmin();
    const { userId } = await identities.createUser({ email: account.email, firstName: 'Casey', lastName: 'Fernhill', signupRequestId: 'req-1' });
    const input = { requestId: 'req-1', clientId: userId, email: account.email };
    expect(await deleteIdentity({ ...input, clientId: 'somebody-else' }, { identities })).toEqual({ outcome: 'not_ours' });
    expect(identities.users.has(account.email)).toBe(true);
    expect(await deleteIdentity(input, { identities })).toEqual({ outcome: 'deleted' });
    expect(await deleteIdentity(input, { identities })).toEqual({ outcome: 'already_gone' });
  });
});
