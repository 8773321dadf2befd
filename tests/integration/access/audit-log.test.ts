/** The DynamoDB audit log against DynamoDB Local: concurrent appends make one keyed chain, tampering is found. */
import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AuditAppendError, createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { createStaffAuditLog } from '../../../shared/adapters/dynamodb/staff-audit-log.js';
import { chainHashInput, GENESIS_HASH, type AuditEvent } from '../../../shared/domain/audit.js';
import type { StaffAuditEvent } from '../../../shared/domain/staff-audit.js';

const TableName = inject('localStack').env.TABLE_NAME as string;
const documentClient = createDocumentClient();
const auditLog = createAuditLog({ documentClient, tableName: TableName });

afterAll(() => documentClient.destroy());

function event(clientId: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    eventId: randomUUID(),
    at: new Date().toISOString(),
    actor: { userId: randomUUID(), role: 'therapist' },
    action: 'read',
    record: { category: 'assessment', id: randomUUID() },
    clientId,
    purpose: 'treatment',
    outcome: 'success',
    basis: 'assigned_therapist',
    ...overrides,
  };
}

async function storedItems(clientId: string, partition = keys.auditPartition(clientId)): Promise<Record<string, unknown>[]> {
  const { Items } = await documentClient.send(
    new QueryCommand({
      TableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

describe('appending', () => {
  it('makes ONE unbroken chain of 20 from 20 concurrent appends', async () => {
    const clientId = randomUUID();
    const events = Array.from({ length: 20 }, () => event(clientId));
    await Promise.all(events.map((e) => auditLog.record(e)));

    const verification = await auditLog.verifyChain(clientId);
    expect(verification).toMatchObject({ intact: true, length: 20 });
    const head = await auditLog.head(clientId);
    expect(head).toEqual({ seq: 20, hash: verification.intact ? verification.lastHash : undefined });

    const items = await storedItems(clientId);
    const links = items.filter((item) => item.entityType === 'audit-event');
    expect(links.map((item) => item.SK)).toEqual(Array.from({ length: 20 }, (_, i) => `SEQ#${String(i + 1).padStart(12, '0')}`));
    expect(links.map((item) => item.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(links[0]!.prevHash).toBe(GENESIS_HASH);
    // Every event exactly once: no append lost or doubled by a retry.
    expect(new Set(links.map((item) => (item.event as AuditEvent).eventId))).toEqual(new Set(events.map((e) => e.eventId)));
    // The events partition holds events only (IAM can tell it from the head's by its key).
    expect(items).toHaveLength(20);
    const headItems = await storedItems(clientId, keys.auditHead(clientId).PK);
    expect(headItems.map((item) => item.SK).sort()).toEqual(['CHAIN', 'HEAD']);
  });

  it('lists every chain once in the AUDIT_CHAINS index, for the verifier', async () => {
    const [one, two] = [randomUUID(), randomUUID()];
    for (const clientId of [one, two, one, one]) await auditLog.record(event(clientId));
    const listed: string[] = [];
    for await (const clientId of auditLog.chains()) listed.push(clientId);
    expect(listed.filter((id) => id === one)).toHaveLength(1);
    expect(listed.filter((id) => id === two)).toHaveLength(1);
  });

  it('keeps each client\'s chain apart', async () => {
    const [one, two] = [randomUUID(), randomUUID()];
    await Promise.all([...Array.from({ length: 4 }, () => auditLog.record(event(one))), ...Array.from({ length: 3 }, () => auditLog.record(event(two)))]);
    expect(await auditLog.verifyChain(one)).toMatchObject({ intact: true, length: 4 });
    expect(await auditLog.verifyChain(two)).toMatchObject({ intact: true, length: 3 });
  });

  it('gives up with AuditAppendError after its attempts, leaving an intact chain of the appends that made it', async () => {
    const clientId = randomUUID();
    const impatient = createAuditLog({ documentClient, tableName: TableName, maxAttempts: 1 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => impatient.record(event(clientId))));
    const appended = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(appended + refused.length).toBe(8);
    for (const r of refused) expect(r.reason).toBeInstanceOf(AuditAppendError);
    expect(await auditLog.verifyChain(clientId)).toMatchObject({ intact: true, length: appended });
  });

  it('refuses an event with content in it and writes nothing', async () => {
    const clientId = randomUUID();
    await expect(auditLog.record({ ...event(clientId), note: 'synthetic text' } as AuditEvent)).rejects.toThrow();
    await expect(auditLog.record(event(clientId, { outcome: 'denied' }))).rejects.toThrow();
    expect(await storedItems(clientId)).toEqual([]);
    expect(await auditLog.verifyChain(clientId)).toEqual({ intact: true, length: 0, lastHash: GENESIS_HASH });
  });

  it('reads events back in order, after a sequence and up to a limit', async () => {
    const clientId = randomUUID();
    const events = Array.from({ length: 5 }, (_, i) => event(clientId, { record: { category: 'check_in', id: `check-in-${i + 1}` } }));
    for (const e of events) await auditLog.record(e);
    expect(await auditLog.events(clientId)).toEqual(events);
    expect((await auditLog.events(clientId, { afterSeq: 2, limit: 2 })).map((e) => e.record.id)).toEqual(['check-in-3', 'check-in-4']);
    expect(await auditLog.events(clientId, { afterSeq: 5 })).toEqual([]);
    expect(await auditLog.events(randomUUID())).toEqual([]);
  });
});

describe('verifyChain finds tampering', () => {
  async function chainOf(length: number): Promise<string> {
    const clientId = randomUUID();
    for (let n = 0; n < length; n += 1) await auditLog.record(event(clientId));
    return clientId;
  }

  it('at the event whose stored content was changed (a raw UpdateItem)', async () => {
    const clientId = await chainOf(10);
    await documentClient.send(
      new UpdateCommand({
        TableName,
        Key: keys.auditEvent(clientId, 7),
        UpdateExpression: 'SET #event.#outcome = :denied, #event.denialReason = :reason',
        ExpressionAttributeNames: { '#event': 'event', '#outcome': 'outcome' },
        ExpressionAttributeValues: { ':denied': 'denied', ':reason': 'other_client' },
      }),
    );
    expect(await auditLog.verifyChain(clientId)).toEqual({ intact: false, brokenAt: 7, problem: 'hash_mismatch', intactLength: 6 });
  });

  it('at the next event when the changed event got a recomputed-looking hash', async () => {
    const clientId = await chainOf(5);
    await documentClient.send(
      new UpdateCommand({ TableName, Key: keys.auditEvent(clientId, 3), UpdateExpression: 'SET #hash = :h', ExpressionAttributeNames: { '#hash': 'hash' }, ExpressionAttributeValues: { ':h': 'b'.repeat(64) } }),
    );
    expect(await auditLog.verifyChain(clientId)).toMatchObject({ intact: false, brokenAt: 3, problem: 'hash_mismatch' });
  });

  it('where an event was deleted, and where the last ones were cut off', async () => {
    const middle = await chainOf(6);
    await documentClient.send(new DeleteCommand({ TableName, Key: keys.auditEvent(middle, 4) }));
    expect(await auditLog.verifyChain(middle)).toMatchObject({ intact: false, brokenAt: 4, problem: 'sequence_gap' });

    const tail = await chainOf(6);
    await documentClient.send(new DeleteCommand({ TableName, Key: keys.auditEvent(tail, 6) }));
    await documentClient.send(new DeleteCommand({ TableName, Key: keys.auditEvent(tail, 5) }));
    expect(await auditLog.verifyChain(tail)).toEqual({ intact: false, brokenAt: 5, problem: 'head_mismatch', intactLength: 4 });
  });

  it('where an event was replaced by a copy of another', async () => {
    const clientId = await chainOf(4);
    const { Item } = await documentClient.send(new GetCommand({ TableName, Key: keys.auditEvent(clientId, 1), ConsistentRead: true }));
    await documentClient.send(new PutCommand({ TableName, Item: { ...Item, ...keys.auditEvent(clientId, 2), seq: 2 } }));
    expect(await auditLog.verifyChain(clientId)).toMatchObject({ intact: false, brokenAt: 2, problem: 'prev_hash_mismatch' });
  });

  it('where the head and the first event were deleted (no longer "intact, length 0")', async () => {
    const clientId = await chainOf(4);
    await documentClient.send(new DeleteCommand({ TableName, Key: keys.auditHead(clientId) }));
    await documentClient.send(new DeleteCommand({ TableName, Key: keys.auditEvent(clientId, 1) }));
    expect(await auditLog.verifyChain(clientId)).toEqual({ intact: false, brokenAt: 1, problem: 'sequence_gap', intactLength: 0 });
  });

  it('where the head alone was deleted while events exist', async () => {
    const clientId = await chainOf(3);
    await documentClient.send(new DeleteCommand({ TableName, Key: keys.auditHead(clientId) }));
    expect(await auditLog.verifyChain(clientId)).toEqual({ intact: false, brokenAt: 1, problem: 'head_missing', intactLength: 0 });
  });

  it('at the first event beyond a head rewound to an earlier, genuine state', async () => {
    const clientId = await chainOf(10);
    const { Item } = await documentClient.send(new GetCommand({ TableName, Key: keys.auditEvent(clientId, 6), ConsistentRead: true }));
    await documentClient.send(new UpdateCommand({
      TableName,
      Key: keys.auditHead(clientId),
      UpdateExpression: 'SET seq = :seq, #hash = :hash',
      ExpressionAttributeNames: { '#hash': 'hash' },
      ExpressionAttributeValues: { ':seq': 6, ':hash': Item!.hash },
    }));
    expect(await auditLog.verifyChain(clientId)).toEqual({ intact: false, brokenAt: 7, problem: 'head_rewound', intactLength: 6 });
  });

  it('at the event rewritten and re-linked with plain SHA-256, as an attacker without the key would', async () => {
    const clientId = await chainOf(6);
    const items = (await storedItems(clientId)).filter((item) => item.entityType === 'audit-event').sort((a, b) => Number(a.seq) - Number(b.seq));
    let prevHash = String(items[2]!.hash);
    for (const item of items.slice(3)) {
      const seq = Number(item.seq);
      const changed = seq === 4 ? { ...(item.event as AuditEvent), purpose: 'operations' } : item.event;
      const hash = createHash('sha256').update(chainHashInput(prevHash, seq, changed), 'utf8').digest('hex');
      await documentClient.send(new PutCommand({ TableName, Item: { ...item, event: changed, prevHash, hash } }));
      prevHash = hash;
    }
    await documentClient.send(new UpdateCommand({
      TableName,
      Key: keys.auditHead(clientId),
      UpdateExpression: 'SET #hash = :hash',
      ExpressionAttributeNames: { '#hash': 'hash' },
      ExpressionAttributeValues: { ':hash': prevHash },
    }));
    expect(await auditLog.verifyChain(clientId)).toEqual({ intact: false, brokenAt: 4, problem: 'hash_mismatch', intactLength: 3 });
  });

  it('and a later append does not heal a broken chain', async () => {
    const clientId = await chainOf(3);
    await documentClient.send(
      new UpdateCommand({ TableName, Key: keys.auditEvent(clientId, 2), UpdateExpression: 'SET #event.purpose = :p', ExpressionAttributeNames: { '#event': 'event' }, ExpressionAttributeValues: { ':p': 'operations' } }),
    );
    await auditLog.record(event(clientId));
    expect(await auditLog.verifyChain(clientId)).toMatchObject({ intact: false, brokenAt: 2, problem: 'hash_mismatch' });
  });
});

describe("a staff member's chain (credentialing), kept like a client's", () => {
  const staffLog = createStaffAuditLog({ documentClient, tableName: TableName });

  function staffEvent(staffId: string, n: number): StaffAuditEvent {
    return {
      eventId: randomUUID(),
      at: new Date().toISOString(),
      actor: { userId: randomUUID(), role: 'admin' },
      staffId,
      action: 'credentialing_change',
      outcome: 'success',
      changes: [{ field: 'caseloadCapacity', before: 20 + n, after: 21 + n }],
    };
  }

  it('puts events alone in STAFF_AUDIT#, head and listing in STAFF_AUDIT_HEAD#, and lists it apart from the clients', async () => {
    const staffId = randomUUID();
    await Promise.all([1, 2, 3].map((n) => staffLog.record(staffEvent(staffId, n))));
    expect(await staffLog.verifyChain(staffId)).toMatchObject({ intact: true, length: 3 });
    expect((await storedItems(staffId, keys.staffAuditPartition(staffId))).map((item) => item.entityType)).toEqual(Array(3).fill('staff-audit-event'));
    expect((await storedItems(staffId, keys.staffAuditHead(staffId).PK)).map((item) => item.SK).sort()).toEqual(['CHAIN', 'HEAD']);
    const staffChains: string[] = [];
    for await (const id of staffLog.chains()) staffChains.push(id);
    expect(staffChains).toContain(staffId);
    const clientChains: string[] = [];
    for await (const id of auditLog.chains()) clientChains.push(id);
    expect(clientChains).not.toContain(staffId);
  });

  it('reports a deleted head (head_missing) and an event re-linked with plain SHA-256 (hash_mismatch)', async () => {
    const staffId = randomUUID();
    for (const n of [1, 2]) await staffLog.record(staffEvent(staffId, n));
    const second = keys.staffAuditEvent(staffId, 2);
    const { Item } = await documentClient.send(new GetCommand({ TableName, Key: second, ConsistentRead: true }));
    const forged = { ...(Item!.event as StaffAuditEvent), changes: [{ field: 'caseloadCapacity', before: 22, after: 99 }] };
    const plainHash = createHash('sha256').update(chainHashInput(String(Item!.prevHash), 2, forged)).digest('hex');
    await documentClient.send(new PutCommand({ TableName, Item: { ...Item, event: forged, hash: plainHash } }));
    await documentClient.send(new PutCommand({ TableName, Item: { ...keys.staffAuditHead(staffId), entityType: 'staff-audit-head', seq: 2, hash: plainHash } }));
    expect(await staffLog.verifyChain(staffId)).toMatchObject({ intact: false, brokenAt: 2, problem: 'hash_mismatch' });

    const untouched = randomUUID();
    for (const n of [1, 2]) await staffLog.record(staffEvent(untouched, n));
    await documentClient.send(new DeleteCommand({ TableName, Key: keys.staffAuditHead(untouched) }));
    expect(await staffLog.verifyChain(untouched)).toMatchObject({ intact: false, brokenAt: 1, problem: 'head_missing' });
  });
});
