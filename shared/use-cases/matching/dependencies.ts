/**
 * What the match use cases are given, and the two things they share: access limited to the
 * bases a route serves (audited like withClientAccess), and ranking the directory for a client.
 */
import {
  decideClientAccess,
  type AccessBasis,
  type AccessDenialReason,
  type AccessPurpose,
  type CareRelationship,
  type ClientRecordCategory,
  type RecordAction,
} from '../../domain/access.js';
import type { CareEndedSessions } from '../sessions/care-ended.js';
import { publicView, utcToday, type PublicClinicianProfile } from '../../domain/clinicians.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { AssessmentRecords } from '../monitor/ports.js';
import { rankTherapists, type Intake, type MatchTherapist, type MatchResult } from '../../domain/matching/index.js';
import { currentMeasures, SEVERITY_INSTRUMENTS, type SeverityInstrument } from '../../domain/matches.js';
import type { StoredAssessment } from '../../domain/monitor/assessments.js';
import type { Role } from '../../domain/roles.js';
import type { ClientStage } from '../../domain/signup.js';
import { authorizeReplay, buildAuditEvent, type ClientAccessDeps } from '../access/client-access.js';
import type { ClientRecords, ClinicianRecords } from '../ports.js';
import type { DirectoryTherapist, MatchRecords, TherapistDirectory } from './ports.js';
import type { CareLifecycleWaker } from '../care-lifecycle/wake.js';

export interface MatchDeps extends ClientAccessDeps {
  clients: Pick<ClientRecords, 'getProfile'>;
  clinicians: Pick<ClinicianRecords, 'getProfile'>;
  directory: TherapistDirectory;
  matches: MatchRecords;
  assessments: Pick<AssessmentRecords, 'list'>;
  /** Rematch: the client's future sessions with the former therapist are cancelled (shared/use-cases/sessions/care-ended.ts). */
  sessionsOnCareEnd?: CareEndedSessions;
  /** Accept: the care lifecycle is woken so the introductions go out now (shared/use-cases/care-lifecycle/wake.ts). */
  careLifecycle?: CareLifecycleWaker;
  now: () => Date;
}

export interface MatchAttempt {
  caller: { userId: string; role: Role };
  clientId: string;
  purpose: AccessPurpose;
  action: RecordAction;
  category: ClientRecordCategory;
  recordId?: string;
  requestId?: string;
  /** The client's stage: needed for a coordinator's role basis (see decideClientAccess). */
  clientStage?: ClientStage;
}

/** Why a basis the policy allows is still refused by a route that serves fewer (audit vocabulary). */
function refusalOf(basis: AccessBasis): AccessDenialReason {
  if (basis === 'former_clinician') return 'relationship_ended';
  if (basis === 'assigned_therapist' || basis === 'consultation_clinician') return 'action_not_allowed';
  return 'no_care_relationship';
}

/**
 * withClientAccess (shared/use-cases/access/client-access.ts) for routes that serve only some
 * bases (e.g. matches: the client and the consultation clinician, not a coordinator who may
 * read intakes): decide with the policy, refuse other bases the same way (404, audited as
 * denied), run `work` with the client's relationships (read once, consistently), then append
 * the success or failure event before returning.
 */
export async function withMatchAccess<T>(
  deps: MatchDeps,
  attempt: MatchAttempt,
  bases: readonly AccessBasis[],
  work: (context: { basis: AccessBasis; relationships: CareRelationship[] }) => Promise<T>,
): Promise<T> {
  const relationships = await deps.careTeam.relationshipsOf(attempt.clientId);
  const decision = decideClientAccess({ ...attempt, relationships });
  const event = (outcome: 'denied' | 'success' | 'failure', extra: { basis?: AccessBasis; denialReason?: AccessDenialReason }) =>
    buildAuditEvent(deps, {
      actor: attempt.caller,
      clientId: attempt.clientId,
      purpose: attempt.purpose,
      action: attempt.action,
      category: attempt.category,
      outcome,
      ...extra,
      ...(attempt.recordId === undefined ? {} : { recordId: attempt.recordId }),
      ...(attempt.requestId === undefined ? {} : { requestId: attempt.requestId }),
    });
  if (!decision.allowed || !bases.includes(decision.basis)) {
    const denialReason = decision.allowed ? refusalOf(decision.basis) : decision.reason;
    await deps.auditLog.record(event('denied', { denialReason }));
    throw !decision.allowed && decision.respondAs === 'forbidden' ? new ForbiddenError() : new NotFoundError();
  }
  let result: T;
  try {
    result = await work({ basis: decision.basis, relationships });
  } catch (error) {
    await deps.auditLog.record(event('failure', { basis: decision.basis }));
    throw error;
  }
  await deps.auditLog.record(event('success', { basis: decision.basis }));
  return result;
}

