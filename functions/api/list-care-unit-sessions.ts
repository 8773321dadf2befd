import { apiHandler } from '../../shared/http/api-handler.js';
import { listUnitSessions } from '../../shared/use-cases/sessions/joint-sessions.js';
import { careUnitSessionDependencies } from './care-unit-session-dependencies.js';

const deps = careUnitSessionDependencies();

export const handler = apiHandler('list-care-unit-sessions', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await listUnitSessions({ caller, unitId: params.unitId, requestId }, deps),
}));
