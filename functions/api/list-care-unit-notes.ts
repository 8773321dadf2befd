import { apiHandler } from '../../shared/http/api-handler.js';
import { listUnitNotes } from '../../shared/use-cases/notes/progress-notes.js';
import { notesDependencies } from './notes-dependencies.js';

const deps = notesDependencies();

export const handler = apiHandler('list-care-unit-notes', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await listUnitNotes({ caller, unitId: params.unitId, requestId }, deps),
}));
