/**
 * Session (progress) notes (issue 10, "Manage"): one note per ATTENDED session, written by the
 * clinician who held it, in one of the three structures clinicians use:
 * - SOAP (Subjective, Objective, Assessment, Plan; Weed, "Medical records that guide and teach",
 *   NEJM 1968),
 * - DAP (Data, Assessment, Plan),
 * - BIRP (Behavior, Intervention, Response, Plan),
 * with the intervention used, the risk check of the session, and progress toward the treatment
 * plan's objectives (plan objective ids: plans are their own area).
 *
 * Lifecycle: draft (the author edits it) -> signed (locked). A signed note is never edited: a
 * later change is an addendum, appended and kept (DESIGN.md, "Notes": "signing locks it; later
 * changes are addenda"). Pure rules here; storage and access in the use cases.
 *
 * Open notes: the client reads their own SIGNED notes (21st Century Cures Act information
 * blocking rule, 45 CFR 171; progress notes are part of the designated record set), without the
 * clinician-only fields (CLINICIAN_ONLY_FIELDS). Psychotherapy notes are a different record
 * (psychotherapy-notes.ts).
 */
import * as z from 'zod';
import { MODALITIES } from '../clinicians.js';
import { AuthorSchema, RecordIdSchema, type Author } from '../monitor/records.js';

export const NOTE_FORMATS = ['soap', 'dap', 'birp'] as const;
export type NoteFormat = (typeof NOTE_FORMATS)[number];

/** The sections of each format, in the order they are written. */
export const NOTE_SECTIONS: Readonly<Record<NoteFormat, readonly string[]>> = {
  soap: ['subjective', 'objective', 'assessment', 'plan'],
  dap: ['data', 'assessment', 'plan'],
  birp: ['behavior', 'intervention', 'response', 'plan'],
};

export const NOTE_STATUSES = ['draft', 'signed'] as const;
export type NoteStatus = (typeof NOTE_STATUSES)[number];

/** The risk level found at the session's risk check (the levels of shared/domain/risk-tasks.ts). */
export const RISK_CHECK_LEVELS = ['none', 'low', 'moderate', 'high'] as const;

/** How the client moved toward one plan objective in this session. */
export const OBJECTIVE_PROGRESS = ['not_addressed', 'regressed', 'no_change', 'some_progress', 'significant_progress', 'met'] as const;

export const SECTION_MAX = 10_000;
export const TEXT_MAX = 2_000;
export const ADDENDUM_MAX = 5_000;
export const MAX_OBJECTIVES = 20;

/**
 * Fields only the care team reads: the risk check (a screen the clinician did, with their
 * reasoning) stays out of the client's open-notes view.
 */
export const CLINICIAN_ONLY_FIELDS = ['riskCheck'] as const;

/** Plan objective ids (plans are built in their own area): checked for shape only. */
export const ObjectiveIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'Not a plan objective id.' });

const text = (max: number) => z.string().trim().min(1).max(max, { error: `Keep it under ${max} characters.` });

export const InterventionSchema = z.strictObject({
  modality: z.enum(MODALITIES, { error: `Choose a modality: ${MODALITIES.join(', ')}.` }),
  description: text(TEXT_MAX),
});

export const RiskCheckSchema = z.strictObject({
  /** Whether risk to self or others was screened in this session. */
  screened: z.boolean({ error: 'Say whether risk was screened in this session (true or false).' }),
  level: z.enum(RISK_CHECK_LEVELS, { error: `Choose a level: ${RISK_CHECK_LEVELS.join(', ')}.` }),
  notes: text(TEXT_MAX).optional(),
});

export const ObjectiveProgressSchema = z.strictObject({
  objectiveId: ObjectiveIdSchema,
  progress: z.enum(OBJECTIVE_PROGRESS, { error: `Choose: ${OBJECTIVE_PROGRESS.join(', ')}.` }),
  comment: text(TEXT_MAX).optional(),
});

const SectionsSchema = z.record(z.string(), text(SECTION_MAX));

