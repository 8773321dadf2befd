/**
 * Session (progress) notes: POST /v1/sessions/{sessionId}/note, PATCH /v1/notes/{noteId},
 * POST /v1/notes/{noteId}/sign, POST /v1/notes/{noteId}/addenda, GET /v1/notes/{noteId},
 * GET /v1/clients/{clientId}/notes. Every access goes through withClientAccess (the access
 * policy, category `progress_note`, and an audit event naming the note, never its text).
 *
 * createProgressNote:
 *   1. the session (AttendedSessionLookup): unknown -> 404
 *   2. withClientAccess (create, on the session's client): only the assigned therapist writes
 *      a. the caller held the session (else 404: it is not their session)
 *      b. it was ATTENDED (else 409 session_not_attended)
 *      c. write the draft, the session's note pointer "if absent" and the locator in one
 *         transaction (a second note for the session -> 409 session_has_note with its id)
 * editProgressNote / signProgressNote (the author, while the assigned therapist):
 *   the note is replaced only while it is a draft at the revision read (signed -> 409
 *   note_signed, whatever came first; changed meanwhile -> 409 concurrent_change)
 * addAddendum: appended only to a signed note (a draft -> 409 note_not_signed); kept forever.
 * getProgressNote / listProgressNotes: the care team reads every note (a former clinician only
 *   those of their time); the client reads their SIGNED notes without clinician-only fields.
 *
 * Joint notes (shared/domain/notes/joint-notes.ts): the note of an attended JOINT session is
 * the care unit's, held in the unit's record by the same code (the repository made for the
 * `care_unit` holder, deps.unitNotes; the locator names the holder). withNoteAccess picks the
 * holder's decision: withClientAccess for a client's note, withJointNoteAccess (the unit's
 * therapist writes and reads; an invited active member reads SIGNED notes, open notes) for a
 * unit's. listUnitNotes: GET /v1/care-units/{unitId}/notes.
 */
import { withinScope, type AccessScope, type RecordAction } from '../../domain/access.js';
import type { NoteHolder } from '../../domain/notes/joint-notes.js';
import {
  ConcurrentChangeError,
  ForbiddenError,
  NotFoundError,
  NoteNotSignedError,
  NoteSignedError,
  SessionHasNoteError,
  SessionNotAttendedError,
  ValidationError,
} from '../../domain/errors.js';
import {
  acceptsAddendum,
  clientNoteView,
  draftNote,
  editDraft,
  noteView,
  signNote,
  type Addendum,
  type ClientProgressNoteView,
  type NoteList,
  type ProgressNote,
  type ProgressNoteContent,
  type ProgressNotePatch,
  type ProgressNoteView,
} from '../../domain/notes/progress-notes.js';
import type { Caller } from '../../domain/roles.js';
import { authorizeReplay, storedRecordId, withClientAccess, type ClientAccessAttempt } from '../access/client-access.js';
import { monitorAccess } from '../monitor/dependencies.js';
import { uuidV7 } from '../monitor/record-ids.js';
import { authorizeJointNoteReplay, withJointNoteAccess } from './joint-notes.js';
import type { NotesDeps, ProgressNoteRecords, StoredNote } from './ports.js';

type NoteCaller = Pick<Caller, 'userId' | 'role'>;
type NoteRead = ProgressNoteView | ClientProgressNoteView;

const newId = (deps: Pick<NotesDeps, 'newRecordId'>, at: Date) => (deps.newRecordId ?? uuidV7)(at);
const requestIdOf = (r: { requestId?: string }) => (r.requestId === undefined ? {} : { requestId: r.requestId });

/** Where a note lives: a client's record, or a care unit's (with the members its session invited). */
interface NoteHolderRef {
  holder: NoteHolder;
  holderId: string;
  memberIds?: readonly string[];
}

/** The repository made for the holder. */
const recordsOf = (deps: NotesDeps, at: NoteHolderRef): ProgressNoteRecords => (at.holder === 'care_unit' ? deps.unitNotes : deps.notes);

interface NoteAttempt {
  action: RecordAction;
  recordId?: string;
  recordCreatedAt?: string;
}

function attempt(request: { caller: NoteCaller; clientId: string; requestId?: string }, deps: NotesDeps, what: NoteAttempt): Promise<ClientAccessAttempt> {
  return monitorAccess(request, deps, { action: what.action, category: 'progress_note', ...(what.recordId === undefined ? {} : { recordId: what.recordId }) }).then(
    (a) => (what.recordCreatedAt === undefined ? a : { ...a, recordCreatedAt: what.recordCreatedAt }),
  );
}

