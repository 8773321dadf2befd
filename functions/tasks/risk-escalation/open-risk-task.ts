import * as z from 'zod';
import { taskHandler } from '../task-handler.js';

// Placeholder until the risk-escalation use cases land (issue 4, item 5): the registry entry and
// the state machine exist early so that routes can declare workflow:risk-escalation.
export const handler = taskHandler('OpenRiskTask', z.unknown(), () => Promise.reject(new Error('OpenRiskTask is not implemented yet')));
