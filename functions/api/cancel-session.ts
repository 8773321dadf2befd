import { apiHandler } from '../../shared/http/api-handler.js';
import { cancelAnySession } from '../../shared/use-cases/sessions/joint-sessions.js';
import { careUnitSessionDependencies } from './care-unit-session-dependencies.js';
import { sessionWorkflowStarter } from './session-workflow-starter.js';

const deps = careUnitSessionDependencies({ workflow: sessionWorkflowStarter() });

export const handler = apiHandler('cancel-session', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await cancelAnySession({ caller, sessionId: params.sessionId, scope: body.scope, requestId }, deps),
}));
