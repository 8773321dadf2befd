/**
 * An Idempotency-Key replay of a booking: the route's decision for the caller NOW (the client
 * or the assigned therapist; anyone else, a former therapist included, 404, audited), then a
 * `read` event of the first session the stored response shows.
 */
import { authorizeReplay } from '../access/client-access.js';
import { purposeFor, SCHEDULING_BASES, type Caller, type SessionDeps } from './dependencies.js';

function firstSessionId(stored: unknown): string | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const sessions = (stored as { sessions?: unknown }).sessions;
  const first = Array.isArray(sessions) ? (sessions[0] as { id?: unknown } | undefined) : undefined;
  return typeof first?.id === 'string' ? first.id : undefined;
}

export async function authorizeSessionReplay(input: { caller: Caller; clientId: string; requestId?: string }, stored: unknown, deps: SessionDeps): Promise<void> {
  const recordId = firstSessionId(stored);
  await authorizeReplay(
    {
      careTeam: deps.careTeam,
      auditLog: deps.auditLog,
      now: deps.now,
      ...(deps.formerClinicianAccessDays === undefined ? {} : { formerClinicianAccessDays: deps.formerClinicianAccessDays }),
    },
    {
      caller: input.caller,
      clientId: input.clientId,
      purpose: purposeFor(input.caller.role),
      action: 'create',
      category: 'session',
      ...(recordId ? { recordId } : {}),
      ...(input.requestId ? { requestId: input.requestId } : {}),
    },
    SCHEDULING_BASES,
  );
}
