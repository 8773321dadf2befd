/**
 * The session routes' adapters, built once per cold start. Only routes that start the session
 * workflow pass a starter (session-workflow-starter.ts: their `workflow:session` capability sets
 * its ARN); the others get one that refuses, which no read path calls.
 */
import { randomUUID } from 'node:crypto';
import { now } from '../../shared/adapters/clock.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createClinicianRepository } from '../../shared/adapters/dynamodb/clinician-repository.js';
import { createConsultationRepository } from '../../shared/adapters/dynamodb/consultation-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createSessionRepository } from '../../shared/adapters/dynamodb/session-repository.js';
import { readAccessSettings } from '../../shared/config/access.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { readSessionPolicy } from '../../shared/config/sessions.js';
import type { SessionDeps } from '../../shared/use-cases/sessions/dependencies.js';
import type { WorkflowStarter } from '../../shared/use-cases/ports.js';

const readOnly: WorkflowStarter = {
  start: () => Promise.reject(new Error('This function may not start the session workflow.')),
};

export function sessionDependencies(options: { workflow?: WorkflowStarter } = {}): SessionDeps {
  const { TABLE_NAME } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  return {
    sessions: createSessionRepository({ documentClient, tableName: TABLE_NAME }),
    // Only its lockedCells: the lock cells sessions share with consultations.
    locks: createConsultationRepository({ documentClient, tableName: TABLE_NAME }),
    directory: createClinicianRepository({ documentClient, tableName: TABLE_NAME }),
    clients: createClientRepository({ documentClient, tableName: TABLE_NAME }),
    careTeam: createCareTeamRepository({ documentClient, tableName: TABLE_NAME }),
    auditLog: createAuditLog({ documentClient, tableName: TABLE_NAME }),
    workflow: options.workflow ?? readOnly,
    formerClinicianAccessDays: readAccessSettings().formerClinicianAccessDays,
    policy: readSessionPolicy(),
    now,
    newId: randomUUID,
  };
}
