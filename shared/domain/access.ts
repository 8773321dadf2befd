/**
 * Who may read or write a client's health records, and why: the access policy of DESIGN.md
 * ("Privacy and confidentiality") and issue 4 (item 6 "Access"), as one pure function.
 *
 * A caller gets access through a BASIS, and each basis grants some purposes, some record
 * categories to read and some to write:
 *
 * | basis                  | who                                                | purposes                         | reads                         | writes                                              |
 * |------------------------|----------------------------------------------------|----------------------------------|-------------------------------|-----------------------------------------------------|
 * | self                   | the client, on their own record                    | self_access                      | all but psychotherapy notes   | profile, intake, assessment, check_in, care, session, treatment_plan |
 * | assigned_therapist     | a clinician with an ACTIVE `therapist` relationship | treatment, risk_review           | all (notes: own only)         | intake, assessment, diagnosis, risk, care, session, progress notes, treatment_plan, notes (own) |
 * | consultation_clinician | a clinician with an active `consultation` relationship, while no therapist is active | treatment, intake, risk_review | all but psychotherapy notes | intake, consultation, assessment, diagnosis, risk, care |
 * | former_clinician       | a clinician whose relationship ended               | treatment                        | as when active, ONLY records created during the relationship | nothing |
 * | coordinator            | role `coordinator`, a client awaiting a consultation or a match | intake              | profile, intake, consultation | intake                                              |
 * | supervisor             | role `supervisor`, a client with an open risk task, until N days after its deadline | risk_review | all but psychotherapy notes | risk                                      |
 * | operations             | role `admin`                                       | operations                       | profile (no clinical data)    | nothing                                             |
 *
 * Rules the table does not show:
 * - Relationship bases apply to every clinician role (therapist, coordinator, supervisor): a
 *   coordinator who holds free consultations is a consultation clinician for those clients.
 *   Admins never get relationship access.
 * - "Before matching": once a therapist relationship is active, a consultation relationship
 *   still open is treated as ended at that therapist's start (the match use case ends it too;
 *   this keeps access right if that second write is late or lost).
 * - A former clinician ("history stays attributable", issue 5): after a rematch or the end of a
 *   consultation, read-only, for treatment, records created in [startedAt, endedAt) of one of
 *   their relationships with the client, nothing created before or after. Without
 *   `recordCreatedAt` (a list) the decision is allowed with a `created_within` scope: the
 *   caller MUST filter the records with `withinScope` (and should bound its query by the
 *   windows: record ids are UUIDv7, so a window is a key range).
 * - That read access ends `formerClinicianAccessDays` (default 90,
 *   DEFAULT_FORMER_CLINICIAN_ACCESS_DAYS; FORMER_CLINICIAN_ACCESS_DAYS in shared/config/access.ts)
 *   after the relationship ended: a window whose end is that long before `at` grants nothing,
 *   and with none left the answer is `former_access_expired`. Without `at` a former clinician
 *   gets nothing (fail closed).
 * - A coordinator's own basis follows the client's stage (`clientStage`, COORDINATOR_STAGES):
 *   awaiting a consultation or a match, the part of care coordinators run (DESIGN.md: "a
 *   coordinator sees intake and consultation data only"). Once the client is in care,
 *   discharged or referred, only a relationship gives access (a coordinator who held the
 *   client's consultation keeps it as that consultation clinician, until the match). Without
 *   `clientStage` the basis does not apply (fail closed).
 * - A supervisor's basis ends when the risk task is assessed (it is no longer open) or
 *   `supervisorAccessDays` (default SUPERVISOR_RISK_ACCESS_DAYS) after its deadline, whichever
 *   comes first; a task left open forever no longer opens the record forever. Without the
 *   tasks' deadlines or the decision instant `at` the basis does not apply (fail closed).
 * - Psychotherapy notes (45 CFR 164.501) belong to their author: only the treating therapist
 *   who wrote them (`recordAuthorId` = caller), never the client, never another clinician.
 * - Progress notes (`progress_note`) follow the table: the care team reads them, the client
 *   reads their own (the use case shows a client SIGNED notes only, without clinician-only
 *   fields), only the assigned therapist writes them.
 * - `delete` is granted to nobody: clinical records get a new version, history stays.
 * - Care units (couples, families): membership is NEVER a basis on another member's record.
 *   `decideClientAccess` does not know units, so member B asking for member A's assessments,
 *   check-ins, plans or notes is a client asking for another client's record (`other_client`,
 *   404). The unit itself (members' names and roles, its therapist, release requests) is
 *   decided by `decideCareUnitAccess` below, and each member's part of it is the `care_unit`
 *   category of that member's own record.
 * - Denials answer 404 (`respondAs: 'not_found'`) so that existence does not leak, except a
 *   client acting on their own record outside what clients may do (write a diagnosis): 403.
 *
 * Decisions use the client's relationships as `relationshipsOf(clientId)` returns them from
 * the base table (consistent reads): a rematch cuts access on the next request.
 */
