import { apiHandler } from '../../shared/http/api-handler.js';
import { recordReviewDisposition } from '../../shared/use-cases/reviews/review-routes.js';
import { reviewRouteDependencies } from './progress-review-dependencies.js';

const deps = reviewRouteDependencies();

export const handler = apiHandler('record-review-disposition', async ({ caller, params, body, requestId }) =>
  recordReviewDisposition(
    { caller, reviewId: params.reviewId, clientId: params.clientId, action: body.action, ...(body.note !== undefined ? { note: body.note } : {}), requestId },
    deps,
  ),
);
