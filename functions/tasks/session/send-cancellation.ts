import { sendSessionCancellation, SessionTaskInputSchema } from '../../../shared/use-cases/sessions/workflow-tasks.js';
import { taskHandler } from '../task-handler.js';
import { emailDependencies } from './task-dependencies.js';

const deps = emailDependencies();

export const handler = taskHandler('SessionSendCancellation', SessionTaskInputSchema, (input) => sendSessionCancellation(input, deps));
