import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizeUnitPlanReplay, createUnitPlan } from '../../shared/use-cases/plans/unit-plans.js';
import { unitPlanDependencies } from './unit-plan-dependencies.js';

const deps = unitPlanDependencies();

export const handler = apiHandler(
  'create-unit-plan',
  async ({ caller, params, body, requestId }) => ({ status: 201, body: await createUnitPlan({ caller, unitId: params.unitId, request: body, requestId }, deps) }),
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }) => authorizeUnitPlanReplay({ caller, unitId: params.unitId, requestId }, deps) },
);
