import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { assessRiskTask, authorizeRiskTaskReplay } from '../../shared/use-cases/risk/risk-task-routes.js';
import { riskTaskRouteDependencies } from './risk-task-dependencies.js';

const deps = riskTaskRouteDependencies();

export const handler = apiHandler(
  'assess-risk-task',
  async ({ caller, params, body, requestId }) => ({
    status: 200,
    body: await assessRiskTask({ caller, taskId: params.id, assessment: body, requestId }, deps),
  }),
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }) => authorizeRiskTaskReplay({ caller, taskId: params.id, requestId }, deps) },
);
