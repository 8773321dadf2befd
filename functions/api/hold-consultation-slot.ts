import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware, replayWithRoleCheckOnly } from '../../shared/http/idempotency.js';
import { holdSlot } from '../../shared/use-cases/consultations/hold-slot.js';
import { consultationDependencies } from './consultation-dependencies.js';

const deps = consultationDependencies();

export const handler = apiHandler(
  'hold-consultation-slot',
  async ({ caller, body }) => ({ status: 201, body: await holdSlot({ ...body, clientId: caller.userId }, deps) }),
  { idempotency: idempotencyMiddleware, replay: replayWithRoleCheckOnly },
);
