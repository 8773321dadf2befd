/** The adapters of GET /v1/clients/{clientId} and the discharge, built once per cold start. */
import { now } from '../../shared/adapters/clock.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareLifecycleRepository } from '../../shared/adapters/dynamodb/care-lifecycle-repository.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createStaffRepository } from '../../shared/adapters/dynamodb/staff-repository.js';
import { readCareLifecycleSettings } from '../../shared/config/care-lifecycle.js';
import { readEnvironment } from '../../shared/config/environment.js';
import type { ClientCareDeps } from '../../shared/use-cases/care-lifecycle/client-care.js';
import { readAccessSettings } from '../../shared/config/access.js';

export function clientCareDependencies(): ClientCareDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  const careTeam = createCareTeamRepository({ documentClient, tableName });
  return {
    careTeam,
    auditLog: createAuditLog({ documentClient, tableName }),
    formerClinicianAccessDays: readAccessSettings().formerClinicianAccessDays,
    records: createCareLifecycleRepository({ documentClient, tableName, careTeam }),
    staff: createStaffRepository(documentClient, tableName),
    settings: readCareLifecycleSettings(),
    now,
  };
}
