import { readSchedule, ConsultationTaskInputSchema } from '../../../shared/use-cases/consultations/workflow-tasks.js';
import { taskHandler } from '../task-handler.js';
import { tableDependencies } from './task-dependencies.js';

const deps = tableDependencies();

export const handler = taskHandler('ReadSchedule', ConsultationTaskInputSchema, (input) => readSchedule(input, deps));
