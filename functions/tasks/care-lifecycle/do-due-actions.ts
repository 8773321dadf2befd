import { now } from '../../../shared/adapters/clock.js';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createCareLifecycleRepository } from '../../../shared/adapters/dynamodb/care-lifecycle-repository.js';
import { createCareTeamRepository } from '../../../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createStaffRepository } from '../../../shared/adapters/dynamodb/staff-repository.js';
import { createSesClient, createSesEmailSender } from '../../../shared/adapters/ses/email-sender.js';
import { readCareLifecycleSettings } from '../../../shared/config/care-lifecycle.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { doDueActionsFor, DoDueActionsTaskInputSchema } from '../../../shared/use-cases/care-lifecycle/do-due-actions.js';
import { createSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { createSfnClient } from '../../../shared/adapters/sfn/sync-workflow-client.js';
import { createWorkflowStarter } from '../../../shared/adapters/sfn/workflow-starter.js';
import { careEndedSessions } from '../../../shared/use-cases/sessions/care-ended.js';
import { taskHandler } from '../task-handler.js';

const env = readEnvironment(['TABLE_NAME', 'EMAIL_FROM', 'SES_CONFIGURATION_SET', 'APP_BASE_URL', 'SESSION_STATE_MACHINE_ARN']);
const documentClient = createDocumentClient();
const tableName = env.TABLE_NAME;
const records = createCareLifecycleRepository({ documentClient, tableName });
const deps = {
  records,
  planning: records,
  settings: readCareLifecycleSettings(),
  clients: createClientRepository({ documentClient, tableName }),
  careTeam: createCareTeamRepository({ documentClient, tableName }),
  staff: createStaffRepository(documentClient, tableName),
  // One SES attempt per call: an SDK retry of a send whose answer was lost would be a duplicate
  // the claim cannot see; the state machine retries instead, through the claim.
  email: createSesEmailSender({ client: createSesClient({ maxAttempts: 1 }), from: env.EMAIL_FROM, configurationSet: env.SES_CONFIGURATION_SET }),
  auditLog: createAuditLog({ documentClient, tableName }),
  appBaseUrl: env.APP_BASE_URL,
  // A referral cancels the client's future sessions with the therapist whose care it ends.
  sessionsOnCareEnd: careEndedSessions({
    sessions: createSessionRepository({ documentClient, tableName }),
    workflow: createWorkflowStarter({ client: createSfnClient(), stateMachineArn: env.SESSION_STATE_MACHINE_ARN }),
    auditLog: createAuditLog({ documentClient, tableName }),
    now,
  }),
  now,
};

export const handler = taskHandler('DoDueActions', DoDueActionsTaskInputSchema, (input) => doDueActionsFor(input, deps));
