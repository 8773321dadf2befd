/** The risk-task routes' adapters, built once per cold start. */
import { now } from '../../shared/adapters/clock.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createRiskTaskRepository } from '../../shared/adapters/dynamodb/risk-task-repository.js';
import { readEnvironment } from '../../shared/config/environment.js';
import type { RiskTaskRouteDeps } from '../../shared/use-cases/risk/risk-task-routes.js';

export function riskTaskRouteDependencies(): RiskTaskRouteDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  return {
    tasks: createRiskTaskRepository({ documentClient, tableName }),
    careTeam: createCareTeamRepository({ documentClient, tableName }),
    auditLog: createAuditLog({ documentClient, tableName }),
    now,
  };
}