/** Sections must be exactly those of the format. */
function checkSections(note: { format: NoteFormat; sections: Record<string, string> }, ctx: z.RefinementCtx): void {
  const expected = NOTE_SECTIONS[note.format];
  for (const name of expected) {
    if (note.sections[name] === undefined) ctx.addIssue({ code: 'custom', path: ['sections', name], message: `A ${note.format.toUpperCase()} note has a ${name} section.` });
  }
  for (const name of Object.keys(note.sections)) {
    if (!expected.includes(name)) ctx.addIssue({ code: 'custom', path: ['sections', name], message: `A ${note.format.toUpperCase()} note has the sections ${expected.join(', ')}.` });
  }
}

function checkObjectives(note: { objectiveProgress: readonly { objectiveId: string }[] }, ctx: z.RefinementCtx): void {
  const ids = note.objectiveProgress.map((o) => o.objectiveId);
  if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['objectiveProgress'], message: 'Name each objective once.' });
}

const contentShape = {
  format: z.enum(NOTE_FORMATS, { error: `Choose a format: ${NOTE_FORMATS.join(', ')}.` }),
  sections: SectionsSchema,
  intervention: InterventionSchema,
  riskCheck: RiskCheckSchema,
  objectiveProgress: z.array(ObjectiveProgressSchema).max(MAX_OBJECTIVES, { error: `Name at most ${MAX_OBJECTIVES} objectives.` }).default([]),
};

/** POST /v1/sessions/{sessionId}/note: the draft. */
export const ProgressNoteContentSchema = z
  .strictObject(contentShape)
  .superRefine((note, ctx) => {
    checkSections(note, ctx);
    checkObjectives(note, ctx);
  })
  .meta({ id: 'ProgressNoteContent' });
export type ProgressNoteContent = z.infer<typeof ProgressNoteContentSchema>;

