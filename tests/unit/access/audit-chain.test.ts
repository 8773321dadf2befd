/** Audit events: the schema (no content), canonical JSON, the chain's hashing and its verification. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditEventSchema, canonicalJson, chainHashInput, GENESIS_HASH, type AuditEvent } from '../../../shared/domain/audit.js';
import { chainHash, nextLink, verifyLinks, type StoredLink } from '../../../shared/use-cases/access/audit-chain.js';
import { InMemoryAuditLog } from './fakes.js';

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
function chain(length: number): { links: StoredLink[]; head: { seq: number; hash: string } } {
  const links = [];
  let head: { seq: number; hash: string } | undefined;
  for (let n = 1; n <= length; n += 1) {
    const link = nextLink(head, event(n));
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

describe('the chain hash', () => {
  it('is SHA-256 of the previous hash followed by the canonical { event, seq }', () => {
    const e = event(1);
    const input = chainHashInput(GENESIS_HASH, 1, e);
    expect(input).toBe(
      GENESIS_HASH +
        '{"event":{"action":"read","actor":{"role":"therapist","userId":"therapist-1"},"at":"2026-03-01T12:00:01.000Z","basis":"assigned_therapist",' +
        `"clientId":"${CLIENT}","eventId":"00000000-0000-4000-8000-000000000001","outcome":"success","purpose":"treatment",` +
        '"record":{"category":"assessment","id":"assessment-1"}},"seq":1}',
    );
    expect(chainHash(GENESIS_HASH, 1, e)).toBe(createHash('sha256').update(input).digest('hex'));
    expect(chainHash(GENESIS_HASH, 1, e)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('binds the sequence number and the previous hash', () => {
    const e = event(1);
    const base = chainHash(GENESIS_HASH, 1, e);
    expect(chainHash(GENESIS_HASH, 2, e)).not.toBe(base);
    expect(chainHash('f'.repeat(64), 1, e)).not.toBe(base);
    expect(chainHash(GENESIS_HASH, 1, { ...e, outcome: 'denied' })).not.toBe(base);
    expect(chainHash(GENESIS_HASH, 1, JSON.parse(JSON.stringify(e)))).toBe(base);
  });

  it('links each event to the one before, from the genesis hash', () => {
    const { links } = chain(3);
    expect(links.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(links[0]!.prevHash).toBe(GENESIS_HASH);
    expect(links[1]!.prevHash).toBe(links[0]!.hash);
    expect(links[2]!.prevHash).toBe(links[1]!.hash);
  });
});

describe('verifyLinks', () => {
  it('accepts an intact chain and an empty one', () => {
    const { links, head } = chain(5);
    expect(verifyLinks(CLIENT, links, head)).toEqual({ intact: true, length: 5, lastHash: head.hash });
    expect(verifyLinks(CLIENT, [], undefined)).toEqual({ intact: true, length: 0, lastHash: GENESIS_HASH });
  });

  it('finds a changed event at that event', () => {
    const { links, head } = chain(6);
    (links[3]!.event as AuditEvent).outcome = 'failure';
    expect(verifyLinks(CLIENT, links, head)).toEqual({ intact: false, brokenAt: 4, problem: 'hash_mismatch', intactLength: 3 });
  });

  it('finds a member added to a stored event', () => {
    const { links, head } = chain(3);
    (links[0]!.event as Record<string, unknown>).answers = [3, 3, 3];
    expect(verifyLinks(CLIENT, links, head)).toMatchObject({ intact: false, brokenAt: 1, problem: 'hash_mismatch' });
  });

  it('finds an event rewritten with a recomputed hash at the next link', () => {
    const { links, head } = chain(5);
    const forged = { ...(links[1]!.event as AuditEvent), outcome: 'denied' as const, denialReason: 'other_client' as const };
    links[1] = { ...links[1]!, event: forged, hash: chainHash(links[1]!.prevHash as string, 2, forged) };
    expect(verifyLinks(CLIENT, links, head)).toMatchObject({ intact: false, brokenAt: 3, problem: 'prev_hash_mismatch' });
  });

  it('finds a removed, a duplicated and a reordered event', () => {
    const { links, head } = chain(5);
    expect(verifyLinks(CLIENT, [links[0]!, links[2]!, links[3]!, links[4]!], head)).toMatchObject({ brokenAt: 2, problem: 'sequence_gap' });
    expect(verifyLinks(CLIENT, [links[0]!, links[1]!, links[1]!, links[2]!], head)).toMatchObject({ brokenAt: 3, problem: 'sequence_gap' });
    expect(verifyLinks(CLIENT, [links[1]!, links[0]!], head)).toMatchObject({ brokenAt: 1, problem: 'sequence_gap' });
  });

  it('finds events cut off the end through the head', () => {
    const { links, head } = chain(5);
    expect(verifyLinks(CLIENT, links.slice(0, 3), head)).toEqual({ intact: false, brokenAt: 4, problem: 'head_mismatch', intactLength: 3 });
    expect(verifyLinks(CLIENT, links, undefined)).toMatchObject({ intact: false, problem: 'head_mismatch' });
    expect(verifyLinks(CLIENT, links, { seq: 5, hash: 'a'.repeat(64) })).toMatchObject({ intact: false, brokenAt: 5, problem: 'head_mismatch' });
  });

  it('finds an event of another client, or one that is not a valid event', () => {
    const other = '5f0c2f7e-2222-4a4a-9a9a-000000000002';
    const { links, head } = chain(2);
    expect(verifyLinks(other, links, head)).toMatchObject({ intact: false, brokenAt: 1, problem: 'malformed_event' });

    const bad = nextLink(undefined, { ...event(1), purpose: 'curiosity' } as unknown as AuditEvent);
    expect(verifyLinks(CLIENT, [bad], bad)).toMatchObject({ intact: false, brokenAt: 1, problem: 'malformed_event' });
    const unhashable = { ...bad, event: { ...bad.event, at: new Date(0) } };
    expect(verifyLinks(CLIENT, [unhashable], bad)).toMatchObject({ intact: false, brokenAt: 1, problem: 'malformed_event' });
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
    const log = new InMemoryAuditLog();
    for (let n = 1; n <= 4; n += 1) await log.record(event(n));
    expect(log.verifyChain(CLIENT)).toMatchObject({ intact: true, length: 4 });
    expect(log.chains.get(CLIENT)![3]!.hash).toBe(chain(4).head.hash);
    log.chains.get(CLIENT)![1]!.event.purpose = 'operations';
    expect(log.verifyChain(CLIENT)).toMatchObject({ intact: false, brokenAt: 2, problem: 'hash_mismatch' });
  });

  it('refuses an invalid event', async () => {
    await expect(new InMemoryAuditLog().record({ ...event(1), outcome: 'denied' })).rejects.toThrow();
  });
});
