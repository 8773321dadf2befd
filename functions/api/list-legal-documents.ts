import { CURRENT_LEGAL_DOCUMENTS } from '../../shared/domain/legal-documents.js';
import { apiHandler } from '../../shared/http/api-handler.js';

export const handler = apiHandler('list-legal-documents', async () => ({
  status: 200,
  body: { documents: Object.values(CURRENT_LEGAL_DOCUMENTS) },
}));
