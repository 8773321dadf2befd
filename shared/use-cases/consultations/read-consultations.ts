/**
 * GET /v1/consultations and GET /v1/consultations/{id}: the caller's own consultations.
 *
 * listConsultations: a client sees theirs (all, by start; one `list` audit event); a clinician
 * sees the ones they hold from a day ago on (so today's, awaiting an outcome, are still there),
 * each with the client's name and stage only when the access policy lets them read that
 * client's profile now (consultation-access.ts clientDetailsFor: audited per entry). A former
 * consultation clinician keeps their appointment times, without client details.
 *
 * getConsultation: 1. ownership (anyone else: 404)  2. the policy on the consultation record
 * (read, audited; a former clinician past their window: 404)  3. the clinician's view adds the
 * notes and, when allowed, the client's details.
 */
import type { ConsultationView } from '../../domain/consultations.js';
import type { Caller } from '../../domain/roles.js';
import { withClientAccess } from '../access/client-access.js';
import { clientDetailsFor, consultationAttempt, consultationView, loadOwned } from './consultation-access.js';
import type { ConsultationDeps } from './dependencies.js';

const CLINICIAN_LOOKBACK_MS = 24 * 60 * 60 * 1000;

type ReadDeps = Pick<ConsultationDeps, 'consultations' | 'clients' | 'careTeam' | 'auditLog' | 'now'>;

export async function listConsultations(caller: Caller, deps: ReadDeps, requestId?: string): Promise<ConsultationView[]> {
  if (caller.role === 'client') {
    return withClientAccess(deps, consultationAttempt(caller, caller.userId, { action: 'list', category: 'consultation' }, requestId), async () => {
      const own = await deps.consultations.listForClient(caller.userId);
      const now = deps.now();
      return own.map((consultation) => consultationView(consultation, 'client', now));
    });
  }
  const from = new Date(deps.now().getTime() - CLINICIAN_LOOKBACK_MS).toISOString();
  const held = await deps.consultations.listForClinician(caller.userId, from);
  const now = deps.now();
  // Each entry that shows a client's name and stage is its own audit event.
  return Promise.all(
    held.map(async (consultation) => {
      const client = await clientDetailsFor(consultation, caller, deps, requestId);
      return consultationView(consultation, 'clinician', now, client ? { client } : {});
    }),
  );
}

export async function getConsultation(input: { consultationId: string; caller: Caller; requestId?: string }, deps: ReadDeps): Promise<ConsultationView> {
  const { consultation, actor } = await loadOwned(input.consultationId, input.caller, deps.consultations);
  const attempt = consultationAttempt(
    input.caller,
    consultation.clientId,
    { action: 'read', category: 'consultation', recordId: consultation.consultationId, recordCreatedAt: consultation.createdAt },
    input.requestId,
  );
  const notes = await withClientAccess(deps, attempt, async () => (actor === 'clinician' ? deps.consultations.getNotes(consultation.consultationId) : undefined));
  const now = deps.now();
  if (actor === 'client') return consultationView(consultation, actor, now);
  const client = await clientDetailsFor(consultation, input.caller, deps, input.requestId);
  return consultationView(consultation, actor, now, { ...(client ? { client } : {}), ...(notes ? { notes } : {}) });
}
