/**
 * The audit archive's mapping from stream records to write-once objects, with an in-memory
 * archive: client and staff links, keys zero-padded to 12 digits, canonical bodies (a
 * redelivery writes the same bytes), and every record that cannot be archived reported by its
 * sequence number - never skipped. And the chain stores, the stream filter and the mapping agree
 * on the entity types: an event item as the stores write it is what the filter passes and the
 * mapping archives.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createStaffAuditLog } from '../../../shared/adapters/dynamodb/staff-audit-log.js';
import { streamedItem } from '../../../shared/adapters/dynamodb/stream-records.js';
import { canonicalJson, GENESIS_HASH, type AuditEvent } from '../../../shared/domain/audit.js';
import type { StaffAuditEvent } from '../../../shared/domain/staff-audit.js';
import {
  ARCHIVED_ENTITY_TYPES,
  archiveAuditEvents,
  archiveKey,
  toArchiveObject,
  type StreamedItem,
} from '../../../shared/use-cases/access/archive-audit-events.js';
import type { AuditArchive } from '../../../shared/use-cases/ports.js';
import { STREAM_CONSUMERS } from '../../../workflows/stream-consumers.js';
import { testAuditMac } from './fakes.js';

const CLIENT = '5f0c2f7e-1111-4a4a-9a9a-00000000000a';
const STAFF = '5f0c2f7e-2222-4a4a-9a9a-00000000000b';
const MAC_1 = 'a1'.repeat(32);
const MAC_2 = 'b2'.repeat(32);

const clientEvent: AuditEvent = {
  eventId: '00000000-0000-4000-8000-000000000001',
  at: '2026-03-01T12:00:00.000Z',
  actor: { userId: 'therapist-1', role: 'therapist' },
  action: 'read',
  record: { category: 'assessment', id: 'assessment-1' },
  clientId: CLIENT,
  purpose: 'treatment',
  outcome: 'success',
  basis: 'assigned_therapist',
};

const staffEvent: StaffAuditEvent = {
  eventId: '00000000-0000-4000-8000-000000000002',
  at: '2026-03-01T12:00:01.000Z',
  actor: { userId: 'therapist-2', role: 'therapist' },
  staffId: STAFF,
  action: 'credentialing_change',
  outcome: 'denied',
  fields: ['licenses'],
};

/** An event item as keyed-chain-store.ts writes it (keys included: they are not copied). */
function clientItem(seq: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { PK: `AUDIT#${CLIENT}`, SK: `SEQ#${String(seq).padStart(12, '0')}`, entityType: 'audit-event', seq, prevHash: GENESIS_HASH, hash: MAC_1, event: clientEvent, ...overrides };
}

function staffItem(seq: number): Record<string, unknown> {
  return { PK: `STAFF_AUDIT#${STAFF}`, SK: `SEQ#${String(seq).padStart(12, '0')}`, entityType: 'staff-audit-event', seq, prevHash: MAC_1, hash: MAC_2, event: staffEvent };
}

const insert = (id: string, newImage: unknown): StreamedItem => ({ id, eventName: 'INSERT', newImage });

class InMemoryArchive implements AuditArchive {
  readonly objects = new Map<string, string[]>();
  failFor = new Set<string>();
  async put(key: string, body: string): Promise<void> {
    if (this.failFor.has(key)) throw Object.assign(new Error('slow down'), { name: 'SlowDown' });
    this.objects.set(key, [...(this.objects.get(key) ?? []), body]);
  }
}

