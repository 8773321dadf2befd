/**
 * The care unit's treatment plan (issue 10, "Manage": for a couple or family, ONE plan for the
 * unit plus each member's optional individual plan). It is the treatment plan of
 * shared/domain/plans/plan.ts with `subject: { kind: 'care_unit', careUnitId }`: the same
 * lifecycle (draft -> active -> revised | completed | ended), versions, race-safe signing,
 * revisions (closed reasons, text, evidence) and end, stored in the unit's partition
 * (keys.ts patterns 85-88).
 *
 * Who:
 * - the unit's therapist (`unit.therapistId`, while the members' therapist) writes: draft,
 *   edit, sign, revise, end; reads every version in the care-team view;
 * - the unit's ACTIVE members read the signed versions in the client view (never a draft, never
 *   the clinician's notes or a revision's text), exactly as a client reads their own plan; a
 *   member who left or was removed reads nothing more (404);
 * - each active ADULT member acknowledges each active version themself (one per member per
 *   version, with its time); the view shows who acknowledged (names only) and when;
 * - supervisors and admins as the access policy says for every active member's plans; anyone
 *   else 404.
 *
 * PRIVACY RULE. A member's measures (PHQ-9, GAD-7, ... scores) and diagnoses are private to
 * that member and the care team: another member of the unit never sees them. The unit plan is
 * read by every member, so it may NOT carry:
 * - an objective on an instrument (`kind: 'measure'`) or a `primaryInstrument`: its status
 *   would show one member's scores to the others -> 422 `unit_plan_measure_objective`;
 * - a problem linked to diagnoses (`diagnosisIds`): diagnoses belong to one member's record
 *   -> 422 `unit_plan_member_diagnosis`;
 * - evidence naming assessments in a revision (they are one member's) -> 422
 *   `unit_plan_member_diagnosis`'s sibling `unit_plan_member_evidence`.
 * Behavioural objectives with due dates ("a weekly 20-minute check-in without devices by
 * 2025-03-01") are the unit plan's measurable objectives. A member's measures stay on their own
 * individual plan.
 */
import * as z from 'zod';
import { isMinor, UNIT_PLAN_REVIEW_KINDS, type CareUnit, type Membership } from '../care-units/units.js';
import { UnitPlanPrivacyError, type UnitPlanRefusal } from '../errors.js';
import { RecordIdSchema } from '../monitor/records.js';
import type { PlanContentParsed, StoredPlan } from './plan.js';
import { detectReviewTriggers, overdueFrom, reviewDueFrom, type PlanCheckRules, type ReviewTrigger, type ReviewTriggerKind } from './progress.js';
import { PlanViewSchema, type PlanView } from './views.js';

export type { UnitPlanRefusal };

export interface UnitPlanIssue {
  code: UnitPlanRefusal;
  field: string;
}

/** What the unit plan's content may not carry (see the header): empty when it is shareable. */
export function unitPlanContentIssues(content: Pick<PlanContentParsed, 'objectives' | 'problems' | 'primaryInstrument'>): UnitPlanIssue[] {
  const issues: UnitPlanIssue[] = [];
  content.objectives.forEach((objective, index) => {
    if (objective.kind === 'measure') issues.push({ code: 'unit_plan_measure_objective', field: `objectives.${index}` });
  });
  if (content.primaryInstrument !== undefined) issues.push({ code: 'unit_plan_measure_objective', field: 'primaryInstrument' });
  content.problems.forEach((problem, index) => {
    if (problem.diagnosisIds.length > 0) issues.push({ code: 'unit_plan_member_diagnosis', field: `problems.${index}.diagnosisIds` });
  });
  return issues;
}

/** A revision's evidence: a unit plan names no member's assessments. */
export function unitPlanEvidenceIssues(assessmentIds: readonly string[]): UnitPlanIssue[] {
  return assessmentIds.length > 0 ? [{ code: 'unit_plan_member_evidence', field: 'revision.evidence.assessmentIds' }] : [];
}

export const UNIT_PLAN_REFUSAL_MESSAGES: Readonly<Record<UnitPlanRefusal, string>> = {
  unit_plan_measure_objective:
    "A care unit's plan cannot have instrument objectives: their status would show one member's scores to the others. Use behavioural objectives with due dates; measures belong on a member's own plan.",
  unit_plan_member_diagnosis: "A care unit's plan cannot link problems to diagnoses: a diagnosis belongs to one member's own record. Describe the unit's problem without them.",
  unit_plan_member_evidence: "A care unit's plan cannot name assessments as evidence: an assessment belongs to one member's own record. Say why in the revision's text.",
};

