import { apiHandler } from '../../shared/http/api-handler.js';
import { getReview } from '../../shared/use-cases/reviews/review-routes.js';
import { reviewRouteDependencies } from './progress-review-dependencies.js';

const deps = reviewRouteDependencies();

export const handler = apiHandler('get-progress-review', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await getReview({ caller, reviewId: params.reviewId, requestId }, deps),
}));
