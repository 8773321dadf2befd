import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizeJointSessionReplay, bookJointSessions } from '../../shared/use-cases/sessions/joint-sessions.js';
import { careUnitSessionDependencies } from './care-unit-session-dependencies.js';
import { sessionWorkflowStarter } from './session-workflow-starter.js';

const deps = careUnitSessionDependencies({ workflow: sessionWorkflowStarter() });

export const handler = apiHandler(
  'book-care-unit-sessions',
  async ({ caller, params, body, requestId }) => ({
    status: 201,
    body: await bookJointSessions({ caller, unitId: params.unitId, request: body, requestId }, deps),
  }),
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }, stored) => authorizeJointSessionReplay({ caller, unitId: params.unitId, requestId }, stored.body, deps) },
);
