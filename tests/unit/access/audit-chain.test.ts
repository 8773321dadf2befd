/** Audit events: the schema (no content), canonical JSON, the chain's keyed MAC and its verification. */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHmacAuditMac } from '../../../shared/adapters/audit-mac/hmac-audit-mac.js';
import { AuditEventSchema, canonicalJson, chainHashInput, GENESIS_HASH, type AuditEvent } from '../../../shared/domain/audit.js';
import { chainMac, nextLink, verifyLinks, type StoredLink } from '../../../shared/use-cases/access/audit-chain.js';
import { InMemoryAuditLog } from './fakes.js';

/** A random key per run: no key is ever committed, not even a test one. */
const KEY = randomBytes(32);
const mac = createHmacAuditMac(KEY);

const CLIENT = '5f0c2f7e-1111-4a4a-9a9a-000000000001';

function event(n: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    at: new Date(Date.UTC(2026, 2, 1, 12, 0, n)).toISOString(),
    actor: { userId: 'therapist-1', role: 'therapist' },
    action: 'read',
    record: { category: 'assessment', id: `assessment-${n}` },
    clientId: CLIENT,
    purpose: 'treatment',
    outcome: 'success',
    basis: 'assigned_therapist',
    ...overrides,
  };
}

/** A chain of `length` links as stored, and its head. */
async function chain(length: number): Promise<{ links: StoredLink[]; head: { seq: number; hash: string } }> {
  const links = [];
  let head: { seq: number; hash: string } | undefined;
  for (let n = 1; n <= length; n += 1) {
    const link = await nextLink(mac, head, event(n));
    links.push(structuredClone(link));
    head = { seq: link.seq, hash: link.hash };
  }
  return { links, head: head ?? { seq: 0, hash: GENESIS_HASH } };
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives one string for equal values whatever their key order', () => {
    const one = { outcome: 'success', actor: { role: 'client', userId: 'u' }, seq: 2 };
    const two = { seq: 2, actor: { userId: 'u', role: 'client' }, outcome: 'success' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('leaves out undefined members, as DynamoDB does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('orders keys by UTF-16 code units and escapes strings as JSON', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '\u20ac': 4 })).toBe('{"Z":3,"z":2,"é":1,"€":4}');
    expect(canonicalJson('line\n"quoted"\u2028')).toBe('"line\\n\\"quoted\\"\u2028"');
  });

  it('writes numbers as ECMAScript does (JCS)', () => {
    expect(canonicalJson([1, 1.5, -0, 1e21, 0.000001, 1e-7])).toBe('[1,1.5,0,1e+21,0.000001,1e-7]');
  });

  it('refuses what JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson([Infinity])).toThrow(TypeError);
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(/Date/);
    expect(() => canonicalJson({ tags: new Set(['a']) })).toThrow(/Set/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });
});

describe('the chain MAC', () => {
  it('is HMAC-SHA-256, under the key, of the previous MAC followed by the canonical { event, seq }', async () => {
    const e = event(1);
    const input = chainHashInput(GENESIS_HASH, 1, e);
    expect(input).toBe(
      GENESIS_HASH +
        '{"event":{"action":"read","actor":{"role":"therapist","userId":"therapist-1"},"at":"2026-03-01T12:00:01.000Z","basis":"assigned_therapist",' +
        `"clientId":"${CLIENT}","eventId":"00000000-0000-4000-8000-000000000001","outcome":"success","purpose":"treatment",` +
        '"record":{"category":"assessment","id":"assessment-1"}},"seq":1}',
    );
    const value = await chainMac(mac, GENESIS_HASH, 1, e);
    expect(value).toBe(createHmac('sha256', KEY).update(input).digest('hex'));
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    // Not the unkeyed hash anyone could recompute.
    expect(value).not.toBe(createHash('sha256').update(input).digest('hex'));
    expect(await chainMac(createHmacAuditMac(randomBytes(32)), GENESIS_HASH, 1, e)).not.toBe(value);
  });

  it('binds the sequence number and the previous MAC', async () => {
    const e = event(1);
    const base = await chainMac(mac, GENESIS_HASH, 1, e);
    expect(await chainMac(mac, GENESIS_HASH, 2, e)).not.toBe(base);
    expect(await chainMac(mac, 'f'.repeat(64), 1, e)).not.toBe(base);
    expect(await chainMac(mac, GENESIS_HASH, 1, { ...e, outcome: 'denied' })).not.toBe(base);
    expect(await chainMac(mac, GENESIS_HASH, 1, JSON.parse(JSON.stringify(e)))).toBe(base);
  });

  it('links each event to the one before, from the genesis hash', async () => {
    const { links } = await chain(3);
    expect(links.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(links[0]!.prevHash).toBe(GENESIS_HASH);
    expect(links[1]!.prevHash).toBe(links[0]!.hash);
    expect(links[2]!.prevHash).toBe(links[1]!.hash);
  });
});

describe('the HMAC audit MAC (local stack and tests)', () => {
  it('verifies its own MACs only, and refuses what is not a MAC', async () => {
    const value = await mac.mac('data');
    expect(await mac.verify('data', value)).toBe(true);
    expect(await mac.verify('date', value)).toBe(false);
    expect(await mac.verify('data', value.toUpperCase())).toBe(false);
    expect(await mac.verify('data', value.slice(2))).toBe(false);
    expect(await mac.verify('data', createHash('sha256').update('data').digest('hex'))).toBe(false);
    expect(await createHmacAuditMac(randomBytes(32)).verify('data', value)).toBe(false);
    expect(await mac.verify('data', undefined as unknown as string)).toBe(false);
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => createHmacAuditMac(randomBytes(16))).toThrow(/at least 32 bytes/);
  });
});

