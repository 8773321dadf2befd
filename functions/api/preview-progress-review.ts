import { apiHandler } from '../../shared/http/api-handler.js';
import { previewReviewCounts } from '../../shared/use-cases/reviews/review-routes.js';
import { reviewBuildDependencies } from './progress-review-dependencies.js';

const deps = reviewBuildDependencies({ sendsEmail: false });

export const handler = apiHandler('preview-progress-review', async ({ caller, body, requestId }) => ({
  status: 200,
  body: await previewReviewCounts({ caller, therapistId: body.therapistId, requestId }, deps),
}));
