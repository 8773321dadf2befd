/**
 * The session cancellation the discharge and rematch routes run once care with a therapist
 * ended (shared/use-cases/sessions/care-ended.ts): their capabilities include the session area,
 * the lock cells and `workflow:session` (the cancellation notices).
 */
import { now } from '../../shared/adapters/clock.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createSessionRepository } from '../../shared/adapters/dynamodb/session-repository.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { careEndedSessions, type CareEndedSessions } from '../../shared/use-cases/sessions/care-ended.js';
import { sessionWorkflowStarter } from './session-workflow-starter.js';

export function careEndedSessionsOfRoute(): CareEndedSessions {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  return careEndedSessions({
    sessions: createSessionRepository({ documentClient, tableName }),
    workflow: sessionWorkflowStarter(),
    auditLog: createAuditLog({ documentClient, tableName }),
    now,
  });
}