describe('verifyLinks', () => {
  it('accepts an intact chain and an empty one', async () => {
    const { links, head } = await chain(5);
    expect(await verifyLinks(mac, CLIENT, links, head)).toEqual({ intact: true, length: 5, lastHash: head.hash });
    expect(await verifyLinks(mac, CLIENT, [], undefined)).toEqual({ intact: true, length: 0, lastHash: GENESIS_HASH });
  });

  it('finds a changed event at that event', async () => {
    const { links, head } = await chain(6);
    (links[3]!.event as AuditEvent).outcome = 'failure';
    expect(await verifyLinks(mac, CLIENT, links, head)).toEqual({ intact: false, brokenAt: 4, problem: 'hash_mismatch', intactLength: 3 });
  });

  it('finds a member added to a stored event', async () => {
    const { links, head } = await chain(3);
    (links[0]!.event as Record<string, unknown>).answers = [3, 3, 3];
    expect(await verifyLinks(mac, CLIENT, links, head)).toMatchObject({ intact: false, brokenAt: 1, problem: 'hash_mismatch' });
  });

  it('finds a chain rewritten and re-linked with plain SHA-256 (no key) at the first rewritten event', async () => {
    const { links } = await chain(5);
    // What an attacker without the key does: change event 2, re-hash it and every later link.
    const forged: StoredLink[] = links.slice(0, 1);
    let prevHash = links[0]!.hash as string;
    for (const link of links.slice(1)) {
      const e = link.seq === 2 ? { ...(link.event as AuditEvent), outcome: 'denied' as const, denialReason: 'other_client' as const } : link.event;
      const hash = createHash('sha256').update(chainHashInput(prevHash, link.seq as number, e)).digest('hex');
      forged.push({ ...link, event: e, prevHash, hash });
      prevHash = hash;
    }
    expect(await verifyLinks(mac, CLIENT, forged, { seq: 5, hash: prevHash })).toEqual({ intact: false, brokenAt: 2, problem: 'hash_mismatch', intactLength: 1 });
  });

  it('finds an event rewritten with a MAC under another key', async () => {
    const { links, head } = await chain(3);
    const other = await nextLink(createHmacAuditMac(randomBytes(32)), { seq: 1, hash: links[0]!.hash as string }, event(2));
    links[1] = other;
    expect(await verifyLinks(mac, CLIENT, links, head)).toMatchObject({ intact: false, brokenAt: 2, problem: 'hash_mismatch' });
  });

  it('finds a removed, a duplicated and a reordered event', async () => {
    const { links, head } = await chain(5);
    expect(await verifyLinks(mac, CLIENT, [links[0]!, links[2]!, links[3]!, links[4]!], head)).toMatchObject({ brokenAt: 2, problem: 'sequence_gap' });
    expect(await verifyLinks(mac, CLIENT, [links[0]!, links[1]!, links[1]!, links[2]!], head)).toMatchObject({ brokenAt: 3, problem: 'sequence_gap' });
    expect(await verifyLinks(mac, CLIENT, [links[1]!, links[0]!], head)).toMatchObject({ brokenAt: 1, problem: 'sequence_gap' });
  });

  it('finds events cut off the end through the head', async () => {
    const { links, head } = await chain(5);
    expect(await verifyLinks(mac, CLIENT, links.slice(0, 3), head)).toEqual({ intact: false, brokenAt: 4, problem: 'head_mismatch', intactLength: 3 });
    expect(await verifyLinks(mac, CLIENT, links, { seq: 5, hash: 'a'.repeat(64) })).toMatchObject({ intact: false, brokenAt: 5, problem: 'head_mismatch' });
  });

  it('finds events without a head, and the first event and the head deleted together', async () => {
    const { links } = await chain(5);
    expect(await verifyLinks(mac, CLIENT, links, undefined)).toEqual({ intact: false, brokenAt: 1, problem: 'head_missing', intactLength: 0 });
    expect(await verifyLinks(mac, CLIENT, links.slice(1), undefined)).toEqual({ intact: false, brokenAt: 1, problem: 'sequence_gap', intactLength: 0 });
  });

  it('finds a head rewound to an earlier genuine state at the first event beyond it', async () => {
    const { links } = await chain(10);
    const rewound = { seq: 6, hash: links[5]!.hash };
    expect(await verifyLinks(mac, CLIENT, links, rewound)).toEqual({ intact: false, brokenAt: 7, problem: 'head_rewound', intactLength: 6 });
    expect(await verifyLinks(mac, CLIENT, links, { seq: 0, hash: GENESIS_HASH })).toMatchObject({ brokenAt: 1, problem: 'head_rewound' });
  });

  it('finds an event of another client, or one that is not a valid event', async () => {
    const other = '5f0c2f7e-2222-4a4a-9a9a-000000000002';
    const { links, head } = await chain(2);
    expect(await verifyLinks(mac, other, links, head)).toMatchObject({ intact: false, brokenAt: 1, problem: 'malformed_event' });

    const bad = await nextLink(mac, undefined, { ...event(1), purpose: 'curiosity' } as unknown as AuditEvent);
    expect(await verifyLinks(mac, CLIENT, [bad], bad)).toMatchObject({ intact: false, brokenAt: 1, problem: 'malformed_event' });
    const unhashable = { ...bad, event: { ...bad.event, at: new Date(0) } };
    expect(await verifyLinks(mac, CLIENT, [unhashable], bad)).toMatchObject({ intact: false, brokenAt: 1, problem: 'malformed_event' });
  });
});

