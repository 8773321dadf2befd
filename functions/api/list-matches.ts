import { apiHandler } from '../../shared/http/api-handler.js';
import { listMatches } from '../../shared/use-cases/matching/matches.js';
import { matchDependencies } from './matching-dependencies.js';

const deps = matchDependencies();

export const handler = apiHandler('list-matches', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await listMatches({ caller, clientId: params.clientId, requestId }, deps),
}));
