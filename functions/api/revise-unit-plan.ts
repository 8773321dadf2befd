import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizeUnitPlanReplay, reviseUnitPlan } from '../../shared/use-cases/plans/unit-plans.js';
import { unitPlanDependencies } from './unit-plan-dependencies.js';

const deps = unitPlanDependencies();

export const handler = apiHandler(
  'revise-unit-plan',
  async ({ caller, params, body, requestId }) => ({
    status: 201,
    body: await reviseUnitPlan({ caller, unitId: params.unitId, planId: params.planId, request: body, requestId }, deps),
  }),
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }) => authorizeUnitPlanReplay({ caller, unitId: params.unitId, requestId }, deps) },
);
