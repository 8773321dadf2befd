import { apiHandler } from '../../shared/http/api-handler.js';
import { leaveUnit } from '../../shared/use-cases/care-units/units.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

const deps = careUnitDependencies();

export const handler = apiHandler('leave-care-unit', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await leaveUnit({ caller, unitId: params.unitId, requestId }, deps),
}));
