import { now } from '../../shared/adapters/clock.js';
import { createClinicianRepository } from '../../shared/adapters/dynamodb/clinician-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { getClinicianAvailability } from '../../shared/use-cases/clinicians/clinician-availability.js';

const { TABLE_NAME } = readEnvironment(['TABLE_NAME']);
const dependencies = {
  clinicians: createClinicianRepository({ documentClient: createDocumentClient(), tableName: TABLE_NAME }),
  now,
};

export const handler = apiHandler('get-clinician-availability', async ({ caller, params }) => ({
  status: 200,
  body: await getClinicianAvailability(dependencies, caller, params.clinicianId),
}));
