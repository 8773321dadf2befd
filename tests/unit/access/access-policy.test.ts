/**
 * The client-record access policy (shared/domain/access.ts), table-driven: client A (the
 * record's client), client B, the assigned therapist, a former therapist (before and after the
 * end of their relationship), another therapist, the consultation clinician (before and after
 * matching), a coordinator, a supervisor and an admin, across purposes, actions and categories.
 * The explicit table pins the decisions a person would check by hand; the sweeps check every
 * combination against the rules that must hold everywhere.
 */
import { describe, expect, it } from 'vitest';
import {
  ACCESS_GRANTS,
  ACCESS_PURPOSES,
  CLIENT_RECORD_CATEGORIES,
  COORDINATOR_STAGES,
  decideClientAccess,
  DEFAULT_FORMER_CLINICIAN_ACCESS_DAYS,
  RECORD_ACTIONS,
  SUPERVISOR_RISK_ACCESS_DAYS,
  withinScope,
  type AccessDecision,
  type AccessPurpose,
  type CareRelationship,
  type ClientAccessRequest,
  type ClientRecordCategory,
  type RecordAction,
} from '../../../shared/domain/access.js';
import type { Role } from '../../../shared/domain/roles.js';
import { CLIENT_STAGES, type ClientStage } from '../../../shared/domain/signup.js';

const A = 'client-a';
const B = 'client-b';
const T = 'therapist-assigned';
const F = 'therapist-former';
const O = 'therapist-other';
const C = 'clinician-consultation';
const K = 'coordinator';
const S = 'supervisor';
const D = 'admin';

const ACTORS: Record<string, { userId: string; role: Role }> = {
  clientA: { userId: A, role: 'client' },
  clientB: { userId: B, role: 'client' },
  assigned: { userId: T, role: 'therapist' },
  former: { userId: F, role: 'therapist' },
  other: { userId: O, role: 'therapist' },
  consultation: { userId: C, role: 'therapist' },
  coordinator: { userId: K, role: 'coordinator' },
  supervisor: { userId: S, role: 'supervisor' },
  admin: { userId: D, role: 'admin' },
};
type Actor = keyof typeof ACTORS;

/** Client A's care: consultation with C, matched to F, rematched to T. */
const CONSULTED = '2026-01-02T15:00:00.000Z';
const MATCHED = '2026-01-10T12:00:00.000Z';
const REMATCHED = '2026-03-01T00:00:00.000Z';

/** When the decisions are made: within the former-clinician window of every ended relationship. */
const DECIDED = '2026-03-20T00:00:00.000Z';

/** When records were created. */
const AT = {
  beforeCare: '2026-01-01T09:00:00.000Z', // signup, before any relationship
  duringConsultation: '2026-01-05T10:00:00.000Z',
  duringFormer: '2026-02-01T10:00:00.000Z',
  duringAssigned: '2026-03-15T10:00:00.000Z',
} as const;

/** An open risk task's deadline, and when decisions are made unless a case says otherwise. */
const RISK_DUE = '2026-03-20T10:00:00.000Z';
const DECIDED_AT = '2026-03-20T09:00:00.000Z';
const DAY = 86_400_000;
const afterDue = (ms: number) => new Date(Date.parse(RISK_DUE) + ms).toISOString();

const consultation = (overrides: Partial<CareRelationship> = {}): CareRelationship => ({
  clientId: A,
  clinicianId: C,
  kind: 'consultation',
  startedAt: CONSULTED,
  ...overrides,
});

const SCENARIOS: Record<string, CareRelationship[]> = {
  /** Signed up, no consultation held yet: no relationship at all. */
  signedUp: [],
  /** Awaiting match: the consultation clinician's relationship is active. */
  beforeMatch: [consultation()],
  /** In care with T after a rematch away from F. */
  afterRematch: [
    consultation({ endedAt: MATCHED, endReason: 'matched' }),
    { clientId: A, clinicianId: F, kind: 'therapist', startedAt: MATCHED, endedAt: REMATCHED, endReason: 'rematch' },
    { clientId: A, clinicianId: T, kind: 'therapist', startedAt: REMATCHED },
  ],
  /** Matched to F, but the end of C's consultation relationship was never written. */
  matchWithoutConsultationEnd: [consultation(), { clientId: A, clinicianId: F, kind: 'therapist', startedAt: MATCHED }],
  /** Client B's care, passed by mistake for client A: must grant nothing on A. */
  otherClientsCare: [
    { clientId: B, clinicianId: O, kind: 'therapist', startedAt: MATCHED },
    { clientId: B, clinicianId: C, kind: 'consultation', startedAt: CONSULTED },
  ],
  /** A coordinator holds the consultation. */
  coordinatorConsults: [consultation({ clinicianId: K })],
  /** An admin id in the care data (impossible by construction; must still grant nothing). */
  adminInCare: [{ clientId: A, clinicianId: D, kind: 'therapist', startedAt: MATCHED }],
};
type Scenario = keyof typeof SCENARIOS;

interface Case {
  actor: Actor;
  scenario?: Scenario;
  purpose: AccessPurpose;
  action: RecordAction;
  category: ClientRecordCategory;
  createdAt?: keyof typeof AT | string;
  author?: string;
  /** Whether the client has an open risk task (due at `riskDueAt`, default RISK_DUE). */
  openRiskTask?: boolean;
  riskDueAt?: string;
  /** The instant of the decision; default DECIDED_AT (before RISK_DUE). */
  at?: string;
  supervisorAccessDays?: number;
  /** The client's stage (a coordinator's role basis needs one). */
  stage?: ClientStage;
}

