/**
 * POST /v1/consultations/{id}/outcome, by the consultation's clinician only (anyone else: 404),
 * from the start on.
 *
 * 1. Load (ownership: its clinician only) and authorize through the access policy: an update
 *    of the consultation record, audited (consultation-access.ts); a clinician whose
 *    consultation relationship ended gets 404. The same outcome again -> the same answer (a
 *    retry). Another outcome already recorded -> 409; cancelled -> 409.
 * 2. Not before the start (409 `outcome_too_early`).
 * 3. ONE transaction (consultation-repository.ts `recordOutcome`): the consultation's status,
 *    the client's free-consultation record (completed: used; a first no-show: available again,
 *    one rebook; a second: forfeited), for `completed` the client's stage -> awaiting_match
 *    (matching takes it from there), and the notes in their own item. Notes are clinical: they
 *    are stored, shown to the clinician, never emailed or logged.
 * 4. A no-show's rebook offer is sent by the consultation workflow, which is waiting for the
 *    outcome. If that run has already stopped waiting (outcomeWatch closed), a short run is
 *    started for the follow-up instead: exactly one of the two sends it.
 */
import type { ConsultationView, OutcomeRequest } from '../../domain/consultations.js';
import { outcomeRefusal } from '../../domain/consultations.js';
import { ConcurrentChangeError, ConsultationClosedError, NotFoundError, OutcomeAlreadyRecordedError, OutcomeTooEarlyError } from '../../domain/errors.js';
import type { Caller } from '../../domain/roles.js';
import { withClientAccess } from '../access/client-access.js';
import { CONSULTATION_NOT_FOUND, clientDetailsFor, consultationAttempt, consultationView, loadOwned } from './consultation-access.js';
import { startConsultationWorkflow, type ConsultationDeps } from './dependencies.js';
import type { ConsultationNotes, StoredConsultation } from './ports.js';

export async function recordOutcome(
  input: OutcomeRequest & { consultationId: string; caller: Caller; requestId?: string },
  deps: ConsultationDeps,
): Promise<ConsultationView> {
  const now = deps.now();
  const { consultation, actor } = await loadOwned(input.consultationId, input.caller, deps.consultations);
  // Only the clinician who held it; to its client it is a resource they cannot act on.
  if (actor !== 'clinician') throw new NotFoundError(CONSULTATION_NOT_FOUND);
  const attempt = consultationAttempt(input.caller, consultation.clientId, { action: 'update', category: 'consultation', recordId: consultation.consultationId }, input.requestId);
  const { current, notes } = await withClientAccess(deps, attempt, () => record(consultation, input, now, deps));
  await followUp(current, deps);
  const client = await clientDetailsFor(current, input.caller, deps, input.requestId);
  return consultationView(current, 'clinician', deps.now(), { ...(client ? { client } : {}), ...(notes ? { notes } : {}) });
}

/** Steps 1 (the state checks) to 3; the outcome and notes as stored. */
async function record(
  consultation: StoredConsultation,
  input: OutcomeRequest,
  now: Date,
  deps: ConsultationDeps,
): Promise<{ current: StoredConsultation; notes: ConsultationNotes | undefined }> {
  let current = consultation;
  if (current.status === 'booked') {
    const refusal = outcomeRefusal(Date.parse(current.start), now.getTime());
    if (refusal) throw new OutcomeTooEarlyError(refusal);
    const free = await deps.consultations.getFreeConsultation(current.clientId);
    if (!free) throw new ConcurrentChangeError();
    const result = await deps.consultations.recordOutcome({ consultation: current, outcome: input.outcome, ...(input.notes ? { notes: input.notes } : {}), free, now });
    current = (await deps.consultations.get(current.consultationId)) ?? current;
    if (result === 'conflict' && current.status === 'booked') throw new ConcurrentChangeError();
  }
  if (current.status === 'cancelled') throw new ConsultationClosedError(current.status);
  if (current.outcome !== input.outcome) throw new OutcomeAlreadyRecordedError();
  return { current, notes: await deps.consultations.getNotes(current.consultationId) };
}

/** A no-show after the workflow stopped waiting gets its own short run (idempotent by name). */
async function followUp(consultation: StoredConsultation, deps: Pick<ConsultationDeps, 'workflow'>): Promise<void> {
  if (consultation.outcome === 'no_show' && consultation.outcomeWatch === 'closed') {
    await startConsultationWorkflow(deps.workflow, {
      consultationId: consultation.consultationId,
      scheduleVersion: consultation.scheduleVersion,
      phase: 'noShowFollowUp',
    });
  }
}
