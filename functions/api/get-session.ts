import { apiHandler } from '../../shared/http/api-handler.js';
import { getSession } from '../../shared/use-cases/sessions/sessions.js';
import { sessionDependencies } from './session-dependencies.js';

const deps = sessionDependencies();

export const handler = apiHandler('get-session', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await getSession({ caller, sessionId: params.sessionId, requestId }, deps),
}));
