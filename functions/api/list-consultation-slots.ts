import { apiHandler } from '../../shared/http/api-handler.js';
import { listSlots } from '../../shared/use-cases/consultations/list-slots.js';
import { consultationDependencies } from './consultation-dependencies.js';

const deps = consultationDependencies();

export const handler = apiHandler('list-consultation-slots', async ({ caller, query }) => ({
  status: 200,
  body: await listSlots({ clientId: caller.userId, ...query }, deps),
}));
