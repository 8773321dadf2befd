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
 */
import type { AccessBasis } from '../../domain/access.js';
import type { AuditActorRole } from '../../domain/audit.js';
import { buildAuditEvent } from '../access/client-access.js';
import type { AuditLog, WorkflowStarter } from '../ports.js';
import { purposeFor, startSessionWorkflow } from './dependencies.js';
import type { SessionRecords } from './ports.js';

export interface CareEndedSessionDeps {
  sessions: Pick<SessionRecords, 'listForClient' | 'change' | 'openTasksOfClient' | 'closeTask'>;
  workflow: WorkflowStarter;
  auditLog: AuditLog;
  now: () => Date;
}

export interface CareEnded {
  clientId: string;
  therapistId: string;
  /** Whose request ended care (the audit actor): a person, or the care lifecycle (`system`). */
  caller: { userId: string; role: AuditActorRole };
  basis?: AccessBasis;
  requestId?: string;
}

/** The port the discharge and rematch use cases call once care ended; the ids of the sessions cancelled (and the therapist's open tasks about the client closed). */
export interface CareEndedSessions {
  cancelFutureSessions(ended: CareEnded): Promise<string[]>;
}

export function careEndedSessions(deps: CareEndedSessionDeps): CareEndedSessions {
  return {
    async cancelFutureSessions(ended) {
      const now = deps.now();
      const future = (await deps.sessions.listForClient(ended.clientId)).filter(
        (s) => s.therapistId === ended.therapistId && s.status === 'booked' && Date.parse(s.start) > now.getTime(),
      );
      const audit = (recordId: string) =>
        deps.auditLog.record(
          buildAuditEvent(deps, {
            actor: ended.caller,
            clientId: ended.clientId,
            purpose: ended.caller.role === 'system' ? 'treatment' : purposeFor(ended.caller.role),
            action: 'update',
            category: 'session',
            outcome: 'success',
            recordId,
            ...(ended.basis ? { basis: ended.basis } : {}),
            ...(ended.requestId ? { requestId: ended.requestId } : {}),
          }),
        );
      const cancelled: string[] = [];
      for (const session of future) {
        const result = await deps.sessions.change({ session, status: 'cancelled_care_ended', by: 'system', now, releaseCells: true });
        if (result === 'conflict') continue;
        cancelled.push(session.sessionId);
        await audit(session.sessionId);
        await startSessionWorkflow(deps.workflow, { sessionId: session.sessionId, scheduleVersion: session.scheduleVersion, phase: 'cancelled' });
      }
      const tasks = (await deps.sessions.openTasksOfClient(ended.clientId)).filter((task) => task.therapistId === ended.therapistId);
      for (const task of tasks) {
        // Closed meanwhile (by the therapist): nothing left to do.
        if ((await deps.sessions.closeTask({ task, by: 'system', reason: 'care_ended', now })) === 'closed') await audit(task.sessionId);
      }
      return cancelled;
    },
  };
}