function request(c: Case): ClientAccessRequest {
  const createdAt = c.createdAt === undefined ? undefined : (AT as Record<string, string>)[c.createdAt] ?? c.createdAt;
  return {
    caller: ACTORS[c.actor]!,
    clientId: A,
    relationships: SCENARIOS[c.scenario ?? 'afterRematch']!,
    purpose: c.purpose,
    action: c.action,
    category: c.category,
    ...(createdAt === undefined ? {} : { recordCreatedAt: createdAt }),
    ...(c.author === undefined ? {} : { recordAuthorId: c.author }),
    ...(c.openRiskTask === undefined ? {} : { openRiskTasks: c.openRiskTask ? [{ dueAt: c.riskDueAt ?? RISK_DUE }] : [] }),
    at: c.at ?? DECIDED_AT,
    ...(c.supervisorAccessDays === undefined ? {} : { supervisorAccessDays: c.supervisorAccessDays }),
    ...(c.stage === undefined ? {} : { clientStage: c.stage }),
  };
}

/** `allow <basis>` or `deny <reason> <404|403>`: one readable word per decision. */
function summary(decision: AccessDecision): string {
  return decision.allowed ? `allow ${decision.basis}` : `deny ${decision.reason} ${decision.respondAs === 'not_found' ? 404 : 403}`;
}

const decide = (c: Case) => decideClientAccess(request(c));

