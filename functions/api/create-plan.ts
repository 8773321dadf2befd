import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizePlanReplay, createPlan } from '../../shared/use-cases/plans/plans.js';
import { planDependencies } from './plan-dependencies.js';

const deps = planDependencies();

export const handler = apiHandler(
  'create-plan',
  async ({ caller, params, body, requestId }) => ({ status: 201, body: await createPlan({ caller, clientId: params.clientId, request: body, requestId }, deps) }),
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }, stored) => authorizePlanReplay({ caller, clientId: params.clientId, requestId }, stored.body, deps) },
);
