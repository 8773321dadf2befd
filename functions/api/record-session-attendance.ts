import { apiHandler } from '../../shared/http/api-handler.js';
import { recordAnyAttendance } from '../../shared/use-cases/sessions/joint-sessions.js';
import { careUnitSessionDependencies } from './care-unit-session-dependencies.js';

const deps = careUnitSessionDependencies();

export const handler = apiHandler('record-session-attendance', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await recordAnyAttendance({ caller, sessionId: params.sessionId, request: body, requestId }, deps),
}));
