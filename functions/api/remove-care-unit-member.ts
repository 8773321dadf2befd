import { apiHandler } from '../../shared/http/api-handler.js';
import { removeMember } from '../../shared/use-cases/care-units/units.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

const deps = careUnitDependencies();

export const handler = apiHandler('remove-care-unit-member', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await removeMember({ caller, unitId: params.unitId, clientId: params.clientId, requestId }, deps),
}));
