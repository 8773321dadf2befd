import { apiHandler } from '../../shared/http/api-handler.js';
import { editProgressNote } from '../../shared/use-cases/notes/progress-notes.js';
import { notesDependencies } from './notes-dependencies.js';

const deps = notesDependencies();

export const handler = apiHandler('edit-progress-note', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await editProgressNote({ caller, noteId: params.noteId, patch: body, requestId }, deps),
}));