// prettier-ignore
const TABLE: [string, Case, string][] = [
  // Client A, on their own record.
  ['A reads an assessment', { actor: 'clientA', purpose: 'self_access', action: 'read', category: 'assessment' }, 'allow self'],
  ['A lists check-ins', { actor: 'clientA', purpose: 'self_access', action: 'list', category: 'check_in' }, 'allow self'],
  ['A submits a check-in', { actor: 'clientA', purpose: 'self_access', action: 'create', category: 'check_in' }, 'allow self'],
  ['A submits a self-report assessment', { actor: 'clientA', purpose: 'self_access', action: 'create', category: 'assessment' }, 'allow self'],
  ['A pre-fills the intake', { actor: 'clientA', purpose: 'self_access', action: 'update', category: 'intake' }, 'allow self'],
  ['A updates the profile', { actor: 'clientA', purpose: 'self_access', action: 'update', category: 'profile' }, 'allow self'],
  ['A accepts a match', { actor: 'clientA', purpose: 'self_access', action: 'create', category: 'care' }, 'allow self'],
  ['A reads the diagnoses', { actor: 'clientA', purpose: 'self_access', action: 'list', category: 'diagnosis' }, 'allow self'],
  ['A reads the consultation', { actor: 'clientA', purpose: 'self_access', action: 'read', category: 'consultation' }, 'allow self'],
  ['A reads own risk tasks', { actor: 'clientA', purpose: 'self_access', action: 'read', category: 'risk' }, 'allow self'],
  ['A cannot record a diagnosis', { actor: 'clientA', purpose: 'self_access', action: 'create', category: 'diagnosis' }, 'deny action_not_allowed 403'],
  ['A cannot write a risk assessment', { actor: 'clientA', purpose: 'self_access', action: 'create', category: 'risk' }, 'deny action_not_allowed 403'],
  ['A cannot delete a check-in', { actor: 'clientA', purpose: 'self_access', action: 'delete', category: 'check_in' }, 'deny action_not_allowed 403'],
  ['A cannot change the consultation record', { actor: 'clientA', purpose: 'self_access', action: 'update', category: 'consultation' }, 'deny action_not_allowed 403'],
  ['A never reads psychotherapy notes', { actor: 'clientA', purpose: 'self_access', action: 'read', category: 'psychotherapy_note', author: T }, 'deny category_not_allowed 404'],
  ['A never lists psychotherapy notes', { actor: 'clientA', purpose: 'self_access', action: 'list', category: 'psychotherapy_note' }, 'deny category_not_allowed 404'],
  ['A with a clinician purpose', { actor: 'clientA', purpose: 'treatment', action: 'read', category: 'assessment' }, 'deny purpose_not_allowed 403'],
  // Client B, on client A's record.
  ['B reads A\'s assessment', { actor: 'clientB', purpose: 'self_access', action: 'read', category: 'assessment' }, 'deny other_client 404'],
  ['B writes a check-in for A', { actor: 'clientB', purpose: 'self_access', action: 'create', category: 'check_in' }, 'deny other_client 404'],
  ['B reads A\'s profile', { actor: 'clientB', purpose: 'self_access', action: 'read', category: 'profile' }, 'deny other_client 404'],
  // The assigned therapist (active).
  ['T reads an assessment from the former therapist\'s time', { actor: 'assigned', purpose: 'treatment', action: 'read', category: 'assessment', createdAt: 'duringFormer' }, 'allow assigned_therapist'],
  ['T reads the intake made before care', { actor: 'assigned', purpose: 'treatment', action: 'read', category: 'intake', createdAt: 'beforeCare' }, 'allow assigned_therapist'],
  ['T lists assessments', { actor: 'assigned', purpose: 'treatment', action: 'list', category: 'assessment' }, 'allow assigned_therapist'],
  ['T records a diagnosis', { actor: 'assigned', purpose: 'treatment', action: 'create', category: 'diagnosis' }, 'allow assigned_therapist'],
  ['T administers an assessment', { actor: 'assigned', purpose: 'treatment', action: 'create', category: 'assessment' }, 'allow assigned_therapist'],
  ['T cannot delete a diagnosis', { actor: 'assigned', purpose: 'treatment', action: 'delete', category: 'diagnosis' }, 'deny action_not_allowed 404'],
  ['T discharges', { actor: 'assigned', purpose: 'treatment', action: 'update', category: 'care' }, 'allow assigned_therapist'],
  ['T acknowledges a risk task', { actor: 'assigned', purpose: 'risk_review', action: 'update', category: 'risk' }, 'allow assigned_therapist'],
  ['T reads the consultation notes', { actor: 'assigned', purpose: 'treatment', action: 'read', category: 'consultation' }, 'allow assigned_therapist'],
  ['T cannot write the client\'s check-in', { actor: 'assigned', purpose: 'treatment', action: 'create', category: 'check_in' }, 'deny action_not_allowed 404'],
  ['T cannot change the consultation record', { actor: 'assigned', purpose: 'treatment', action: 'update', category: 'consultation' }, 'deny action_not_allowed 404'],
  ['T with the intake purpose', { actor: 'assigned', purpose: 'intake', action: 'read', category: 'intake' }, 'deny purpose_not_allowed 404'],
  ['T with the operations purpose', { actor: 'assigned', purpose: 'operations', action: 'read', category: 'profile' }, 'deny purpose_not_allowed 404'],
  ['T writes a psychotherapy note', { actor: 'assigned', purpose: 'treatment', action: 'create', category: 'psychotherapy_note', author: T }, 'allow assigned_therapist'],
  ['T reads own psychotherapy note', { actor: 'assigned', purpose: 'treatment', action: 'read', category: 'psychotherapy_note', author: T }, 'allow assigned_therapist'],
  ['T reads F\'s psychotherapy note', { actor: 'assigned', purpose: 'treatment', action: 'read', category: 'psychotherapy_note', author: F, createdAt: 'duringFormer' }, 'deny not_author 404'],
  ['T reads a note without an author', { actor: 'assigned', purpose: 'treatment', action: 'list', category: 'psychotherapy_note' }, 'deny not_author 404'],
  // The former therapist (rematched away on REMATCHED).
  ['F reads an assessment from their time', { actor: 'former', purpose: 'treatment', action: 'read', category: 'assessment', createdAt: 'duringFormer' }, 'allow former_clinician'],
  ['F reads a record created at their start', { actor: 'former', purpose: 'treatment', action: 'read', category: 'assessment', createdAt: MATCHED }, 'allow former_clinician'],
  ['F reads a record created a moment before their end', { actor: 'former', purpose: 'treatment', action: 'read', category: 'check_in', createdAt: '2026-02-28T23:59:59.999Z' }, 'allow former_clinician'],
  ['F reads a record created at their end', { actor: 'former', purpose: 'treatment', action: 'read', category: 'assessment', createdAt: REMATCHED }, 'deny created_outside_relationship 404'],
  ['F reads an assessment made after the rematch', { actor: 'former', purpose: 'treatment', action: 'read', category: 'assessment', createdAt: 'duringAssigned' }, 'deny created_outside_relationship 404'],
  ['F reads the intake made before their time', { actor: 'former', purpose: 'treatment', action: 'read', category: 'intake', createdAt: 'beforeCare' }, 'deny created_outside_relationship 404'],
  ['F lists assessments (scoped to their time)', { actor: 'former', purpose: 'treatment', action: 'list', category: 'assessment' }, 'allow former_clinician'],
  ['F writes anything after the end', { actor: 'former', purpose: 'treatment', action: 'create', category: 'assessment' }, 'deny relationship_ended 404'],
  ['F updates a diagnosis of their time', { actor: 'former', purpose: 'treatment', action: 'update', category: 'diagnosis', createdAt: 'duringFormer' }, 'deny relationship_ended 404'],
  ['F on a risk task', { actor: 'former', purpose: 'risk_review', action: 'read', category: 'risk' }, 'deny relationship_ended 404'],
  ['F reads own note from their time', { actor: 'former', purpose: 'treatment', action: 'read', category: 'psychotherapy_note', author: F, createdAt: 'duringFormer' }, 'allow former_clinician'],
  ['F reads T\'s note', { actor: 'former', purpose: 'treatment', action: 'read', category: 'psychotherapy_note', author: T, createdAt: 'duringFormer' }, 'deny not_author 404'],
  // The former therapist while still assigned (before the end).
  ['F before the rematch reads everything', { actor: 'former', scenario: 'matchWithoutConsultationEnd', purpose: 'treatment', action: 'read', category: 'intake', createdAt: 'beforeCare' }, 'allow assigned_therapist'],
  ['F before the rematch records a diagnosis', { actor: 'former', scenario: 'matchWithoutConsultationEnd', purpose: 'treatment', action: 'create', category: 'diagnosis' }, 'allow assigned_therapist'],
  // Another therapist.
  ['O reads an assessment', { actor: 'other', purpose: 'treatment', action: 'read', category: 'assessment' }, 'deny no_care_relationship 404'],
  ['O lists check-ins', { actor: 'other', purpose: 'treatment', action: 'list', category: 'check_in' }, 'deny no_care_relationship 404'],
  ['O on a risk task', { actor: 'other', purpose: 'risk_review', action: 'update', category: 'risk' }, 'deny no_care_relationship 404'],
  ['O with client B\'s care passed in', { actor: 'other', scenario: 'otherClientsCare', purpose: 'treatment', action: 'read', category: 'assessment' }, 'deny no_care_relationship 404'],
  // The consultation clinician before matching.
  ['C before matching reads an assessment', { actor: 'consultation', scenario: 'beforeMatch', purpose: 'treatment', action: 'read', category: 'assessment' }, 'allow consultation_clinician'],
  ['C before matching records the intake', { actor: 'consultation', scenario: 'beforeMatch', purpose: 'intake', action: 'update', category: 'intake' }, 'allow consultation_clinician'],
  ['C before matching records the outcome', { actor: 'consultation', scenario: 'beforeMatch', purpose: 'intake', action: 'update', category: 'consultation' }, 'allow consultation_clinician'],
  ['C before matching handles a risk task', { actor: 'consultation', scenario: 'beforeMatch', purpose: 'risk_review', action: 'update', category: 'risk' }, 'allow consultation_clinician'],
  ['C before matching pins a match', { actor: 'consultation', scenario: 'beforeMatch', purpose: 'treatment', action: 'update', category: 'care' }, 'allow consultation_clinician'],
  ['C before matching writes a psychotherapy note', { actor: 'consultation', scenario: 'beforeMatch', purpose: 'treatment', action: 'create', category: 'psychotherapy_note', author: C }, 'deny category_not_allowed 404'],
  ['C before matching with the operations purpose', { actor: 'consultation', scenario: 'beforeMatch', purpose: 'operations', action: 'read', category: 'profile' }, 'deny purpose_not_allowed 404'],
  ['C with client B\'s care passed in', { actor: 'consultation', scenario: 'otherClientsCare', purpose: 'treatment', action: 'read', category: 'assessment' }, 'deny no_care_relationship 404'],
  // The consultation clinician after matching.
  ['C after matching reads the consultation-time assessment', { actor: 'consultation', purpose: 'treatment', action: 'read', category: 'assessment', createdAt: 'duringConsultation' }, 'allow former_clinician'],
  ['C after matching reads a later assessment', { actor: 'consultation', purpose: 'treatment', action: 'read', category: 'assessment', createdAt: 'duringFormer' }, 'deny created_outside_relationship 404'],
  ['C after matching updates the intake', { actor: 'consultation', purpose: 'intake', action: 'update', category: 'intake' }, 'deny relationship_ended 404'],
  ['C after matching reads a note', { actor: 'consultation', purpose: 'treatment', action: 'read', category: 'psychotherapy_note', author: C, createdAt: 'duringConsultation' }, 'deny category_not_allowed 404'],
  // Matching ends the consultation clinician's part even when its end was not written.
  ['C, end unwritten, reads a record after the match', { actor: 'consultation', scenario: 'matchWithoutConsultationEnd', purpose: 'treatment', action: 'read', category: 'assessment', createdAt: 'duringFormer' }, 'deny created_outside_relationship 404'],
  ['C, end unwritten, reads a record before the match', { actor: 'consultation', scenario: 'matchWithoutConsultationEnd', purpose: 'treatment', action: 'read', category: 'assessment', createdAt: 'duringConsultation' }, 'allow former_clinician'],
  ['C, end unwritten, writes the intake', { actor: 'consultation', scenario: 'matchWithoutConsultationEnd', purpose: 'intake', action: 'update', category: 'intake' }, 'deny relationship_ended 404'],
  // A coordinator (issue 9, finding 10: only before care starts, or as the consultation clinician).
  ['K reads the intake of a client awaiting a match', { actor: 'coordinator', scenario: 'beforeMatch', stage: 'awaiting_match', purpose: 'intake', action: 'read', category: 'intake' }, 'allow coordinator'],
  ['K updates the intake of a client awaiting a match', { actor: 'coordinator', scenario: 'beforeMatch', stage: 'awaiting_match', purpose: 'intake', action: 'update', category: 'intake' }, 'allow coordinator'],
  ['K reads the intake of a client awaiting a consultation', { actor: 'coordinator', scenario: 'signedUp', stage: 'awaiting_consultation', purpose: 'intake', action: 'read', category: 'intake' }, 'allow coordinator'],
  ['K updates the intake of a client awaiting a consultation', { actor: 'coordinator', scenario: 'signedUp', stage: 'awaiting_consultation', purpose: 'intake', action: 'update', category: 'intake' }, 'allow coordinator'],
  ['K reads the consultation', { actor: 'coordinator', scenario: 'beforeMatch', stage: 'awaiting_match', purpose: 'intake', action: 'read', category: 'consultation' }, 'allow coordinator'],
  ['K reads the profile', { actor: 'coordinator', scenario: 'beforeMatch', stage: 'awaiting_match', purpose: 'intake', action: 'read', category: 'profile' }, 'allow coordinator'],
  ['K reads the intake of a client in care', { actor: 'coordinator', stage: 'in_care', purpose: 'intake', action: 'read', category: 'intake' }, 'deny client_stage_not_allowed 404'],
  ['K overwrites the intake of a client in care', { actor: 'coordinator', stage: 'in_care', purpose: 'intake', action: 'update', category: 'intake' }, 'deny client_stage_not_allowed 404'],
  ['K reads the intake of a discharged client', { actor: 'coordinator', stage: 'discharged', purpose: 'intake', action: 'read', category: 'intake' }, 'deny client_stage_not_allowed 404'],
  ['K overwrites the intake of a discharged client', { actor: 'coordinator', stage: 'discharged', purpose: 'intake', action: 'update', category: 'intake' }, 'deny client_stage_not_allowed 404'],
  ['K reads the intake of a referred client', { actor: 'coordinator', stage: 'referred', purpose: 'intake', action: 'read', category: 'intake' }, 'deny client_stage_not_allowed 404'],
  ['K without the client\'s stage', { actor: 'coordinator', scenario: 'beforeMatch', purpose: 'intake', action: 'read', category: 'intake' }, 'deny client_stage_not_allowed 404'],
  ['K changes the consultation record', { actor: 'coordinator', scenario: 'beforeMatch', stage: 'awaiting_match', purpose: 'intake', action: 'update', category: 'consultation' }, 'deny action_not_allowed 404'],
  ['K reads an assessment', { actor: 'coordinator', scenario: 'beforeMatch', stage: 'awaiting_match', purpose: 'intake', action: 'read', category: 'assessment' }, 'deny category_not_allowed 404'],
  ['K reads a diagnosis', { actor: 'coordinator', scenario: 'beforeMatch', stage: 'awaiting_match', purpose: 'intake', action: 'read', category: 'diagnosis' }, 'deny category_not_allowed 404'],
  ['K reads risk data', { actor: 'coordinator', scenario: 'beforeMatch', stage: 'awaiting_match', purpose: 'intake', action: 'read', category: 'risk' }, 'deny category_not_allowed 404'],
  ['K for treatment', { actor: 'coordinator', scenario: 'beforeMatch', stage: 'awaiting_match', purpose: 'treatment', action: 'read', category: 'intake' }, 'deny purpose_not_allowed 404'],
  ['K for risk review', { actor: 'coordinator', scenario: 'beforeMatch', stage: 'awaiting_match', purpose: 'risk_review', action: 'read', category: 'risk' }, 'deny purpose_not_allowed 404'],
  ['K holding the consultation reads an assessment', { actor: 'coordinator', scenario: 'coordinatorConsults', purpose: 'treatment', action: 'read', category: 'assessment' }, 'allow consultation_clinician'],
  ['K holding the consultation reads the intake', { actor: 'coordinator', scenario: 'coordinatorConsults', purpose: 'intake', action: 'read', category: 'intake' }, 'allow consultation_clinician'],
  ['K holding the consultation updates the intake, whatever the stage says', { actor: 'coordinator', scenario: 'coordinatorConsults', stage: 'in_care', purpose: 'intake', action: 'update', category: 'intake' }, 'allow consultation_clinician'],
  // A supervisor.
  ['S reviews assessments for an open risk task', { actor: 'supervisor', purpose: 'risk_review', action: 'list', category: 'assessment', openRiskTask: true }, 'allow supervisor'],
  ['S writes the risk assessment', { actor: 'supervisor', purpose: 'risk_review', action: 'create', category: 'risk', openRiskTask: true }, 'allow supervisor'],
  ['S reads the diagnoses for a risk task', { actor: 'supervisor', purpose: 'risk_review', action: 'read', category: 'diagnosis', openRiskTask: true }, 'allow supervisor'],
  ['S without an open risk task', { actor: 'supervisor', purpose: 'risk_review', action: 'read', category: 'assessment', openRiskTask: false }, 'deny no_open_risk_task 404'],
  ['S without saying whether a task is open', { actor: 'supervisor', purpose: 'risk_review', action: 'read', category: 'risk' }, 'deny no_open_risk_task 404'],
  ['S records a diagnosis', { actor: 'supervisor', purpose: 'risk_review', action: 'create', category: 'diagnosis', openRiskTask: true }, 'deny action_not_allowed 404'],
  ['S reads psychotherapy notes', { actor: 'supervisor', purpose: 'risk_review', action: 'read', category: 'psychotherapy_note', author: T, openRiskTask: true }, 'deny category_not_allowed 404'],
  ['S for treatment', { actor: 'supervisor', purpose: 'treatment', action: 'read', category: 'assessment', openRiskTask: true }, 'deny purpose_not_allowed 404'],
  // A supervisor's access ends (issue 9): SUPERVISOR_RISK_ACCESS_DAYS (7) after the open task's deadline.
  ['S after the deadline of a task still open', { actor: 'supervisor', purpose: 'risk_review', action: 'read', category: 'assessment', openRiskTask: true, at: afterDue(DAY) }, 'allow supervisor'],
  ['S exactly 7 days after the deadline', { actor: 'supervisor', purpose: 'risk_review', action: 'create', category: 'risk', openRiskTask: true, at: afterDue(7 * DAY) }, 'allow supervisor'],
  ['S a moment more than 7 days after the deadline', { actor: 'supervisor', purpose: 'risk_review', action: 'read', category: 'assessment', openRiskTask: true, at: afterDue(7 * DAY + 1) }, 'deny no_open_risk_task 404'],
  ['S writes risk 8 days after the deadline', { actor: 'supervisor', purpose: 'risk_review', action: 'create', category: 'risk', openRiskTask: true, at: afterDue(8 * DAY) }, 'deny no_open_risk_task 404'],
  ['S with a 1-day window, 2 days after the deadline', { actor: 'supervisor', purpose: 'risk_review', action: 'read', category: 'risk', openRiskTask: true, at: afterDue(2 * DAY), supervisorAccessDays: 1 }, 'deny no_open_risk_task 404'],
  ['S with a 30-day window, 20 days after the deadline', { actor: 'supervisor', purpose: 'risk_review', action: 'read', category: 'risk', openRiskTask: true, at: afterDue(20 * DAY), supervisorAccessDays: 30 }, 'allow supervisor'],
  ['S once the task is assessed (no open task), before its deadline', { actor: 'supervisor', purpose: 'risk_review', action: 'read', category: 'risk', openRiskTask: false }, 'deny no_open_risk_task 404'],
  ['T keeps risk review long after a task\'s deadline', { actor: 'assigned', purpose: 'risk_review', action: 'read', category: 'risk', openRiskTask: true, at: afterDue(30 * DAY) }, 'allow assigned_therapist'],
  // An admin.
  ['D reads the profile for operations', { actor: 'admin', purpose: 'operations', action: 'read', category: 'profile' }, 'allow operations'],
  ['D changes the profile', { actor: 'admin', purpose: 'operations', action: 'update', category: 'profile' }, 'deny action_not_allowed 404'],
  ['D reads an assessment', { actor: 'admin', purpose: 'operations', action: 'read', category: 'assessment' }, 'deny category_not_allowed 404'],
  ['D reads the intake', { actor: 'admin', purpose: 'operations', action: 'read', category: 'intake' }, 'deny category_not_allowed 404'],
  ['D for treatment', { actor: 'admin', purpose: 'treatment', action: 'read', category: 'assessment' }, 'deny purpose_not_allowed 404'],
  ['D in the care data still gets no clinical data', { actor: 'admin', scenario: 'adminInCare', purpose: 'treatment', action: 'read', category: 'assessment' }, 'deny purpose_not_allowed 404'],
];

