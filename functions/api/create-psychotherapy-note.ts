import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizePsychotherapyNoteReplay, createPsychotherapyNote } from '../../shared/use-cases/notes/psychotherapy-notes.js';
import { psychotherapyNoteDependencies } from './psychotherapy-note-dependencies.js';

const deps = psychotherapyNoteDependencies();

export const handler = apiHandler(
  'create-psychotherapy-note',
  async ({ caller, params, body, requestId }) => ({
    status: 201,
    body: await createPsychotherapyNote({ caller, clientId: params.clientId, request: body, requestId }, deps),
  }),
  {
    idempotency: idempotencyMiddleware,
    replay: ({ caller, params, requestId }, stored) => authorizePsychotherapyNoteReplay({ caller, clientId: params.clientId, requestId }, stored.body, deps),
  },
);
