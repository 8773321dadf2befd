import { createRiskEscalationStarter } from '../../shared/adapters/sfn/risk-escalation-starter.js';
import { apiHandler, IDEMPOTENCY_HEADER } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { authorizeAssessmentReplay, submitAssessment } from '../../shared/use-cases/monitor/assessments.js';
import { monitorDependencies } from './monitor-dependencies.js';

const deps = monitorDependencies({ riskEscalation: createRiskEscalationStarter() });

export const handler = apiHandler(
  'submit-assessment',
  async ({ caller, params, body, headers, requestId }) => {
    const idempotencyKey = headers[IDEMPOTENCY_HEADER];
    return {
      status: 201,
      body: await submitAssessment({ caller, clientId: params.clientId, submission: body, requestId, ...(idempotencyKey ? { idempotencyKey } : {}) }, deps),
    };
  },
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }, stored) => authorizeAssessmentReplay({ caller, clientId: params.clientId, requestId }, stored.body, deps) },
);
