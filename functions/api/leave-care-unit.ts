import { apiHandler } from '../../shared/http/api-handler.js';
import { leaveUnit } from '../../shared/use-cases/care-units/units.js';
import { careEndedSessionsOfRoute } from './care-ended-sessions.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

// A leave or removal that ends the unit's joint care cancels its future joint sessions.
const deps = { ...careUnitDependencies(), sessionsOnUnitCareEnd: careEndedSessionsOfRoute() };

export const handler = apiHandler('leave-care-unit', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await leaveUnit({ caller, unitId: params.unitId, requestId }, deps),
}));
