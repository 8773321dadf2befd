import { apiHandler } from '../../shared/http/api-handler.js';
import { putIntake } from '../../shared/use-cases/matching/intake.js';
import { matchDependencies } from './matching-dependencies.js';

const deps = matchDependencies();

export const handler = apiHandler('put-intake', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await putIntake({ caller, clientId: params.clientId, intake: body, requestId }, deps),
}));
