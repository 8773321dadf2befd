import { apiHandler } from '../../shared/http/api-handler.js';
import { rescheduleAnySession } from '../../shared/use-cases/sessions/joint-sessions.js';
import { careUnitSessionDependencies } from './care-unit-session-dependencies.js';
import { sessionWorkflowStarter } from './session-workflow-starter.js';

const deps = careUnitSessionDependencies({ workflow: sessionWorkflowStarter() });

export const handler = apiHandler('reschedule-session', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await rescheduleAnySession({ caller, sessionId: params.sessionId, startsAt: body.startsAt, scope: body.scope, requestId }, deps),
}));
