import { now } from '../../shared/adapters/clock.js';
import { createClinicianRepository } from '../../shared/adapters/dynamodb/clinician-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createStaffAuditLog } from '../../shared/adapters/dynamodb/staff-audit-log.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { updateClinician } from '../../shared/use-cases/clinicians/update-clinician.js';

const { TABLE_NAME } = readEnvironment(['TABLE_NAME']);
const documentClient = createDocumentClient();
const dependencies = {
  clinicians: createClinicianRepository({ documentClient, tableName: TABLE_NAME }),
  staffAudit: createStaffAuditLog({ documentClient, tableName: TABLE_NAME }),
  now,
};

export const handler = apiHandler('update-clinician', async ({ caller, params, body, requestId }) => ({
  status: 200,
  body: await updateClinician(dependencies, caller, params.clinicianId, body, { requestId }),
}));
