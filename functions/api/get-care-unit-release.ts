import { apiHandler } from '../../shared/http/api-handler.js';
import { getRelease } from '../../shared/use-cases/care-units/releases.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

const deps = careUnitDependencies();

export const handler = apiHandler('get-care-unit-release', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await getRelease({ caller, unitId: params.unitId, releaseId: params.releaseId, requestId }, deps),
}));
