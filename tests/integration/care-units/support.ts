/** Shared set-ups of the care-unit suites (over HTTP on the local stack). */
import { expect } from 'vitest';
import { callApi } from '../../support/http.js';
import { createConsultationClinician } from '../consultations/support.js';
import { clientAwaitingMatch, createTherapist, intakeRequest } from '../matching/support.js';

/** A couple unit (partners A and B, in New Hampshire) matched to a therapist through A's accept. */
export async function matchedCouple() {
  const consultant = await createConsultationClinician({ states: ['NH'] });
  const therapist = await createTherapist({ state: 'NH', clientTypes: ['individual', 'couple'] });
  const [a, b] = await Promise.all([clientAwaitingMatch('NH', consultant.clinicianId), clientAwaitingMatch('NH', consultant.clinicianId)]);
  expect((await callApi('PUT', `/v1/clients/${a.clientId}/intake`, { json: intakeRequest('NH', { clientType: 'couple' }), token: await consultant.token() })).status).toBe(200);
  const unit = await callApi<{ unitId: string }>('POST', '/v1/care-units', { json: { kind: 'couple', role: 'partner', consent: true }, token: await a.token() });
  const unitId = unit.body.unitId;
  expect((await callApi('POST', `/v1/care-units/${unitId}/invitations`, { json: { email: b.email, role: 'partner' }, token: await a.token() })).status).toBe(202);
  expect((await callApi('POST', `/v1/care-units/${unitId}/accept`, { json: { consent: true }, token: await b.token() })).status).toBe(200);
  const matched = await callApi('POST', `/v1/care-units/${unitId}/matches/${therapist.clinicianId}/accept`, { token: await a.token() });
  expect(matched.status, matched.text).toBe(201);
  return { a, b, therapist, unitId };
}
