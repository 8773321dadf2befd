import { apiHandler } from '../../shared/http/api-handler.js';
import { getConsultation } from '../../shared/use-cases/consultations/read-consultations.js';
import { consultationDependencies } from './consultation-dependencies.js';

const deps = consultationDependencies();

export const handler = apiHandler('get-consultation', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await getConsultation({ consultationId: params.id, caller, requestId }, deps),
}));
