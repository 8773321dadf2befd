import { apiHandler } from '../../shared/http/api-handler.js';
import { acknowledgePlan } from '../../shared/use-cases/plans/plans.js';
import { planDependencies } from './plan-dependencies.js';

const deps = planDependencies();

export const handler = apiHandler('acknowledge-plan', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await acknowledgePlan({ caller, clientId: params.clientId, planId: params.planId, request: body, requestId }, deps),
}));
