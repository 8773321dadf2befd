import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { addAddendum, authorizeAddendumReplay } from '../../shared/use-cases/notes/progress-notes.js';
import { notesDependencies } from './notes-dependencies.js';

const deps = notesDependencies();

export const handler = apiHandler(
  'add-note-addendum',
  async ({ caller, params, body, requestId }) => ({
    status: 201,
    body: await addAddendum({ caller, noteId: params.noteId, text: body.text, requestId }, deps),
  }),
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }) => authorizeAddendumReplay({ caller, noteId: params.noteId, requestId }, deps) },
);
