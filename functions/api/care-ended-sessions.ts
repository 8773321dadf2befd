/**
 * The session cancellation the discharge and rematch routes run once care with a therapist
 * ended, and the leave and remove routes once a unit's joint care ended
 * (shared/use-cases/sessions/care-ended.ts): their capabilities include the session area, the
 * lock cells, the care-unit area (the unit's joint sessions; a member's care ending ends the
 * joint care of the unit they share with that therapist) and `workflow:session` (the notices).
 */
import { now } from '../../shared/adapters/clock.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareUnitRepository } from '../../shared/adapters/dynamodb/care-unit-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createSessionRepository } from '../../shared/adapters/dynamodb/session-repository.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { careEndedSessions, type CareEndedSessions, type UnitCareEndedSessions } from '../../shared/use-cases/sessions/care-ended.js';
import { sessionWorkflowStarter } from './session-workflow-starter.js';

export function careEndedSessionsOfRoute(): CareEndedSessions & UnitCareEndedSessions {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  return careEndedSessions({
    sessions: createSessionRepository({ documentClient, tableName }),
    units: createCareUnitRepository({ documentClient, tableName }),
    workflow: sessionWorkflowStarter(),
    auditLog: createAuditLog({ documentClient, tableName }),
    now,
  });
}
