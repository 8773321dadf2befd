import { apiHandler } from '../../shared/http/api-handler.js';
import { listCheckIns } from '../../shared/use-cases/monitor/check-ins.js';
import { monitorDependencies } from './monitor-dependencies.js';

const deps = monitorDependencies({ cursors: true });

export const handler = apiHandler('list-check-ins', async ({ caller, params, query, requestId }) => ({
  status: 200,
  body: await listCheckIns({ caller, clientId: params.clientId, query, requestId }, deps),
}));
