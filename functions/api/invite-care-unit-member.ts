import { apiHandler } from '../../shared/http/api-handler.js';
import { inviteMember } from '../../shared/use-cases/care-units/units.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

const deps = careUnitDependencies();

export const handler = apiHandler('invite-care-unit-member', async ({ caller, params, body, requestId }) => ({
  status: 202,
  body: await inviteMember({ caller, unitId: params.unitId, request: body, requestId }, deps),
}));
