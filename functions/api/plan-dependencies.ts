/** The treatment plan routes' adapters, built once per cold start. */
import { now } from '../../shared/adapters/clock.js';
import { createAssessmentRepository } from '../../shared/adapters/dynamodb/assessment-repository.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createDiagnosisRepository } from '../../shared/adapters/dynamodb/diagnosis-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createPlanRepository } from '../../shared/adapters/dynamodb/plan-repository.js';
import { createRiskTaskRepository } from '../../shared/adapters/dynamodb/risk-task-repository.js';
import { readAccessSettings } from '../../shared/config/access.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { readPlanSettings } from '../../shared/config/plans.js';
import type { PlanDeps } from '../../shared/use-cases/plans/plans.js';

export function planDependencies(): PlanDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  return {
    careTeam: createCareTeamRepository({ documentClient, tableName }),
    auditLog: createAuditLog({ documentClient, tableName }),
    formerClinicianAccessDays: readAccessSettings().formerClinicianAccessDays,
    plans: createPlanRepository({ documentClient, tableName }),
    assessments: createAssessmentRepository({ documentClient, tableName }),
    diagnoses: createDiagnosisRepository({ documentClient, tableName }),
    riskTasks: createRiskTaskRepository({ documentClient, tableName }),
    settings: readPlanSettings(),
    now,
  };
}
