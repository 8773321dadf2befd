import { apiHandler } from '../../shared/http/api-handler.js';
import { listProgressNotes } from '../../shared/use-cases/notes/progress-notes.js';
import { notesDependencies } from './notes-dependencies.js';

const deps = notesDependencies();

export const handler = apiHandler('list-progress-notes', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await listProgressNotes({ caller, clientId: params.clientId, requestId }, deps),
}));
