import { sendRebookOffer, ConsultationTaskInputSchema } from '../../../shared/use-cases/consultations/workflow-tasks.js';
import { taskHandler } from '../task-handler.js';
import { emailDependencies } from './task-dependencies.js';

const deps = emailDependencies();

export const handler = taskHandler('SendRebookOffer', ConsultationTaskInputSchema, (input) => sendRebookOffer(input, deps));
