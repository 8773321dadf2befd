import { apiHandler, IDEMPOTENCY_HEADER } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizeDischargeReplay, dischargeClient } from '../../shared/use-cases/care-lifecycle/client-care.js';
import { careEndedSessionsOfRoute } from './care-ended-sessions.js';
import { clientCareDependencies } from './client-care-dependencies.js';

const deps = { ...clientCareDependencies(), sessionsOnCareEnd: careEndedSessionsOfRoute() };

export const handler = apiHandler(
  'discharge-client',
  async ({ caller, params, body, requestId, headers }) => {
    const idempotencyKey = headers[IDEMPOTENCY_HEADER];
    return {
      status: 200,
      body: await dischargeClient({ caller, clientId: params.clientId, request: body, requestId, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) }, deps),
    };
  },
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }, stored) => authorizeDischargeReplay({ caller, clientId: params.clientId, requestId }, stored.body, deps) },
);
