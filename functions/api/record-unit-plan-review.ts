import { apiHandler } from '../../shared/http/api-handler.js';
import { recordUnitPlanReview } from '../../shared/use-cases/plans/unit-plans.js';
import { unitPlanDependencies } from './unit-plan-dependencies.js';

const deps = unitPlanDependencies();

export const handler = apiHandler('record-unit-plan-review', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await recordUnitPlanReview({ caller, unitId: params.unitId, request: body, requestId }, deps),
}));
