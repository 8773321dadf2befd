import { createCareLifecycleRepository } from '../../shared/adapters/dynamodb/care-lifecycle-repository.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createSfnClient } from '../../shared/adapters/sfn/sync-workflow-client.js';
import { createWorkflowStarter } from '../../shared/adapters/sfn/workflow-starter.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { idempotencyMiddleware } from '../../shared/http/idempotency.js';
import { careLifecycleWaker } from '../../shared/use-cases/care-lifecycle/wake.js';
import { acceptMatch, authorizeAcceptMatchReplay } from '../../shared/use-cases/matching/accept-match.js';
import { matchDependencies } from './matching-dependencies.js';

const env = readEnvironment(['TABLE_NAME', 'CARE_LIFECYCLE_STATE_MACHINE_ARN']);
const table = { documentClient: createDocumentClient(), tableName: env.TABLE_NAME };
const deps = {
  ...matchDependencies(),
  // The introductions go out now, not at the sleeping lifecycle's next review.
  careLifecycle: careLifecycleWaker({
    clients: createClientRepository(table),
    records: createCareLifecycleRepository(table),
    careLifecycle: createWorkflowStarter({ client: createSfnClient(), stateMachineArn: env.CARE_LIFECYCLE_STATE_MACHINE_ARN }),
  }),
};

export const handler = apiHandler(
  'accept-match',
  async ({ caller, params, requestId }) => {
    const { created, body } = await acceptMatch({ caller, clientId: params.clientId, therapistId: params.therapistId, requestId }, deps);
    return { status: created ? 201 : 200, body };
  },
  { idempotency: idempotencyMiddleware, replay: ({ caller, params, requestId }) => authorizeAcceptMatchReplay({ caller, clientId: params.clientId, therapistId: params.therapistId, requestId }, deps) },
);
