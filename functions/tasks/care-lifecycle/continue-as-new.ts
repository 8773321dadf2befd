import { createCareLifecycleRepository } from '../../../shared/adapters/dynamodb/care-lifecycle-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createSfnClient } from '../../../shared/adapters/sfn/sync-workflow-client.js';
import { createWorkflowStarter } from '../../../shared/adapters/sfn/workflow-starter.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { continueAsNew, ContinueAsNewInputSchema } from '../../../shared/use-cases/care-lifecycle/continue-as-new.js';
import { taskHandler } from '../task-handler.js';

const env = readEnvironment(['TABLE_NAME', 'CARE_LIFECYCLE_STATE_MACHINE_ARN']);
const records = createCareLifecycleRepository({ documentClient: createDocumentClient(), tableName: env.TABLE_NAME });
const careLifecycle = createWorkflowStarter({ client: createSfnClient(), stateMachineArn: env.CARE_LIFECYCLE_STATE_MACHINE_ARN });

export const handler = taskHandler('ContinueAsNew', ContinueAsNewInputSchema, (input) => continueAsNew(input, { careLifecycle, records }));
