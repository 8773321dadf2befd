/** The consultation workflow starter of the routes that start it (capability `workflow:consultation`). */
import { createSfnClient } from '../../shared/adapters/sfn/sync-workflow-client.js';
import { createWorkflowStarter } from '../../shared/adapters/sfn/workflow-starter.js';
import { readEnvironment } from '../../shared/config/environment.js';
import type { WorkflowStarter } from '../../shared/use-cases/ports.js';

export function consultationWorkflowStarter(): WorkflowStarter {
  const { CONSULTATION_STATE_MACHINE_ARN } = readEnvironment(['CONSULTATION_STATE_MACHINE_ARN']);
  return createWorkflowStarter({ client: createSfnClient(), stateMachineArn: CONSULTATION_STATE_MACHINE_ARN });
}
