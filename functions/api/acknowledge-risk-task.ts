import { apiHandler } from '../../shared/http/api-handler.js';
import { acknowledgeRiskTask } from '../../shared/use-cases/risk/risk-task-routes.js';
import { riskTaskRouteDependencies } from './risk-task-dependencies.js';

const deps = riskTaskRouteDependencies();

export const handler = apiHandler('acknowledge-risk-task', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await acknowledgeRiskTask({ caller, taskId: params.id, requestId }, deps),
}));
