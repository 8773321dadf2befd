import { apiHandler } from '../../shared/http/api-handler.js';
import { recordPlanReview } from '../../shared/use-cases/plans/plans.js';
import { planDependencies } from './plan-dependencies.js';

const deps = planDependencies();

export const handler = apiHandler('record-plan-review', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await recordPlanReview({ caller, clientId: params.clientId, request: body, requestId }, deps),
}));
