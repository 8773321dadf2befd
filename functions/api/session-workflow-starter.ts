/** The session workflow starter of the routes that start it (capability `workflow:session`). */
import { createSfnClient } from '../../shared/adapters/sfn/sync-workflow-client.js';
import { createWorkflowStarter } from '../../shared/adapters/sfn/workflow-starter.js';
import { readEnvironment } from '../../shared/config/environment.js';
import type { WorkflowStarter } from '../../shared/use-cases/ports.js';

export function sessionWorkflowStarter(): WorkflowStarter {
  const { SESSION_STATE_MACHINE_ARN } = readEnvironment(['SESSION_STATE_MACHINE_ARN']);
  return createWorkflowStarter({ client: createSfnClient(), stateMachineArn: SESSION_STATE_MACHINE_ARN });
}