describe('decideClientAccess: the table', () => {
  it.each(TABLE)('%s', (_name, c, expected) => {
    expect(summary(decide(c))).toBe(expected);
  });
});

describe('decideClientAccess: the former-clinician window (issue 9, finding 6)', () => {
  const DAY = 86_400_000;
  const after = (iso: string, days: number, ms = 0) => new Date(Date.parse(iso) + days * DAY + ms).toISOString();
  const former = (at: string | undefined, extra: Partial<ClientAccessRequest> = {}) => {
    const { at: _default, ...rest } = request({ actor: 'former', purpose: 'treatment', action: 'read', category: 'assessment', createdAt: 'duringFormer' });
    return decideClientAccess({ ...rest, ...(at === undefined ? {} : { at }), ...extra });
  };

  it('reads the records of their time until 90 days after the end, by default, and nothing from then on', () => {
    expect(DEFAULT_FORMER_CLINICIAN_ACCESS_DAYS).toBe(90);
    expect(summary(former(after(REMATCHED, 90, -1)))).toBe('allow former_clinician');
    expect(summary(former(after(REMATCHED, 90)))).toBe('deny former_access_expired 404');
    expect(summary(former(after(REMATCHED, 400)))).toBe('deny former_access_expired 404');
  });

  it('takes the window length from the request (the deployment setting)', () => {
    expect(summary(former(after(REMATCHED, 7, -1), { formerClinicianAccessDays: 7 }))).toBe('allow former_clinician');
    expect(summary(former(after(REMATCHED, 7), { formerClinicianAccessDays: 7 }))).toBe('deny former_access_expired 404');
    expect(summary(former(REMATCHED, { formerClinicianAccessDays: 0 }))).toBe('deny former_access_expired 404');
    expect(() => former(REMATCHED, { formerClinicianAccessDays: -1 })).toThrow(RangeError);
  });

  it('gives a former clinician nothing without the instant of the decision (fail closed)', () => {
    expect(summary(former(undefined))).toBe('deny former_access_expired 404');
  });

  it('drops each expired window on its own: a list keeps only the windows still open', () => {
    const relationships: CareRelationship[] = [
      { clientId: A, clinicianId: F, kind: 'consultation', startedAt: CONSULTED, endedAt: MATCHED, endReason: 'matched' },
      { clientId: A, clinicianId: F, kind: 'therapist', startedAt: MATCHED, endedAt: REMATCHED, endReason: 'rematch' },
    ];
    // 100 days after the match, 40 after the rematch: the consultation window has closed.
    const decision = decideClientAccess({ caller: ACTORS.former!, clientId: A, relationships, purpose: 'treatment', action: 'list', category: 'assessment', at: after(MATCHED, 100) });
    expect(decision).toMatchObject({ allowed: true, scope: { windows: [{ from: MATCHED, to: REMATCHED }] } });
  });

  it('leaves current relationships and role bases untimed', () => {
    const late = after(REMATCHED, 1000);
    expect(summary(decideClientAccess({ ...request({ actor: 'assigned', purpose: 'treatment', action: 'list', category: 'assessment' }), at: late }))).toBe('allow assigned_therapist');
    expect(summary(decideClientAccess({ ...request({ actor: 'coordinator', purpose: 'intake', action: 'read', category: 'intake', stage: 'awaiting_match' }), at: late }))).toBe('allow coordinator');
  });
});

