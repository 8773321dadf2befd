import { now } from '../../../shared/adapters/clock.js';
import { createAssessmentRepository } from '../../../shared/adapters/dynamodb/assessment-repository.js';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../../shared/adapters/dynamodb/care-team-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createPlanRepository } from '../../../shared/adapters/dynamodb/plan-repository.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { readPlanSettings } from '../../../shared/config/plans.js';
import { checkPlanProgress, CheckPlanProgressInputSchema } from '../../../shared/use-cases/plans/check-plan.js';
import { noAttendedSessions } from '../../../shared/use-cases/plans/ports.js';
import { taskHandler } from '../task-handler.js';

const env = readEnvironment(['TABLE_NAME']);
const documentClient = createDocumentClient();
const tableName = env.TABLE_NAME;
const deps = {
  plans: createPlanRepository({ documentClient, tableName }),
  assessments: createAssessmentRepository({ documentClient, tableName }),
  careTeam: createCareTeamRepository({ documentClient, tableName }),
  // Sessions are another part of issue 10: until they exist, no attended sessions (weeks decide).
  sessions: noAttendedSessions,
  auditLog: createAuditLog({ documentClient, tableName }),
  settings: readPlanSettings(),
  now,
};

export const handler = taskHandler('CheckPlanProgress', CheckPlanProgressInputSchema, (input) => checkPlanProgress(input, deps));
