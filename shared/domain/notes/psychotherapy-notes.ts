/**
 * Psychotherapy notes (45 CFR 164.501): a clinician's own notes "documenting or analyzing the
 * contents of conversation during a private counseling session", kept separate from the rest
 * of the medical record. They are outside the client's right of access (164.524(a)(1)(i)),
 * need a specific authorization for any disclosure (164.508(a)(2)), and must never be the only
 * place critical information lives (DESIGN.md: risk goes in the progress note and the risk
 * task, never only here).
 *
 * Here: written and read ONLY by their author. No route returns them to anyone else (not the
 * client, not a supervisor, not another clinician of the client), no export, review or email
 * carries them. They are stored apart (their own partition, keyed by the author, reachable only
 * by the psychotherapy-note functions) and encrypted with their own key (the NoteCipher port:
 * KMS in AWS, an AES-256-GCM key per data folder locally), bound to the author and the note.
 * They are immutable: a further thought is a further note.
 */
import * as z from 'zod';
import { RecordIdSchema } from '../monitor/records.js';

export const PSYCHOTHERAPY_NOTE_MAX = 20_000;

export const PsychotherapyNoteRequestSchema = z
  .strictObject({
    /** The session it is about, if any (not checked against sessions: the note is the author's own). */
    sessionId: RecordIdSchema.optional(),
    text: z.string().trim().min(1).max(PSYCHOTHERAPY_NOTE_MAX, { error: `Keep the note under ${PSYCHOTHERAPY_NOTE_MAX} characters.` }),
  })
  .meta({ id: 'PsychotherapyNoteRequest' });
export type PsychotherapyNoteRequest = z.infer<typeof PsychotherapyNoteRequestSchema>;

/** What is readable of a note: its author sees it whole. */
export const PsychotherapyNoteSchema = z
  .strictObject({
    noteId: z.string(),
    clientId: z.string(),
    authorId: z.string(),
    sessionId: z.string().optional(),
    text: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'PsychotherapyNote' });
export type PsychotherapyNote = z.infer<typeof PsychotherapyNoteSchema>;

export const PsychotherapyNoteListSchema = z.strictObject({ notes: z.array(PsychotherapyNoteSchema) }).meta({ id: 'PsychotherapyNoteList' });
export type PsychotherapyNoteList = z.infer<typeof PsychotherapyNoteListSchema>;

export const PsychotherapyNoteParamsSchema = z.strictObject({ noteId: RecordIdSchema });

/**
 * A sealed note body (envelope encryption): the text encrypted with AES-256-GCM under a fresh
 * data key, the data key itself encrypted by the notes key (KMS, or the local key). Base64
 * fields. The additional authenticated data binds it to its author and note (noteAad), so a
 * ciphertext moved to another note or author does not decrypt.
 */
export const SealedNoteSchema = z.strictObject({
  alg: z.literal('AES-256-GCM'),
  /** Which key wraps the data key: `kms` (AWS) or `local`. */
  keyProvider: z.enum(['kms', 'local']),
  encryptedDataKey: z.base64(),
  iv: z.base64(),
  ciphertext: z.base64(),
  tag: z.base64(),
});
export type SealedNote = z.infer<typeof SealedNoteSchema>;

/** What a sealed note is bound to (KMS encryption context, AES-GCM additional data). */
export interface NoteBinding {
  authorId: string;
  noteId: string;
}

/** The additional authenticated data of a note: the purpose, the author, the note. */
export function noteAad(binding: NoteBinding): string {
  return `psychotherapy-note\n${binding.authorId}\n${binding.noteId}`;
}

/** The KMS encryption context of a note's data key (an IAM condition names `purpose`). */
export function noteEncryptionContext(binding: NoteBinding): Record<string, string> {
  return { purpose: 'psychotherapy-note', authorId: binding.authorId, noteId: binding.noteId };
}

/** A note as stored: its metadata and the sealed text. */
export const StoredPsychotherapyNoteSchema = z.strictObject({
  noteId: z.string(),
  clientId: z.string(),
  authorId: z.string(),
  sessionId: z.string().optional(),
  createdAt: z.string(),
  sealed: SealedNoteSchema,
});
export type StoredPsychotherapyNote = z.infer<typeof StoredPsychotherapyNoteSchema>;

/** What creating a note answers: never the text (the answer is kept for Idempotency-Key replays, outside the notes' own area). */
export const PsychotherapyNoteReceiptSchema = PsychotherapyNoteSchema.omit({ text: true }).meta({ id: 'PsychotherapyNoteReceipt' });
export type PsychotherapyNoteReceipt = z.infer<typeof PsychotherapyNoteReceiptSchema>;