import { CLINICIAN_ROLES, type Role } from './roles.js';
import type { ClientStage } from './signup.js';

/**
 * How long after an open risk task's deadline (`dueAt`) a supervisor keeps risk_review access.
 * 7 days: the task's deadline is hours (shared/config/risk-escalation.ts) and the escalation
 * rounds end within hours of it, so a week leaves a task that went unresolved before a weekend
 * or a public holiday a full working week to be assessed by a supervisor, while a task
 * forgotten open stops giving a supervisor the client's record. Beyond it, access needs a care
 * relationship (or a new task). Overridable per request (`supervisorAccessDays`).
 */
export const SUPERVISOR_RISK_ACCESS_DAYS = 7;

/** The client stages in which a coordinator's own (role) basis applies: before care starts. */
export const COORDINATOR_STAGES: readonly ClientStage[] = ['awaiting_consultation', 'awaiting_match'];

export const CARE_RELATIONSHIP_KINDS = ['consultation', 'therapist'] as const;
export type CareRelationshipKind = (typeof CARE_RELATIONSHIP_KINDS)[number];

/**
 * Why a relationship ended: a code, never free text (the client's own words for a rematch are
 * health data and belong to the rematch record, not to an item the clinician index copies).
 */
export const CARE_END_REASONS = [
  /** A therapist was assigned: the consultation clinician's part is over. */
  'matched',
  /** The client asked for another therapist. */
  'rematch',
  'discharged',
  'referred',
  /** The consultation was cancelled or missed and another clinician took over. */
  'consultation_closed',
  /** The clinician left the service or stopped practicing. */
  'clinician_left',
] as const;
export type CareEndReason = (typeof CARE_END_REASONS)[number];

/** A clinician's relationship to a client (CLIENT#<id> / CARE#<kind>#<clinicianId>#<startedAt>). */
export interface CareRelationship {
  clientId: string;
  clinicianId: string;
  kind: CareRelationshipKind;
  /** UTC ISO instant. */
  startedAt: string;
  /** UTC ISO instant; absent while active. */
  endedAt?: string;
  endReason?: CareEndReason;
}

/** Why the data is touched: fixed by the route for the caller's role, never chosen by the caller. */
export const ACCESS_PURPOSES = ['self_access', 'treatment', 'intake', 'risk_review', 'operations'] as const;
export type AccessPurpose = (typeof ACCESS_PURPOSES)[number];

/** What part of the client's record. Psychotherapy notes are apart (DESIGN.md). */
export const CLIENT_RECORD_CATEGORIES = [
  /** Demographics and contact: the client profile. */
  'profile',
  'intake',
  /** The free consultation, its outcome and notes. */
  'consultation',
  /** Standardized measures (PHQ-9, GAD-7, PCL-5, C-SSRS). */
  'assessment',
  'check_in',
  'diagnosis',
  /** Risk flags, risk tasks, risk assessments and safety plans. */
  'risk',
  /** Care stage, matches, the care team, discharge. */
  'care',
  /** Therapy sessions with the assigned therapist: times, attendance (issue 10). */
  'session',
  /** Session (progress) notes and their addenda (shared/domain/notes/progress-notes.ts); clients read signed ones. */
  'progress_note',
  /** The treatment plan, its versions, the client's acknowledgements and the plan review tasks. */
  'treatment_plan',
  'psychotherapy_note',
  /** The client's part in a care unit (couple, family): membership, consents, release decisions (shared/domain/care-units/). */
  'care_unit',
] as const;
export type ClientRecordCategory = (typeof CLIENT_RECORD_CATEGORIES)[number];

