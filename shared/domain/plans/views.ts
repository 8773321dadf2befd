/**
 * Plans and plan reviews as shown. Two audiences:
 * - the care team sees every field, every version (drafts included);
 * - the client sees the versions that were signed (never a draft), without the clinician's
 *   notes and without the text of a revision (its reason code stays: the client knows why
 *   their plan changed); their own acknowledgement and goal notes.
 * Objective statuses are computed when shown (shared/domain/plans/progress.ts), never stored.
 */
import * as z from 'zod';
import { AuthorSchema } from '../monitor/records.js';
import {
  CLIENT_VISIBLE_PLAN_STATUSES,
  FrequencySchema,
  InterventionSchema,
  LEVELS_OF_CARE,
  OBJECTIVE_INSTRUMENTS,
  ObjectiveSchema,
  PLAN_STATUSES,
  PlanSubjectSchema,
  ProblemSchema,
  GoalSchema,
  REVISION_REASONS,
  type PlanAcknowledgement,
  type PlanAudience,
  type StoredPlan,
} from './plan.js';
import { OBJECTIVE_STATUSES, REVIEW_TRIGGER_KINDS, type ObjectiveStatus } from './progress.js';

const Status = { status: z.enum(OBJECTIVE_STATUSES) };
export const ObjectiveViewSchema = z.union(ObjectiveSchema.options.map((option) => option.extend(Status))).meta({ id: 'PlanObjective' });

export const PlanAcknowledgementSchema = z
  .strictObject({
    acknowledgedAt: z.string(),
    goalNotes: z.array(z.strictObject({ goalId: z.string(), note: z.string() })),
  })
  .meta({ id: 'PlanAcknowledgement' });

export const PlanViewSchema = z
  .strictObject({
    planId: z.string(),
    /** A client's plan; a unit plan names its unit in `subject`. */
    clientId: z.string().optional(),
    subject: PlanSubjectSchema,
    version: z.int().min(1),
    status: z.enum(PLAN_STATUSES),
    replaces: z.strictObject({ planId: z.string(), version: z.int() }).optional(),
    revision: z
      .strictObject({
        reason: z.enum(REVISION_REASONS),
        /** Care team only. */
        text: z.string().optional(),
        evidence: z.strictObject({ assessmentIds: z.array(z.string()) }),
      })
      .optional(),
    problems: z.array(ProblemSchema),
    goals: z.array(GoalSchema),
    objectives: z.array(ObjectiveViewSchema),
    interventions: z.array(InterventionSchema),
    strengths: z.array(z.string()),
    sessionFrequency: FrequencySchema,
    levelOfCare: z.enum(LEVELS_OF_CARE),
    dischargeCriteria: z.array(z.string()),
    primaryInstrument: z.enum(OBJECTIVE_INSTRUMENTS).optional(),
    nextReviewDate: z.string(),
    /** Care team only. */
    clinicianNotes: z.string().optional(),
    createdAt: z.string(),
    createdBy: AuthorSchema,
    updatedAt: z.string(),
    signedAt: z.string().optional(),
    signedBy: AuthorSchema.optional(),
    closedAt: z.string().optional(),
    closedBy: AuthorSchema.optional(),
    endReason: z.string().optional(),
    /** The client's acknowledgement of this version (active and later versions); null: not yet. */
    acknowledgement: PlanAcknowledgementSchema.nullable(),
  })
  .meta({ id: 'TreatmentPlan' });
export type PlanView = z.infer<typeof PlanViewSchema>;

export const PlanVersionListSchema = z.strictObject({ versions: z.array(PlanViewSchema) }).meta({ id: 'TreatmentPlanVersions' });
export type PlanVersionList = z.infer<typeof PlanVersionListSchema>;

/** Whether `audience` may see this version at all. */
export function visibleTo(plan: Pick<StoredPlan, 'status'>, audience: PlanAudience): boolean {
  return audience === 'care_team' || CLIENT_VISIBLE_PLAN_STATUSES.includes(plan.status);
}

