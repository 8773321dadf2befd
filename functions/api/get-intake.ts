import { apiHandler } from '../../shared/http/api-handler.js';
import { getIntake } from '../../shared/use-cases/matching/intake.js';
import { matchDependencies } from './matching-dependencies.js';

const deps = matchDependencies();

export const handler = apiHandler('get-intake', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await getIntake({ caller, clientId: params.clientId, requestId }, deps),
}));
