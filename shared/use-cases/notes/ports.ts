/**
 * What the notes use cases store and read (shared/adapters/dynamodb/progress-note-repository.ts,
 * psychotherapy-note-repository.ts), and what they are given.
 */
import type { Addendum, ProgressNote } from '../../domain/notes/progress-notes.js';
import type { StoredPsychotherapyNote } from '../../domain/notes/psychotherapy-notes.js';
import type { NoteHolder } from '../../domain/notes/joint-notes.js';
import type { ClientAccessDeps } from '../access/client-access.js';
import type { CareUnitRecords } from '../care-units/ports.js';
import type { RiskTasks } from '../risk/ports.js';
import type { AttendedSessionLookup, NoteCipher } from '../ports.js';

/**
 * `created`: the note, the session's note pointer and the locator were written together.
 * `session_has_note`: nothing was written; the session already has a note (`noteId`).
 * `client_not_found`: no client profile.
 */
export type CreateNoteResult = { outcome: 'created' } | { outcome: 'session_has_note'; noteId: string | undefined } | { outcome: 'client_not_found' };

export interface StoredNote {
  note: ProgressNote;
  /** Oldest first. */
  addenda: Addendum[];
}

export interface ProgressNoteRecords {
  /** ONE transaction: the note, NOTE_OF_SESSION (if absent: one note per session) and the locator. */
  create(note: ProgressNote): Promise<CreateNoteResult>;
  /** Where a note lives (its holder), from its locator, whichever holder the repository is made for; undefined when there is no such note. */
  locate(noteId: string): Promise<{ holder: NoteHolder; holderId: string } | undefined>;
  get(holderId: string, noteId: string): Promise<StoredNote | undefined>;
  /** Every note of the holder (a client, or a care unit's joint notes) with its addenda, oldest first. */
  listOf(holderId: string): Promise<StoredNote[]>;
  /**
   * Replaces the stored note with `next` only while it is a draft at `previous.revision`
   * (`conflict` otherwise: signed, or changed meanwhile). For edits and for signing.
   */
  replaceDraft(previous: ProgressNote, next: ProgressNote): Promise<'updated' | 'conflict'>;
  /** Appends an addendum "if absent", only while the note is signed (`not_signed` otherwise). */
  addAddendum(holderId: string, addendum: Addendum): Promise<'added' | 'not_signed'>;
}

export interface PsychotherapyNoteRecords {
  /** The note and its locator, in the author's partition, each "if absent". */
  create(note: StoredPsychotherapyNote): Promise<void>;
  /** The author's notes of one client, oldest first. */
  listOf(authorId: string, clientId: string): Promise<StoredPsychotherapyNote[]>;
  /** One of the author's notes; undefined when the author has no note with this id. */
  get(authorId: string, noteId: string): Promise<StoredPsychotherapyNote | undefined>;
}

export interface NotesDeps extends ClientAccessDeps {
  /** The repository made for the `client` holder. */
  notes: ProgressNoteRecords;
  /** The same repository made for the `care_unit` holder: joint notes (shared/domain/notes/joint-notes.ts). */
  unitNotes: ProgressNoteRecords;
  units: Pick<CareUnitRecords, 'getUnit'>;
  sessions: AttendedSessionLookup;
  /** Whether the client has an open risk task: a supervisor's access depends on it. */
  riskTasks: Pick<RiskTasks, 'openTaskDeadlines'>;
  now: () => Date;
  /** Default: a UUIDv7 of the given instant. */
  newRecordId?: (at: Date) => string;
}

export interface PsychotherapyNotesDeps extends ClientAccessDeps {
  psychotherapyNotes: PsychotherapyNoteRecords;
  cipher: NoteCipher;
  now: () => Date;
  newRecordId?: (at: Date) => string;
}
