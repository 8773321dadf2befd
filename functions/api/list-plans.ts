import { apiHandler } from '../../shared/http/api-handler.js';
import { listPlans } from '../../shared/use-cases/plans/plans.js';
import { planDependencies } from './plan-dependencies.js';

const deps = planDependencies();

export const handler = apiHandler('list-plans', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await listPlans({ caller, clientId: params.clientId, requestId }, deps),
}));
