import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createStaffRepository } from '../../shared/adapters/dynamodb/staff-repository.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { apiHandler } from '../../shared/http/api-handler.js';
import { getMe } from '../../shared/use-cases/auth/get-me.js';

const { TABLE_NAME } = readEnvironment(['TABLE_NAME']);
const documentClient = createDocumentClient();
const dependencies = {
  clients: createClientRepository({ documentClient, tableName: TABLE_NAME }),
  staff: createStaffRepository(documentClient, TABLE_NAME),
};

export const handler = apiHandler('get-me', async ({ caller }) => ({ status: 200, body: await getMe(dependencies, caller) }));
