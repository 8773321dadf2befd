/** withClientAccess: the policy, the work and the audit event, in that order, with in-memory ports. */
import { describe, expect, it } from 'vitest';
import { withinScope } from '../../../shared/domain/access.js';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors.js';
import { authorizeClientAccess, buildAuditEvent, withClientAccess, type ClientAccessAttempt } from '../../../shared/use-cases/access/client-access.js';
import { InMemoryAuditLog, InMemoryCareTeam } from './fakes.js';

const A = 'client-a';
const B = 'client-b';
const T = 'therapist-t';
const F = 'therapist-f';
const NOW = new Date('2026-03-15T10:00:00.000Z');

function setup() {
  const careTeam = new InMemoryCareTeam([A, B]);
  const auditLog = new InMemoryAuditLog();
  let n = 0;
  const deps = { careTeam, auditLog, now: () => NOW, newEventId: () => `event-${(n += 1)}` };
  return { careTeam, auditLog, deps };
}

const therapistReads = (caller: string, extra: Partial<ClientAccessAttempt> = {}): ClientAccessAttempt => ({
  caller: { userId: caller, role: 'therapist' },
  clientId: A,
  purpose: 'treatment',
  action: 'read',
  category: 'assessment',
  recordId: 'assessment-1',
  requestId: 'req-1',
  ...extra,
});