describe('AuditEventSchema', () => {
  it('accepts the who, role, action, record, client, time, outcome and purpose', () => {
    expect(AuditEventSchema.parse(event(1))).toEqual(event(1));
    const denied = event(2, { outcome: 'denied', denialReason: 'no_care_relationship', basis: undefined, record: { category: 'check_in' } });
    expect(AuditEventSchema.safeParse(denied).success).toBe(true);
    expect(AuditEventSchema.safeParse(event(3, { actor: { userId: 'risk-escalation', role: 'system' } })).success).toBe(true);
  });

  it('has no room for the record\'s content', () => {
    expect(AuditEventSchema.safeParse({ ...event(1), answers: [1, 2, 3] }).success).toBe(false);
    expect(AuditEventSchema.safeParse({ ...event(1), record: { category: 'assessment', id: 'a-1', score: 21 } }).success).toBe(false);
    expect(AuditEventSchema.safeParse({ ...event(1), actor: { userId: 'u', role: 'client', email: 'a@example.com' } }).success).toBe(false);
    // Ids are ids, not sentences.
    expect(AuditEventSchema.safeParse(event(1, { record: { category: 'assessment', id: 'feels hopeless' } })).success).toBe(false);
  });

  it('names the denial reason exactly when denied', () => {
    expect(AuditEventSchema.safeParse(event(1, { outcome: 'denied' })).success).toBe(false);
    expect(AuditEventSchema.safeParse(event(1, { denialReason: 'other_client' })).success).toBe(false);
  });

  it('takes UTC times with milliseconds and closed vocabularies only', () => {
    expect(AuditEventSchema.safeParse(event(1, { at: '2026-03-01T12:00:00+01:00' })).success).toBe(false);
    expect(AuditEventSchema.safeParse(event(1, { at: '2026-03-01T12:00:00Z' })).success).toBe(false);
    expect(AuditEventSchema.safeParse({ ...event(1), action: 'peek' }).success).toBe(false);
    expect(AuditEventSchema.safeParse({ ...event(1), actor: { userId: 'u', role: 'root' } }).success).toBe(false);
  });
});

describe('InMemoryAuditLog (the fake the use-case tests use)', () => {
  it('chains like the DynamoDB log and notices tampering', async () => {
    const log = new InMemoryAuditLog(mac);
    for (let n = 1; n <= 4; n += 1) await log.record(event(n));
    expect(await log.verifyChain(CLIENT)).toMatchObject({ intact: true, length: 4 });
    expect(log.chains.get(CLIENT)![3]!.hash).toBe((await chain(4)).head.hash);
    log.chains.get(CLIENT)![1]!.event.purpose = 'operations';
    expect(await log.verifyChain(CLIENT)).toMatchObject({ intact: false, brokenAt: 2, problem: 'hash_mismatch' });
  });

  it('refuses an invalid event', async () => {
    await expect(new InMemoryAuditLog().record({ ...event(1), outcome: 'denied' })).rejects.toThrow();
  });
});
