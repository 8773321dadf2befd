import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { acceptUnitMatch } from '../../shared/use-cases/care-units/unit-match.js';
import { authorizeUnitReplay } from '../../shared/use-cases/care-units/units.js';
import { careUnitDependencies } from './care-unit-dependencies.js';
import { careLifecycleWakerFromEnvironment, matchDependencies } from './matching-dependencies.js';

// Each member whose care begins gets the introductions now, as a client's own accept does.
const deps = { ...matchDependencies(), ...careUnitDependencies(), careLifecycle: careLifecycleWakerFromEnvironment() };

export const handler = apiHandler(
  'accept-care-unit-match',
  async ({ caller, params, requestId }) => {
    const { created, body } = await acceptUnitMatch({ caller, unitId: params.unitId, therapistId: params.therapistId, requestId }, deps);
    return { status: created ? 201 : 200, body };
  },
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }) => authorizeUnitReplay({ caller, unitId: params.unitId, requestId }, deps) },
);
