import { apiHandler } from '../../shared/http/api-handler.js';
import { recordAttendance } from '../../shared/use-cases/sessions/sessions.js';
import { sessionDependencies } from './session-dependencies.js';

const deps = sessionDependencies();

export const handler = apiHandler('record-session-attendance', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await recordAttendance({ caller, sessionId: params.sessionId, request: body, requestId }, deps),
}));
