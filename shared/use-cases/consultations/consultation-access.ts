/**
 * Who may see and change a consultation, and what each of them sees. A consultation is
 * visible to its client and to its clinician only; to anyone else it does not exist (404, so
 * that ids do not leak whether they exist; OWASP API1). The client never sees outcome notes.
 */
import { localIso, type ConsultationActor, type ConsultationView } from '../../domain/consultations.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Caller } from '../../domain/roles.js';
import type { ClientProfile } from '../ports.js';
import type { ConsultationNotes, ConsultationRecords, StoredConsultation } from './ports.js';

export const CONSULTATION_NOT_FOUND = 'No such consultation.';

/** The caller's part in the consultation, or undefined when they have none. */
export function actorOf(consultation: Pick<StoredConsultation, 'clientId' | 'clinicianId'>, caller: Caller): ConsultationActor | undefined {
  if (caller.role === 'client') return consultation.clientId === caller.userId ? 'client' : undefined;
  return consultation.clinicianId === caller.userId ? 'clinician' : undefined;
}

/** The consultation and the caller's part in it; NotFoundError when absent or not theirs. */
export async function loadOwned(
  consultationId: string,
  caller: Caller,
  consultations: Pick<ConsultationRecords, 'get'>,
): Promise<{ consultation: StoredConsultation; actor: ConsultationActor }> {
  const consultation = await consultations.get(consultationId);
  const actor = consultation && actorOf(consultation, caller);
  if (!consultation || !actor) throw new NotFoundError(CONSULTATION_NOT_FOUND);
  return { consultation, actor };
}

export interface ViewExtras {
  /** For the clinician: the client's names and stage (read from the client's profile). */
  client?: Pick<ClientProfile, 'clientId' | 'firstName' | 'lastName' | 'stage'>;
  /** For the clinician, on GET by id. */
  notes?: ConsultationNotes;
}

/** The consultation as `actor` sees it: times in their own zone, client details and notes for the clinician only. */
export function consultationView(consultation: StoredConsultation, actor: ConsultationActor, extras: ViewExtras = {}): ConsultationView {
  const timezone = actor === 'client' ? consultation.clientTimezone : consultation.clinicianTimezone;
  const forClinician = actor === 'clinician';
  return {
    id: consultation.consultationId,
    status: consultation.status,
    start: consultation.start,
    end: consultation.end,
    startLocal: localIso(Date.parse(consultation.start), timezone),
    timezone,
    clinician: consultation.clinician,
    ...(forClinician && extras.client
      ? {
          client: {
            id: extras.client.clientId,
            firstName: extras.client.firstName,
            lastName: extras.client.lastName,
            stage: extras.client.stage,
          },
        }
      : {}),
    joinUrl: consultation.joinUrl,
    scheduleVersion: consultation.scheduleVersion,
    createdAt: consultation.createdAt,
    updatedAt: consultation.updatedAt,
    ...(consultation.cancelledAt ? { cancelledAt: consultation.cancelledAt } : {}),
    ...(consultation.cancelledBy ? { cancelledBy: consultation.cancelledBy } : {}),
    ...(consultation.outcome && consultation.outcomeRecordedAt
      ? {
          outcome: {
            outcome: consultation.outcome,
            recordedAt: consultation.outcomeRecordedAt,
            ...(forClinician && extras.notes ? { notes: extras.notes.notes } : {}),
          },
        }
      : {}),
  };
}
