import { apiHandler } from '../../shared/http/api-handler.js';
import { recordPersonalRepresentative } from '../../shared/use-cases/care-units/units.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

const deps = careUnitDependencies();

export const handler = apiHandler('record-personal-representative', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await recordPersonalRepresentative({ caller, unitId: params.unitId, clientId: params.clientId, requestId }, deps),
}));
