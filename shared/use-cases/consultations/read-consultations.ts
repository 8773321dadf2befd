/**
 * GET /v1/consultations and GET /v1/consultations/{id}: the caller's own consultations. A
 * client sees theirs (all, by start); a clinician sees the ones they hold from a day ago on
 * (so today's, awaiting an outcome, are still there), with each client's name and stage.
 * Anyone else asking for an id gets 404.
 */
import type { ConsultationView } from '../../domain/consultations.js';
import type { Caller } from '../../domain/roles.js';
import type { ClientProfile } from '../ports.js';
import { consultationView, loadOwned } from './consultation-access.js';
import type { ConsultationDeps } from './dependencies.js';

const CLINICIAN_LOOKBACK_MS = 24 * 60 * 60 * 1000;

export async function listConsultations(caller: Caller, deps: Pick<ConsultationDeps, 'consultations' | 'clients' | 'now'>): Promise<ConsultationView[]> {
  if (caller.role === 'client') {
    const own = await deps.consultations.listForClient(caller.userId);
    return own.map((consultation) => consultationView(consultation, 'client'));
  }
  const from = new Date(deps.now().getTime() - CLINICIAN_LOOKBACK_MS).toISOString();
  const held = await deps.consultations.listForClinician(caller.userId, from);
  const clientIds = [...new Set(held.map((consultation) => consultation.clientId))];
  const profiles = new Map<string, ClientProfile>();
  await Promise.all(
    clientIds.map(async (clientId) => {
      const profile = await deps.clients.getProfile(clientId);
      if (profile) profiles.set(clientId, profile);
    }),
  );
  return held.map((consultation) => {
    const client = profiles.get(consultation.clientId);
    return consultationView(consultation, 'clinician', client ? { client } : {});
  });
}

export async function getConsultation(
  input: { consultationId: string; caller: Caller },
  deps: Pick<ConsultationDeps, 'consultations' | 'clients'>,
): Promise<ConsultationView> {
  const { consultation, actor } = await loadOwned(input.consultationId, input.caller, deps.consultations);
  if (actor === 'client') return consultationView(consultation, actor);
  const [client, notes] = await Promise.all([deps.clients.getProfile(consultation.clientId), deps.consultations.getNotes(consultation.consultationId)]);
  return consultationView(consultation, actor, { ...(client ? { client } : {}), ...(notes ? { notes } : {}) });
}
