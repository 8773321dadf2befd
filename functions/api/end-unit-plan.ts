import { apiHandler } from '../../shared/http/api-handler.js';
import { endUnitPlan } from '../../shared/use-cases/plans/unit-plans.js';
import { unitPlanDependencies } from './unit-plan-dependencies.js';

const deps = unitPlanDependencies();

export const handler = apiHandler('end-unit-plan', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await endUnitPlan({ caller, unitId: params.unitId, planId: params.planId, request: body, requestId }, deps),
}));
