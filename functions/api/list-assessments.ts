import { apiHandler } from '../../shared/http/api-handler.js';
import { listAssessments } from '../../shared/use-cases/monitor/assessments.js';
import { monitorDependencies } from './monitor-dependencies.js';

const deps = monitorDependencies({ cursors: true });

export const handler = apiHandler('list-assessments', async ({ caller, params, query, requestId }) => ({
  status: 200,
  body: await listAssessments({ caller, clientId: params.clientId, query, requestId }, deps),
}));
