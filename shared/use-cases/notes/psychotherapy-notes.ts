/**
 * Psychotherapy notes (shared/domain/notes/psychotherapy-notes.ts): POST and GET
 * /v1/clients/{clientId}/psychotherapy-notes, GET /v1/psychotherapy-notes/{noteId}.
 *
 * Written and read by their AUTHOR only:
 * - create: the access policy (category `psychotherapy_note`, recordAuthorId = the caller: only
 *   the client's assigned therapist), then the text sealed by the NoteCipher, bound to author
 *   and note, and stored in the author's own partition. The answer carries no text.
 * - list: the caller's OWN notes of the client, from the caller's partition (nobody can list
 *   another clinician's), decided by the policy like any read (a former therapist keeps the
 *   notes of their time for the read window; the client, supervisors, coordinators, other
 *   clinicians and admins never).
 * - get by id: looked up in the CALLER's partition only: another author's note id is not found
 *   there (404, and the note was never read); then the policy decides as for a read.
 * Every access is audited (withClientAccess): who, the note id, the outcome; never the text.
 */
import { withinScope, type AccessPurpose } from '../../domain/access.js';
import { NotFoundError } from '../../domain/errors.js';
import type {
  PsychotherapyNote,
  PsychotherapyNoteList,
  PsychotherapyNoteReceipt,
  PsychotherapyNoteRequest,
  StoredPsychotherapyNote,
} from '../../domain/notes/psychotherapy-notes.js';
import type { Caller } from '../../domain/roles.js';
import { authorizeReplay, storedRecordId, withClientAccess, type ClientAccessAttempt } from '../access/client-access.js';
import { purposeFor } from '../monitor/dependencies.js';
import { uuidV7 } from '../monitor/record-ids.js';
import type { PsychotherapyNotesDeps } from './ports.js';

type NoteCaller = Pick<Caller, 'userId' | 'role'>;

function attempt(
  input: { caller: NoteCaller; clientId: string; requestId?: string },
  what: Pick<ClientAccessAttempt, 'action' | 'recordId' | 'recordCreatedAt' | 'recordAuthorId'>,
): ClientAccessAttempt {
  const purpose: AccessPurpose = purposeFor(input.caller.role);
  const result: ClientAccessAttempt = { caller: input.caller, clientId: input.clientId, purpose, category: 'psychotherapy_note', action: what.action };
  if (what.recordId !== undefined) result.recordId = what.recordId;
  if (what.recordCreatedAt !== undefined) result.recordCreatedAt = what.recordCreatedAt;
  if (what.recordAuthorId !== undefined) result.recordAuthorId = what.recordAuthorId;
  if (input.requestId !== undefined) result.requestId = input.requestId;
  return result;
}

function receipt(stored: StoredPsychotherapyNote): PsychotherapyNoteReceipt {
  const { sealed: _sealed, ...rest } = stored;
  return rest;
}

async function open(stored: StoredPsychotherapyNote, deps: PsychotherapyNotesDeps): Promise<PsychotherapyNote> {
  const text = await deps.cipher.decrypt(stored.sealed, { authorId: stored.authorId, noteId: stored.noteId });
  return { ...receipt(stored), text };
}

export interface CreatePsychotherapyNoteInput {
  caller: NoteCaller;
  clientId: string;
  request: PsychotherapyNoteRequest;
  requestId?: string;
}

export async function createPsychotherapyNote(input: CreatePsychotherapyNoteInput, deps: PsychotherapyNotesDeps): Promise<PsychotherapyNoteReceipt> {
  const now = deps.now();
  const noteId = (deps.newRecordId ?? uuidV7)(now);
  const authorId = input.caller.userId;
  return withClientAccess(deps, attempt(input, { action: 'create', recordId: noteId, recordAuthorId: authorId }), async () => {
    const sealed = await deps.cipher.encrypt(input.request.text, { authorId, noteId });
    const stored: StoredPsychotherapyNote = {
      noteId,
      clientId: input.clientId,
      authorId,
      ...(input.request.sessionId === undefined ? {} : { sessionId: input.request.sessionId }),
      createdAt: now.toISOString(),
      sealed,
    };
    await deps.psychotherapyNotes.create(stored);
    return receipt(stored);
  });
}

/** An `Idempotency-Key` replay of createPsychotherapyNote: the decision for the caller now (the author), the read audited. */
export async function authorizePsychotherapyNoteReplay(
  input: { caller: NoteCaller; clientId: string; requestId?: string },
  stored: unknown,
  deps: PsychotherapyNotesDeps,
): Promise<void> {
  const recordId = storedRecordId(stored, 'noteId');
  await authorizeReplay(deps, attempt(input, { action: 'create', recordAuthorId: input.caller.userId, ...(recordId === undefined ? {} : { recordId }) }));
}

export async function listPsychotherapyNotes(input: { caller: NoteCaller; clientId: string; requestId?: string }, deps: PsychotherapyNotesDeps): Promise<PsychotherapyNoteList> {
  // The caller's own partition: whatever the decision, nobody else's note is ever read here.
  return withClientAccess(deps, attempt(input, { action: 'list', recordAuthorId: input.caller.userId }), async (access) => {
    const own = await deps.psychotherapyNotes.listOf(input.caller.userId, input.clientId);
    const visible = own.filter((n) => n.authorId === input.caller.userId && withinScope(access.scope, n.createdAt));
    return { notes: await Promise.all(visible.map((n) => open(n, deps))) };
  });
}

export async function getPsychotherapyNote(input: { caller: NoteCaller; noteId: string; requestId?: string }, deps: PsychotherapyNotesDeps): Promise<PsychotherapyNote> {
  const stored = await deps.psychotherapyNotes.get(input.caller.userId, input.noteId);
  if (!stored || stored.authorId !== input.caller.userId) throw new NotFoundError();
  return withClientAccess(
    deps,
    attempt({ caller: input.caller, clientId: stored.clientId, ...(input.requestId === undefined ? {} : { requestId: input.requestId }) }, {
      action: 'read',
      recordId: stored.noteId,
      recordCreatedAt: stored.createdAt,
      recordAuthorId: stored.authorId,
    }),
    () => open(stored, deps),
  );
}
