import { apiHandler } from '../../shared/http/api-handler.js';
import { getCurrentPlan } from '../../shared/use-cases/plans/plans.js';
import { planDependencies } from './plan-dependencies.js';

const deps = planDependencies();

export const handler = apiHandler('get-current-plan', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await getCurrentPlan({ caller, clientId: params.clientId, requestId }, deps),
}));
