import { apiHandler } from '../../shared/http/api-handler.js';
import { acceptInvitation } from '../../shared/use-cases/care-units/units.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

const deps = careUnitDependencies();

export const handler = apiHandler('accept-care-unit-invitation', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await acceptInvitation({ caller, unitId: params.unitId, requestId }, deps),
}));
