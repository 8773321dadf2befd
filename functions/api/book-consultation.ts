import { apiHandler, IDEMPOTENCY_HEADER } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware, replayWithRoleCheckOnly } from '../../shared/http/idempotency.js';
import { bookConsultation } from '../../shared/use-cases/consultations/book-consultation.js';
import { consultationDependencies } from './consultation-dependencies.js';
import { consultationWorkflowStarter } from './consultation-workflow-starter.js';

const deps = consultationDependencies({ workflow: consultationWorkflowStarter() });

export const handler = apiHandler(
  'book-consultation',
  async ({ caller, body, headers }) => {
    const idempotencyKey = headers[IDEMPOTENCY_HEADER];
    return {
      status: 201,
      body: await bookConsultation({ ...body, clientId: caller.userId, ...(idempotencyKey ? { idempotencyKey } : {}) }, deps),
    };
  },
  { idempotency: idempotencyMiddleware, replay: replayWithRoleCheckOnly },
);
