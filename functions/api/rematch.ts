import { apiHandler, IDEMPOTENCY_HEADER } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizeRematchReplay, rematch } from '../../shared/use-cases/matching/rematch.js';
import { careEndedSessionsOfRoute } from './care-ended-sessions.js';
import { matchDependencies } from './matching-dependencies.js';

const deps = { ...matchDependencies(), sessionsOnCareEnd: careEndedSessionsOfRoute() };

export const handler = apiHandler(
  'rematch',
  async ({ caller, params, body, requestId, headers }) => {
    const idempotencyKey = headers[IDEMPOTENCY_HEADER];
    return {
      status: 200,
      body: await rematch({ caller, clientId: params.clientId, request: body, requestId, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) }, deps),
    };
  },
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }) => authorizeRematchReplay({ caller, clientId: params.clientId, requestId }, deps) },
);
