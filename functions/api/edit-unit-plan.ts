import { apiHandler } from '../../shared/http/api-handler.js';
import { editUnitPlan } from '../../shared/use-cases/plans/unit-plans.js';
import { unitPlanDependencies } from './unit-plan-dependencies.js';

const deps = unitPlanDependencies();

export const handler = apiHandler('edit-unit-plan', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await editUnitPlan({ caller, unitId: params.unitId, planId: params.planId, patch: body, requestId }, deps),
}));
