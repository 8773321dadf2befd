import { apiHandler } from '../../shared/http/api-handler.js';
import { signUnitPlan } from '../../shared/use-cases/plans/unit-plans.js';
import { unitPlanDependencies } from './unit-plan-dependencies.js';

const deps = unitPlanDependencies();

export const handler = apiHandler('sign-unit-plan', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await signUnitPlan({ caller, unitId: params.unitId, planId: params.planId, requestId }, deps),
}));
