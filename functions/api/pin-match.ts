import { apiHandler } from '../../shared/http/api-handler.js';
import { pinMatch } from '../../shared/use-cases/matching/matches.js';
import { matchDependencies } from './matching-dependencies.js';

const deps = matchDependencies();

export const handler = apiHandler('pin-match', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await pinMatch({ caller, clientId: params.clientId, therapistId: body.therapistId, requestId }, deps),
}));
