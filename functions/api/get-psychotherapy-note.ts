import { apiHandler } from '../../shared/http/api-handler.js';
import { getPsychotherapyNote } from '../../shared/use-cases/notes/psychotherapy-notes.js';
import { psychotherapyNoteDependencies } from './psychotherapy-note-dependencies.js';

const deps = psychotherapyNoteDependencies();

export const handler = apiHandler('get-psychotherapy-note', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await getPsychotherapyNote({ caller, noteId: params.noteId, requestId }, deps),
}));
