import { apiHandler } from '../../shared/http/api-handler.js';
import { listReviews } from '../../shared/use-cases/reviews/review-routes.js';
import { reviewRouteDependencies } from './progress-review-dependencies.js';

const deps = reviewRouteDependencies({ cursors: true });

export const handler = apiHandler('list-progress-reviews', async ({ caller, query }) => ({
  status: 200,
  body: await listReviews({ caller, limit: query.limit, ...(query.therapistId ? { therapistId: query.therapistId } : {}), ...(query.cursor ? { cursor: query.cursor } : {}) }, deps),
}));
