/**
 * When care with a therapist ends (discharge, rematch, a referral to another level of care), the client's FUTURE booked sessions with
 * that therapist are cancelled (`cancelled_care_ended`, by `system`), their lock cells released
 * in the same transaction as each status change, and each gets its cancellation notice run (the
 * .ics CANCEL: no reminder after it). Past sessions, and sessions with another therapist, are
 * left as they are. Each cancellation is audited (category `session`, action `update`) under
 * the caller whose request ended care. A session changed meanwhile (a concurrent cancel) is
 * skipped: it is no longer booked.
 *
 * The former therapist's OPEN session tasks about the client (two no-shows in a row, pattern
 * 64) are closed in the same flow, by `system` with the reason `care_ended`: the therapist can no
 * longer act on them (their access ended) and they would otherwise stay in their open list
 * (pattern 65) for good. Each close is audited like a cancellation (`session`/`update`, the
 * task's session as the record). Tasks of another therapist are left as they are.
 *
 * A care unit's JOINT care ending (shared/domain/care-units/units.ts) cancels the unit's future
 * booked joint sessions the same way (cancelFutureUnitSessions, from the leave and remove use
 * cases): each cancellation audited on every invited member's chain, its notice run sending the
 * cancellation to every invited member (the one who left included: it clears their calendar)
 * and the therapist. And a member's own care with the unit's therapist ending (the discharge or
 * rematch above, when `units` is given) ends the joint care of every unit the member is active
 * in with that therapist (`member_care_ended`, audited `care_unit`/`update` on each active
 * member's chain) and cancels its future joint sessions. Every step skips what is done already,
 * so a retry of the request that ended care finishes it.
 */
import type { AccessBasis, ClientRecordCategory } from '../../domain/access.js';
import type { AuditActorRole } from '../../domain/audit.js';
import { activeMembers, memberCareEndEndsJointCare } from '../../domain/care-units/units.js';
import { buildAuditEvent } from '../access/client-access.js';
import type { CareUnitRecords } from '../care-units/ports.js';
import type { AuditLog, WorkflowStarter } from '../ports.js';
import { purposeFor, startSessionWorkflow } from './dependencies.js';
import type { SessionRecords, StoredSession } from './ports.js';

export interface CareEndedSessionDeps {
  sessions: Pick<SessionRecords, 'listForClient' | 'listForUnit' | 'change' | 'openTasksOfClient' | 'closeTask'>;
  /** The member's care units: given, a member's care ending with the unit's therapist ends the unit's joint care too. */
  units?: Pick<CareUnitRecords, 'listUnitsOf' | 'getUnit' | 'endJointCare'>;
  workflow: WorkflowStarter;
  auditLog: AuditLog;
  now: () => Date;
}

const UNIT_ATTEMPTS = 3;

export interface CareEnded {
  clientId: string;
  therapistId: string;
  /** Whose request ended care (the audit actor): a person, or the care lifecycle (`system`). */
  caller: { userId: string; role: AuditActorRole };
  basis?: AccessBasis;
  requestId?: string;
}

/** A care unit's joint care ended: whose request ended it, as in CareEnded. */
export interface UnitCareEnded extends Omit<CareEnded, 'clientId' | 'therapistId'> {
  unitId: string;
}

/** The port the discharge and rematch use cases call once care ended; the ids of the sessions cancelled (the client's; with `units`, the joint sessions of the units whose joint care ends with it). */
export interface CareEndedSessions {
  cancelFutureSessions(ended: CareEnded): Promise<string[]>;
}

/** The port the leave and remove use cases call once the unit's joint care ended; the ids of the joint sessions cancelled. */
export interface UnitCareEndedSessions {
  cancelFutureUnitSessions(ended: UnitCareEnded): Promise<string[]>;
}

type Caller = Omit<CareEnded, 'clientId' | 'therapistId'>;

/** One success event on `clientId`'s chain for what the care end did (actor: whose request ended care). */
function auditOn(deps: CareEndedSessionDeps, ended: Caller, clientId: string, category: ClientRecordCategory, recordId: string) {
  return deps.auditLog.record(
    buildAuditEvent(deps, {
      actor: ended.caller,
      clientId,
      purpose: ended.caller.role === 'system' ? 'treatment' : purposeFor(ended.caller.role),
      action: 'update',
      category,
      outcome: 'success',
      recordId,
      ...(ended.basis ? { basis: ended.basis } : {}),
      ...(ended.requestId ? { requestId: ended.requestId } : {}),
    }),
  );
}

