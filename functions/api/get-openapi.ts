import { apiHandler } from '../../shared/http/api-handler.js';
import { buildOpenApi } from '../../shared/http/openapi.js';
import { ROUTES } from '../../shared/http/routes.js';

// Built once per cold start: the document only changes with a deployment.
const document = buildOpenApi(ROUTES);

export const handler = apiHandler('get-openapi', async () => ({ status: 200, body: document }));
