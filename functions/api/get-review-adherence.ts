import { apiHandler } from '../../shared/http/api-handler.js';
import { reviewAdherence } from '../../shared/use-cases/reviews/review-routes.js';
import { reviewRouteDependencies } from './progress-review-dependencies.js';

const deps = reviewRouteDependencies();

export const handler = apiHandler('get-review-adherence', async ({ caller, query }) => ({
  status: 200,
  body: await reviewAdherence({ caller, ...(query.therapistId ? { therapistId: query.therapistId } : {}) }, deps),
}));
