import { apiHandler } from '../../shared/http/api-handler.js';
import { getClientView } from '../../shared/use-cases/care-lifecycle/client-care.js';
import { clientCareDependencies } from './client-care-dependencies.js';

const deps = clientCareDependencies();

export const handler = apiHandler('get-client', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await getClientView({ caller, clientId: params.clientId, requestId }, deps),
}));
