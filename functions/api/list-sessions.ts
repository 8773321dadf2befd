import { apiHandler } from '../../shared/http/api-handler.js';
import { listSessions } from '../../shared/use-cases/sessions/sessions.js';
import { sessionDependencies } from './session-dependencies.js';

const deps = sessionDependencies();

export const handler = apiHandler('list-sessions', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await listSessions({ caller, clientId: params.clientId, requestId }, deps),
}));