describe('decideClientAccess: scopes', () => {
  it('gives current clinicians, the client and role bases every record', () => {
    for (const c of [
      { actor: 'assigned', purpose: 'treatment', action: 'list', category: 'assessment' },
      { actor: 'clientA', purpose: 'self_access', action: 'list', category: 'assessment' },
      { actor: 'coordinator', stage: 'awaiting_match', purpose: 'intake', action: 'list', category: 'intake' },
    ] as Case[]) {
      expect(decide(c)).toMatchObject({ allowed: true, scope: { kind: 'all' } });
    }
  });

  it('limits a former therapist\'s list to records created during their relationship', () => {
    const decision = decide({ actor: 'former', purpose: 'treatment', action: 'list', category: 'assessment' });
    expect(decision).toEqual({
      allowed: true,
      basis: 'former_clinician',
      scope: { kind: 'created_within', windows: [{ from: MATCHED, to: REMATCHED }] },
    });
    if (!decision.allowed) throw new Error('unreachable');
    expect(Object.values(AT).filter((at) => withinScope(decision.scope, at))).toEqual([AT.duringFormer]);
  });

  it('limits the consultation clinician after matching to the consultation, ending at the match even if unrecorded', () => {
    const recorded = decide({ actor: 'consultation', purpose: 'treatment', action: 'list', category: 'check_in' });
    const unrecorded = decide({ actor: 'consultation', scenario: 'matchWithoutConsultationEnd', purpose: 'treatment', action: 'list', category: 'check_in' });
    for (const decision of [recorded, unrecorded]) {
      expect(decision).toMatchObject({ allowed: true, basis: 'former_clinician', scope: { kind: 'created_within', windows: [{ from: CONSULTED, to: MATCHED }] } });
    }
  });

  it('gives a clinician with two ended relationships both windows, and a notes list only the therapist one', () => {
    const relationships: CareRelationship[] = [
      { clientId: A, clinicianId: F, kind: 'consultation', startedAt: CONSULTED, endedAt: MATCHED, endReason: 'matched' },
      { clientId: A, clinicianId: F, kind: 'therapist', startedAt: MATCHED, endedAt: REMATCHED, endReason: 'rematch' },
    ];
    const base = { caller: ACTORS.former!, clientId: A, relationships, purpose: 'treatment' as const, action: 'list' as const, at: DECIDED };
    expect(decideClientAccess({ ...base, category: 'assessment' })).toMatchObject({
      scope: { windows: [{ from: CONSULTED, to: MATCHED }, { from: MATCHED, to: REMATCHED }] },
    });
    expect(decideClientAccess({ ...base, category: 'psychotherapy_note', recordAuthorId: F })).toMatchObject({
      scope: { windows: [{ from: MATCHED, to: REMATCHED }] },
    });
  });

  it('treats windows as half-open [start, end)', () => {
    const scope = { kind: 'created_within' as const, windows: [{ from: MATCHED, to: REMATCHED }] };
    expect(withinScope(scope, MATCHED)).toBe(true);
    expect(withinScope(scope, '2026-03-01T00:00:00.000-00:00')).toBe(false);
    expect(withinScope(scope, '2026-02-28T19:00:00-05:00')).toBe(false); // = REMATCHED, another offset
    expect(withinScope(scope, '2026-02-28T18:59:59.999-05:00')).toBe(true);
    expect(() => withinScope(scope, 'yesterday')).toThrow(RangeError);
  });

  it('refuses an unreadable record time instead of guessing', () => {
    expect(() => decide({ actor: 'former', purpose: 'treatment', action: 'read', category: 'assessment', createdAt: 'not a time' })).toThrow(RangeError);
  });
});

