import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizeSessionReplay } from '../../shared/use-cases/sessions/replay.js';
import { bookSessions } from '../../shared/use-cases/sessions/sessions.js';
import { sessionDependencies } from './session-dependencies.js';
import { sessionWorkflowStarter } from './session-workflow-starter.js';

const deps = sessionDependencies({ workflow: sessionWorkflowStarter() });

export const handler = apiHandler(
  'book-sessions',
  async ({ caller, params, body, requestId }) => ({
    status: 201,
    body: await bookSessions({ caller, clientId: params.clientId, request: body, requestId }, deps),
  }),
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }, stored) => authorizeSessionReplay({ caller, clientId: params.clientId, requestId }, stored.body, deps) },
);
