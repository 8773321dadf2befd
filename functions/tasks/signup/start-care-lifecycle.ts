import { now } from '../../../shared/adapters/clock.js';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createSfnClient } from '../../../shared/adapters/sfn/sync-workflow-client.js';
import { createWorkflowStarter } from '../../../shared/adapters/sfn/workflow-starter.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { startCareLifecycle, StartCareLifecycleInputSchema } from '../../../shared/use-cases/signup/start-care-lifecycle.js';
import { taskHandler } from '../task-handler.js';

const env = readEnvironment(['TABLE_NAME', 'CARE_LIFECYCLE_STATE_MACHINE_ARN']);
const clients = createClientRepository({ documentClient: createDocumentClient(), tableName: env.TABLE_NAME });
const careLifecycle = createWorkflowStarter({ client: createSfnClient(), stateMachineArn: env.CARE_LIFECYCLE_STATE_MACHINE_ARN });

export const handler = taskHandler('StartCareLifecycle', StartCareLifecycleInputSchema, (input) =>
  startCareLifecycle(input, { careLifecycle, clients, now }),
);
