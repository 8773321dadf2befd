import { apiHandler } from '../../shared/http/api-handler.js';
import { listMyUnits } from '../../shared/use-cases/care-units/units.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

const deps = careUnitDependencies();

export const handler = apiHandler('list-care-units', async ({ caller, requestId }) => ({ status: 200, body: await listMyUnits({ caller, requestId }, deps) }));
