import { listInstruments } from '../../shared/domain/instruments/registry.js';
import { apiHandler } from '../../shared/http/api-handler.js';

export const handler = apiHandler('list-instruments', async () => ({ status: 200, body: listInstruments() }));