export const RECORD_ACTIONS = ['read', 'list', 'create', 'update', 'delete'] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];

/** `read` and `list` read; everything else writes. */
export function isReadAction(action: RecordAction): boolean {
  return action === 'read' || action === 'list';
}

export const ACCESS_BASES = [
  'self',
  'assigned_therapist',
  'consultation_clinician',
  'former_clinician',
  'coordinator',
  'supervisor',
  'operations',
] as const;
export type AccessBasis = (typeof ACCESS_BASES)[number];

export const ACCESS_DENIAL_REASONS = [
  /** A client asking for another client's record. */
  'other_client',
  /** A clinician with no relationship (and no role basis) for this client. */
  'no_care_relationship',
  /** A former clinician writing, or reading for another purpose than treatment. */
  'relationship_ended',
  /** A former clinician reading a record created outside their relationship. */
  'created_outside_relationship',
  'purpose_not_allowed',
  'category_not_allowed',
  /** The category is readable on this basis, but not this action. */
  'action_not_allowed',
  /** Psychotherapy notes of another author (or without an author). */
  'not_author',
  /** A supervisor without an open risk task for the client (or only ones past their access window). */
  'no_open_risk_task',
  /** A coordinator (role basis) for a client past the consultation and matching stages. */
  'client_stage_not_allowed',
  /** A former clinician past the read window after their relationship ended (or no `at` given). */
  'former_access_expired',
  /** A care unit the caller is not (or no longer) a member of, or an action their membership does not allow (decideCareUnitAccess). */
  'not_unit_member',
] as const;
export type AccessDenialReason = (typeof ACCESS_DENIAL_REASONS)[number];

/** A half-open interval [from, to) of record creation instants (UTC ISO). */
export interface CreationWindow {
  from: string;
  to: string;
}

export type AccessScope = { kind: 'all' } | { kind: 'created_within'; windows: CreationWindow[] };

export type AccessDecision =
  | { allowed: true; basis: AccessBasis; scope: AccessScope }
  | { allowed: false; reason: AccessDenialReason; respondAs: 'not_found' | 'forbidden' };

export interface ClientAccessRequest {
  caller: { userId: string; role: Role };
  clientId: string;
  /** The client's care relationships, ended ones included (`relationshipsOf(clientId)`). */
  relationships: readonly CareRelationship[];
  purpose: AccessPurpose;
  action: RecordAction;
  category: ClientRecordCategory;
  /** When the record was created (UTC ISO); absent for lists and new records. */
  recordCreatedAt?: string;
  /** Who wrote the record: required for psychotherapy notes (the caller, for a new note). */
  recordAuthorId?: string;
  /**
   * The deadlines (`dueAt`, UTC ISO) of the client's OPEN risk tasks: a supervisor gets access
   * while one of them is at most `supervisorAccessDays` past (see SUPERVISOR_RISK_ACCESS_DAYS).
   */
  openRiskTasks?: readonly { dueAt: string }[];
  /** The instant of the decision (UTC ISO, from the Clock port): needed for a supervisor and a former clinician. */
  at?: string;
  /** Days after a task's deadline a supervisor keeps access; default SUPERVISOR_RISK_ACCESS_DAYS. */
  supervisorAccessDays?: number;
  /** The client's stage now (coordinators' role basis needs one of COORDINATOR_STAGES). */
  clientStage?: ClientStage;
  /** Days a former clinician keeps read access after the end; default DEFAULT_FORMER_CLINICIAN_ACCESS_DAYS. */
  formerClinicianAccessDays?: number;
}

