import { sendCancellation, ConsultationTaskInputSchema } from '../../../shared/use-cases/consultations/workflow-tasks.js';
import { taskHandler } from '../task-handler.js';
import { emailDependencies } from './task-dependencies.js';

const deps = emailDependencies();

export const handler = taskHandler('SendCancellation', ConsultationTaskInputSchema, (input) => sendCancellation(input, deps));
