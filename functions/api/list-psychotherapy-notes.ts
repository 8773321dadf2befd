import { apiHandler } from '../../shared/http/api-handler.js';
import { listPsychotherapyNotes } from '../../shared/use-cases/notes/psychotherapy-notes.js';
import { psychotherapyNoteDependencies } from './psychotherapy-note-dependencies.js';

const deps = psychotherapyNoteDependencies();

export const handler = apiHandler('list-psychotherapy-notes', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await listPsychotherapyNotes({ caller, clientId: params.clientId, requestId }, deps),
}));