describe('toArchiveObject', () => {
  it('puts a client link under clients/<clientId>/<12-digit seq>.json, as { seq, prevHash, hash, event } in canonical JSON', () => {
    const object = toArchiveObject(insert('100', clientItem(7)));
    expect(object).toEqual({
      key: `clients/${CLIENT}/000000000007.json`,
      body: canonicalJson({ seq: 7, prevHash: GENESIS_HASH, hash: MAC_1, event: clientEvent }),
    });
    // Keys and bookkeeping attributes stay in the table.
    expect(JSON.parse((object as { body: string }).body)).toEqual({ seq: 7, prevHash: GENESIS_HASH, hash: MAC_1, event: clientEvent });
  });

  it('puts a staff link under staff/<staffId>/<12-digit seq>.json', () => {
    expect(toArchiveObject(insert('101', staffItem(12)))).toMatchObject({ key: `staff/${STAFF}/000000000012.json` });
    expect(JSON.parse((toArchiveObject(insert('101', staffItem(12))) as { body: string }).body)).toEqual({ seq: 12, prevHash: MAC_1, hash: MAC_2, event: staffEvent });
  });

  it('zero-pads every sequence number to 12 digits, so keys list in chain order', () => {
    expect(archiveKey('client', 'c', 1)).toBe('clients/c/000000000001.json');
    expect(archiveKey('staff', 's', 999_999_999_999)).toBe('staff/s/999999999999.json');
    const keys = [10, 9, 100, 2].map((n) => archiveKey('client', 'c', n));
    expect([...keys].sort()).toEqual([2, 9, 10, 100].map((n) => archiveKey('client', 'c', n)));
  });

  it('writes the same bytes for the same link whatever the order of its attributes', () => {
    const reordered = Object.fromEntries(Object.entries(clientItem(3)).reverse());
    const shuffledEvent = { ...clientItem(3), event: Object.fromEntries(Object.entries(clientEvent).reverse()) };
    const body = (toArchiveObject(insert('1', clientItem(3))) as { body: string }).body;
    expect((toArchiveObject(insert('2', reordered)) as { body: string }).body).toBe(body);
    expect((toArchiveObject(insert('3', shuffledEvent)) as { body: string }).body).toBe(body);
  });

  it('reports a MODIFY or REMOVE of an audit event, never archives it', () => {
    expect(toArchiveObject({ id: '7', eventName: 'MODIFY', newImage: clientItem(1) })).toEqual({ id: '7', reason: 'not_an_insert' });
    expect(toArchiveObject({ id: '8', eventName: 'REMOVE', newImage: undefined })).toEqual({ id: '8', reason: 'not_an_insert' });
    expect(toArchiveObject({ id: '9', eventName: undefined, newImage: clientItem(1) })).toEqual({ id: '9', reason: 'not_an_insert' });
  });

  it.each([
    ['another entity type', clientItem(1, { entityType: 'audit-head' }), ['entityType']],
    ['a sequence number of 0', clientItem(1, { seq: 0 }), ['seq']],
    ['a sequence number beyond 12 digits', clientItem(1, { seq: 1_000_000_000_000 }), ['seq']],
    ['a sequence number as text', clientItem(1, { seq: '1' }), ['seq']],
    ['a MAC that is not 64 hex digits', clientItem(1, { hash: 'XYZ' }), ['hash']],
    ['no previous MAC', clientItem(1, { prevHash: undefined }), ['prevHash']],
    ['an event with a field the schema does not know (content riding along)', clientItem(1, { event: { ...clientEvent, note: 'text' } }), ['event']],
    ['a client event in a staff item', { ...staffItem(1), event: clientEvent }, ['event']],
    ['no image at all', undefined, ['(root)']],
  ])('reports a malformed link by its id, naming the invalid fields only: %s', (_, image, paths) => {
    const failure = toArchiveObject(insert('42', image));
    expect(failure).toMatchObject({ id: '42', reason: 'malformed_link' });
    const reported = (failure as { paths: readonly string[] }).paths;
    for (const path of paths) expect(reported.some((p) => p === path || p.startsWith(`${path}.`))).toBe(true);
    // Never a value: the paths name fields, not what they held.
    expect(JSON.stringify(failure)).not.toContain('text');
  });
});

describe('archiveAuditEvents', () => {
  it('archives every link of the batch and reports nothing', async () => {
    const archive = new InMemoryArchive();
    const result = await archiveAuditEvents([insert('1', clientItem(1)), insert('2', staffItem(1)), insert('3', clientItem(2, { prevHash: MAC_1, hash: MAC_2 }))], { archive });
    expect(result).toEqual({ archived: 3, failures: [] });
    expect([...archive.objects.keys()].sort()).toEqual([`clients/${CLIENT}/000000000001.json`, `clients/${CLIENT}/000000000002.json`, `staff/${STAFF}/000000000001.json`]);
  });

  it('reports malformed, non-INSERT and unstored records by sequence number, in stream order, and stores the rest', async () => {
    const archive = new InMemoryArchive();
    archive.failFor.add(`clients/${CLIENT}/000000000004.json`);
    const result = await archiveAuditEvents(
      [
        insert('10', clientItem(1)),
        insert('11', clientItem(2, { seq: -1 })),
        insert('12', clientItem(3)),
        insert('13', clientItem(4)),
        { id: '14', eventName: 'MODIFY', newImage: clientItem(5) },
        insert('15', staffItem(1)),
      ],
      { archive },
    );
    expect(result.archived).toBe(3);
    expect(result.failures).toEqual([
      { id: '11', reason: 'malformed_link', paths: ['seq'] },
      { id: '13', reason: 'not_stored', key: `clients/${CLIENT}/000000000004.json`, error: 'SlowDown' },
      { id: '14', reason: 'not_an_insert' },
    ]);
    expect(archive.objects.has(`clients/${CLIENT}/000000000003.json`)).toBe(true);
    expect(archive.objects.has(`staff/${STAFF}/000000000001.json`)).toBe(true);
  });

  it('is idempotent: a redelivered batch puts the same keys with the same bodies', async () => {
    const archive = new InMemoryArchive();
    const batch = [insert('1', clientItem(1)), insert('2', staffItem(1))];
    await archiveAuditEvents(batch, { archive });
    await archiveAuditEvents(batch, { archive });
    for (const bodies of archive.objects.values()) {
      expect(bodies).toHaveLength(2);
      expect(bodies[1]).toBe(bodies[0]);
    }
  });

  it('stores a batch larger than its concurrency completely', async () => {
    const archive = new InMemoryArchive();
    const batch = Array.from({ length: 100 }, (_, i) => insert(String(i), clientItem(i + 1)));
    expect(await archiveAuditEvents(batch, { archive })).toEqual({ archived: 100, failures: [] });
    expect(archive.objects.size).toBe(100);
  });
});

