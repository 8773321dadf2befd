import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizeNoteCreationReplay, createProgressNote } from '../../shared/use-cases/notes/progress-notes.js';
import { notesDependencies } from './notes-dependencies.js';

const deps = notesDependencies();

export const handler = apiHandler(
  'create-progress-note',
  async ({ caller, params, body, requestId }) => ({
    status: 201,
    body: await createProgressNote({ caller, sessionId: params.sessionId, content: body, requestId }, deps),
  }),
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }, stored) => authorizeNoteCreationReplay({ caller, sessionId: params.sessionId, requestId }, stored.body, deps) },
);
