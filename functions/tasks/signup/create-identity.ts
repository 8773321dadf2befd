import { createCognitoClient, createCognitoClientIdentityAdmin } from '../../../shared/adapters/cognito/client-identity-admin.js';
import { readEnvironment } from '../../../shared/config/environment.js';
import { createIdentity, CreateIdentityInputSchema } from '../../../shared/use-cases/signup/create-identity.js';
import { taskHandler } from '../task-handler.js';

const env = readEnvironment(['CLIENT_USER_POOL_ID']);
const identities = createCognitoClientIdentityAdmin({ client: createCognitoClient(), userPoolId: env.CLIENT_USER_POOL_ID });

export const handler = taskHandler('CreateIdentity', CreateIdentityInputSchema, (input) => createIdentity(input, { identities }));
