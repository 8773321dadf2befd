/**
 * The access decision and audit of joint notes (shared/domain/notes/joint-notes.ts), the care
 * unit's side of progress-notes.ts's withNoteAccess: the client's side is withClientAccess.
 *
 * withJointNoteAccess(deps, attempt, work):
 *   1. load the unit with its memberships (unknown: 404)
 *   2. decideJointNoteAccess: the unit's therapist; a member invited to the note's session whose
 *      membership is active, reading; anyone else 404 (a client's refusal audited on their own
 *      chain, `not_unit_member`; a clinician has no chain of theirs to go to)
 *   3. the work; its success or failure audited on EVERY invited member's chain when the unit's
 *      therapist acts (category `progress_note`, naming the note, never its text), on the
 *      member's own chain when a member reads (as joint sessions are audited)
 */
import { activeMembers } from '../../domain/care-units/units.js';
import type { AccessBasis, RecordAction } from '../../domain/access.js';
import type { AuditOutcome } from '../../domain/audit.js';
import { NotFoundError } from '../../domain/errors.js';
import { decideJointNoteAccess } from '../../domain/notes/joint-notes.js';
import type { Caller } from '../../domain/roles.js';
import { buildAuditEvent } from '../access/client-access.js';
import type { NotesDeps } from './ports.js';

export interface JointNoteAttempt {
  caller: Pick<Caller, 'userId' | 'role'>;
  unitId: string;
  action: RecordAction;
  recordId?: string;
  /** The members the note's session invited; absent for the unit's list. */
  memberIds?: readonly string[];
  requestId?: string;
}

export interface JointNoteAccess {
  as: 'unit_therapist' | 'member';
}

function memberEvent(deps: NotesDeps, attempt: JointNoteAttempt, clientId: string, outcome: AuditOutcome) {
  const basis: AccessBasis = attempt.caller.role === 'client' ? 'self' : 'assigned_therapist';
  return buildAuditEvent(deps, {
    actor: attempt.caller,
    clientId,
    purpose: attempt.caller.role === 'client' ? 'self_access' : 'treatment',
    action: attempt.action,
    category: 'progress_note',
    outcome,
    ...(outcome === 'denied' ? { denialReason: 'not_unit_member' as const } : { basis }),
    ...(attempt.recordId === undefined ? {} : { recordId: attempt.recordId }),
    ...(attempt.requestId === undefined ? {} : { requestId: attempt.requestId }),
  });
}

/** The decision only, its refusal audited (404); the members whose chains record what follows. */
export async function authorizeJointNoteAccess(deps: NotesDeps, attempt: JointNoteAttempt): Promise<JointNoteAccess & { audited: string[] }> {
  const loaded = await deps.units.getUnit(attempt.unitId);
  const membership = loaded?.memberships.find((m) => m.clientId === attempt.caller.userId);
  const decision = loaded
    ? decideJointNoteAccess({
        caller: attempt.caller,
        unit: loaded.unit,
        ...(membership ? { membership } : {}),
        ...(attempt.memberIds === undefined ? {} : { note: { memberIds: attempt.memberIds } }),
        action: attempt.action,
      })
    : ({ allowed: false } as const);
  if (!decision.allowed) {
    if (attempt.caller.role === 'client') await deps.auditLog.record(memberEvent(deps, attempt, attempt.caller.userId, 'denied'));
    throw new NotFoundError();
  }
  const members = attempt.memberIds ?? activeMembers(loaded!.memberships).map((m) => m.clientId);
  const audited = decision.as === 'member' ? [attempt.caller.userId] : [...new Set(members)].sort();
  return { as: decision.as, audited };
}

export async function withJointNoteAccess<T>(deps: NotesDeps, attempt: JointNoteAttempt, work: (access: JointNoteAccess) => Promise<T>): Promise<T> {
  const { as, audited } = await authorizeJointNoteAccess(deps, attempt);
  const audit = async (outcome: AuditOutcome) => {
    for (const clientId of audited) await deps.auditLog.record(memberEvent(deps, attempt, clientId, outcome));
  };
  let result: T;
  try {
    result = await work({ as });
  } catch (error) {
    await audit('failure');
    throw error;
  }
  await audit('success');
  return result;
}

/** An `Idempotency-Key` replay on a joint note: the decision for the caller now, then a `read` event of the note shown. */
export async function authorizeJointNoteReplay(deps: NotesDeps, attempt: JointNoteAttempt): Promise<void> {
  const { audited } = await authorizeJointNoteAccess(deps, attempt);
  for (const clientId of audited) await deps.auditLog.record(memberEvent(deps, { ...attempt, action: 'read' }, clientId, 'success'));
}