/** PATCH /v1/notes/{noteId}: the fields to replace (a new format comes with its sections). */
export const ProgressNotePatchSchema = z
  .strictObject({
    format: contentShape.format.optional(),
    sections: SectionsSchema.optional(),
    intervention: InterventionSchema.optional(),
    riskCheck: RiskCheckSchema.optional(),
    objectiveProgress: contentShape.objectiveProgress.unwrap().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { error: 'Change at least one field.' })
  .refine((patch) => patch.format === undefined || patch.sections !== undefined, { error: 'A new format comes with its sections.', path: ['sections'] })
  .meta({ id: 'ProgressNotePatch' });
export type ProgressNotePatch = z.infer<typeof ProgressNotePatchSchema>;

export const AddendumRequestSchema = z.strictObject({ text: text(ADDENDUM_MAX) }).meta({ id: 'AddendumRequest' });
export type AddendumRequest = z.infer<typeof AddendumRequestSchema>;

export const ProgressNoteSchema = z
  .strictObject({
    noteId: z.string(),
    sessionId: z.string(),
    /** The holder's id: the client's, or for a joint note the care unit's (as a joint session's clientId). */
    clientId: z.string(),
    /** A joint note (joint-notes.ts): the care unit it belongs to, and the members the session invited. */
    unitId: z.string().optional(),
    memberIds: z.array(z.string()).optional(),
    author: AuthorSchema,
    ...contentShape,
    objectiveProgress: z.array(ObjectiveProgressSchema),
    status: z.enum(NOTE_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** 1 at creation, +1 per edit of the draft: an edit names the revision it changes. */
    revision: z.int().min(1),
    signedAt: z.string().optional(),
    signedBy: AuthorSchema.optional(),
  })
  .meta({ id: 'ProgressNote' });
export type ProgressNote = z.infer<typeof ProgressNoteSchema>;

export const AddendumSchema = z
  .strictObject({ addendumId: z.string(), noteId: z.string(), author: AuthorSchema, text: z.string(), createdAt: z.string() })
  .meta({ id: 'NoteAddendum' });
export type Addendum = z.infer<typeof AddendumSchema>;

/** A note as the care team reads it: the note and its addenda, oldest first. */
export const ProgressNoteViewSchema = ProgressNoteSchema.extend({ addenda: z.array(AddendumSchema) }).meta({ id: 'ProgressNoteView' });
export type ProgressNoteView = z.infer<typeof ProgressNoteViewSchema>;

/** A signed note as its client reads it (open notes): no clinician-only field. */
export const ClientProgressNoteViewSchema = ProgressNoteViewSchema.omit({ riskCheck: true }).meta({ id: 'ClientProgressNoteView' });
export type ClientProgressNoteView = z.infer<typeof ClientProgressNoteViewSchema>;

/** GET /v1/notes/{noteId}: either view, by who asks. */
export const NoteReadSchema = z.union([ProgressNoteViewSchema, ClientProgressNoteViewSchema]).meta({ id: 'NoteRead' });

export const NoteListSchema = z.strictObject({ notes: z.array(NoteReadSchema) }).meta({ id: 'NoteList' });
export type NoteList = z.infer<typeof NoteListSchema>;

export const SessionParamsSchema = z.strictObject({ sessionId: RecordIdSchema });
export const NoteParamsSchema = z.strictObject({ noteId: RecordIdSchema });

/** The draft a request makes. */
export function draftNote(
  content: ProgressNoteContent,
  ids: { noteId: string; sessionId: string; clientId: string; unitId?: string; memberIds?: string[] },
  author: Author,
  at: string,
): ProgressNote {
  return {
    ...ids,
    author: { ...author },
    format: content.format,
    sections: { ...content.sections },
    intervention: { ...content.intervention },
    riskCheck: { ...content.riskCheck },
    objectiveProgress: content.objectiveProgress.map((o) => ({ ...o })),
    status: 'draft',
    createdAt: at,
    updatedAt: at,
    revision: 1,
  };
}

export type NoteChange<T> = { ok: true; note: T } | { ok: false; reason: 'signed' | 'invalid'; errors?: { field: string; message: string }[] };

/**
 * A patch applied to a DRAFT: the next revision, validated as a whole. A signed note is never
 * edited (`signed`: the caller answers 409 and the change goes into an addendum).
 */
export function editDraft(note: ProgressNote, patch: ProgressNotePatch, at: string): NoteChange<ProgressNote> {
  if (note.status !== 'draft') return { ok: false, reason: 'signed' };
  const merged = {
    format: patch.format ?? note.format,
    sections: patch.sections ?? note.sections,
    intervention: patch.intervention ?? note.intervention,
    riskCheck: patch.riskCheck ?? note.riskCheck,
    objectiveProgress: patch.objectiveProgress ?? note.objectiveProgress,
  };
  const parsed = ProgressNoteContentSchema.safeParse(merged);
  if (!parsed.success) {
    return { ok: false, reason: 'invalid', errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) };
  }
  return { ok: true, note: { ...note, ...parsed.data, updatedAt: at, revision: note.revision + 1 } };
}

/** Signing locks the note: status signed, who and when. A signed note cannot be signed again. */
export function signNote(note: ProgressNote, signer: Author, at: string): NoteChange<ProgressNote> {
  if (note.status !== 'draft') return { ok: false, reason: 'signed' };
  return { ok: true, note: { ...note, status: 'signed', signedAt: at, signedBy: { ...signer }, updatedAt: at } };
}

/** Whether an addendum may be appended: only to a signed note (a draft is simply edited). */
export function acceptsAddendum(note: ProgressNote): boolean {
  return note.status === 'signed';
}

/** The care team's view: the note and its addenda, oldest first. */
export function noteView(note: ProgressNote, addenda: readonly Addendum[]): ProgressNoteView {
  return { ...note, addenda: [...addenda].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.addendumId.localeCompare(b.addendumId)) };
}

/** The client's view: signed notes only (undefined for a draft), clinician-only fields removed. */
export function clientNoteView(view: ProgressNoteView): ClientProgressNoteView | undefined {
  if (view.status !== 'signed') return undefined;
  const copy: Record<string, unknown> = { ...view };
  for (const field of CLINICIAN_ONLY_FIELDS) delete copy[field];
  return copy as ClientProgressNoteView;
}
