import { apiHandler } from '../../shared/http/api-handler.js';
import { rescheduleSession } from '../../shared/use-cases/sessions/sessions.js';
import { sessionDependencies } from './session-dependencies.js';
import { sessionWorkflowStarter } from './session-workflow-starter.js';

const deps = sessionDependencies({ workflow: sessionWorkflowStarter() });

export const handler = apiHandler('reschedule-session', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await rescheduleSession({ caller, sessionId: params.sessionId, startsAt: body.startsAt, scope: body.scope, requestId }, deps),
}));
