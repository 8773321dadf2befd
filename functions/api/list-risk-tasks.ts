import { apiHandler } from '../../shared/http/api-handler.js';
import { listRiskTasks } from '../../shared/use-cases/risk/risk-task-routes.js';
import { riskTaskRouteDependencies } from './risk-task-dependencies.js';

const deps = riskTaskRouteDependencies();

export const handler = apiHandler('list-risk-tasks', async ({ caller, requestId }) => ({
  status: 200,
  body: await listRiskTasks({ caller, requestId }, deps),
}));