/** Every combination of purpose, action and category for one actor and scenario. */
function sweep(actor: Actor, scenario: Scenario, extra: Partial<Case> = {}): { c: Case; decision: AccessDecision }[] {
  const out: { c: Case; decision: AccessDecision }[] = [];
  const times: (keyof typeof AT | undefined)[] = [undefined, ...(Object.keys(AT) as (keyof typeof AT)[])];
  for (const purpose of ACCESS_PURPOSES)
    for (const action of RECORD_ACTIONS)
      for (const category of CLIENT_RECORD_CATEGORIES)
        for (const createdAt of times)
          for (const author of [undefined, ACTORS[actor]!.userId, T]) {
            const c: Case = { actor, scenario, purpose, action, category, ...extra };
            if (createdAt !== undefined) c.createdAt = createdAt;
            if (author !== undefined) c.author = author;
            out.push({ c, decision: decide(c) });
          }
  return out;
}

/**
 * One assertion per swept case, its message (the case as JSON) built only when it fails: the
 * sweeps make tens of thousands of decisions, and formatting each case up front made them slow
 * enough to time out on a loaded 2-core machine.
 */
function same<T>(c: Case, actual: T, expected: T): void {
  if (!Object.is(actual, expected)) expect(actual, JSON.stringify(c)).toBe(expected);
}