describe('withClientAccess', () => {
  it('runs the work, then appends a success event naming the record and the basis', async () => {
    const { careTeam, auditLog, deps } = setup();
    await careTeam.begin({ clientId: A, clinicianId: T, kind: 'therapist', startedAt: '2026-03-01T00:00:00.000Z' });
    const order: string[] = [];
    const result = await withClientAccess(deps, therapistReads(T), async (access) => {
      order.push(`work:${auditLog.events(A).length}`);
      expect(access).toEqual({ allowed: true, basis: 'assigned_therapist', scope: { kind: 'all' } });
      return { total: 12 };
    });
    expect(result).toEqual({ total: 12 });
    expect(order).toEqual(['work:0']);
    expect(auditLog.events(A)).toEqual([
      {
        eventId: 'event-1',
        at: NOW.toISOString(),
        actor: { userId: T, role: 'therapist' },
        action: 'read',
        record: { category: 'assessment', id: 'assessment-1' },
        clientId: A,
        purpose: 'treatment',
        outcome: 'success',
        basis: 'assigned_therapist',
        requestId: 'req-1',
      },
    ]);
    // The event says what was read, never what it said.
    expect(JSON.stringify(auditLog.events(A))).not.toContain('12');
  });

  it('denies another therapist with a 404, audits the denial and never runs the work', async () => {
    const { auditLog, deps } = setup();
    let ran = false;
    await expect(withClientAccess(deps, therapistReads('therapist-other'), async () => (ran = true))).rejects.toBeInstanceOf(NotFoundError);
    expect(ran).toBe(false);
    expect(auditLog.events(A)).toMatchObject([{ outcome: 'denied', denialReason: 'no_care_relationship', actor: { userId: 'therapist-other' } }]);
    expect(auditLog.events(A)[0]).not.toHaveProperty('basis');
  });

  it('denies client B with a 404 on client A\'s chain, and client A a diagnosis with a 403', async () => {
    const { auditLog, deps } = setup();
    const self = { purpose: 'self_access', action: 'list', category: 'check_in' } as const;
    await expect(withClientAccess(deps, { caller: { userId: B, role: 'client' }, clientId: A, ...self }, async () => [])).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      withClientAccess(deps, { caller: { userId: A, role: 'client' }, clientId: A, purpose: 'self_access', action: 'create', category: 'diagnosis' }, async () => 1),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(auditLog.events(A).map((e) => [e.actor.userId, e.outcome, e.denialReason])).toEqual([
      [B, 'denied', 'other_client'],
      [A, 'denied', 'action_not_allowed'],
    ]);
    expect(auditLog.events(B)).toEqual([]);
  });

  it('appends a failure event when the work throws, and rethrows', async () => {
    const { careTeam, auditLog, deps } = setup();
    await careTeam.begin({ clientId: A, clinicianId: T, kind: 'therapist', startedAt: '2026-03-01T00:00:00.000Z' });
    const boom = new Error('conflict');
    await expect(withClientAccess(deps, therapistReads(T, { action: 'create', category: 'diagnosis' }), async () => Promise.reject(boom))).rejects.toBe(boom);
    expect(auditLog.events(A)).toMatchObject([{ action: 'create', outcome: 'failure', basis: 'assigned_therapist' }]);
  });

  it('returns nothing when the audit log cannot be written (fail closed)', async () => {
    const { careTeam, auditLog, deps } = setup();
    await careTeam.begin({ clientId: A, clinicianId: T, kind: 'therapist', startedAt: '2026-03-01T00:00:00.000Z' });
    auditLog.failWith = new Error('table unavailable');
    await expect(withClientAccess(deps, therapistReads(T), async () => 'the data')).rejects.toThrow('table unavailable');
  });

  it('cuts the previous therapist off new data at the rematch, keeps their time readable', async () => {
    const { careTeam, auditLog, deps } = setup();
    await careTeam.begin({ clientId: A, clinicianId: F, kind: 'therapist', startedAt: '2026-01-10T00:00:00.000Z' });
    await withClientAccess(deps, therapistReads(F, { recordCreatedAt: '2026-02-20T00:00:00.000Z' }), async () => 'ok');

    await careTeam.end({ clientId: A, clinicianId: F, kind: 'therapist', endedAt: '2026-03-01T00:00:00.000Z', endReason: 'rematch' });
    await careTeam.begin({ clientId: A, clinicianId: T, kind: 'therapist', startedAt: '2026-03-01T00:00:00.000Z' });

    await expect(withClientAccess(deps, therapistReads(F, { recordCreatedAt: '2026-03-02T00:00:00.000Z' }), async () => 'new')).rejects.toBeInstanceOf(NotFoundError);
    await expect(withClientAccess(deps, therapistReads(F, { action: 'create', recordId: 'assessment-9' }), async () => 'new')).rejects.toBeInstanceOf(NotFoundError);
    const old = await withClientAccess(deps, therapistReads(F, { recordCreatedAt: '2026-02-20T00:00:00.000Z' }), async (access) => access.basis);
    expect(old).toBe('former_clinician');

    const listed = await withClientAccess(deps, therapistReads(F, { action: 'list', recordId: undefined }), async (access) =>
      ['2026-01-05T00:00:00.000Z', '2026-02-20T00:00:00.000Z', '2026-03-02T00:00:00.000Z'].filter((at) => withinScope(access.scope, at)),
    );
    expect(listed).toEqual(['2026-02-20T00:00:00.000Z']);
    expect(auditLog.events(A).map((e) => [e.actor.userId, e.action, e.outcome, e.basis ?? e.denialReason])).toEqual([
      [F, 'read', 'success', 'assigned_therapist'],
      [F, 'read', 'denied', 'created_outside_relationship'],
      [F, 'create', 'denied', 'relationship_ended'],
      [F, 'read', 'success', 'former_clinician'],
      [F, 'list', 'success', 'former_clinician'],
    ]);
    expect(await auditLog.verifyChain(A)).toMatchObject({ intact: true, length: 5 });
  });

  it('does not read the care team for a client or an admin', async () => {
    const { auditLog } = setup();
    const careTeam = {
      relationshipsOf: async () => {
        throw new Error('must not be read');
      },
    };
    const deps = { careTeam, auditLog, now: () => NOW };
    await expect(
      authorizeClientAccess(deps, { caller: { userId: A, role: 'client' }, clientId: A, purpose: 'self_access', action: 'read', category: 'profile' }),
    ).resolves.toMatchObject({ basis: 'self' });
    await expect(
      authorizeClientAccess(deps, { caller: { userId: 'admin-1', role: 'admin' }, clientId: A, purpose: 'operations', action: 'read', category: 'profile' }),
    ).resolves.toMatchObject({ basis: 'operations' });
    await expect(authorizeClientAccess(deps, therapistReads(T))).rejects.toThrow('must not be read');
  });
});

describe('buildAuditEvent', () => {
  it('fills id and time, and leaves absent members out', () => {
    const e = buildAuditEvent(
      { now: () => NOW, newEventId: () => 'e-1' },
      { actor: { userId: 'risk-escalation', role: 'system' }, clientId: A, purpose: 'risk_review', action: 'read', category: 'risk', outcome: 'success' },
    );
    expect(e).toEqual({
      eventId: 'e-1',
      at: NOW.toISOString(),
      actor: { userId: 'risk-escalation', role: 'system' },
      action: 'read',
      record: { category: 'risk' },
      clientId: A,
      purpose: 'risk_review',
      outcome: 'success',
    });
  });

  it('makes a fresh UUID by default, and reads the time from the `now` port', () => {
    const e = buildAuditEvent({ now: () => NOW }, { actor: { userId: A, role: 'client' }, clientId: A, purpose: 'self_access', action: 'list', category: 'check_in', outcome: 'success' });
    expect(e.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.at).toBe(NOW.toISOString());
  });
});
