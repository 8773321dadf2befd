import { apiHandler, IDEMPOTENCY_HEADER } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizeDiagnosisReplay, recordDiagnosis } from '../../shared/use-cases/monitor/diagnoses.js';
import { monitorDependencies } from './monitor-dependencies.js';

const deps = monitorDependencies();

export const handler = apiHandler(
  'record-diagnosis',
  async ({ caller, params, body, headers, requestId }) => {
    const idempotencyKey = headers[IDEMPOTENCY_HEADER];
    return {
      status: 201,
      body: await recordDiagnosis({ caller, clientId: params.clientId, request: body, requestId, ...(idempotencyKey ? { idempotencyKey } : {}) }, deps),
    };
  },
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }, stored) => authorizeDiagnosisReplay({ caller, clientId: params.clientId, requestId }, stored.body, deps) },
);
