import { apiHandler } from '../../shared/http/api-handler.js';
import { getUnitPlan } from '../../shared/use-cases/plans/unit-plans.js';
import { unitPlanDependencies } from './unit-plan-dependencies.js';

const deps = unitPlanDependencies();

export const handler = apiHandler('get-unit-plan', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await getUnitPlan({ caller, unitId: params.unitId, planId: params.planId, requestId }, deps),
}));
