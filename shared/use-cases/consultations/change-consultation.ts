/**
 * Cancel and reschedule, by the consultation's client or its clinician (anyone else: 404),
 * until the cutoff before the start (default 2 h; after it, 409 `change_too_late` with the
 * reason).
 *
 * Cancel:     1. load and authorize  2. cancelled already -> the same answer (a retry)
 *             3. cutoff  4. ONE transaction: status, the free-consultation record released
 *             (the client may book again) and every lock cell deleted  5. start the short
 *             cancellation run of the workflow (notice with a METHOD:CANCEL invite); the
 *             clinician's consultation relationship with the client ends.
 * Reschedule: 1. load and authorize  2. the same start again -> the same answer (a retry;
 *             the workflow of the current version is started if it was not)  3. cutoff of the
 *             current start  4. the new start validated like a booking, same clinician
 *             5. ONE transaction: new cells taken (if free), old cells released, version + 1
 *             6. start the workflow for the new version; the previous version's run ends at
 *             its next wake-up, without sending, because the version moved on.
 */
import type { ConsultationView } from '../../domain/consultations.js';
import { consultationEnd } from '../../domain/consultations.js';
import { ChangeTooLateError, ConcurrentChangeError, ConsultationClosedError, SlotTakenError } from '../../domain/errors.js';
import type { Caller } from '../../domain/roles.js';
import { changeRefusal, occupiedCells } from '../../domain/scheduling.js';
import type { UsStateCode } from '../../domain/us-states.js';
import { clientDetailsFor, consultationView, loadOwned, type ViewExtras } from './consultation-access.js';
import { endConsultationCare, startConsultationWorkflow, type ConsultationDeps } from './dependencies.js';
import type { StoredConsultation } from './ports.js';
import { alternativesNear, notOfferedError, offers } from './slot-search.js';

/** The clinician's view shows the client's details only when the policy allows it now (audited). */
async function extrasFor(consultation: StoredConsultation, actor: 'client' | 'clinician', caller: Caller, deps: ConsultationDeps): Promise<ViewExtras> {
  if (actor !== 'clinician') return {};
  const client = await clientDetailsFor(consultation, caller, deps);
  return client ? { client } : {};
}

export async function cancelConsultation(input: { consultationId: string; caller: Caller }, deps: ConsultationDeps): Promise<ConsultationView> {
  const now = deps.now();
  const { consultation, actor } = await loadOwned(input.consultationId, input.caller, deps.consultations);
  if (consultation.status === 'cancelled') {
    // A retry: end the relationship if the first attempt did not, unless the client has booked again since.
    if ((await deps.consultations.getFreeConsultation(consultation.clientId))?.state === 'available') {
      await endConsultationCare(deps, consultation, new Date(consultation.cancelledAt ?? now.toISOString()));
    }
    await startConsultationWorkflow(deps.workflow, { consultationId: consultation.consultationId, scheduleVersion: consultation.scheduleVersion, phase: 'cancelled' });
    return consultationView(consultation, actor, deps.now(), await extrasFor(consultation, actor, input.caller, deps));
  }
  if (consultation.status !== 'booked') throw new ConsultationClosedError(consultation.status);
  const refusal = changeRefusal(Date.parse(consultation.start), now.getTime(), deps.settings.policy);
  if (refusal) throw new ChangeTooLateError(refusal);

  if ((await deps.consultations.cancel(consultation, actor, now)) === 'conflict') {
    // Changed meanwhile (moved, cancelled by the other party, an outcome): answer from what it is now.
    const latest = await deps.consultations.get(consultation.consultationId);
    if (latest?.status !== 'cancelled') throw new ConcurrentChangeError();
    return consultationView(latest, actor, deps.now(), await extrasFor(latest, actor, input.caller, deps));
  }
  await endConsultationCare(deps, consultation, now);
  await startConsultationWorkflow(deps.workflow, { consultationId: consultation.consultationId, scheduleVersion: consultation.scheduleVersion, phase: 'cancelled' });
  const at = now.toISOString();
  const cancelled: StoredConsultation = { ...consultation, status: 'cancelled', cancelledAt: at, cancelledBy: actor, updatedAt: at };
  return consultationView(cancelled, actor, deps.now(), await extrasFor(cancelled, actor, input.caller, deps));
}

export async function rescheduleConsultation(
  input: { consultationId: string; caller: Caller; start: string },
  deps: ConsultationDeps,
): Promise<ConsultationView> {
  const now = deps.now();
  const { policy } = deps.settings;
  const { consultation, actor } = await loadOwned(input.consultationId, input.caller, deps.consultations);
  if (consultation.status !== 'booked') throw new ConsultationClosedError(consultation.status);
  const start = Date.parse(input.start);
  if (start === Date.parse(consultation.start)) {
    await startConsultationWorkflow(deps.workflow, { consultationId: consultation.consultationId, scheduleVersion: consultation.scheduleVersion, phase: 'schedule' });
    return consultationView(consultation, actor, deps.now(), await extrasFor(consultation, actor, input.caller, deps));
  }
  const refusal = changeRefusal(Date.parse(consultation.start), now.getTime(), policy);
  if (refusal) throw new ChangeTooLateError(refusal);

  const [clinician, client] = await Promise.all([
    deps.directory.getConsultationClinician(consultation.clinicianId),
    deps.clients.getProfile(consultation.clientId),
  ]);
  const state = client?.state as UsStateCode | undefined;
  if (!clinician || !state || !offers(clinician, state, start, now.getTime(), policy)) throw notOfferedError();

  const change = {
    consultation,
    start: new Date(start).toISOString(),
    end: new Date(consultationEnd(start, policy.consultationMinutes)).toISOString(),
    newCells: occupiedCells(start, policy),
    now,
  };
  const result = await deps.consultations.reschedule(change);
  if (result === 'slot_taken') {
    const search = { directory: deps.directory, consultations: deps.consultations, policy, now: deps.now };
    const timezone = actor === 'client' ? consultation.clientTimezone : consultation.clinicianTimezone;
    throw new SlotTakenError(await alternativesNear(start, state, timezone, search, { clinicians: [clinician] }));
  }
  if (result === 'conflict') throw new ConcurrentChangeError();

  const at = now.toISOString();
  const moved: StoredConsultation = {
    ...consultation,
    start: change.start,
    end: change.end,
    scheduleVersion: consultation.scheduleVersion + 1,
    scheduledAt: at,
    updatedAt: at,
    lockCells: change.newCells.map((cell) => new Date(cell).toISOString()),
  };
  await startConsultationWorkflow(deps.workflow, { consultationId: moved.consultationId, scheduleVersion: moved.scheduleVersion, phase: 'schedule' });
  return consultationView(moved, actor, deps.now(), await extrasFor(moved, actor, input.caller, deps));
}
