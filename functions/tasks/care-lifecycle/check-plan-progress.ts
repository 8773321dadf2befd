import { now } from '../../../shared/adapters/clock.js';
import { createAssessmentRepository } from '../../../shared/adapters/dynamodb/assessment-repository.js';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../../shared/adapters/dynamodb/care-team-repository.js';
import { createCareUnitRepository } from '../../../shared/adapters/dynamodb/care-unit-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createPlanRepository } from '../../../shared/adapters/dynamodb/plan-repository.js';
import { createSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { readPlanSettings } from '../../../shared/config/plans.js';
import { checkPlanProgress, CheckPlanProgressInputSchema } from '../../../shared/use-cases/plans/check-plan.js';
import { taskHandler } from '../task-handler.js';

const env = readEnvironment(['TABLE_NAME']);
const documentClient = createDocumentClient();
const tableName = env.TABLE_NAME;
const sessions = createSessionRepository({ documentClient, tableName });
const deps = {
  plans: createPlanRepository({ documentClient, tableName }),
  assessments: createAssessmentRepository({ documentClient, tableName }),
  careTeam: createCareTeamRepository({ documentClient, tableName }),
  // Attended sessions from the client's session pointers (keys.ts pattern 62): 6 of them, or 8 weeks, make a course.
  sessions: { attendedSince: (clientId: string, since: string) => sessions.attendedSessions(clientId, since) },
  auditLog: createAuditLog({ documentClient, tableName }),
  settings: readPlanSettings(),
  now,
  // The client's care units' plans: their review tasks in the unit's partition (shared/use-cases/plans/unit-plan-check.ts).
  units: { units: createCareUnitRepository({ documentClient, tableName }), unitPlans: createPlanRepository({ documentClient, tableName, holder: 'care_unit' }) },
};

export const handler = taskHandler('CheckPlanProgress', CheckPlanProgressInputSchema, (input) => checkPlanProgress(input, deps));
