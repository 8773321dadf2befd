/** The client repository against DynamoDB Local: the transaction, its conditions, idempotent removal. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import type { NewClient } from '../../../shared/use-cases/ports.js';
import { ClientNotFoundError } from '../../../shared/use-cases/workflow-errors.js';
import { claimEmailForStaff, clientItems, emailRecord, signupInput, tableName, uniqueEmail } from '../../workflow/support.js';

const clients = createClientRepository({ documentClient: createDocumentClient(), tableName: tableName() });

function newClient(overrides: { clientId?: string; email?: string; phone?: string } = {}): NewClient {
  const { account, consents, consentContext, requestId } = signupInput({ email: overrides.email ?? uniqueEmail('repo') });
  return {
    clientId: overrides.clientId ?? randomUUID(),
    account: { ...account, ...(overrides.phone ? { phone: overrides.phone } : {}) },
    stage: 'awaiting_consultation',
    consents,
    consentContext,
    requestId,
    createdAt: '2026-11-20T15:00:00.000Z',
  };
}

describe('createClient', () => {
  it('writes profile, email owner and one consent per document in one go', async () => {
    const client = newClient({ phone: '+15555550123' });
    expect(await clients.createClient(client)).toEqual({ outcome: 'created' });

    const profile = await clients.getProfile(client.clientId);
    expect(profile).toEqual({
      ...client.account,
      clientId: client.clientId,
      stage: 'awaiting_consultation',
      createdAt: '2026-11-20T15:00:00.000Z',
      updatedAt: '2026-11-20T15:00:00.000Z',
    });
    expect(await clients.getEmailOwner(client.account.email)).toEqual({ userId: client.clientId, kind: 'client' });
    const items = await clientItems(client.clientId);
    expect([...items.keys()].filter((sk) => sk.startsWith('CONSENT#'))).toHaveLength(3);
    expect(items.get('CONSENT#disclaimer#2026-11-01')).toMatchObject({ entityType: 'consent', signupRequestId: client.requestId });
  });

  it('leaves out an absent phone number instead of failing', async () => {
    const client = newClient();
    await clients.createClient(client);
    expect((await clientItems(client.clientId)).get('PROFILE')).not.toHaveProperty('phone');
  });

  it('writes nothing and names the owner when the email is taken: by itself (a retry), by someone else, by staff', async () => {
    const client = newClient();
    await clients.createClient(client);
    expect(await clients.createClient(client)).toEqual({ outcome: 'email_taken', owner: { userId: client.clientId, kind: 'client' } });

    const other = newClient({ email: client.account.email });
    expect(await clients.createClient(other)).toEqual({ outcome: 'email_taken', owner: { userId: client.clientId, kind: 'client' } });
    expect((await clientItems(other.clientId)).size).toBe(0);

    const staffEmail = uniqueEmail('staff');
    const staffId = await claimEmailForStaff(staffEmail);
    const blocked = newClient({ email: staffEmail });
    expect(await clients.createClient(blocked)).toEqual({ outcome: 'email_taken', owner: { userId: staffId, kind: 'staff' } });
    expect((await clientItems(blocked.clientId)).size).toBe(0);
  });

  it('reports client_exists when the client id has records but the email is new', async () => {
    const client = newClient();
    await clients.createClient(client);
    expect(await clients.createClient({ ...client, account: { ...client.account, email: uniqueEmail('moved') } })).toEqual({ outcome: 'client_exists' });
  });
});

describe('care lifecycle and notifications', () => {
  it('stores the lifecycle execution on an existing profile only', async () => {
    const client = newClient();
    await clients.createClient(client);
    await clients.setCareLifecycleExecution(client.clientId, 'arn:aws:states:us-east-1:000000000000:execution:x:y', '2026-11-20T16:00:00.000Z');
    expect(await clients.getProfile(client.clientId)).toMatchObject({
      careLifecycleExecutionArn: 'arn:aws:states:us-east-1:000000000000:execution:x:y',
      updatedAt: '2026-11-20T16:00:00.000Z',
    });
    await expect(clients.setCareLifecycleExecution(randomUUID(), 'arn', 'now')).rejects.toBeInstanceOf(ClientNotFoundError);
  });

  it('records a notification once, and never for a client who is gone', async () => {
    const client = newClient();
    await clients.createClient(client);
    const sent = { key: 'welcome', channel: 'email' as const, messageId: 'm-1', sentAt: '2026-11-20T16:00:00.000Z' };
    expect(await clients.hasNotification(client.clientId, 'welcome')).toBe(false);
    await clients.recordNotification(client.clientId, sent);
    await clients.recordNotification(client.clientId, { ...sent, messageId: 'm-2' });
    expect(await clients.hasNotification(client.clientId, 'welcome')).toBe(true);
    expect((await clientItems(client.clientId)).get('NOTIFICATION#welcome')).toMatchObject({ messageId: 'm-1' });

    const gone = randomUUID();
    await expect(clients.recordNotification(gone, sent)).rejects.toBeInstanceOf(ClientNotFoundError);
    expect((await clientItems(gone)).size).toBe(0);
  });
});

describe('removeClient', () => {
  it('removes the whole partition and the email claim, and is idempotent', async () => {
    const client = newClient();
    await clients.createClient(client);
    await clients.recordNotification(client.clientId, { key: 'welcome', channel: 'email', messageId: 'm', sentAt: 'now' });

    expect(await clients.removeClient(client.clientId, client.account.email)).toEqual({ removedItems: 5, emailReleased: true });
    expect((await clientItems(client.clientId)).size).toBe(0);
    expect(await emailRecord(client.account.email)).toBeUndefined();
    expect(await clients.removeClient(client.clientId, client.account.email)).toEqual({ removedItems: 0, emailReleased: false });
  });

  it('never releases an email someone else owns', async () => {
    const email = uniqueEmail('kept');
    const staffId = await claimEmailForStaff(email);
    expect(await clients.removeClient(randomUUID(), email)).toEqual({ removedItems: 0, emailReleased: false });
    expect((await emailRecord(email))?.owner).toEqual({ userId: staffId, kind: 'staff' });
  });
});
