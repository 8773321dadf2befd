import { apiHandler } from '../../shared/http/api-handler.js';
import { listConsultations } from '../../shared/use-cases/consultations/read-consultations.js';
import { consultationDependencies } from './consultation-dependencies.js';

const deps = consultationDependencies();

export const handler = apiHandler('list-consultations', async ({ caller, requestId }) => ({
  status: 200,
  body: { consultations: await listConsultations(caller, deps, requestId) },
}));
