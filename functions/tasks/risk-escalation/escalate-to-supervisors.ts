import { escalateToSupervisors, EscalateInputSchema } from '../../../shared/use-cases/risk/workflow-tasks.js';
import { taskHandler } from '../task-handler.js';
import { riskTaskDependencies } from './task-dependencies.js';

const deps = riskTaskDependencies({ sendsEmail: true });

export const handler = taskHandler('EscalateToSupervisors', EscalateInputSchema, (input) => escalateToSupervisors(input, deps));