/** The holder's access decision and audit around `work`: a client's note by the access policy, a unit's by the joint rules. */
async function withNoteAccess<T>(
  deps: NotesDeps,
  request: { caller: NoteCaller; requestId?: string },
  at: NoteHolderRef,
  what: NoteAttempt,
  work: (access: { scope?: AccessScope }) => Promise<T>,
): Promise<T> {
  if (at.holder === 'care_unit') {
    const memberIds = at.memberIds === undefined ? {} : { memberIds: at.memberIds };
    const recordId = what.recordId === undefined ? {} : { recordId: what.recordId };
    return withJointNoteAccess(deps, { caller: request.caller, unitId: at.holderId, action: what.action, ...recordId, ...memberIds, ...requestIdOf(request) }, () => work({}));
  }
  return withClientAccess(deps, await attempt({ caller: request.caller, clientId: at.holderId, ...requestIdOf(request) }, deps, what), (access) => work({ scope: access.scope }));
}

/** An `Idempotency-Key` replay: the holder's decision for the caller now, the read audited. */
async function authorizeNoteReplay(deps: NotesDeps, request: { caller: NoteCaller; requestId?: string }, at: NoteHolderRef, what: NoteAttempt): Promise<void> {
  if (at.holder === 'care_unit') {
    const recordId = what.recordId === undefined ? {} : { recordId: what.recordId };
    const memberIds = at.memberIds === undefined ? {} : { memberIds: at.memberIds };
    return authorizeJointNoteReplay(deps, { caller: request.caller, unitId: at.holderId, action: what.action, ...recordId, ...memberIds, ...requestIdOf(request) });
  }
  await authorizeReplay(deps, await attempt({ caller: request.caller, clientId: at.holderId, ...requestIdOf(request) }, deps, what));
}

/** A session's note holder: a joint session's care unit, else its client. */
function holderOfSession(session: { clientId: string; unitId?: string; invitedMemberIds?: string[] }): NoteHolderRef {
  return session.unitId === undefined
    ? { holder: 'client', holderId: session.clientId }
    : { holder: 'care_unit', holderId: session.unitId, memberIds: session.invitedMemberIds ?? [] };
}

/** A stored note's holder. */
function holderOfNote(note: ProgressNote): NoteHolderRef {
  return note.unitId === undefined ? { holder: 'client', holderId: note.clientId } : { holder: 'care_unit', holderId: note.unitId, memberIds: note.memberIds ?? [] };
}

export interface CreateProgressNoteInput {
  caller: NoteCaller;
  sessionId: string;
  content: ProgressNoteContent;
  requestId?: string;
}

export async function createProgressNote(input: CreateProgressNoteInput, deps: NotesDeps): Promise<ProgressNoteView> {
  const { caller, sessionId } = input;
  const session = await deps.sessions.find(sessionId);
  if (!session) throw new NotFoundError();
  const now = deps.now();
  const noteId = newId(deps, now);
  const at = holderOfSession(session);
  return withNoteAccess(deps, input, at, { action: 'create', recordId: noteId }, async () => {
    if (session.clinicianId !== caller.userId) throw new NotFoundError();
    if (session.attendance !== 'attended') throw new SessionNotAttendedError();
    const joint = at.holder === 'care_unit' ? { unitId: at.holderId, memberIds: [...(at.memberIds ?? [])] } : {};
    const note = draftNote(input.content, { noteId, sessionId, clientId: at.holderId, ...joint }, { userId: caller.userId, role: caller.role }, now.toISOString());
    const result = await recordsOf(deps, at).create(note);
    switch (result.outcome) {
      case 'created':
        return noteView(note, []);
      case 'session_has_note':
        throw new SessionHasNoteError(result.noteId);
      case 'client_not_found':
        throw new NotFoundError();
    }
  });
}

/** An `Idempotency-Key` replay of createProgressNote: the decision for the caller now, the read audited. */
export async function authorizeNoteCreationReplay(input: { caller: NoteCaller; sessionId: string; requestId?: string }, stored: unknown, deps: NotesDeps): Promise<void> {
  const session = await deps.sessions.find(input.sessionId);
  if (!session) throw new NotFoundError();
  const recordId = storedRecordId(stored, 'noteId');
  await authorizeNoteReplay(deps, input, holderOfSession(session), { action: 'create', ...(recordId === undefined ? {} : { recordId }) });
}

/** The note by id, from its holder: 404 when there is none (before any access decision: nothing to decide on). */
async function load(noteId: string, deps: NotesDeps): Promise<StoredNote> {
  const located = await deps.notes.locate(noteId);
  const stored = located === undefined ? undefined : await recordsOf(deps, located).get(located.holderId, noteId);
  if (!stored) throw new NotFoundError();
  return stored;
}

function readFor(caller: NoteCaller, view: ProgressNoteView): NoteRead | undefined {
  return caller.role === 'client' ? clientNoteView(view) : view;
}

export interface NoteInput {
  caller: NoteCaller;
  noteId: string;
  requestId?: string;
}

export async function getProgressNote(input: NoteInput, deps: NotesDeps): Promise<NoteRead> {
  const { note, addenda } = await load(input.noteId, deps);
  return withNoteAccess(deps, input, holderOfNote(note), { action: 'read', recordId: note.noteId, recordCreatedAt: note.createdAt }, async () => {
    // A client's drafts do not exist for them (open notes are signed notes).
    const read = readFor(input.caller, noteView(note, addenda));
    if (!read) throw new NotFoundError();
    return read;
  });
}

