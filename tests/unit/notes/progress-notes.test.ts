import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NOTE_FORMATS,
  NOTE_SECTIONS,
  ProgressNoteContentSchema,
  acceptsAddendum,
  clientNoteView,
  draftNote,
  editDraft,
  noteView,
  signNote,
  type ProgressNoteContent,
} from '../../../shared/domain/notes/progress-notes.js';

const AUTHOR = { userId: 'therapist-1', role: 'therapist' as const };
const IDS = { noteId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', sessionId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c', clientId: 'client-1' };
const T0 = '2027-01-04T10:00:00.000Z';
const T1 = '2027-01-04T11:00:00.000Z';

function content(format: (typeof NOTE_FORMATS)[number] = 'soap'): ProgressNoteContent {
  return ProgressNoteContentSchema.parse({
    format,
    sections: Object.fromEntries(NOTE_SECTIONS[format].map((s) => [s, `${s} text`])),
    intervention: { modality: 'cbt', description: 'Thought record.' },
    riskCheck: { screened: true, level: 'none' },
    objectiveProgress: [{ objectiveId: 'obj-1', progress: 'some_progress' }],
  });
}

describe('the content of a progress note', () => {
  it.each(NOTE_FORMATS)('accepts exactly the sections of %s', (format) => {
    expect(ProgressNoteContentSchema.safeParse(content(format)).success).toBe(true);
    const missing = { ...content(format), sections: Object.fromEntries(NOTE_SECTIONS[format].slice(1).map((s) => [s, 'x'])) };
    expect(ProgressNoteContentSchema.safeParse(missing).success).toBe(false);
    const extra = { ...content(format), sections: { ...content(format).sections, other: 'x' } };
    expect(ProgressNoteContentSchema.safeParse(extra).success).toBe(false);
  });

  it('refuses the sections of another format, an objective named twice, a bad objective id, unknown fields', () => {
    expect(ProgressNoteContentSchema.safeParse({ ...content('soap'), format: 'birp' }).success).toBe(false);
    const twice = [{ objectiveId: 'a', progress: 'met' }, { objectiveId: 'a', progress: 'met' }];
    expect(ProgressNoteContentSchema.safeParse({ ...content(), objectiveProgress: twice }).success).toBe(false);
    expect(ProgressNoteContentSchema.safeParse({ ...content(), objectiveProgress: [{ objectiveId: 'has space', progress: 'met' }] }).success).toBe(false);
    expect(ProgressNoteContentSchema.safeParse({ ...content(), mood: 3 }).success).toBe(false);
  });
});

describe('the lifecycle: draft -> signed (locked)', () => {
  const draft = draftNote(content(), IDS, AUTHOR, T0);

  it('starts as a draft at revision 1', () => {
    expect(draft).toMatchObject({ status: 'draft', revision: 1, createdAt: T0, author: AUTHOR });
    expect(acceptsAddendum(draft)).toBe(false);
  });

  it('edits a draft into the next revision, validated as a whole', () => {
    const edited = editDraft(draft, { intervention: { modality: 'act', description: 'Defusion.' } }, T1);
    expect(edited).toMatchObject({ ok: true, note: { revision: 2, updatedAt: T1, intervention: { modality: 'act' }, createdAt: T0 } });
    // A new format without its sections is refused by the patch schema; with the wrong sections here.
    expect(editDraft(draft, { format: 'dap', sections: content('soap').sections }, T1)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('never edits or signs a signed note, whatever the patch', () => {
    const signed = signNote(draft, AUTHOR, T1);
    if (!signed.ok) throw new Error('not signed');
    expect(signed.note).toMatchObject({ status: 'signed', signedAt: T1, signedBy: AUTHOR });
    expect(acceptsAddendum(signed.note)).toBe(true);
    expect(signNote(signed.note, AUTHOR, T1)).toEqual({ ok: false, reason: 'signed' });
    fc.assert(
      fc.property(fc.constantFrom(...NOTE_FORMATS), fc.string({ minLength: 1, maxLength: 50 }), (format, text) => {
        const patch = { format, sections: Object.fromEntries(NOTE_SECTIONS[format].map((s) => [s, text])) };
        expect(editDraft(signed.note, patch, T1)).toEqual({ ok: false, reason: 'signed' });
      }),
    );
  });
});

describe('open notes: what the client reads', () => {
  it('shows a signed note without the risk check, and no draft at all', () => {
    const draft = draftNote(content(), IDS, AUTHOR, T0);
    expect(clientNoteView(noteView(draft, []))).toBeUndefined();
    const signed = signNote(draft, AUTHOR, T1);
    if (!signed.ok) throw new Error('not signed');
    const view = clientNoteView(noteView(signed.note, []));
    expect(view).toBeDefined();
    expect(view).not.toHaveProperty('riskCheck');
    expect(view).toMatchObject({ noteId: IDS.noteId, sections: signed.note.sections });
  });

  it('orders addenda oldest first', () => {
    const note = draftNote(content(), IDS, AUTHOR, T0);
    const a = { addendumId: 'b', noteId: IDS.noteId, author: AUTHOR, text: 'later', createdAt: T1 };
    const b = { addendumId: 'a', noteId: IDS.noteId, author: AUTHOR, text: 'earlier', createdAt: T0 };
    expect(noteView(note, [a, b]).addenda.map((x) => x.text)).toEqual(['earlier', 'later']);
  });
});
