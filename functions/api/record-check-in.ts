import { createRiskEscalationStarter } from '../../shared/adapters/sfn/risk-escalation-starter.js';
import { apiHandler, IDEMPOTENCY_HEADER } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizeCheckInReplay, recordCheckIn } from '../../shared/use-cases/monitor/check-ins.js';
import { monitorDependencies } from './monitor-dependencies.js';

const deps = monitorDependencies({ riskEscalation: createRiskEscalationStarter() });

export const handler = apiHandler(
  'record-check-in',
  async ({ caller, params, body, headers, requestId }) => {
    const idempotencyKey = headers[IDEMPOTENCY_HEADER];
    return {
      status: 201,
      body: await recordCheckIn({ caller, clientId: params.clientId, checkIn: body, requestId, ...(idempotencyKey ? { idempotencyKey } : {}) }, deps),
    };
  },
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }, stored) => authorizeCheckInReplay({ caller, clientId: params.clientId, requestId }, stored.body, deps) },
);
