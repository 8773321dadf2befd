import { apiHandler } from '../../shared/http/api-handler.js';
import { editPlan } from '../../shared/use-cases/plans/plans.js';
import { planDependencies } from './plan-dependencies.js';

const deps = planDependencies();

export const handler = apiHandler('edit-plan', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await editPlan({ caller, clientId: params.clientId, planId: params.planId, patch: body, requestId }, deps),
}));
