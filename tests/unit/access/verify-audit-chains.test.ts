/** The scheduled audit-chain verifier with in-memory fakes: every chain checked, a broken one reported, counted and failing the run. */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/domain/audit.js';
import { verifyLinks } from '../../../shared/use-cases/access/audit-chain.js';
import {
  allChains,
  AUDIT_VERIFICATION_METRICS,
  AuditChainsBrokenError,
  verifyAuditChains,
  type AuditChainSource,
  type AuditVerificationMetric,
} from '../../../shared/use-cases/access/verify-audit-chains.js';
import { InMemoryAuditLog } from './fakes.js';

const A = '5f0c2f7e-1111-4a4a-9a9a-00000000000a';
const B = '5f0c2f7e-1111-4a4a-9a9a-00000000000b';
const C = '5f0c2f7e-1111-4a4a-9a9a-00000000000c';

function event(clientId: string, n: number): AuditEvent {
  return {
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    at: new Date(Date.UTC(2026, 2, 1, 12, 0, n)).toISOString(),
    actor: { userId: 'therapist-1', role: 'therapist' },
    action: 'read',
    record: { category: 'assessment', id: `assessment-${n}` },
    clientId,
    purpose: 'treatment',
    outcome: 'success',
    basis: 'assigned_therapist',
  };
}

/** The fake log as the verifier sees a table: its chains listed, each verified. */
function sourceOf(log: InMemoryAuditLog, options: { failFor?: string } = {}): AuditChainSource {
  return {
    async *chains() {
      yield* log.chains.keys();
    },
    verifyChain: (clientId) => (clientId === options.failFor ? Promise.reject(Object.assign(new Error('throttled'), { name: 'ThrottlingException' })) : log.verifyChain(clientId)),
  };
}

async function world(): Promise<{ log: InMemoryAuditLog; published: Record<AuditVerificationMetric, number>[]; logged: [string, Record<string, unknown>][] }> {
  const log = new InMemoryAuditLog();
  for (const clientId of [A, B, C]) for (let n = 1; n <= 4; n += 1) await log.record(event(clientId, n));
  return { log, published: [], logged: [] };
}

describe('verifyAuditChains', () => {
  it('checks every chain and publishes zero broken when all are intact', async () => {
    const { log, published, logged } = await world();
    const summary = await verifyAuditChains({ chains: sourceOf(log), metrics: { publish: (c) => void published.push(c) }, log: (m, f) => logged.push([m, f]) });
    expect(summary).toEqual({ checked: 3, intact: 3, broken: [], unverified: [] });
    expect(published).toEqual([{ [AUDIT_VERIFICATION_METRICS.checked]: 3, [AUDIT_VERIFICATION_METRICS.broken]: 0, [AUDIT_VERIFICATION_METRICS.unverified]: 0 }]);
    expect(logged).toEqual([]);
  });

  it('reports a broken chain with its first bad position, counts it, goes on with the others and fails the run', async () => {
    const { log, published, logged } = await world();
    log.chains.get(B)![2]!.event.purpose = 'operations';
    const run = verifyAuditChains({ chains: sourceOf(log), metrics: { publish: (c) => void published.push(c) }, log: (m, f) => logged.push([m, f]) });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditChainsBrokenError);
    expect((error as AuditChainsBrokenError).summary).toEqual({
      checked: 3,
      intact: 2,
      broken: [{ chain: B, brokenAt: 3, problem: 'hash_mismatch', intactLength: 2 }],
      unverified: [],
    });
    expect(published).toEqual([{ AuditChainsVerified: 3, AuditChainsBroken: 1, AuditChainsUnverified: 0 }]);
    expect(logged).toEqual([['Audit chain broken', { chain: B, brokenAt: 3, problem: 'hash_mismatch', intactLength: 2 }]]);
    // Ids and positions only: nothing of an event in the log line or the error.
    expect(JSON.stringify(logged) + (error as Error).message).not.toMatch(/assessment-|therapist-1|operations/);
  });

  it('reports a rewound head (the last events hidden) as broken', async () => {
    const { log, published } = await world();
    const chain = log.chains.get(C)!;
    const source: AuditChainSource = {
      ...sourceOf(log),
      verifyChain: async (clientId) => {
        if (clientId !== C) return log.verifyChain(clientId);
        return verifyLinks(log.mac, C, chain, { seq: 2, hash: chain[1]!.hash });
      },
    };
    await expect(verifyAuditChains({ chains: source, metrics: { publish: (c) => void published.push(c) }, log: () => undefined })).rejects.toMatchObject({
      summary: { broken: [{ chain: C, brokenAt: 3, problem: 'head_rewound' }] },
    });
    expect(published[0]!.AuditChainsBroken).toBe(1);
  });

  it('counts a chain it could not verify as unverified, not intact, and fails the run', async () => {
    const { log, published } = await world();
    await expect(verifyAuditChains({ chains: sourceOf(log, { failFor: A }), metrics: { publish: (c) => void published.push(c) }, log: () => undefined })).rejects.toMatchObject({
      summary: { checked: 3, intact: 2, broken: [], unverified: [{ chain: A, error: 'ThrottlingException' }] },
    });
    expect(published).toEqual([{ AuditChainsVerified: 3, AuditChainsBroken: 0, AuditChainsUnverified: 1 }]);
  });

  it('verifies a chain listed twice once', async () => {
    const { log } = await world();
    const source: AuditChainSource = {
      async *chains() {
        yield* [A, A, B];
      },
      verifyChain: (clientId) => log.verifyChain(clientId),
    };
    expect(await verifyAuditChains({ chains: source, metrics: { publish: () => undefined }, log: () => undefined })).toMatchObject({ checked: 2, intact: 2 });
  });

  it("names each kind of chain (allChains): a staff member's broken trail is reported as staff:<id>, the clients' as client:<id>", async () => {
    const { log } = await world();
    const staff = new InMemoryAuditLog();
    for (let n = 1; n <= 2; n += 1) await staff.record(event(A, n));
    staff.chains.get(A)![1]!.hash = '0'.repeat(64);
    const summary = await verifyAuditChains({ chains: allChains({ client: sourceOf(log), staff: sourceOf(staff) }), metrics: { publish: () => undefined }, log: () => undefined }).catch(
      (error: unknown) => (error as AuditChainsBrokenError).summary,
    );
    expect(summary).toMatchObject({ checked: 4, intact: 3, broken: [{ chain: `staff:${A}`, brokenAt: 2, problem: 'hash_mismatch' }] });
  });

  it('refuses a chain id of an unknown kind rather than verifying the wrong trail', async () => {
    const source = allChains({ client: sourceOf(new InMemoryAuditLog()) });
    await expect(source.verifyChain(`admin:${A}`)).rejects.toThrow(/Unknown kind/);
    await expect(source.verifyChain(A)).rejects.toThrow(/Unknown kind/);
  });
});
