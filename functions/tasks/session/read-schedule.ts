import { readSessionSchedule, SessionTaskInputSchema } from '../../../shared/use-cases/sessions/workflow-tasks.js';
import { taskHandler } from '../task-handler.js';
import { tableDependencies } from './task-dependencies.js';

const deps = tableDependencies();

export const handler = taskHandler('SessionReadSchedule', SessionTaskInputSchema, (input) => readSessionSchedule(input, deps));
