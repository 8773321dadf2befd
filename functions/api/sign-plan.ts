import { apiHandler } from '../../shared/http/api-handler.js';
import { signPlan } from '../../shared/use-cases/plans/plans.js';
import { planDependencies } from './plan-dependencies.js';

const deps = planDependencies();

export const handler = apiHandler('sign-plan', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await signPlan({ caller, clientId: params.clientId, planId: params.planId, requestId }, deps),
}));