/** How long a former clinician may still read the records of their time, after the relationship ended. */
export const DEFAULT_FORMER_CLINICIAN_ACCESS_DAYS = 90;

const DAY_MS = 86_400_000;

interface Grant {
  purposes: readonly AccessPurpose[];
  read: readonly ClientRecordCategory[];
  write: readonly ClientRecordCategory[];
}

const ALL: readonly ClientRecordCategory[] = CLIENT_RECORD_CATEGORIES;
const ALL_BUT_NOTES: readonly ClientRecordCategory[] = CLIENT_RECORD_CATEGORIES.filter((c) => c !== 'psychotherapy_note');

/** The table in the header, as data (exported for the tests and for the docs). */
export const ACCESS_GRANTS: Readonly<Record<AccessBasis, Grant>> = {
  // treatment_plan: the client acknowledges their plan (the use case allows nothing else).
  // care_unit: the client's own membership, consents and release decisions (see decideCareUnitAccess).
  self: { purposes: ['self_access'], read: ALL_BUT_NOTES, write: ['profile', 'intake', 'assessment', 'check_in', 'care', 'session', 'treatment_plan', 'care_unit'] },
  assigned_therapist: {
    purposes: ['treatment', 'risk_review'],
    read: ALL,
    write: ['intake', 'assessment', 'diagnosis', 'risk', 'care', 'session', 'progress_note', 'psychotherapy_note', 'treatment_plan'],
  },
  consultation_clinician: {
    purposes: ['treatment', 'intake', 'risk_review'],
    read: ALL_BUT_NOTES,
    write: ['intake', 'consultation', 'assessment', 'diagnosis', 'risk', 'care'],
  },
  // Reads are further limited by the kind of the ended relationship (see formerClinician).
  former_clinician: { purposes: ['treatment'], read: ALL, write: [] },
  coordinator: { purposes: ['intake'], read: ['profile', 'intake', 'consultation'], write: ['intake'] },
  supervisor: { purposes: ['risk_review'], read: ALL_BUT_NOTES, write: ['risk'] },
  operations: { purposes: ['operations'], read: ['profile'], write: [] },
};

type Denial = Extract<AccessDecision, { allowed: false }>;

function deny(reason: AccessDenialReason, respondAs: Denial['respondAs'] = 'not_found'): Denial {
  return { allowed: false, reason, respondAs };
}

const ALL_SCOPE: AccessScope = { kind: 'all' };

/** Purpose, category and action against one grant; undefined when they pass. */
function checkGrant(grant: Grant, request: ClientAccessRequest): AccessDenialReason | undefined {
  if (!grant.purposes.includes(request.purpose)) return 'purpose_not_allowed';
  if (!grant.read.includes(request.category)) return 'category_not_allowed';
  // Records are corrected by a new version, never deleted (history stays); erasing a whole
  // client is its own audited operation, not a record access.
  if (request.action === 'delete') return 'action_not_allowed';
  if (!isReadAction(request.action) && !grant.write.includes(request.category)) return 'action_not_allowed';
  if (request.category === 'psychotherapy_note' && request.recordAuthorId !== request.caller.userId) return 'not_author';
  return undefined;
}

