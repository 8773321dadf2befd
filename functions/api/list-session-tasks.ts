import { apiHandler } from '../../shared/http/api-handler.js';
import { listSessionTasks } from '../../shared/use-cases/sessions/session-tasks.js';
import { sessionDependencies } from './session-dependencies.js';

const deps = sessionDependencies();

export const handler = apiHandler('list-session-tasks', async ({ caller, params, requestId }) => ({
  status: 200,
  body: await listSessionTasks({ caller, clinicianId: params.clinicianId, requestId }, deps),
}));
