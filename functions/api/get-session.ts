import { apiHandler } from '../../shared/http/api-handler.js';
import { getAnySession } from '../../shared/use-cases/sessions/joint-sessions.js';
import { careUnitSessionDependencies } from './care-unit-session-dependencies.js';

const deps = careUnitSessionDependencies();

export const handler = apiHandler('get-session', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await getAnySession({ caller, sessionId: params.sessionId, requestId }, deps),
}));
