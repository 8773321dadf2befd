/**
 * The match routes' adapters (intake, matches, accept, rematch, pin), built once per cold
 * start. Every route reads and writes the table only (reads write their audit events).
 */
import { now } from '../../shared/adapters/clock.js';
import { createAssessmentRepository } from '../../shared/adapters/dynamodb/assessment-repository.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createClinicianRepository } from '../../shared/adapters/dynamodb/clinician-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createMatchRepository } from '../../shared/adapters/dynamodb/match-repository.js';
import { createCareLifecycleRepository } from '../../shared/adapters/dynamodb/care-lifecycle-repository.js';
import { createSfnClient } from '../../shared/adapters/sfn/sync-workflow-client.js';
import { createWorkflowStarter } from '../../shared/adapters/sfn/workflow-starter.js';
import { careLifecycleWaker, type CareLifecycleWaker } from '../../shared/use-cases/care-lifecycle/wake.js';
import { readEnvironment } from '../../shared/config/environment.js';
import type { MatchDeps } from '../../shared/use-cases/matching/dependencies.js';
import { readAccessSettings } from '../../shared/config/access.js';

export function matchDependencies(): MatchDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  const clinicians = createClinicianRepository({ documentClient, tableName });
  return {
    careTeam: createCareTeamRepository({ documentClient, tableName }),
    auditLog: createAuditLog({ documentClient, tableName }),
    formerClinicianAccessDays: readAccessSettings().formerClinicianAccessDays,
    clients: createClientRepository({ documentClient, tableName }),
    clinicians,
    directory: clinicians,
    matches: createMatchRepository({ documentClient, tableName }),
    assessments: createAssessmentRepository({ documentClient, tableName }),
    now,
  };
}

/**
 * The waker of the routes where care begins (a client's accept, a unit's accept): the
 * introductions go out now, not at the sleeping lifecycle's next review. Needs the
 * `workflow:care-lifecycle` capability (its state machine ARN and StartExecution).
 */
export function careLifecycleWakerFromEnvironment(): CareLifecycleWaker {
  const env = readEnvironment(['TABLE_NAME', 'CARE_LIFECYCLE_STATE_MACHINE_ARN']);
  const table = { documentClient: createDocumentClient(), tableName: env.TABLE_NAME };
  return careLifecycleWaker({
    clients: createClientRepository(table),
    records: createCareLifecycleRepository(table),
    careLifecycle: createWorkflowStarter({ client: createSfnClient(), stateMachineArn: env.CARE_LIFECYCLE_STATE_MACHINE_ARN }),
  });
}
