import { apiHandler } from '../../shared/http/api-handler.js';
import { rescheduleConsultation } from '../../shared/use-cases/consultations/change-consultation.js';
import { consultationDependencies } from './consultation-dependencies.js';
import { consultationWorkflowStarter } from './consultation-workflow-starter.js';

const deps = consultationDependencies({ workflow: consultationWorkflowStarter() });

export const handler = apiHandler('reschedule-consultation', async ({ caller, params, body }) => ({
  status: 200,
  body: await rescheduleConsultation({ consultationId: params.id, caller, start: body.start }, deps),
}));
