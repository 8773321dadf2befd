import { apiHandler } from '../../shared/http/api-handler.js';
import { cancelConsultation } from '../../shared/use-cases/consultations/change-consultation.js';
import { consultationDependencies } from './consultation-dependencies.js';
import { consultationWorkflowStarter } from './consultation-workflow-starter.js';

const deps = consultationDependencies({ workflow: consultationWorkflowStarter() });

export const handler = apiHandler('cancel-consultation', async ({ caller, params }) => ({
  status: 200,
  body: await cancelConsultation({ consultationId: params.id, caller }, deps),
}));
