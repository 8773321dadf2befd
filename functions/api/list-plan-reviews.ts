import { apiHandler } from '../../shared/http/api-handler.js';
import { listPlanReviews } from '../../shared/use-cases/plans/plans.js';
import { planDependencies } from './plan-dependencies.js';

const deps = planDependencies();

export const handler = apiHandler('list-plan-reviews', async ({ caller, params, query, requestId }) => ({
  status: 200,
  body: await listPlanReviews({ caller, clientId: params.clientId, status: query.status, requestId }, deps),
}));
