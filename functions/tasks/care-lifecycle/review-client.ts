import { now } from '../../../shared/adapters/clock.js';
import { createCareLifecycleRepository } from '../../../shared/adapters/dynamodb/care-lifecycle-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { readCareLifecycleSettings } from '../../../shared/config/care-lifecycle.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { reviewClient, ReviewClientInputSchema } from '../../../shared/use-cases/care-lifecycle/review-client.js';
import { taskHandler } from '../task-handler.js';

const env = readEnvironment(['TABLE_NAME']);
const records = createCareLifecycleRepository({ documentClient: createDocumentClient(), tableName: env.TABLE_NAME });
const settings = readCareLifecycleSettings();

export const handler = taskHandler('ReviewClient', ReviewClientInputSchema, (input) => reviewClient(input, { records, settings, now }));