const isWrite = (action: RecordAction) => action !== 'read' && action !== 'list';

it('grants delete to nobody, on any basis', () => {
  for (const scenario of Object.keys(SCENARIOS) as Scenario[])
    for (const actor of Object.keys(ACTORS) as Actor[])
      for (const { c, decision } of sweep(actor, scenario, { openRiskTask: true })) {
        if (c.action === 'delete') same(c, decision.allowed, false);
      }
});

describe('decideClientAccess: rules over every combination', () => {
  const scenarios = Object.keys(SCENARIOS) as Scenario[];

  it('client B and another therapist get nothing, always as 404', () => {
    for (const scenario of scenarios)
      for (const actor of ['clientB', 'other'] as Actor[]) {
        for (const { c, decision } of sweep(actor, scenario, { openRiskTask: true })) {
          same(c, decision.allowed ? 'allowed' : decision.respondAs, 'not_found');
        }
      }
  });

  it('nobody but the client gets a 403: every other denial is a 404', () => {
    for (const scenario of scenarios)
      for (const actor of Object.keys(ACTORS) as Actor[]) {
        if (actor === 'clientA') continue;
        for (const { c, decision } of sweep(actor, scenario, { openRiskTask: true })) {
          if (!decision.allowed) same(c, decision.respondAs, 'not_found');
        }
      }
  });

  it('the client only with self_access, never psychotherapy notes, and writes only what clients write', () => {
    const allowedWrites = ACCESS_GRANTS.self.write;
    for (const { c, decision } of sweep('clientA', 'afterRematch')) {
      const expected = c.purpose === 'self_access' && c.category !== 'psychotherapy_note' && (!isWrite(c.action) || (c.action !== 'delete' && allowedWrites.includes(c.category)));
      same(c, decision.allowed, expected);
    }
  });

  it('psychotherapy notes: only their author, only as the assigned (or former, for their own time) therapist', () => {
    for (const scenario of scenarios)
      for (const actor of Object.keys(ACTORS) as Actor[]) {
        for (const { c, decision } of sweep(actor, scenario, { openRiskTask: true })) {
          if (c.category !== 'psychotherapy_note' || !decision.allowed) continue;
          same(c, c.author, ACTORS[actor]!.userId);
          same(c, ['assigned_therapist', 'former_clinician'].includes(decision.basis), true);
        }
      }
  });

  it('an admin gets the profile for operations, read-only, and no clinical data', () => {
    for (const scenario of scenarios) {
      for (const { c, decision } of sweep('admin', scenario, { openRiskTask: true })) {
        const expected = c.purpose === 'operations' && c.category === 'profile' && !isWrite(c.action);
        same(c, decision.allowed, expected);
      }
    }
  });

  it('a coordinator without a relationship: only while the client awaits a consultation or a match; intake purpose, intake and consultation data (and the profile), writes the intake only', () => {
    for (const stage of [undefined, ...CLIENT_STAGES]) {
      for (const { c, decision } of sweep('coordinator', 'afterRematch', { openRiskTask: true, ...(stage ? { stage } : {}) })) {
        const expected =
          stage !== undefined &&
          COORDINATOR_STAGES.includes(stage) &&
          c.purpose === 'intake' &&
          ['profile', 'intake', 'consultation'].includes(c.category) &&
          (!isWrite(c.action) || (c.action !== 'delete' && c.category === 'intake'));
        same(c, decision.allowed, expected);
      }
    }
    expect(COORDINATOR_STAGES).toEqual(['awaiting_consultation', 'awaiting_match']);
  });

  it('a supervisor: risk_review with an open risk task, no notes, writes risk only', () => {
    for (const openRiskTask of [true, false]) {
      for (const { c, decision } of sweep('supervisor', 'afterRematch', { openRiskTask })) {
        const expected =
          openRiskTask && c.purpose === 'risk_review' && c.category !== 'psychotherapy_note' && (!isWrite(c.action) || (c.action !== 'delete' && c.category === 'risk'));
        same(c, decision.allowed, expected);
      }
    }
  });

  it('a former clinician never writes, and reads only records created during their relationship', () => {
    for (const actor of ['former', 'consultation'] as Actor[]) {
      for (const { c, decision } of sweep(actor, 'afterRematch')) {
        if (!decision.allowed) continue;
        expect(decision.basis).toBe('former_clinician');
        same(c, isWrite(c.action), false);
        expect(c.purpose).toBe('treatment');
        if (c.createdAt === undefined) expect(decision.scope.kind).toBe('created_within');
        else same(c, c.createdAt, actor === 'former' ? 'duringFormer' : 'duringConsultation');
      }
    }
  });

  it('the assigned therapist: treatment and risk review, whatever the record\'s time', () => {
    for (const { c, decision } of sweep('assigned', 'afterRematch')) {
      const grant = ACCESS_GRANTS.assigned_therapist;
      const expected =
        grant.purposes.includes(c.purpose) &&
        (!isWrite(c.action) || (c.action !== 'delete' && grant.write.includes(c.category))) &&
        (c.category !== 'psychotherapy_note' || c.author === T);
      same(c, decision.allowed, expected);
    }
  });

  it('the consultation clinician before matching: like a therapist without psychotherapy notes, plus the intake purpose', () => {
    for (const { c, decision } of sweep('consultation', 'beforeMatch')) {
      const grant = ACCESS_GRANTS.consultation_clinician;
      const expected = grant.purposes.includes(c.purpose) && grant.read.includes(c.category) && (!isWrite(c.action) || (c.action !== 'delete' && grant.write.includes(c.category)));
      same(c, decision.allowed, expected);
    }
  });

  it('a rematch cuts the former therapist\'s access to everything created after it, in every purpose and category', () => {
    for (const { c, decision } of sweep('former', 'afterRematch')) {
      if (c.createdAt === 'duringAssigned') same(c, decision.allowed, false);
    }
  });
});

