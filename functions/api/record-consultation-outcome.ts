import { apiHandler } from '../../shared/http/api-handler.js';
import { recordOutcome } from '../../shared/use-cases/consultations/record-outcome.js';
import { consultationDependencies } from './consultation-dependencies.js';
import { consultationWorkflowStarter } from './consultation-workflow-starter.js';

const deps = consultationDependencies({ workflow: consultationWorkflowStarter() });

export const handler = apiHandler('record-consultation-outcome', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await recordOutcome({ ...body, consultationId: params.id, caller, requestId }, deps),
}));
