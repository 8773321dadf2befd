/** The care-unit routes' adapters, built once per cold start (the unit match adds the matching ones). */
import { now } from '../../shared/adapters/clock.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createCareUnitRepository } from '../../shared/adapters/dynamodb/care-unit-repository.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createPlanRepository } from '../../shared/adapters/dynamodb/plan-repository.js';
import { readAccessSettings } from '../../shared/config/access.js';
import { readEnvironment } from '../../shared/config/environment.js';
import type { CareUnitDeps } from '../../shared/use-cases/care-units/units.js';

export function careUnitDependencies(): CareUnitDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  return {
    careTeam: createCareTeamRepository({ documentClient, tableName }),
    auditLog: createAuditLog({ documentClient, tableName }),
    formerClinicianAccessDays: readAccessSettings().formerClinicianAccessDays,
    units: createCareUnitRepository({ documentClient, tableName }),
    clients: createClientRepository({ documentClient, tableName }),
    // Read by GET /v1/care-units/{unitId} only (the unit's therapist: the open review tasks of the unit's plan, care-unit area).
    unitPlanReviews: createPlanRepository({ documentClient, tableName, holder: 'care_unit' }),
    now,
  };
}
