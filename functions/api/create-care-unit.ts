import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { storedRecordId } from '../../shared/use-cases/access/client-access.js';
import { authorizeUnitReplay, createCareUnit } from '../../shared/use-cases/care-units/units.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

const deps = careUnitDependencies();

export const handler = apiHandler(
  'create-care-unit',
  async ({ caller, body, requestId }) => ({ status: 201, body: await createCareUnit({ caller, request: body, requestId }, deps) }),
  { idempotency: idempotencyMiddleware, replay: ({ caller, requestId }, stored) => authorizeUnitReplay({ caller, unitId: storedRecordId(stored.body, 'unitId'), requestId }, deps) },
);
