import { apiHandler } from '../../shared/http/api-handler.js';
import { listUnitSessionSlots } from '../../shared/use-cases/sessions/joint-sessions.js';
import { careUnitSessionDependencies } from './care-unit-session-dependencies.js';

const deps = careUnitSessionDependencies();

export const handler = apiHandler('list-care-unit-session-slots', async ({ caller, params, query, requestId }) => ({
  status: 200,
  body: await listUnitSessionSlots({ caller, unitId: params.unitId, query, requestId }, deps),
}));
