/**
 * A therapist's session tasks (two no-shows in a row, raised with the attendance that made
 * them: keys.ts patterns 64-65):
 * - GET /v1/clinicians/{clinicianId}/session-tasks: the clinician themself (anyone else 404),
 *   their OPEN tasks, each shown only while the access policy lets them list the client's
 *   sessions (audited per client, `session`/`list`);
 * - POST /v1/clinicians/{clinicianId}/session-tasks/{sessionId}/close `{note}`: the task's
 *   therapist while assigned closes it with what was done; the same close again answers the
 *   same; no open task for the session: 409 session_task_not_open.
 */
import { NotFoundError, SessionTaskNotOpenError } from '../../domain/errors.js';
import type { CloseSessionTaskRequest, SessionTaskList, SessionTaskView } from '../../domain/sessions/schemas.js';
import { withSessionAccess, type Caller, type SessionDeps } from './dependencies.js';
import type { StoredSessionTask } from './ports.js';

export function sessionTaskView(task: StoredSessionTask): SessionTaskView {
  return {
    id: task.sessionId,
    kind: task.kind,
    clientId: task.clientId,
    sessionId: task.sessionId,
    raisedAt: task.raisedAt,
    status: task.status,
    ...(task.closedAt ? { closedAt: task.closedAt } : {}),
    ...(task.closedBy ? { closedBy: task.closedBy } : {}),
    ...(task.closeNote ? { note: task.closeNote } : {}),
    ...(task.closeReason ? { reason: task.closeReason } : {}),
  };
}

function assertThemself(caller: Caller, clinicianId: string): void {
  if (caller.userId !== clinicianId) throw new NotFoundError();
}

export async function listSessionTasks(input: { caller: Caller; clinicianId: string; requestId?: string }, deps: SessionDeps): Promise<SessionTaskList> {
  assertThemself(input.caller, input.clinicianId);
  const tasks = await deps.sessions.openTasksOf(input.clinicianId);
  const visible: StoredSessionTask[] = [];
  for (const task of tasks) {
    try {
      await withSessionAccess(
        deps,
        { caller: input.caller, clientId: task.clientId, action: 'list', recordId: task.sessionId, ...(input.requestId ? { requestId: input.requestId } : {}) },
        ['assigned_therapist'],
        () => Promise.resolve(),
      );
      visible.push(task);
    } catch (error) {
      // No longer the client's therapist: not shown (the denial is audited).
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return { tasks: visible.map(sessionTaskView) };
}

export async function closeSessionTask(
  input: { caller: Caller; clinicianId: string; sessionId: string; request: CloseSessionTaskRequest; requestId?: string },
  deps: SessionDeps,
): Promise<SessionTaskView> {
  assertThemself(input.caller, input.clinicianId);
  const session = await deps.sessions.get(input.sessionId);
  if (!session || session.therapistId !== input.clinicianId) throw new NotFoundError();
  return withSessionAccess(
    deps,
    { caller: input.caller, clientId: session.clientId, action: 'update', recordId: session.sessionId, recordCreatedAt: session.createdAt, ...(input.requestId ? { requestId: input.requestId } : {}) },
    ['assigned_therapist'],
    async () => {
      const task = await deps.sessions.getTask(session.clientId, session.sessionId);
      if (!task || task.therapistId !== input.clinicianId) throw new SessionTaskNotOpenError();
      if (task.status === 'closed') {
        if (task.closedBy === input.caller.userId && task.closeNote === input.request.note) return sessionTaskView(task);
        throw new SessionTaskNotOpenError();
      }
      const now = deps.now();
      if ((await deps.sessions.closeTask({ task, by: input.caller.userId, note: input.request.note, now })) === 'not_open') throw new SessionTaskNotOpenError();
      return sessionTaskView({ ...task, status: 'closed', closedAt: now.toISOString(), closedBy: input.caller.userId, closeNote: input.request.note });
    },
  );
}