/**
 * The FUTURE booked sessions among `sessions` cancelled (`cancelled_care_ended`, by system, cells
 * released), each audited on the chains `chainsOf` names and its notice run started. A session
 * changed meanwhile is skipped.
 */
async function cancelFuture(deps: CareEndedSessionDeps, ended: Caller, sessions: readonly StoredSession[], chainsOf: (s: StoredSession) => readonly string[], now: Date): Promise<string[]> {
  const cancelled: string[] = [];
  for (const session of sessions.filter((s) => s.status === 'booked' && Date.parse(s.start) > now.getTime())) {
    const result = await deps.sessions.change({ session, status: 'cancelled_care_ended', by: 'system', now, releaseCells: true });
    if (result === 'conflict') continue;
    cancelled.push(session.sessionId);
    for (const clientId of chainsOf(session)) await auditOn(deps, ended, clientId, 'session', session.sessionId);
    await startSessionWorkflow(deps.workflow, { sessionId: session.sessionId, scheduleVersion: session.scheduleVersion, phase: 'cancelled' });
  }
  return cancelled;
}

const unitSessions = (deps: CareEndedSessionDeps, ended: UnitCareEnded, now: Date) =>
  deps.sessions.listForUnit(ended.unitId).then((sessions) => cancelFuture(deps, ended, sessions, (s) => s.invitedMemberIds ?? [], now));

/**
 * The client's care with `therapistId` ended: the joint care of each unit they are ACTIVE in with
 * that therapist ends (memberCareEndEndsJointCare; audited on each active member's chain), and
 * the future joint sessions of every such unit whose joint care has ended (now or by an earlier
 * attempt of the same request) are cancelled.
 */
async function endJointCareOfMember(deps: CareEndedSessionDeps, units: NonNullable<CareEndedSessionDeps['units']>, ended: CareEnded, now: Date): Promise<string[]> {
  const cancelled: string[] = [];
  for (const pointer of (await units.listUnitsOf(ended.clientId)).filter((p) => p.status === 'active')) {
    for (let attempt = 1; attempt <= UNIT_ATTEMPTS; attempt += 1) {
      const loaded = await units.getUnit(pointer.unitId);
      if (!loaded || loaded.unit.therapistId !== ended.therapistId) break;
      const own = loaded.memberships.find((m) => m.clientId === ended.clientId);
      if (memberCareEndEndsJointCare(loaded.unit, own, ended.therapistId)) {
        if ((await units.endJointCare(pointer.unitId, { at: now.toISOString(), reason: 'member_care_ended' }, loaded.version)) === 'conflict') continue;
        for (const member of activeMembers(loaded.memberships)) await auditOn(deps, ended, member.clientId, 'care_unit', pointer.unitId);
      }
      cancelled.push(...(await unitSessions(deps, { ...ended, unitId: pointer.unitId }, now)));
      break;
    }
  }
  return cancelled;
}

export function careEndedSessions(deps: CareEndedSessionDeps): CareEndedSessions & UnitCareEndedSessions {
  return {
    async cancelFutureSessions(ended) {
      const now = deps.now();
      const withTherapist = (await deps.sessions.listForClient(ended.clientId)).filter((s) => s.therapistId === ended.therapistId);
      const cancelled = await cancelFuture(deps, ended, withTherapist, () => [ended.clientId], now);
      const tasks = (await deps.sessions.openTasksOfClient(ended.clientId)).filter((task) => task.therapistId === ended.therapistId);
      for (const task of tasks) {
        // Closed meanwhile (by the therapist): nothing left to do.
        if ((await deps.sessions.closeTask({ task, by: 'system', reason: 'care_ended', now })) === 'closed') await auditOn(deps, ended, ended.clientId, 'session', task.sessionId);
      }
      if (deps.units) cancelled.push(...(await endJointCareOfMember(deps, deps.units, ended, now)));
      return cancelled;
    },

    async cancelFutureUnitSessions(ended) {
      return unitSessions(deps, ended, deps.now());
    },
  };
}