/** One version as `audience` sees it (see the header). */
export function planView(
  plan: StoredPlan,
  audience: PlanAudience,
  statuses: ReadonlyMap<string, ObjectiveStatus>,
  acknowledgement: PlanAcknowledgement | undefined,
): PlanView {
  const { clinicianNotes, revision, objectives, ...rest } = structuredClone(plan);
  const view: PlanView = {
    ...rest,
    objectives: objectives.map((o) => ({ ...o, status: statuses.get(o.id) ?? 'not_yet_measured' })),
    acknowledgement: acknowledgement ? { acknowledgedAt: acknowledgement.acknowledgedAt, goalNotes: acknowledgement.goalNotes.map((n) => ({ ...n })) } : null,
  };
  if (revision !== undefined) {
    view.revision = audience === 'care_team' ? revision : { reason: revision.reason, evidence: revision.evidence };
  }
  if (audience === 'care_team' && clinicianNotes !== undefined) view.clinicianNotes = clinicianNotes;
  return view;
}

// Plan review tasks ---------------------------------------------------------------------------

export const REVIEW_OUTCOMES = ['no_change', 'revised'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/**
 * A plan review task (CLIENT#<clientId> / PLAN_REVIEW#<reviewId>, or a care unit's plan's:
 * CARE_UNIT#<careUnitId> / PLAN_REVIEW#<reviewId>): ids and codes only, no score. Exactly one of
 * `clientId` and `careUnitId` names the holder.
 */
export interface PlanReviewTask {
  reviewId: string;
  clientId?: string;
  careUnitId?: string;
  planId: string;
  kind: (typeof REVIEW_TRIGGER_KINDS)[number];
  instrument?: string;
  objectiveId?: string;
  /** The therapist it is for (the plan's assigned therapist when it opened). */
  therapistId?: string;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt?: string;
  closedBy?: { userId: string; role: string };
  outcome?: ReviewOutcome;
  /** Why nothing changed ("no_change"). */
  reason?: string;
  /** The version that answered it ("revised"). */
  revisionPlanId?: string;
}

export const PlanReviewTaskSchema = z
  .strictObject({
    reviewId: z.string(),
    planId: z.string(),
    kind: z.enum(REVIEW_TRIGGER_KINDS),
    instrument: z.string().optional(),
    objectiveId: z.string().optional(),
    therapistId: z.string().optional(),
    status: z.enum(['open', 'closed']),
    openedAt: z.string(),
    closedAt: z.string().optional(),
    closedBy: z.strictObject({ userId: z.string(), role: z.string() }).optional(),
    outcome: z.enum(REVIEW_OUTCOMES).optional(),
    reason: z.string().optional(),
    revisionPlanId: z.string().optional(),
  })
  .meta({ id: 'PlanReviewTask' });
export type PlanReviewTaskView = z.infer<typeof PlanReviewTaskSchema>;

export const PlanReviewListSchema = z.strictObject({ reviews: z.array(PlanReviewTaskSchema) }).meta({ id: 'PlanReviewList' });

export const PlanReviewQuerySchema = z.strictObject({ status: z.enum(['open', 'closed', 'all']).default('open') });

export const RecordPlanReviewRequestSchema = z
  .strictObject({
    reviewId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'Not a review id.' }),
    outcome: z.literal('no_change', { error: 'A review without a revision records "no_change"; to change the plan, POST a revision.' }),
    reason: z.string().trim().min(1).max(1000),
  })
  .meta({ id: 'PlanReviewOutcome' });
export type RecordPlanReviewRequest = z.infer<typeof RecordPlanReviewRequestSchema>;

export function reviewTaskView(task: PlanReviewTask): PlanReviewTaskView {
  const { clientId: _client, careUnitId: _unit, ...rest } = structuredClone(task);
  return rest as PlanReviewTaskView;
}