/** A document client that records the transaction an append writes (no head yet: the first append). */
function recordingDocumentClient(): { client: DynamoDBDocumentClient; items: Record<string, unknown>[] } {
  const items: Record<string, unknown>[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: { TransactItems?: { Put: { Item: Record<string, unknown> } }[] } }) {
      if (command.constructor.name === 'TransactWriteCommand') items.push(...command.input.TransactItems!.map((t) => t.Put.Item));
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, items };
}

/** A stream record as Lambda delivers it: the image in DynamoDB JSON. */
function streamRecord(item: Record<string, unknown>, sequenceNumber: string): DynamoDBRecord {
  return { eventName: 'INSERT', dynamodb: { SequenceNumber: sequenceNumber, NewImage: marshall(item) as never } };
}

/** The subset of Lambda's filter matching the archiver's pattern uses: exact values, nested objects. */
function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.includes(value);
  if (pattern !== null && typeof pattern === 'object') {
    return Object.entries(pattern).every(([key, sub]) => value !== null && typeof value === 'object' && matchesPattern(sub, (value as Record<string, unknown>)[key]));
  }
  return false;
}

describe('the chain stores, the stream filter and the archive', () => {
  const [pattern] = STREAM_CONSUMERS.archiveAuditEvents.filterPatterns;

  it('agree: what an append writes as its event passes the filter and is archived; the head and listing do not pass', async () => {
    const mac = testAuditMac();
    const clients = recordingDocumentClient();
    await createAuditLog({ documentClient: clients.client, tableName: 't', mac }).record(clientEvent);
    const staff = recordingDocumentClient();
    await createStaffAuditLog({ documentClient: staff.client, tableName: 't', mac }).record(staffEvent);

    const written = [...clients.items, ...staff.items];
    const records = written.map((item, i) => streamRecord(item, String(1000 + i)));
    const passed = records.filter((record) => matchesPattern(pattern, record));
    expect(passed.map((r) => r.dynamodb!.NewImage!.entityType!.S).sort()).toEqual(Object.values(ARCHIVED_ENTITY_TYPES).sort());
    expect(written.length).toBeGreaterThan(passed.length);

    const archive = new InMemoryArchive();
    expect(await archiveAuditEvents(passed.map(streamedItem), { archive })).toEqual({ archived: 2, failures: [] });
    expect([...archive.objects.keys()].sort()).toEqual([`clients/${CLIENT}/000000000001.json`, `staff/${STAFF}/000000000001.json`]);
  });

  it('filters out updates and removals of audit events, so only INSERTs reach the function', () => {
    const record = streamRecord(clientItem(1), '1');
    expect(matchesPattern(pattern, record)).toBe(true);
    expect(matchesPattern(pattern, { ...record, eventName: 'MODIFY' })).toBe(false);
    expect(matchesPattern(pattern, { ...record, eventName: 'REMOVE' })).toBe(false);
  });
});

describe('streamedItem', () => {
  it('unmarshals the image and keeps the sequence number as the id', () => {
    expect(streamedItem(streamRecord(clientItem(1), '4200'), 0)).toEqual({ id: '4200', eventName: 'INSERT', newImage: clientItem(1) });
  });

  it('passes an unreadable image on as undefined, so the record fails alone', async () => {
    const record: DynamoDBRecord = { eventName: 'INSERT', dynamodb: { SequenceNumber: '9', NewImage: { seq: { Q: 'x' } as never } } };
    const item = streamedItem(record, 0);
    expect(item.newImage).toBeUndefined();
    expect((await archiveAuditEvents([item], { archive: new InMemoryArchive() })).failures).toEqual([{ id: '9', reason: 'malformed_link', paths: ['(root)'] }]);
  });
});
