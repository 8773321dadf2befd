import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { acceptMatch, authorizeAcceptMatchReplay } from '../../shared/use-cases/matching/accept-match.js';
import { careLifecycleWakerFromEnvironment, matchDependencies } from './matching-dependencies.js';

const deps = {
  ...matchDependencies(),
  // The introductions go out now, not at the sleeping lifecycle's next review.
  careLifecycle: careLifecycleWakerFromEnvironment(),
};

export const handler = apiHandler(
  'accept-match',
  async ({ caller, params, requestId }) => {
    const { created, body } = await acceptMatch({ caller, clientId: params.clientId, therapistId: params.therapistId, requestId }, deps);
    return { status: created ? 201 : 200, body };
  },
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }) => authorizeAcceptMatchReplay({ caller, clientId: params.clientId, therapistId: params.therapistId, requestId }, deps) },
);
