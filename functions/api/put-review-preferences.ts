import { apiHandler } from '../../shared/http/api-handler.js';
import { putReviewPreferences } from '../../shared/use-cases/reviews/review-routes.js';
import { reviewRouteDependencies } from './progress-review-dependencies.js';

const deps = reviewRouteDependencies();

export const handler = apiHandler('put-review-preferences', async ({ caller, params, body }) => ({
  status: 200,
  body: await putReviewPreferences({ caller, clinicianId: params.clinicianId, preferences: body }, deps),
}));