function time(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO instant: ${iso}`);
  return ms;
}

interface OwnWindow extends CreationWindow {
  kind: CareRelationshipKind;
}

/**
 * Decides whether `caller` may do `action` on a `category` record of `clientId` for `purpose`.
 * Pure; the caller loads the relationships and writes the audit event.
 */
export function decideClientAccess(request: ClientAccessRequest): AccessDecision {
  const { caller, clientId } = request;

  if (caller.role === 'client') {
    if (caller.userId !== clientId) return deny('other_client');
    const reason = checkGrant(ACCESS_GRANTS.self, request);
    if (!reason) return { allowed: true, basis: 'self', scope: ALL_SCOPE };
    // The client knows the record exists; only what they can never see stays a 404.
    return deny(reason, reason === 'category_not_allowed' ? 'not_found' : 'forbidden');
  }

  if (caller.role === 'admin') {
    const reason = checkGrant(ACCESS_GRANTS.operations, request);
    return reason ? deny(reason) : { allowed: true, basis: 'operations', scope: ALL_SCOPE };
  }

  // Clinicians: relationship bases first, then the role's own basis. The first allow wins;
  // otherwise the reason of the most specific basis the caller has.
  const reasons: AccessDenialReason[] = [];
  if ((CLINICIAN_ROLES as readonly Role[]).includes(caller.role)) {
    const relationship = relationshipAccess(request);
    if (relationship.allowed) return relationship;
    if (relationship.reason !== 'no_care_relationship') reasons.push(relationship.reason);
  }
  if (caller.role === 'coordinator') {
    const reason =
      checkGrant(ACCESS_GRANTS.coordinator, request) ??
      (request.clientStage !== undefined && COORDINATOR_STAGES.includes(request.clientStage) ? undefined : 'client_stage_not_allowed');
    if (!reason) return { allowed: true, basis: 'coordinator', scope: ALL_SCOPE };
    reasons.push(reason);
  }
  if (caller.role === 'supervisor') {
    const reason = checkGrant(ACCESS_GRANTS.supervisor, request) ?? (supervisorWindowOpen(request) ? undefined : 'no_open_risk_task');
    if (!reason) return { allowed: true, basis: 'supervisor', scope: ALL_SCOPE };
    reasons.push(reason);
  }
  return deny(reasons[0] ?? 'no_care_relationship');
}

/** Whether one of the client's open risk tasks is at most `supervisorAccessDays` past its deadline at `at`. */
function supervisorWindowOpen(request: ClientAccessRequest): boolean {
  if (request.at === undefined || request.openRiskTasks === undefined) return false;
  const at = time(request.at);
  const days = request.supervisorAccessDays ?? SUPERVISOR_RISK_ACCESS_DAYS;
  return request.openRiskTasks.some((task) => at <= time(task.dueAt) + days * DAY_MS);
}

function relationshipAccess(request: ClientAccessRequest): AccessDecision {
  const { caller, clientId } = request;
  const ofClient = request.relationships.filter((r) => r.clientId === clientId);
  const own = ofClient.filter((r) => r.clinicianId === caller.userId);
  if (own.length === 0) return deny('no_care_relationship');

  const activeTherapists = ofClient.filter((r) => r.kind === 'therapist' && r.endedAt === undefined);
  // Matching ends the consultation clinician's part, recorded or not (see the header).
  const matchedAt = activeTherapists.length > 0 ? Math.min(...activeTherapists.map((r) => time(r.startedAt))) : undefined;

  const reasons: AccessDenialReason[] = [];
  if (activeTherapists.some((r) => r.clinicianId === caller.userId)) {
    const reason = checkGrant(ACCESS_GRANTS.assigned_therapist, request);
    if (!reason) return { allowed: true, basis: 'assigned_therapist', scope: ALL_SCOPE };
    reasons.push(reason);
  }
  if (matchedAt === undefined && own.some((r) => r.kind === 'consultation' && r.endedAt === undefined)) {
    const reason = checkGrant(ACCESS_GRANTS.consultation_clinician, request);
    if (!reason) return { allowed: true, basis: 'consultation_clinician', scope: ALL_SCOPE };
    reasons.push(reason);
  }

  const windows: OwnWindow[] = [];
  for (const r of own) {
    const end = r.endedAt ?? (r.kind === 'consultation' && matchedAt !== undefined ? new Date(matchedAt).toISOString() : undefined);
    if (end !== undefined && time(end) > time(r.startedAt)) windows.push({ kind: r.kind, from: r.startedAt, to: end });
  }
  if (windows.length > 0) {
    const former = formerClinician(request, windows);
    if (former.allowed) return former;
    reasons.push(former.reason);
  }
  return deny(reasons[0] ?? 'no_care_relationship');
}

function formerClinician(request: ClientAccessRequest, allWindows: readonly OwnWindow[]): AccessDecision {
  if (!isReadAction(request.action) || !ACCESS_GRANTS.former_clinician.purposes.includes(request.purpose)) return deny('relationship_ended');
  // Time-boxed: a window grants reads until `days` after its end (see the header).
  if (request.at === undefined) return deny('former_access_expired');
  const days = request.formerClinicianAccessDays ?? DEFAULT_FORMER_CLINICIAN_ACCESS_DAYS;
  if (!Number.isFinite(days) || days < 0) throw new RangeError('formerClinicianAccessDays must be a number of days, 0 or more.');
  const at = time(request.at);
  const windows = allWindows.filter((w) => at < time(w.to) + days * DAY_MS);
  if (windows.length === 0) return deny('former_access_expired');
  // What each kind of relationship could read while it was active.
  const readable = windows.filter((w) =>
    (w.kind === 'therapist' ? ACCESS_GRANTS.assigned_therapist : ACCESS_GRANTS.consultation_clinician).read.includes(request.category),
  );
  if (readable.length === 0) return deny('category_not_allowed');
  const reason = checkGrant(ACCESS_GRANTS.former_clinician, request);
  if (reason) return deny(reason);
  const scope: AccessScope = { kind: 'created_within', windows: readable.map(({ from, to }) => ({ from, to })) };
  if (request.recordCreatedAt !== undefined && !withinScope(scope, request.recordCreatedAt)) return deny('created_outside_relationship');
  return { allowed: true, basis: 'former_clinician', scope };
}

/** Whether a record created at `createdAt` (UTC ISO) is inside the decision's scope. */
export function withinScope(scope: AccessScope, createdAt: string): boolean {
  if (scope.kind === 'all') return true;
  const at = time(createdAt);
  return scope.windows.some((w) => time(w.from) <= at && at < time(w.to));
}

/**
 * Who may do what on a care unit's shared part (shared/domain/care-units/units.ts): its members'
 * names and roles, its therapist, its release requests. Never another member's record (see the
 * header). The caller's own record decides too: the use case then asks `decideClientAccess`
 * for the `care_unit` category of the member whose record the event goes to.
 *
 * | caller                                  | view | join / decline | manage (invite, leave, match, releases) |
 * |-----------------------------------------|------|----------------|-----------------------------------------|
 * | a client with an ACTIVE membership      | yes  | -              | yes                                     |
 * | a client with an INVITED membership     | yes  | yes            | leave (= decline) only                  |
 * | the unit's therapist                    | yes (the members in their care only) | no | no                    |
 * | anyone else (left, removed, declined)   | no: 404                                                        |
 */
export const CARE_UNIT_ACTIONS = ['view', 'join', 'leave', 'manage'] as const;
export type CareUnitAction = (typeof CARE_UNIT_ACTIONS)[number];

export type CareUnitAccessDecision =
  | { allowed: true; as: 'member' | 'invitee' | 'unit_therapist' }
  | { allowed: false; reason: 'not_unit_member' | 'action_not_allowed'; respondAs: 'not_found' };

export interface CareUnitAccessRequest {
  caller: { userId: string; role: Role };
  unit: { therapistId?: string };
  /** The caller's membership, if any. */
  membership?: { status: string };
  action: CareUnitAction;
}

/** Decides on a care unit's shared part; pure. Denials are 404: a unit's existence does not leak. */
export function decideCareUnitAccess(request: CareUnitAccessRequest): CareUnitAccessDecision {
  const { caller, unit, membership, action } = request;
  const no = (reason: 'not_unit_member' | 'action_not_allowed'): CareUnitAccessDecision => ({ allowed: false, reason, respondAs: 'not_found' });
  if (caller.role === 'client') {
    if (membership?.status === 'active') return action === 'join' ? no('action_not_allowed') : { allowed: true, as: 'member' };
    if (membership?.status === 'invited') return action === 'manage' ? no('action_not_allowed') : { allowed: true, as: 'invitee' };
    return no('not_unit_member');
  }
  if ((CLINICIAN_ROLES as readonly Role[]).includes(caller.role) && unit.therapistId !== undefined && unit.therapistId === caller.userId) {
    return action === 'view' ? { allowed: true, as: 'unit_therapist' } : no('action_not_allowed');
  }
  return no('not_unit_member');
}