const newestFirst = (a: StoredNote, b: StoredNote) => b.note.createdAt.localeCompare(a.note.createdAt) || b.note.noteId.localeCompare(a.note.noteId);

export async function listProgressNotes(input: { caller: NoteCaller; clientId: string; requestId?: string }, deps: NotesDeps): Promise<NoteList> {
  return withClientAccess(deps, await attempt(input, deps, { action: 'list' }), async (access) => {
    const stored = (await deps.notes.listOf(input.clientId)).filter((s) => withinScope(access.scope, s.note.createdAt));
    return { notes: stored.sort(newestFirst).flatMap((s) => readFor(input.caller, noteView(s.note, s.addenda)) ?? []) };
  });
}

/**
 * GET /v1/care-units/{unitId}/notes: the unit's joint notes, newest first. The unit's therapist
 * every note; an active member the SIGNED notes of the sessions they were invited to, without
 * clinician-only fields (joint-notes.ts).
 */
export async function listUnitNotes(input: { caller: NoteCaller; unitId: string; requestId?: string }, deps: NotesDeps): Promise<NoteList> {
  return withNoteAccess(deps, input, { holder: 'care_unit', holderId: input.unitId }, { action: 'list' }, async () => {
    const stored = await deps.unitNotes.listOf(input.unitId);
    const visible = input.caller.role === 'client' ? stored.filter((s) => (s.note.memberIds ?? []).includes(input.caller.userId)) : stored;
    return { notes: visible.sort(newestFirst).flatMap((s) => readFor(input.caller, noteView(s.note, s.addenda)) ?? []) };
  });
}

/** Edits and signing: the author only, on a draft at the revision read. */
async function changeDraft(input: NoteInput, deps: NotesDeps, change: (note: ProgressNote, at: string) => ProgressNote): Promise<ProgressNoteView> {
  const { note, addenda } = await load(input.noteId, deps);
  const at = holderOfNote(note);
  const records = recordsOf(deps, at);
  return withNoteAccess(deps, input, at, { action: 'update', recordId: note.noteId, recordCreatedAt: note.createdAt }, async () => {
    if (note.author.userId !== input.caller.userId) throw new ForbiddenError('Only the author of a note edits or signs it.');
    if (note.status !== 'draft') throw new NoteSignedError();
    const next = change(note, deps.now().toISOString());
    if ((await records.replaceDraft(note, next)) === 'conflict') {
      const current = await records.get(note.clientId, note.noteId);
      if (current?.note.status === 'signed') throw new NoteSignedError();
      throw new ConcurrentChangeError();
    }
    return noteView(next, addenda);
  });
}

export function editProgressNote(input: NoteInput & { patch: ProgressNotePatch }, deps: NotesDeps): Promise<ProgressNoteView> {
  return changeDraft(input, deps, (note, at) => {
    const result = editDraft(note, input.patch, at);
    if (result.ok) return result.note;
    if (result.reason === 'signed') throw new NoteSignedError();
    throw new ValidationError(result.errors ?? [], 'The note would not be valid with this change.');
  });
}

export function signProgressNote(input: NoteInput, deps: NotesDeps): Promise<ProgressNoteView> {
  return changeDraft(input, deps, (note, at) => {
    const result = signNote(note, { userId: input.caller.userId, role: input.caller.role }, at);
    if (!result.ok) throw new NoteSignedError();
    return result.note;
  });
}

export async function addAddendum(input: NoteInput & { text: string }, deps: NotesDeps): Promise<ProgressNoteView> {
  const { note, addenda } = await load(input.noteId, deps);
  const at = holderOfNote(note);
  return withNoteAccess(deps, input, at, { action: 'update', recordId: note.noteId, recordCreatedAt: note.createdAt }, async () => {
    if (!acceptsAddendum(note)) throw new NoteNotSignedError();
    const now = deps.now();
    const addendum: Addendum = {
      addendumId: (deps.newRecordId ?? uuidV7)(now),
      noteId: note.noteId,
      author: { userId: input.caller.userId, role: input.caller.role },
      text: input.text,
      createdAt: now.toISOString(),
    };
    if ((await recordsOf(deps, at).addAddendum(note.clientId, addendum)) === 'not_signed') throw new NoteNotSignedError();
    return noteView(note, [...addenda, addendum]);
  });
}

/** An `Idempotency-Key` replay of addAddendum: the decision for the caller now, the read audited. */
export async function authorizeAddendumReplay(input: NoteInput, deps: NotesDeps): Promise<void> {
  const { note } = await load(input.noteId, deps);
  await authorizeNoteReplay(deps, input, holderOfNote(note), { action: 'update', recordId: note.noteId, recordCreatedAt: note.createdAt });
}
