/**
 * Who may see and change a consultation, and what each of them sees. A consultation is
 * visible to its client and to its clinician only; to anyone else it does not exist (404, so
 * that ids do not leak whether they exist; OWASP API1). Beyond that ownership check, every
 * read and write of the consultation record, and every showing of the client's name and
 * stage, goes through the one access policy (shared/domain/access.ts) and writes its audit
 * event (shared/use-cases/access/client-access.ts):
 *
 * | what                                    | policy request (category, action)     | audited as      |
 * |-----------------------------------------|---------------------------------------|-----------------|
 * | GET by id (the record, notes included)  | consultation, read (created at)       | read            |
 * | the outcome and its notes               | consultation, update                  | update          |
 * | the client's name and stage in a view   | profile, read (created: now)          | read, per view  |
 * | the client's own list                   | consultation, list                    | list            |
 *
 * Purposes: `self_access` for the client; `treatment` for every clinician role (the free
 * consultation is the start of care). Not `intake`: the coordinator role's own basis reads
 * any client's intake and consultation data, so a coordinator who held a consultation would
 * keep seeing that client after their part ended; `treatment` is granted only by care
 * relationships.
 *
 * A former consultation clinician (their relationship ended: cancelled, matched, another
 * booking took over) no longer sees the client's name or current stage: those are the
 * client's current data, asked for as a record created now, after every window of theirs, so
 * the policy refuses it (`created_outside_relationship`) and the view goes without `client`. They keep their own appointment times in their list
 * (their own schedule, no client details), and GET by id answers while the policy lets a
 * former clinician read the record (created during the relationship, within the
 * former-clinician window, FORMER_CLINICIAN_ACCESS_DAYS), audited, then 404. The client
 * never sees outcome notes.
 */
import type { AccessPurpose, ClientRecordCategory, RecordAction } from '../../domain/access.js';
import { joinLinkShown, localIso, type ConsultationActor, type ConsultationView } from '../../domain/consultations.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { Caller } from '../../domain/roles.js';
import { withClientAccess, type AllowedAccess, type ClientAccessAttempt, type ClientAccessDeps } from '../access/client-access.js';
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

/** Why a consultation route touches the client's record, fixed by the caller's role. */
export function consultationPurpose(caller: Pick<Caller, 'role'>): AccessPurpose {
  return caller.role === 'client' ? 'self_access' : 'treatment';
}

/** The policy request for `caller` doing `action` on a `category` record of the consultation's client. */
export function consultationAttempt(
  caller: Pick<Caller, 'userId' | 'role'>,
  clientId: string,
  what: { action: RecordAction; category: ClientRecordCategory; recordId?: string; recordCreatedAt?: string },
  requestId?: string,
): ClientAccessAttempt {
  return {
    caller: { userId: caller.userId, role: caller.role },
    clientId,
    purpose: consultationPurpose(caller),
    action: what.action,
    category: what.category,
    ...(what.recordId === undefined ? {} : { recordId: what.recordId }),
    ...(what.recordCreatedAt === undefined ? {} : { recordCreatedAt: what.recordCreatedAt }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

/** Runs `work` when the policy allows (audited); undefined, after the `denied` event, when it does not. */
export async function ifAllowed<T>(deps: ClientAccessDeps, attempt: ClientAccessAttempt, work: (access: AllowedAccess) => Promise<T>): Promise<T | undefined> {
  try {
    return await withClientAccess(deps, attempt, work);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) return undefined;
    throw error;
  }
}

export type ClientDetails = Pick<ClientProfile, 'clientId' | 'firstName' | 'lastName' | 'stage'>;

/**
 * The client's name and stage for the consultation's clinician, when the policy lets them read
 * the client's profile now (audited, one event per view); undefined otherwise (a former
 * consultation clinician, an unknown client).
 */
export async function clientDetailsFor(
  consultation: Pick<StoredConsultation, 'clientId'>,
  caller: Pick<Caller, 'userId' | 'role'>,
  deps: ClientAccessDeps & { clients: { getProfile(clientId: string): Promise<ClientProfile | undefined> } },
  requestId?: string,
): Promise<ClientDetails | undefined> {
  const profile = await deps.clients.getProfile(consultation.clientId);
  if (!profile) return undefined;
  // What is shown is the client's CURRENT name and stage: it counts as created now, so only a
  // clinician with a current basis sees it (a former one's windows all end before now).
  const attempt = consultationAttempt(
    caller,
    consultation.clientId,
    { action: 'read', category: 'profile', recordId: profile.clientId, recordCreatedAt: deps.now().toISOString() },
    requestId,
  );
  return ifAllowed(deps, attempt, async () => ({ clientId: profile.clientId, firstName: profile.firstName, lastName: profile.lastName, stage: profile.stage }));
}

export interface ViewExtras {
  /** For the clinician: the client's names and stage (clientDetailsFor). */
  client?: ClientDetails;
  /** For the clinician, on GET by id and after recording the outcome. */
  notes?: ConsultationNotes;
}

/**
 * The consultation as `actor` sees it at `now`: times in their own zone, client details and
 * notes for the clinician only, the join link only until it ended or was cancelled.
 */
export function consultationView(consultation: StoredConsultation, actor: ConsultationActor, now: Date, extras: ViewExtras = {}): ConsultationView {
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
    ...(joinLinkShown(consultation, now.getTime()) ? { joinUrl: consultation.joinUrl } : {}),
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
