/**
 * The consultation routes' adapters, built once per cold start. Only routes that start the
 * consultation workflow pass a starter (consultation-workflow-starter.ts: their
 * `workflow:consultation` capability sets its ARN); the others get one that refuses, which no
 * read path calls, and their bundles carry no Step Functions client.
 */
import { now } from '../../shared/adapters/clock.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createClinicianRepository } from '../../shared/adapters/dynamodb/clinician-repository.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createConsultationRepository } from '../../shared/adapters/dynamodb/consultation-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { readAccessSettings } from '../../shared/config/access.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { readConsultationSettings } from '../../shared/config/scheduling.js';
import type { ConsultationDeps } from '../../shared/use-cases/consultations/dependencies.js';
import type { WorkflowStarter } from '../../shared/use-cases/ports.js';
import { randomUUID } from 'node:crypto';

const readOnly: WorkflowStarter = {
  start: () => Promise.reject(new Error('This function may not start the consultation workflow.')),
};

export function consultationDependencies(options: { workflow?: WorkflowStarter } = {}): ConsultationDeps {
  const { TABLE_NAME } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  const workflow = options.workflow ?? readOnly;
  return {
    consultations: createConsultationRepository({ documentClient, tableName: TABLE_NAME }),
    directory: createClinicianRepository({ documentClient, tableName: TABLE_NAME }),
    clients: createClientRepository({ documentClient, tableName: TABLE_NAME }),
    workflow,
    careTeam: createCareTeamRepository({ documentClient, tableName: TABLE_NAME }),
    auditLog: createAuditLog({ documentClient, tableName: TABLE_NAME }),
    formerClinicianAccessDays: readAccessSettings().formerClinicianAccessDays,
    settings: readConsultationSettings(),
    now,
    newId: randomUUID,
  };
}
