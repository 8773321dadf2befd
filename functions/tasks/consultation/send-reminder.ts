import { sendReminder, ReminderTaskInputSchema } from '../../../shared/use-cases/consultations/workflow-tasks.js';
import { taskHandler } from '../task-handler.js';
import { emailDependencies } from './task-dependencies.js';

const deps = emailDependencies();

export const handler = taskHandler('SendReminder', ReminderTaskInputSchema, (input) => sendReminder(input, deps));