/** The refusal of the first kind of issue found (422, the code says why), or nothing. */
export function refuseUnitPlanIssues(issues: readonly UnitPlanIssue[]): void {
  const first = issues[0];
  if (first) throw new UnitPlanPrivacyError(issues, UNIT_PLAN_REFUSAL_MESSAGES[first.code]);
}

/** Whether this member acknowledges the unit plan: an active member, an adult on `today` (YYYY-MM-DD). */
export function mayAcknowledge(membership: Pick<Membership, 'status'> | undefined, dateOfBirth: string | undefined, today: string): boolean {
  return membership?.status === 'active' && !isMinor(dateOfBirth, today);
}

export const UnitPlanParamsSchema = z.strictObject({ unitId: z.uuid({ error: 'Not a care unit id.' }), planId: RecordIdSchema });

/** A member acknowledges for themself: nothing to send (goal notes stay on one's own plan, the others would read them). */
export const AcknowledgeUnitPlanRequestSchema = z.strictObject({}).meta({ id: 'UnitPlanAcknowledgementRequest' });

export const UnitPlanAcknowledgerSchema = z.strictObject({ firstName: z.string(), lastName: z.string(), acknowledgedAt: z.string() }).meta({ id: 'UnitPlanAcknowledger' });
export type UnitPlanAcknowledger = z.infer<typeof UnitPlanAcknowledgerSchema>;

export const UnitPlanViewSchema = PlanViewSchema.extend({
  /** Who acknowledged this version (names only) and when, first first. */
  acknowledgements: z.array(UnitPlanAcknowledgerSchema),
}).meta({ id: 'CareUnitTreatmentPlan' });
export type UnitPlanView = z.infer<typeof UnitPlanViewSchema>;

export const UnitPlanVersionListSchema = z.strictObject({ versions: z.array(UnitPlanViewSchema) }).meta({ id: 'CareUnitTreatmentPlanVersions' });

/**
 * A plan view (planView, views.ts) as a unit's reader sees it: `acknowledgement` is the
 * caller's own (a member; null for the care team), `acknowledgements` everyone's, by name.
 */
export function unitPlanView(
  view: PlanView,
  acknowledgements: readonly { clientId?: string; version: number; acknowledgedAt: string }[],
  names: ReadonlyMap<string, { firstName: string; lastName: string }>,
  callerId: string | undefined,
): UnitPlanView {
  const ofVersion = acknowledgements.filter((a) => a.version === view.version).sort((a, b) => a.acknowledgedAt.localeCompare(b.acknowledgedAt));
  const own = callerId === undefined ? undefined : ofVersion.find((a) => a.clientId === callerId);
  return {
    ...view,
    acknowledgement: own ? { acknowledgedAt: own.acknowledgedAt, goalNotes: [] } : null,
    acknowledgements: ofVersion.map((a) => {
      const name = names.get(a.clientId ?? '');
      return { firstName: name?.firstName ?? '', lastName: name?.lastName ?? '', acknowledgedAt: a.acknowledgedAt };
    }),
  };
}

// Review tasks (see the header) ---------------------------------------------------------------

/** The review triggers that can apply to a unit plan (no member's scores). */
export const UNIT_PLAN_TRIGGER_KINDS: readonly ReviewTriggerKind[] = UNIT_PLAN_REVIEW_KINDS;

/** Whether a member's lifecycle checks this unit's plan: an active member of a matched unit whose joint care has not ended. */
export function unitPlanChecked(unit: Pick<CareUnit, 'therapistId' | 'careEndedAt'>, membership: Pick<Membership, 'status'> | undefined): boolean {
  return unit.therapistId !== undefined && unit.careEndedAt === undefined && membership?.status === 'active';
}

/** What calls for a review of the unit's (active) plan now: progress.ts's rules without any score, the unit's two kinds only. */
export function unitPlanReviewTriggers(input: { now: string; plan: StoredPlan }, rules: PlanCheckRules): ReviewTrigger[] {
  return detectReviewTriggers({ now: input.now, plan: input.plan, attendedSessions: 0, series: {} }, rules).filter((t) => UNIT_PLAN_TRIGGER_KINDS.includes(t.kind));
}

/**
 * The next instant at which time alone can raise a unit plan trigger (after `now`): an
 * objective not achieved falling past due, the review date. A member's lifecycle wakes then.
 */
export function nextUnitPlanCheckAt(input: { now: string; plan: StoredPlan }): string | undefined {
  const { plan } = input;
  if (plan.status !== 'active') return undefined;
  const now = Date.parse(input.now);
  const candidates = [
    ...plan.objectives.filter((o) => o.kind === 'behaviour' && o.achievedOn === undefined).map((o) => overdueFrom(o.dueDate)),
    reviewDueFrom(plan.nextReviewDate),
  ].filter((at) => at > now);
  return candidates.length === 0 ? undefined : new Date(Math.min(...candidates)).toISOString();
}
