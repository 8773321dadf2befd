import { apiHandler } from '../../shared/http/api-handler.js';
import { listDiagnoses } from '../../shared/use-cases/monitor/diagnoses.js';
import { monitorDependencies } from './monitor-dependencies.js';

const deps = monitorDependencies();

export const handler = apiHandler('list-diagnoses', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await listDiagnoses({ caller, clientId: params.clientId, requestId }, deps),
}));
