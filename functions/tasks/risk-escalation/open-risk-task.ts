import { openRiskTask, OpenRiskTaskInputSchema } from '../../../shared/use-cases/risk/workflow-tasks.js';
import { taskHandler } from '../task-handler.js';
import { riskTaskDependencies } from './task-dependencies.js';

const deps = riskTaskDependencies({ sendsEmail: false });

export const handler = taskHandler('OpenRiskTask', OpenRiskTaskInputSchema, (input) => openRiskTask(input, deps));
