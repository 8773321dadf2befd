import { createSesClient, createSesEmailSender } from '../../../shared/adapters/ses/email-sender.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { sendSignupNotice, SendSignupNoticeInputSchema } from '../../../shared/use-cases/signup/send-signup-notice.js';
import { taskHandler } from '../task-handler.js';

const env = readEnvironment(['EMAIL_FROM', 'SES_CONFIGURATION_SET']);
const email = createSesEmailSender({ client: createSesClient(), from: env.EMAIL_FROM, configurationSet: env.SES_CONFIGURATION_SET });

export const handler = taskHandler('SendSignupNotice', SendSignupNoticeInputSchema, (input) => sendSignupNotice(input, { email }));
