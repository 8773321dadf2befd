import { now } from '../../../shared/adapters/clock.js';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createSesClient, createSesEmailSender } from '../../../shared/adapters/ses/email-sender.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { sendVerificationEmail, SendVerificationEmailInputSchema } from '../../../shared/use-cases/signup/send-verification-email.js';
import { taskHandler } from '../task-handler.js';

const env = readEnvironment(['TABLE_NAME', 'EMAIL_FROM', 'SES_CONFIGURATION_SET']);
const clients = createClientRepository({ documentClient: createDocumentClient(), tableName: env.TABLE_NAME });
const email = createSesEmailSender({ client: createSesClient(), from: env.EMAIL_FROM, configurationSet: env.SES_CONFIGURATION_SET });

export const handler = taskHandler('SendVerificationEmail', SendVerificationEmailInputSchema, (input) =>
  sendVerificationEmail(input, { clients, email, now }),
);
