import { now } from '../../../shared/adapters/clock.js';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { persistClient, PersistClientInputSchema } from '../../../shared/use-cases/signup/persist-client.js';
import { taskHandler } from '../task-handler.js';

const env = readEnvironment(['TABLE_NAME']);
const clients = createClientRepository({ documentClient: createDocumentClient(), tableName: env.TABLE_NAME });

export const handler = taskHandler('PersistClient', PersistClientInputSchema, (input) =>
  persistClient(input, { clients, now }),
);
