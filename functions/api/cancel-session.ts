import { apiHandler } from '../../shared/http/api-handler.js';
import { cancelSession } from '../../shared/use-cases/sessions/sessions.js';
import { sessionDependencies } from './session-dependencies.js';
import { sessionWorkflowStarter } from './session-workflow-starter.js';

const deps = sessionDependencies({ workflow: sessionWorkflowStarter() });

export const handler = apiHandler('cancel-session', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await cancelSession({ caller, sessionId: params.sessionId, scope: body.scope, requestId }, deps),
}));
