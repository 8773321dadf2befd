import { apiHandler } from '../../shared/http/api-handler.js';
import { listUnitPlans } from '../../shared/use-cases/plans/unit-plans.js';
import { unitPlanDependencies } from './unit-plan-dependencies.js';

const deps = unitPlanDependencies();

export const handler = apiHandler('list-unit-plans', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await listUnitPlans({ caller, unitId: params.unitId, requestId }, deps),
}));
