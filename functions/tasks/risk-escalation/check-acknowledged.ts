import { checkAcknowledged, CheckAcknowledgedInputSchema } from '../../../shared/use-cases/risk/workflow-tasks.js';
import { taskHandler } from '../task-handler.js';
import { riskTaskDependencies } from './task-dependencies.js';

const deps = riskTaskDependencies({ sendsEmail: false });

export const handler = taskHandler('CheckAcknowledged', CheckAcknowledgedInputSchema, (input) => checkAcknowledged(input, deps));
