import { apiHandler } from '../../shared/http/api-handler.js';
import { decideRelease } from '../../shared/use-cases/care-units/releases.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

const deps = careUnitDependencies();

export const handler = apiHandler('decide-care-unit-release', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await decideRelease(
    { caller, unitId: params.unitId, releaseId: params.releaseId, decision: body.decision, ...(body.forClientId === undefined ? {} : { forClientId: body.forClientId }), requestId },
    deps,
  ),
}));
