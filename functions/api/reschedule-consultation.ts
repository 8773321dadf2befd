import { apiHandler } from '../../shared/http/api-handler.js';
import { rescheduleConsultation } from '../../shared/use-cases/consultations/change-consultation.js';
import { consultationDependencies } from './consultation-dependencies.js';

const deps = consultationDependencies({ startsWorkflow: true });

export const handler = apiHandler('reschedule-consultation', async ({ caller, params, body }) => ({
  status: 200,
  body: await rescheduleConsultation({ consultationId: params.id, caller, start: body.start }, deps),
}));
