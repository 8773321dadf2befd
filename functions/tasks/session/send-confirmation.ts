import { sendSessionConfirmation, SessionTaskInputSchema } from '../../../shared/use-cases/sessions/workflow-tasks.js';
import { taskHandler } from '../task-handler.js';
import { emailDependencies } from './task-dependencies.js';

const deps = emailDependencies();

export const handler = taskHandler('SessionSendConfirmation', SessionTaskInputSchema, (input) => sendSessionConfirmation(input, deps));
