import { apiHandler } from '../../shared/http/api-handler.js';
import { runReviewsNow } from '../../shared/use-cases/reviews/review-routes.js';
import { reviewBuildDependencies } from './progress-review-dependencies.js';

const deps = reviewBuildDependencies({ sendsEmail: true });

export const handler = apiHandler('run-progress-reviews', async ({ body }) => ({
  status: 200,
  body: await runReviewsNow(body.therapistId ? { therapistId: body.therapistId } : {}, deps),
}));
