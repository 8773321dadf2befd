import { apiHandler } from '../../shared/http/api-handler.js';
import { listSessionSlots } from '../../shared/use-cases/sessions/sessions.js';
import { sessionDependencies } from './session-dependencies.js';

const deps = sessionDependencies();

export const handler = apiHandler('list-session-slots', async ({ caller, params, query, requestId }) => ({
  status: 200,
  body: await listSessionSlots({ caller, clientId: params.clientId, query, requestId }, deps),
}));
