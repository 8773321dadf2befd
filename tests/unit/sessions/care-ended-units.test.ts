/**
 * A care unit's joint care ending (shared/use-cases/sessions/care-ended.ts) with in-memory fakes:
 * the unit's FUTURE booked joint sessions cancelled (cancelled_care_ended, cells released, a
 * cancelled run each, audited on every invited member's chain); a member's own care with the
 * unit's therapist ending ends the unit's joint care (member_care_ended) and cancels them too;
 * another therapist's unit, a member who left, and a retry are left as they should be.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/domain/audit.js';
import type { CareUnit, Membership, UnitCareEndReason } from '../../../shared/domain/care-units/units.js';
import { memberCareEndEndsJointCare } from '../../../shared/domain/care-units/units.js';
import type { LoadedUnit, UnitPointer } from '../../../shared/use-cases/care-units/ports.js';
import type { JsonValue, WorkflowStarter } from '../../../shared/use-cases/ports.js';
import { careEndedSessions } from '../../../shared/use-cases/sessions/care-ended.js';
import type { SessionChange, StoredSession } from '../../../shared/use-cases/sessions/ports.js';

const NOW = Date.parse('2027-03-01T12:00:00.000Z');
const HOUR = 3_600_000;
const at = (offset: number) => new Date(NOW + offset).toISOString();

function jointSession(sessionId: string, startOffset: number, overrides: Partial<StoredSession> = {}): StoredSession {
  return {
    sessionId,
    clientId: 'u-1',
    unitId: 'u-1',
    invitedMemberIds: ['a', 'b'],
    memberAttendance: {},
    therapistId: 't-1',
    therapist: { clinicianId: 't-1', displayName: 'Dr. Synthetic', credentials: [] } as unknown as StoredSession['therapist'],
    type: 'couple',
    start: at(startOffset),
    end: at(startOffset + 80 * 60_000),
    status: 'booked',
    joinUrl: `https://video.example.com/rooms/${sessionId}`,
    therapistTimezone: 'America/Denver',
    clientTimezone: 'America/Denver',
    scheduleVersion: 1,
    scheduledAt: at(-100 * HOUR),
    createdAt: at(-100 * HOUR),
    updatedAt: at(-100 * HOUR),
    bookedBy: 'client',
    lockCells: [at(startOffset)],
    ...overrides,
  };
}

const member = (clientId: string, status: Membership['status']): Membership => ({ unitId: 'u-1', clientId, role: 'partner', status, invitedBy: 'a', invitedAt: at(-200 * HOUR) });

function world(options: { unit?: Partial<CareUnit>; memberships?: Membership[]; sessions?: StoredSession[] } = {}) {
  const sessions = new Map((options.sessions ?? []).map((s) => [s.sessionId, s]));
  const released: string[] = [];
  const loaded: LoadedUnit = {
    unit: { unitId: 'u-1', kind: 'couple', createdBy: 'a', createdAt: at(-200 * HOUR), therapistId: 't-1', matchedAt: at(-150 * HOUR), ...options.unit },
    version: 3,
    memberships: options.memberships ?? [member('a', 'active'), member('b', 'active')],
    releases: [],
    consents: [],
  };
  const ends: { unitId: string; reason: UnitCareEndReason }[] = [];
  const events: AuditEvent[] = [];
  const runs: { [key: string]: JsonValue }[] = [];
  const workflow: WorkflowStarter = {
    async start(execution) {
      runs.push(execution.input);
      return { executionArn: `local:${execution.name}`, alreadyStarted: false };
    },
  };
  const deps = {
    sessions: {
      async listForClient() {
        return [];
      },
      async listForUnit(unitId: string) {
        return [...sessions.values()].filter((s) => s.unitId === unitId);
      },
      async change(change: SessionChange) {
        const current = sessions.get(change.session.sessionId);
        if (!current || current.status !== 'booked') return 'conflict' as const;
        sessions.set(current.sessionId, { ...current, status: change.status, cancelledBy: change.by, cancelledAt: change.now.toISOString() });
        if (change.releaseCells) released.push(...current.lockCells);
        return 'changed' as const;
      },
      async openTasksOfClient() {
        return [];
      },
      async closeTask() {
        return 'not_open' as const;
      },
    },
    units: {
      async listUnitsOf(clientId: string): Promise<UnitPointer[]> {
        const own = loaded.memberships.find((m) => m.clientId === clientId);
        return own ? [{ unitId: 'u-1', kind: 'couple', role: own.role, status: own.status }] : [];
      },
      async getUnit(unitId: string) {
        return unitId === 'u-1' ? structuredClone(loaded) : undefined;
      },
      async endJointCare(unitId: string, end: { at: string; reason: UnitCareEndReason }, expectedVersion: number) {
        if (expectedVersion !== loaded.version || loaded.unit.careEndedAt !== undefined) return 'conflict' as const;
        loaded.unit = { ...loaded.unit, careEndedAt: end.at, careEndReason: end.reason };
        loaded.version += 1;
        ends.push({ unitId, reason: end.reason });
        return 'written' as const;
      },
    },
    workflow,
    auditLog: {
      async record(event: AuditEvent) {
        events.push(event);
      },
    },
    now: () => new Date(NOW),
    newEventId: (() => {
      let n = 0;
      return () => `e-${(n += 1)}`;
    })(),
  };
  return { deps, sessions, released, loaded, ends, events, runs };
}

describe('memberCareEndEndsJointCare', () => {
  const unit: CareUnit = { unitId: 'u-1', kind: 'couple', createdBy: 'a', createdAt: at(0), therapistId: 't-1' };
  it('ends the joint care of a unit whose therapist the ACTIVE member leaves care with, once', () => {
    expect(memberCareEndEndsJointCare(unit, { status: 'active' }, 't-1')).toBe(true);
    expect(memberCareEndEndsJointCare(unit, { status: 'active' }, 't-2')).toBe(false);
    expect(memberCareEndEndsJointCare(unit, { status: 'left' }, 't-1')).toBe(false);
    expect(memberCareEndEndsJointCare(unit, undefined, 't-1')).toBe(false);
    expect(memberCareEndEndsJointCare({ ...unit, careEndedAt: at(0), careEndReason: 'fewer_than_two_members' }, { status: 'active' }, 't-1')).toBe(false);
  });
});

describe('a unit\'s joint care ends: its future joint sessions are cancelled', () => {
  it('cancels every FUTURE booked joint session (cells released, a cancelled run each, audited on each invited member\'s chain); past and closed ones stay', async () => {
    const w = world({
      sessions: [
        jointSession('s-past', -24 * HOUR),
        jointSession('s-1', 24 * HOUR),
        jointSession('s-2', 7 * 24 * HOUR),
        jointSession('s-gone', 14 * 24 * HOUR, { status: 'cancelled' }),
      ],
    });
    const cancelled = await careEndedSessions(w.deps).cancelFutureUnitSessions({ unitId: 'u-1', caller: { userId: 'b', role: 'client' }, requestId: 'req-1' });
    expect(cancelled).toEqual(['s-1', 's-2']);
    expect([...w.sessions.values()].map((s) => [s.sessionId, s.status, s.cancelledBy])).toEqual([
      ['s-past', 'booked', undefined],
      ['s-1', 'cancelled_care_ended', 'system'],
      ['s-2', 'cancelled_care_ended', 'system'],
      ['s-gone', 'cancelled', undefined],
    ]);
    expect(w.released).toEqual([at(24 * HOUR), at(7 * 24 * HOUR)]);
    expect(w.runs).toEqual([
      { sessionId: 's-1', scheduleVersion: 1, phase: 'cancelled' },
      { sessionId: 's-2', scheduleVersion: 1, phase: 'cancelled' },
    ].map((run) => expect.objectContaining(run)));
    expect(w.events.map((e) => [e.clientId, e.record.category, e.record.id, e.action, e.outcome, e.actor.userId, e.requestId])).toEqual([
      ['a', 'session', 's-1', 'update', 'success', 'b', 'req-1'],
      ['b', 'session', 's-1', 'update', 'success', 'b', 'req-1'],
      ['a', 'session', 's-2', 'update', 'success', 'b', 'req-1'],
      ['b', 'session', 's-2', 'update', 'success', 'b', 'req-1'],
    ]);
    // A retry finds nothing left booked: nothing cancelled or sent twice.
    expect(await careEndedSessions(w.deps).cancelFutureUnitSessions({ unitId: 'u-1', caller: { userId: 'b', role: 'client' } })).toEqual([]);
    expect(w.runs).toHaveLength(2);
  });

  it('a member\'s care with the unit\'s therapist ending ends the joint care (member_care_ended, audited on each active member) and cancels the joint sessions; a retry finishes, never ends twice', async () => {
    const w = world({ sessions: [jointSession('s-1', 24 * HOUR), jointSession('s-2', 48 * HOUR)] });
    const therapist = { userId: 't-1', role: 'therapist' as const };
    let failOnce = true;
    const change = w.deps.sessions.change;
    const faulty = {
      ...w.deps,
      sessions: {
        ...w.deps.sessions,
        async change(c: SessionChange) {
          if (c.session.sessionId === 's-2' && failOnce) {
            failOnce = false;
            throw new Error('Synthetic fault on the second cancellation.');
          }
          return change(c);
        },
      },
    };
    await expect(careEndedSessions(faulty).cancelFutureSessions({ clientId: 'a', therapistId: 't-1', caller: therapist, basis: 'assigned_therapist' })).rejects.toThrow('Synthetic fault');
    expect(w.loaded.unit).toMatchObject({ careEndedAt: at(0), careEndReason: 'member_care_ended' });
    expect(w.sessions.get('s-2')?.status).toBe('booked');
    // The retry (the discharge's same Idempotency-Key) finishes it, without ending the joint care again.
    expect(await careEndedSessions(faulty).cancelFutureSessions({ clientId: 'a', therapistId: 't-1', caller: therapist, basis: 'former_clinician' })).toEqual(['s-2']);
    expect(w.ends).toEqual([{ unitId: 'u-1', reason: 'member_care_ended' }]);
    expect([...w.sessions.values()].map((s) => s.status)).toEqual(['cancelled_care_ended', 'cancelled_care_ended']);
    const unitEvents = w.events.filter((e) => e.record.category === 'care_unit');
    expect(unitEvents.map((e) => [e.clientId, e.record.id, e.action, e.actor.userId, e.basis])).toEqual([
      ['a', 'u-1', 'update', 't-1', 'assigned_therapist'],
      ['b', 'u-1', 'update', 't-1', 'assigned_therapist'],
    ]);
  });

  it('leaves a unit with another therapist, and a unit the member already left, as they are', async () => {
    const other = world({ unit: { therapistId: 't-2' }, sessions: [jointSession('s-1', 24 * HOUR, { therapistId: 't-2' })] });
    expect(await careEndedSessions(other.deps).cancelFutureSessions({ clientId: 'a', therapistId: 't-1', caller: { userId: 't-1', role: 'therapist' } })).toEqual([]);
    expect(other.loaded.unit.careEndedAt).toBeUndefined();
    expect(other.sessions.get('s-1')?.status).toBe('booked');

    const left = world({ memberships: [member('a', 'left'), member('b', 'active')], sessions: [jointSession('s-1', 24 * HOUR)] });
    expect(await careEndedSessions(left.deps).cancelFutureSessions({ clientId: 'a', therapistId: 't-1', caller: { userId: 'a', role: 'client' } })).toEqual([]);
    expect(left.ends).toEqual([]);
  });

  it('without the units port (a flow not given it), a member\'s care end touches no unit', async () => {
    const w = world({ sessions: [jointSession('s-1', 24 * HOUR)] });
    const { units: _units, ...withoutUnits } = w.deps;
    expect(await careEndedSessions(withoutUnits).cancelFutureSessions({ clientId: 'a', therapistId: 't-1', caller: { userId: 't-1', role: 'therapist' } })).toEqual([]);
    expect(w.loaded.unit.careEndedAt).toBeUndefined();
  });
});
