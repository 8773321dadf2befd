/**
 * The monitoring routes' adapters (assessments, check-ins, diagnoses), built once per cold
 * start. Only the routes that may raise a risk flag pass a risk-escalation starter (their
 * `workflow:risk-escalation` capability sets its ARN); the others get one that refuses, which
 * no read path calls, and their bundles carry no Step Functions client.
 */
import { now } from '../../shared/adapters/clock.js';
import { createAssessmentRepository } from '../../shared/adapters/dynamodb/assessment-repository.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createCheckInRepository } from '../../shared/adapters/dynamodb/check-in-repository.js';
import { createDiagnosisRepository } from '../../shared/adapters/dynamodb/diagnosis-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createPendingRiskEscalations } from '../../shared/adapters/dynamodb/monitor-items.js';
import { createRiskTaskRepository } from '../../shared/adapters/dynamodb/risk-task-repository.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { logger } from '../../shared/observability/logger.js';
import type { MonitorDeps } from '../../shared/use-cases/monitor/dependencies.js';
import type { RiskEscalationStarter } from '../../shared/use-cases/ports.js';
import { readAccessSettings } from '../../shared/config/access.js';

const readOnly: RiskEscalationStarter = {
  start: () => Promise.reject(new Error('This function may not start the risk-escalation workflow.')),
};

export function monitorDependencies(options: { riskEscalation?: RiskEscalationStarter; cursors?: boolean } = {}): MonitorDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  // Only the list routes carry the key (capability `cursor:sign`); the others never make a cursor.
  const cursors = options.cursors ? { cursorSigningKey: readEnvironment(['CURSOR_SIGNING_KEY']).CURSOR_SIGNING_KEY } : {};
  const documentClient = createDocumentClient();
  return {
    careTeam: createCareTeamRepository({ documentClient, tableName }),
    auditLog: createAuditLog({ documentClient, tableName }),
    formerClinicianAccessDays: readAccessSettings().formerClinicianAccessDays,
    assessments: createAssessmentRepository({ documentClient, tableName }),
    checkIns: createCheckInRepository({ documentClient, tableName }),
    diagnoses: createDiagnosisRepository({ documentClient, tableName }),
    pendingEscalations: createPendingRiskEscalations({ documentClient, tableName }),
    riskTasks: createRiskTaskRepository({ documentClient, tableName }),
    riskEscalation: options.riskEscalation ?? readOnly,
    log: {
      warn: (message, fields) => logger.warn(message, fields),
      error: (message, fields) => logger.error(message, fields),
    },
    ...cursors,
    now,
  };
}
