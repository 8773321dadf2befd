import { now } from '../../../shared/adapters/clock.js';
import { createCareLifecycleRepository } from '../../../shared/adapters/dynamodb/care-lifecycle-repository.js';
import { createCareUnitRepository } from '../../../shared/adapters/dynamodb/care-unit-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createPlanRepository } from '../../../shared/adapters/dynamodb/plan-repository.js';
import { readCareLifecycleSettings } from '../../../shared/config/care-lifecycle.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { reviewClient, ReviewClientInputSchema } from '../../../shared/use-cases/care-lifecycle/review-client.js';
import { taskHandler } from '../task-handler.js';

const env = readEnvironment(['TABLE_NAME']);
const documentClient = createDocumentClient();
const tableName = env.TABLE_NAME;
const records = createCareLifecycleRepository({ documentClient, tableName });
const settings = readCareLifecycleSettings();
// The client's care units' plans: the lifecycle wakes at their next check (shared/use-cases/plans/unit-plan-check.ts).
const unitPlans = { units: createCareUnitRepository({ documentClient, tableName }), unitPlans: createPlanRepository({ documentClient, tableName, holder: 'care_unit' }) };

export const handler = taskHandler('ReviewClient', ReviewClientInputSchema, (input) => reviewClient(input, { records, settings, now, unitPlans }));
