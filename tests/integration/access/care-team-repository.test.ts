/** The care-team repository against DynamoDB Local: begin (idempotent, one per kind), end, history, "my clients". */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { now } from '../../../shared/adapters/clock.js';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { decideClientAccess, type CareRelationship } from '../../../shared/domain/access.js';
import { buildAuditEvent } from '../../../shared/use-cases/access/client-access.js';
import { clientItems, signupInput } from '../../workflow/support.js';

const TableName = inject('localStack').env.TABLE_NAME as string;
const documentClient = createDocumentClient();
const careTeam = createCareTeamRepository({ documentClient, tableName: TableName });
const clients = createClientRepository({ documentClient, tableName: TableName });

afterAll(() => documentClient.destroy());

/** A client profile with synthetic data; relationships need one. */
async function newClient(): Promise<{ clientId: string; email: string }> {
  const clientId = randomUUID();
  const { account, consents, consentContext, requestId } = signupInput();
  const created = await clients.createClient({ clientId, account, stage: 'awaiting_consultation', consents, consentContext, requestId, createdAt: new Date().toISOString() });
  expect(created).toEqual({ outcome: 'created' });
  return { clientId, email: account.email };
}

/** GSI1 is eventually consistent in AWS: poll with a deadline. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const STARTED = '2026-01-10T12:00:00.000Z';
const ENDED = '2026-03-01T00:00:00.000Z';

describe('begin', () => {
  it('writes the relationship under the client and indexes it under the clinician', async () => {
    const { clientId } = await newClient();
    const clinicianId = randomUUID();
    const result = await careTeam.begin({ clientId, clinicianId, kind: 'therapist', startedAt: STARTED });
    const relationship: CareRelationship = { clientId, clinicianId, kind: 'therapist', startedAt: STARTED };
    expect(result).toEqual({ outcome: 'begun', relationship });

    const items = await clientItems(clientId);
    expect(items.get(`CARE#therapist#${clinicianId}#${STARTED}`)).toMatchObject({
      entityType: 'care-relationship',
      GSI1PK: `CLINICIAN_CLIENTS#${clinicianId}`,
      GSI1SK: `ACTIVE#therapist#${STARTED}#${clientId}`,
    });
    expect(items.get('CARE_ACTIVE#therapist')).toMatchObject({ clinicianId, startedAt: STARTED });
    expect(await careTeam.relationshipsOf(clientId)).toEqual([relationship]);
    expect(await careTeam.activeFor(clientId)).toEqual([relationship]);
    expect(await careTeam.relationship(clientId, clinicianId)).toEqual([relationship]);
    expect(await careTeam.relationship(clientId, randomUUID())).toEqual([]);
    expect(await eventually(() => careTeam.clientsOf(clinicianId, 'active'), (r) => r.length > 0)).toEqual([relationship]);
  });

  it('is idempotent: a retry, even with another start, returns the active relationship and writes nothing', async () => {
    const { clientId } = await newClient();
    const clinicianId = randomUUID();
    const first = await careTeam.begin({ clientId, clinicianId, kind: 'consultation', startedAt: STARTED });
    expect(await careTeam.begin({ clientId, clinicianId, kind: 'consultation', startedAt: STARTED })).toEqual({ ...first, outcome: 'already_active' });
    expect(await careTeam.begin({ clientId, clinicianId, kind: 'consultation', startedAt: '2026-01-11T00:00:00.000Z' })).toEqual({ ...first, outcome: 'already_active' });
    expect(await careTeam.relationshipsOf(clientId)).toHaveLength(1);
  });

  it('keeps one active relationship per kind: another clinician finds it occupied; the other kind is free', async () => {
    const { clientId } = await newClient();
    const [therapist, other, consultant] = [randomUUID(), randomUUID(), randomUUID()];
    await careTeam.begin({ clientId, clinicianId: therapist, kind: 'therapist', startedAt: STARTED });
    expect(await careTeam.begin({ clientId, clinicianId: other, kind: 'therapist', startedAt: ENDED })).toEqual({
      outcome: 'occupied',
      active: { clientId, clinicianId: therapist, kind: 'therapist', startedAt: STARTED },
    });
    expect(await careTeam.begin({ clientId, clinicianId: consultant, kind: 'consultation', startedAt: ENDED })).toMatchObject({ outcome: 'begun' });
    expect((await careTeam.activeFor(clientId)).map((r) => r.clinicianId)).toEqual([therapist, consultant]);
  });

  it('lets exactly one of five clinicians begin at once', async () => {
    const { clientId } = await newClient();
    const contenders = Array.from({ length: 5 }, () => randomUUID());
    const results = await Promise.all(contenders.map((clinicianId) => careTeam.begin({ clientId, clinicianId, kind: 'therapist', startedAt: STARTED })));
    expect(results.filter((r) => r.outcome === 'begun')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'occupied')).toHaveLength(4);
    expect(await careTeam.relationshipsOf(clientId)).toHaveLength(1);
  });

  it('refuses a client without a profile and writes nothing', async () => {
    const clientId = randomUUID();
    expect(await careTeam.begin({ clientId, clinicianId: randomUUID(), kind: 'therapist', startedAt: STARTED })).toEqual({ outcome: 'client_not_found' });
    expect((await clientItems(clientId)).size).toBe(0);
  });
});

describe('end', () => {
  it('stamps the end, keeps the history, frees the kind and moves the clinician index to ended', async () => {
    const { clientId } = await newClient();
    const clinicianId = randomUUID();
    await careTeam.begin({ clientId, clinicianId, kind: 'therapist', startedAt: STARTED });
    const ended: CareRelationship = { clientId, clinicianId, kind: 'therapist', startedAt: STARTED, endedAt: ENDED, endReason: 'rematch' };
    expect(await careTeam.end({ clientId, clinicianId, kind: 'therapist', endedAt: ENDED, endReason: 'rematch' })).toEqual({ outcome: 'ended', relationship: ended });

    expect(await careTeam.relationshipsOf(clientId)).toEqual([ended]);
    expect(await careTeam.activeFor(clientId)).toEqual([]);
    expect((await clientItems(clientId)).has('CARE_ACTIVE#therapist')).toBe(false);
    const { Item } = await documentClient.send(new GetCommand({ TableName, Key: keys.careRelationship(clientId, 'therapist', clinicianId, STARTED), ConsistentRead: true }));
    expect(Item).toMatchObject({ GSI1SK: `ENDED#${ENDED}#therapist#${clientId}` });
    expect(await eventually(() => careTeam.clientsOf(clinicianId, 'ended'), (r) => r.length > 0)).toEqual([ended]);
    expect(await eventually(() => careTeam.clientsOf(clinicianId, 'active'), (r) => r.length === 0)).toEqual([]);
  });

  it('is idempotent, and ends only the named clinician\'s relationship', async () => {
    const { clientId } = await newClient();
    const clinicianId = randomUUID();
    await careTeam.begin({ clientId, clinicianId, kind: 'therapist', startedAt: STARTED });
    expect(await careTeam.end({ clientId, clinicianId: randomUUID(), kind: 'therapist', endedAt: ENDED, endReason: 'rematch' })).toEqual({ outcome: 'not_active' });
    expect(await careTeam.end({ clientId, clinicianId, kind: 'consultation', endedAt: ENDED, endReason: 'matched' })).toEqual({ outcome: 'not_active' });
    expect(await careTeam.end({ clientId, clinicianId, kind: 'therapist', endedAt: ENDED, endReason: 'discharged' })).toMatchObject({ outcome: 'ended' });
    expect(await careTeam.end({ clientId, clinicianId, kind: 'therapist', endedAt: '2026-03-02T00:00:00.000Z', endReason: 'rematch' })).toEqual({ outcome: 'not_active' });
    expect(await careTeam.relationshipsOf(clientId)).toMatchObject([{ endedAt: ENDED, endReason: 'discharged' }]);
  });

  it('ends once when two ends race', async () => {
    const { clientId } = await newClient();
    const clinicianId = randomUUID();
    await careTeam.begin({ clientId, clinicianId, kind: 'therapist', startedAt: STARTED });
    const results = await Promise.all(
      ['2026-03-01T00:00:00.000Z', '2026-03-01T00:00:01.000Z', '2026-03-01T00:00:02.000Z'].map((endedAt) =>
        careTeam.end({ clientId, clinicianId, kind: 'therapist', endedAt, endReason: 'rematch' }),
      ),
    );
    expect(results.filter((r) => r.outcome === 'ended')).toHaveLength(1);
    const [stored] = await careTeam.relationshipsOf(clientId);
    expect(results.find((r) => r.outcome === 'ended')).toEqual({ outcome: 'ended', relationship: stored });
  });

  it('refuses an end before the start', async () => {
    const { clientId } = await newClient();
    const clinicianId = randomUUID();
    await careTeam.begin({ clientId, clinicianId, kind: 'therapist', startedAt: STARTED });
    await expect(careTeam.end({ clientId, clinicianId, kind: 'therapist', endedAt: '2026-01-01T00:00:00.000Z', endReason: 'rematch' })).rejects.toThrow(RangeError);
    expect(await careTeam.activeFor(clientId)).toHaveLength(1);
  });
});

describe('a client\'s care over time', () => {
  it('consultation, match, rematch: the history in order, and access follows it', async () => {
    const { clientId } = await newClient();
    const [consultant, first, second] = [randomUUID(), randomUUID(), randomUUID()];
    await careTeam.begin({ clientId, clinicianId: consultant, kind: 'consultation', startedAt: '2026-01-02T15:00:00.000Z' });
    await careTeam.begin({ clientId, clinicianId: first, kind: 'therapist', startedAt: STARTED });
    await careTeam.end({ clientId, clinicianId: consultant, kind: 'consultation', endedAt: STARTED, endReason: 'matched' });
    await careTeam.end({ clientId, clinicianId: first, kind: 'therapist', endedAt: ENDED, endReason: 'rematch' });
    // The same clinician may begin a new relationship after one ended.
    await careTeam.begin({ clientId, clinicianId: second, kind: 'therapist', startedAt: ENDED });

    const history = await careTeam.relationshipsOf(clientId);
    expect(history.map((r) => [r.kind, r.clinicianId, r.endReason ?? 'active'])).toEqual([
      ['consultation', consultant, 'matched'],
      ['therapist', first, 'rematch'],
      ['therapist', second, 'active'],
    ]);

    const read = (clinicianId: string, recordCreatedAt: string) =>
      decideClientAccess({
        caller: { userId: clinicianId, role: 'therapist' },
        clientId,
        relationships: history,
        purpose: 'treatment',
        action: 'read',
        category: 'assessment',
        recordCreatedAt,
        at: '2026-03-10T00:00:00.000Z',
      });
    expect(read(second, '2026-03-05T00:00:00.000Z')).toMatchObject({ allowed: true, basis: 'assigned_therapist' });
    expect(read(first, '2026-03-05T00:00:00.000Z')).toMatchObject({ allowed: false, respondAs: 'not_found' });
    expect(read(first, '2026-02-01T00:00:00.000Z')).toMatchObject({ allowed: true, basis: 'former_clinician' });
    expect(read(consultant, '2026-02-01T00:00:00.000Z')).toMatchObject({ allowed: false });
  });

  it('goes with the client\'s records when they are removed; the audit trail stays', async () => {
    const { clientId, email } = await newClient();
    const clinicianId = randomUUID();
    await careTeam.begin({ clientId, clinicianId, kind: 'consultation', startedAt: STARTED });
    const auditLog = createAuditLog({ documentClient, tableName: TableName });
    await auditLog.record(
      buildAuditEvent({ now }, { actor: { userId: clinicianId, role: 'therapist' }, clientId, purpose: 'intake', action: 'read', category: 'intake', outcome: 'success', basis: 'consultation_clinician' }),
    );

    await clients.removeClient(clientId, email);
    expect(await careTeam.relationshipsOf(clientId)).toEqual([]);
    expect((await clientItems(clientId)).size).toBe(0);
    expect(await auditLog.verifyChain(clientId)).toMatchObject({ intact: true, length: 1 });
  });
});
