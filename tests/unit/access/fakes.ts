/**
 * In-memory fakes of the access ports with the adapters' contracts: the audit log chains events
 * exactly as shared/adapters/dynamodb/audit-log.ts does (same audit-chain module), and the care
 * team keeps one active relationship per kind like care-team-repository.ts. For the unit tests
 * of any use case that reads or writes client records.
 */
import { randomBytes } from 'node:crypto';
import type { CareRelationship } from '../../../shared/domain/access.js';
import { AuditEventSchema, type AuditChainLink, type AuditEvent, type ChainVerification } from '../../../shared/domain/audit.js';
import { nextLink, verifyLinks } from '../../../shared/use-cases/access/audit-chain.js';
import { createHmacAuditMac } from '../../../shared/adapters/audit-mac/hmac-audit-mac.js';
import type { AuditLog, AuditMac, BeginCareResult, CareRelationships, EndCare, EndCareResult, NewCareRelationship } from '../../../shared/use-cases/ports.js';

/** A random key per fake (as the local stack does per start): nothing committed is ever a key. */
export function testAuditMac(): AuditMac {
  return createHmacAuditMac(randomBytes(32));
}

export class InMemoryAuditLog implements AuditLog {
  /** Stored links per client, in order; tests may tamper with them. */
  readonly chains = new Map<string, AuditChainLink[]>();
  /** Set to make the next appends fail (an unavailable table). */
  failWith: Error | undefined;
  /** Appends one at a time, as the table's conditional transaction makes them. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly mac: AuditMac = testAuditMac()) {}

  record(input: AuditEvent): Promise<void> {
    const append = this.tail.then(async () => {
      if (this.failWith) throw this.failWith;
      const event = AuditEventSchema.parse(input);
      const chain = this.chains.get(event.clientId) ?? [];
      const last = chain.at(-1);
      chain.push(await nextLink(this.mac, last && { seq: last.seq, hash: last.hash }, structuredClone(event)));
      this.chains.set(event.clientId, chain);
    });
    this.tail = append.catch(() => undefined);
    return append;
  }

  verifyChain(clientId: string): Promise<ChainVerification> {
    const chain = this.chains.get(clientId) ?? [];
    const last = chain.at(-1);
    return verifyLinks(this.mac, clientId, chain, last && { seq: last.seq, hash: last.hash });
  }

  events(clientId: string): AuditEvent[] {
    return (this.chains.get(clientId) ?? []).map((link) => link.event);
  }

  /** Every event of every client, in append order per client. */
  all(): AuditEvent[] {
    return [...this.chains.values()].flatMap((chain) => chain.map((link) => link.event));
  }
}

export class InMemoryCareTeam implements CareRelationships {
  readonly clients = new Set<string>();
  readonly items: CareRelationship[] = [];

  constructor(clientIds: Iterable<string> = []) {
    for (const id of clientIds) this.clients.add(id);
  }

  private activeOf(clientId: string, kind: CareRelationship['kind']): CareRelationship | undefined {
    return this.items.find((r) => r.clientId === clientId && r.kind === kind && r.endedAt === undefined);
  }

  async begin(input: NewCareRelationship): Promise<BeginCareResult> {
    if (!this.clients.has(input.clientId)) return { outcome: 'client_not_found' };
    const current = this.activeOf(input.clientId, input.kind);
    if (current) {
      return current.clinicianId === input.clinicianId
        ? { outcome: 'already_active', relationship: { ...current } }
        : { outcome: 'occupied', active: { ...current } };
    }
    const relationship: CareRelationship = { ...input };
    this.items.push(relationship);
    return { outcome: 'begun', relationship: { ...relationship } };
  }

  async end(input: EndCare): Promise<EndCareResult> {
    const current = this.activeOf(input.clientId, input.kind);
    if (!current || current.clinicianId !== input.clinicianId) return { outcome: 'not_active' };
    current.endedAt = input.endedAt;
    current.endReason = input.endReason;
    return { outcome: 'ended', relationship: { ...current } };
  }

  async relationshipsOf(clientId: string): Promise<CareRelationship[]> {
    return this.items
      .filter((r) => r.clientId === clientId)
      .map((r) => ({ ...r }))
      .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  }

  async activeFor(clientId: string): Promise<CareRelationship[]> {
    return (await this.relationshipsOf(clientId)).filter((r) => r.endedAt === undefined);
  }

  async relationship(clientId: string, clinicianId: string): Promise<CareRelationship[]> {
    return (await this.relationshipsOf(clientId)).filter((r) => r.clinicianId === clinicianId);
  }

  async clientsOf(clinicianId: string, status: 'active' | 'ended'): Promise<CareRelationship[]> {
    return this.items
      .filter((r) => r.clinicianId === clinicianId && (status === 'active') === (r.endedAt === undefined))
      .map((r) => ({ ...r }))
      .sort((a, b) => (status === 'active' ? Date.parse(b.startedAt) - Date.parse(a.startedAt) : Date.parse(b.endedAt ?? '') - Date.parse(a.endedAt ?? '')));
  }
}
