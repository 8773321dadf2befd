import { apiHandler } from '../../shared/http/api-handler.js';
import { closeSessionTask } from '../../shared/use-cases/sessions/session-tasks.js';
import { sessionDependencies } from './session-dependencies.js';

const deps = sessionDependencies();

export const handler = apiHandler('close-session-task', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await closeSessionTask({ caller, clinicianId: params.clinicianId, sessionId: params.sessionId, request: body, requestId }, deps),
}));
