import { apiHandler } from '../../shared/http/api-handler.js';
import { rescheduleSession } from '../../shared/use-cases/sessions/sessions.js';
import { sessionDependencies } from './session-dependencies.js';

const deps = sessionDependencies();

export const handler = apiHandler('reschedule-session', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await rescheduleSession({ caller, sessionId: params.sessionId, startsAt: body.startsAt, requestId }, deps),
}));
