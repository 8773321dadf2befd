import { now } from '../../shared/adapters/clock.js';
import { createClinicianRepository } from '../../shared/adapters/dynamodb/clinician-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { putClinicianAvailability } from '../../shared/use-cases/clinicians/clinician-availability.js';

const { TABLE_NAME } = readEnvironment(['TABLE_NAME']);
const dependencies = {
  clinicians: createClinicianRepository({ documentClient: createDocumentClient(), tableName: TABLE_NAME }),
  now,
};

export const handler = apiHandler('put-clinician-availability', async ({ caller, params, body }) => ({
  status: 200,
  body: await putClinicianAvailability(dependencies, caller, params.clinicianId, body),
}));
