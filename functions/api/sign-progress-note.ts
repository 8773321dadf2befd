import { apiHandler } from '../../shared/http/api-handler.js';
import { signProgressNote } from '../../shared/use-cases/notes/progress-notes.js';
import { notesDependencies } from './notes-dependencies.js';

const deps = notesDependencies();

export const handler = apiHandler('sign-progress-note', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await signProgressNote({ caller, noteId: params.noteId, requestId }, deps),
}));
