/**
 * Joint notes (issue 10, "joint notes on the unit"): the progress note of an attended JOINT
 * session is a note ON THE CARE UNIT, held in the unit's record (DESIGN.md, "Manage": a couple
 * or a family has one record for the unit beside each member's own), never in a member's
 * individual record. Same formats, lock and addenda as any progress note (progress-notes.ts);
 * only who may do what differs, decided here.
 *
 * | caller                                                  | write / sign / addenda | read            |
 * |---------------------------------------------------------|------------------------|-----------------|
 * | the unit's therapist (writes only the notes of sessions they held; edits and signs their own) | yes | every note, drafts too |
 * | a member invited to the session, membership active      | no                     | SIGNED notes, without clinician-only fields (open notes) |
 * | a member who left or was removed                        | no                     | no (404)        |
 * | a member not invited to that session (joined later)     | no                     | no (404)        |
 * | anyone else (another therapist, a third client)         | no                     | no (404)        |
 *
 * A member reads the notes of the joint sessions they were in: a member who joined later does
 * not read about sessions held before them (as they do not see those sessions).
 */
import type { RecordAction } from '../access.js';

/** Where a progress note lives: a client's record, or a care unit's (a joint note). */
export const NOTE_HOLDERS = ['client', 'care_unit'] as const;
export type NoteHolder = (typeof NOTE_HOLDERS)[number];

export type JointNoteDecision = { allowed: true; as: 'unit_therapist' | 'member' } | { allowed: false };

/** Decides on one joint note, or the unit's list of them when `note` is absent (see the table above); pure. */
export function decideJointNoteAccess(input: {
  caller: { userId: string; role: string };
  unit: { therapistId?: string };
  /** The caller's membership of the unit, if any. */
  membership?: { status: string };
  /** The note's invited members; absent for the unit's list. */
  note?: { memberIds?: readonly string[] };
  action: RecordAction;
}): JointNoteDecision {
  const { caller, unit, membership, note, action } = input;
  if (caller.role !== 'client') {
    return unit.therapistId !== undefined && unit.therapistId === caller.userId ? { allowed: true, as: 'unit_therapist' } : { allowed: false };
  }
  if (action !== 'read' && action !== 'list') return { allowed: false };
  if (membership?.status !== 'active') return { allowed: false };
  if (note !== undefined && !(note.memberIds ?? []).includes(caller.userId)) return { allowed: false };
  return { allowed: true, as: 'member' };
}
