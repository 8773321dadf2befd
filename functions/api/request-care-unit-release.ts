import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { requestRelease } from '../../shared/use-cases/care-units/releases.js';
import { authorizeUnitReplay } from '../../shared/use-cases/care-units/units.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

const deps = careUnitDependencies();

export const handler = apiHandler(
  'request-care-unit-release',
  async ({ caller, params, body, requestId }) => ({ status: 201, body: await requestRelease({ caller, unitId: params.unitId, request: body, requestId }, deps) }),
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }) => authorizeUnitReplay({ caller, unitId: params.unitId, requestId }, deps) },
);
