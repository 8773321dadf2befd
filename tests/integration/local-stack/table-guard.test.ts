/**
 * The local table guard against DynamoDB Local: a document client created after the guard is
 * installed refuses, inside an invocation, what the function's IAM would refuse, and lets
 * through what it allows; outside any invocation it checks nothing.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { denials, installTableGuard, runAsFunction } from '../../../local/iam/table-guard.js';

const TableName = inject('localStack').env.TABLE_NAME as string;
const uninstall = installTableGuard();
const db = createDocumentClient();

afterAll(() => {
  db.destroy();
  uninstall();
});

const reader = { id: 'get-client', capabilities: ['table:read:client'] as const };

describe('the local table guard', () => {
  it("lets a function read its area and refuses, as AccessDeniedException, a write or another area, naming the function", async () => {
    const clientId = randomUUID();
    const before = denials().length;
    await runAsFunction(reader, () => db.send(new GetCommand({ TableName, Key: keys.clientProfile(clientId) })));
    await expect(runAsFunction(reader, () => db.send(new PutCommand({ TableName, Item: { ...keys.clientProfile(clientId), x: 1 } })))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('get-client'),
    });
    await expect(runAsFunction(reader, () => db.send(new GetCommand({ TableName, Key: keys.staffProfile(clientId) })))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(denials().slice(before)).toEqual([
      { functionId: 'get-client', action: 'dynamodb:PutItem', partition: 'CLIENT#', index: false },
      { functionId: 'get-client', action: 'dynamodb:GetItem', partition: 'STAFF#', index: false },
    ]);
    // Nothing was written.
    expect((await db.send(new GetCommand({ TableName, Key: keys.clientProfile(clientId) }))).Item).toBeUndefined();
  });

  it('refuses a whole transaction when one item is outside the grant, and an update of an audit head even with every client grant', async () => {
    const clientId = randomUUID();
    const writer = { id: 'w', capabilities: ['table:write:client', 'table:delete:client', 'audit:write'] as const };
    await expect(
      runAsFunction(writer, () =>
        db.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName, Item: { ...keys.clientProfile(clientId) } } }, { Put: { TableName, Item: { ...keys.staffProfile(clientId) } } }] })),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect((await db.send(new GetCommand({ TableName, Key: keys.clientProfile(clientId) }))).Item).toBeUndefined();
    await expect(
      runAsFunction(writer, () => db.send(new TransactWriteCommand({ TransactItems: [{ Update: { TableName, Key: keys.auditHead(clientId), UpdateExpression: 'SET seq = :s', ExpressionAttributeValues: { ':s': 0 } } }] }))),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('checks nothing outside an invocation (seeding and test set-up are not a function)', async () => {
    const clientId = randomUUID();
    await db.send(new PutCommand({ TableName, Item: { ...keys.staffProfile(clientId), entityType: 'test' } }));
    expect((await db.send(new GetCommand({ TableName, Key: keys.staffProfile(clientId) }))).Item).toMatchObject({ entityType: 'test' });
  });
});