describe('decideClientAccess: the end of a supervisor\'s access (issue 9)', () => {
  const base: ClientAccessRequest = {
    caller: ACTORS.supervisor!,
    clientId: A,
    relationships: SCENARIOS.afterRematch!,
    purpose: 'risk_review',
    action: 'read',
    category: 'risk',
  };

  it('any one open task inside its window is enough; all outside, none', () => {
    const at = afterDue(10 * DAY);
    const stale = { dueAt: RISK_DUE };
    const recent = { dueAt: afterDue(5 * DAY) };
    expect(decideClientAccess({ ...base, at, openRiskTasks: [stale, recent] })).toMatchObject({ allowed: true, basis: 'supervisor' });
    expect(decideClientAccess({ ...base, at, openRiskTasks: [stale] })).toMatchObject({ allowed: false, reason: 'no_open_risk_task' });
  });

  it('fails closed without the tasks\' deadlines or the instant of the decision', () => {
    expect(decideClientAccess({ ...base, openRiskTasks: [{ dueAt: RISK_DUE }] })).toMatchObject({ allowed: false, reason: 'no_open_risk_task' });
    expect(decideClientAccess({ ...base, at: DECIDED_AT })).toMatchObject({ allowed: false, reason: 'no_open_risk_task' });
  });

  it('defaults to 7 days', () => {
    expect(SUPERVISOR_RISK_ACCESS_DAYS).toBe(7);
  });
});