/** The engine's view of a directory entry: capacity and accepting as the accept transaction enforces them. */
export function toMatchTherapist({ profile, weekly, caseload }: DirectoryTherapist): MatchTherapist {
  return {
    clinicianId: profile.clinicianId,
    licenses: profile.licenses.map(({ state, expiresOn }) => ({ state, expiresOn })),
    specialties: profile.specialties,
    modalities: profile.modalities,
    clientTypes: profile.clientTypes,
    languages: profile.languages,
    ...(profile.gender !== undefined ? { gender: profile.gender } : {}),
    timezone: profile.timezone,
    // No counter: nothing can be accepted, so nothing is offered.
    acceptingNewClients: profile.acceptingNewClients && (caseload?.accepting ?? false),
    caseloadCapacity: caseload?.capacity ?? 0,
    caseloadCount: caseload?.count ?? 0,
    weekly,
  };
}

/** Therapists the client has left: every ended therapist relationship. */
export function leftTherapists(relationships: readonly CareRelationship[]): string[] {
  return [...new Set(relationships.filter((r) => r.kind === 'therapist' && r.endedAt !== undefined).map((r) => r.clinicianId))];
}

export interface Ranking {
  result: MatchResult;
  /** Public profiles of the directory, by id (for the view). */
  profiles: Map<string, PublicClinicianProfile>;
  /** The engine's input, by id (to explain an id that is not among the matches). */
  therapists: Map<string, MatchTherapist>;
}

/**
 * Ranks the therapists licensed in the intake's state for this client, now: fresh caseloads,
 * the therapists they left excluded, the pin if any, the measures still current.
 */
export async function rankForClient(deps: MatchDeps, clientId: string, intake: Intake, relationships: readonly CareRelationship[]): Promise<Ranking> {
  const now = deps.now();
  const onDate = utcToday(now);
  const [directory, pin, latest] = await Promise.all([
    deps.directory.listTherapists(intake.state, onDate),
    deps.matches.getPin(clientId),
    latestAssessments(deps, clientId),
  ]);
  const therapists = directory.map(toMatchTherapist);
  const result = rankTherapists({
    intake,
    latestMeasures: currentMeasures(latest, now),
    therapists,
    leftTherapistIds: leftTherapists(relationships),
    ...(pin ? { pinnedTherapistId: pin.therapistId } : {}),
    onDate,
  });
  return {
    result,
    profiles: new Map(directory.map((d) => [d.profile.clinicianId, publicView(d.profile, onDate)])),
    therapists: new Map(therapists.map((t) => [t.clinicianId, t])),
  };
}

async function latestAssessments(deps: MatchDeps, clientId: string): Promise<Partial<Record<SeverityInstrument, StoredAssessment>>> {
  const pages = await Promise.all(SEVERITY_INSTRUMENTS.map((instrument) => deps.assessments.list(clientId, { limit: 1, instrument })));
  const latest: Partial<Record<SeverityInstrument, StoredAssessment>> = {};
  SEVERITY_INSTRUMENTS.forEach((instrument, i) => {
    const first = pages[i]?.items[0];
    if (first) latest[instrument] = first;
  });
  return latest;
}

/** Purpose of a clinician's intake access: coordinators run intake; other clinicians act for treatment. */
export function intakePurpose(role: Role): AccessPurpose {
  if (role === 'client') return 'self_access';
  return role === 'coordinator' ? 'intake' : 'treatment';
}

/** Purpose of access to matches (category `care`). */
export function carePurpose(role: Role): AccessPurpose {
  return role === 'client' ? 'self_access' : 'treatment';
}

/**
 * An `Idempotency-Key` replay of a match route (accept, rematch; shared/http/idempotency.ts):
 * the route's decision and bases for the caller now, and the read of the stored response
 * audited (a `read` of the same record).
 */
export async function authorizeMatchReplay(deps: MatchDeps, attempt: MatchAttempt, bases: readonly AccessBasis[]): Promise<void> {
  await authorizeReplay(deps, attempt, bases);
}
