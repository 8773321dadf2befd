/**
 * The treatment plan (issue 10, "Manage"; DESIGN.md "Manage: plans..."): problem (linked to
 * the client's diagnoses) -> long-term goal in the client's words -> measurable objective
 * (instrument + target + due date, FHIR `Goal.target`; or a behavioural target with a due
 * date) -> intervention (modality, frequency, status). Also: strengths, session frequency,
 * level of care, discharge criteria and the next review date.
 *
 * Lifecycle (every version kept, each readable by its own id):
 *
 * | status    | how it got there                                                        | next                        |
 * |-----------|-------------------------------------------------------------------------|-----------------------------|
 * | draft     | POST .../plans (version 1, or after an ended plan) or .../revisions     | active (sign); edited (PATCH) |
 * | active    | signed by the assigned therapist; ONE per client (the ACTIVE_PLAN pointer) | revised, completed, ended |
 * | revised   | a newer version was signed (FHIR `CarePlan.replaces`)                   | -                           |
 * | completed | goals met, care over                                                    | -                           |
 * | ended     | ended unachieved (FHIR: a goal can end unachieved)                      | -                           |
 *
 * The subject is a client, or a couple or family unit (`{ kind: 'care_unit', careUnitId }`):
 * the unit plan is this same plan, stored in the unit's partition, with the privacy rules of
 * shared/domain/plans/unit-plan.ts (no instrument objectives, no member's diagnoses).
 *
 * Items inside a plan (problems, goals, objectives, interventions) carry short ids the author
 * chooses (`p1`, `g-sleep`), kept across versions, so a revision can say what it changed and a
 * goal keeps the client's progress notes.
 */
import * as z from 'zod';
import { MODALITIES } from '../clinicians.js';
import { INSTRUMENT_IDS, type InstrumentId } from '../instruments/definition.js';
import { AuthorSchema, RecordIdSchema, type Author } from '../monitor/records.js';

export const PLAN_STATUSES = ['draft', 'active', 'revised', 'completed', 'ended'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** The statuses a client sees: never a draft (not yet agreed, possibly never signed). */
export const CLIENT_VISIBLE_PLAN_STATUSES: readonly PlanStatus[] = ['active', 'revised', 'completed', 'ended'];

/** Why a plan was revised: a closed list, with the author's text beside it. */
export const REVISION_REASONS = [
  'not_on_track',
  'deterioration',
  'client_preference',
  'new_diagnosis',
  'step_up',
  'step_down',
  'goal_met',
  'other',
] as const;
export type RevisionReason = (typeof REVISION_REASONS)[number];

/** Levels of care, from least to most intensive (the usual outpatient-to-inpatient continuum, LOCUS / ASAM style). */
export const LEVELS_OF_CARE = ['outpatient', 'intensive_outpatient', 'partial_hospitalization', 'residential', 'inpatient'] as const;
export type LevelOfCare = (typeof LEVELS_OF_CARE)[number];

export const INTERVENTION_STATUSES = ['active', 'stopped', 'completed'] as const;
export type InterventionStatus = (typeof INTERVENTION_STATUSES)[number];

/** Instruments an objective can target: those with a total and outcome rules (not the C-SSRS screener, which triages). */
export const OBJECTIVE_INSTRUMENTS = INSTRUMENT_IDS.filter((id): id is Exclude<InstrumentId, 'cssrs_screener'> => id !== 'cssrs_screener');
export type ObjectiveInstrument = (typeof OBJECTIVE_INSTRUMENTS)[number];

export const PLAN_TEXT_MAX = 1000;
export const PLAN_ITEMS_MAX = 20;
export const REVISION_EVIDENCE_MAX = 20;

const ItemIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, { error: 'Item ids are 1-40 letters, digits, - or _.' });
const Text = z.string().trim().min(1).max(PLAN_TEXT_MAX, { error: `Keep each text under ${PLAN_TEXT_MAX} characters.` });
/** A calendar date, YYYY-MM-DD (UTC). */
export const PlanDateSchema = z.iso.date({ error: 'Give a date as YYYY-MM-DD.' });
const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;

/** "weekly x 12": `{ every: 'week', sessions: 12 }`; no `sessions` = open-ended. */
export const FrequencySchema = z
  .strictObject({
    every: z.enum(['week', 'two_weeks', 'month']),
    timesPer: z.int().min(1).max(7).default(1),
    sessions: z.int().min(1).max(104).optional(),
  })
  .meta({ id: 'PlanFrequency' });
export type Frequency = z.infer<typeof FrequencySchema>;

export const ProblemSchema = z.strictObject({
  id: ItemIdSchema,
  description: Text,
  /** Diagnoses of THIS client (checked when the plan is written). */
  diagnosisIds: z.array(RecordIdSchema).max(PLAN_ITEMS_MAX).refine(unique, { error: 'Name each diagnosis once.' }).default([]),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const GoalSchema = z.strictObject({
  id: ItemIdSchema,
  problemIds: z.array(ItemIdSchema).min(1, { error: 'A goal answers at least one problem.' }).max(PLAN_ITEMS_MAX),
  /** In the client's words. */
  statement: Text,
});
export type Goal = z.infer<typeof GoalSchema>;

/** A target on an instrument total: below a value (PHQ-9 < 10) or a drop of at least a percentage from the baseline (>= 50 %). */
export const ObjectiveTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('below'), value: z.int().min(1).max(80) }),
  z.strictObject({ kind: z.literal('reduction_percent'), percent: z.int().min(1).max(100) }),
]);
export type ObjectiveTarget = z.infer<typeof ObjectiveTargetSchema>;

export const ObjectiveSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('measure'),
    id: ItemIdSchema,
    goalId: ItemIdSchema,
    instrument: z.enum(OBJECTIVE_INSTRUMENTS),
    target: ObjectiveTargetSchema,
    dueDate: PlanDateSchema,
  }),
  z.strictObject({
    kind: z.literal('behaviour'),
    id: ItemIdSchema,
    goalId: ItemIdSchema,
    description: Text,
    dueDate: PlanDateSchema,
    /** Set by the therapist (in a draft or a revision) when the behavioural target was met. */
    achievedOn: PlanDateSchema.optional(),
  }),
]);
export type Objective = z.infer<typeof ObjectiveSchema>;

export const InterventionSchema = z
  .strictObject({
    id: ItemIdSchema,
    modality: z.enum(MODALITIES),
    goalIds: z.array(ItemIdSchema).max(PLAN_ITEMS_MAX).default([]),
    frequency: FrequencySchema,
    status: z.enum(INTERVENTION_STATUSES).default('active'),
    /** Required when stopped (FHIR activity `statusReason`): "no reliable change after 8 sessions". */
    stopReason: Text.optional(),
  })
  .refine((i) => (i.status === 'stopped') === (i.stopReason !== undefined), {
    error: 'A stopped intervention keeps its stop reason (and only a stopped one has one).',
    path: ['stopReason'],
  });
export type Intervention = z.infer<typeof InterventionSchema>;

/**
 * The plan's fields, WITHOUT defaults: the shape of a change (PATCH of a draft, a revision's
 * `changes`). A default there would fill in every field the change leaves out (zod applies a
 * default inside an optional key too), so a change of the interventions alone would empty the
 * objectives and strengths and reset the level of care.
 */
const planContentFields = {
  problems: z.array(ProblemSchema).min(1).max(PLAN_ITEMS_MAX),
  goals: z.array(GoalSchema).min(1).max(PLAN_ITEMS_MAX),
  objectives: z.array(ObjectiveSchema).max(PLAN_ITEMS_MAX),
  interventions: z.array(InterventionSchema).max(PLAN_ITEMS_MAX),
  strengths: z.array(Text).max(PLAN_ITEMS_MAX),
  sessionFrequency: FrequencySchema,
  levelOfCare: z.enum(LEVELS_OF_CARE),
  dischargeCriteria: z.array(Text).min(1).max(PLAN_ITEMS_MAX),
  /**
   * The instrument the "not working" check follows; default the instrument of the first
   * measure objective (none: only deterioration, overdue objectives and the review date are checked).
   */
  primaryInstrument: z.enum(OBJECTIVE_INSTRUMENTS).optional(),
  /** Default: 90 days after the plan is written (DEFAULT_PLAN_REVIEW_DAYS, shared/config/plans.ts). */
  nextReviewDate: PlanDateSchema.optional(),
  /** The clinician's formulation and rationale: never shown to the client. */
  clinicianNotes: Text.optional(),
};

/** What the therapist writes: the plan's content (a new plan: the lists may be left out, the level of care is outpatient unless said). */
export const PlanContentSchema = z.strictObject({
  ...planContentFields,
  objectives: planContentFields.objectives.default([]),
  interventions: planContentFields.interventions.default([]),
  strengths: planContentFields.strengths.default([]),
  levelOfCare: planContentFields.levelOfCare.default('outpatient'),
});
/** A change of some top-level fields: only those given are replaced, the rest kept (no defaults). */
export const PlanContentChangesSchema = z.strictObject(planContentFields).partial();
export type PlanContentRequest = z.input<typeof PlanContentSchema>;
export type PlanContentParsed = z.output<typeof PlanContentSchema>;

export const CreatePlanRequestSchema = PlanContentSchema.superRefine((content, ctx) => checkReferences(content, ctx)).meta({ id: 'PlanDraftRequest' });
/** PATCH of a draft: any top-level field, the rest kept. */
export const EditPlanRequestSchema = PlanContentChangesSchema
  .refine((patch) => Object.keys(patch).length > 0, { error: 'Change at least one field.' })
  .meta({ id: 'PlanDraftEdit' });
export type EditPlanRequest = z.infer<typeof EditPlanRequestSchema>;

export const RevisionSchema = z
  .strictObject({
    reason: z.enum(REVISION_REASONS),
    text: Text,
    /** Assessments of THIS client that prompted the revision (checked when it is written). */
    evidence: z
      .strictObject({
        assessmentIds: z.array(RecordIdSchema).max(REVISION_EVIDENCE_MAX).refine(unique, { error: 'Name each assessment once.' }).default([]),
      })
      .default({ assessmentIds: [] }),
  })
  .meta({ id: 'PlanRevision' });
export type Revision = z.infer<typeof RevisionSchema>;

/** POST .../revisions: why, the evidence, and optionally the new content (default: a copy of the active version). */
export const RevisePlanRequestSchema = z
  .strictObject({ revision: RevisionSchema, changes: PlanContentChangesSchema.optional() })
  .meta({ id: 'PlanRevisionRequest' });
export type RevisePlanRequest = z.infer<typeof RevisePlanRequestSchema>;

export const PLAN_END_STATUSES = ['completed', 'ended'] as const;
export const EndPlanRequestSchema = z.strictObject({ status: z.enum(PLAN_END_STATUSES), reason: Text }).meta({ id: 'PlanEndRequest' });
export type EndPlanRequest = z.infer<typeof EndPlanRequestSchema>;

export const GOAL_NOTE_MAX = 1000;
export const AcknowledgePlanRequestSchema = z
  .strictObject({
    /** The client's own progress note per goal, optional. */
    goalNotes: z
      .array(z.strictObject({ goalId: ItemIdSchema, note: z.string().trim().min(1).max(GOAL_NOTE_MAX) }))
      .max(PLAN_ITEMS_MAX)
      .refine((notes) => unique(notes.map((n) => n.goalId)), { error: 'One note per goal.' })
      .default([]),
  })
  .meta({ id: 'PlanAcknowledgementRequest' });
export type AcknowledgePlanRequest = z.infer<typeof AcknowledgePlanRequestSchema>;

export const PlanParamsSchema = z.strictObject({ clientId: z.uuid({ error: 'Not a client id.' }), planId: RecordIdSchema });

export const PlanSubjectSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('client'), clientId: z.string() }),
  z.strictObject({ kind: z.literal('care_unit'), careUnitId: z.string() }),
]);
export type PlanSubject = z.infer<typeof PlanSubjectSchema>;

/** The id of the partition a plan lives in: the client's, or the care unit's. */
export function holderIdOf(subject: PlanSubject): string {
  return subject.kind === 'client' ? subject.clientId : subject.careUnitId;
}

/** Plan content as stored: defaults applied, the review date resolved. */
export type PlanContent = Omit<PlanContentParsed, 'nextReviewDate'> & { nextReviewDate: string };

/** One version, as stored (CLIENT#<clientId> or CARE_UNIT#<unitId> / PLAN#V#<version>). */
export interface StoredPlan extends PlanContent {
  planId: string;
  /** A client's plan: the client (a unit plan names its unit in `subject` only). */
  clientId?: string;
  subject: PlanSubject;
  /** 1, 2, 3... in the order written; a revision is the active version + 1. */
  version: number;
  status: PlanStatus;
  /** The version this one replaces (a revision). */
  replaces?: { planId: string; version: number };
  revision?: Revision;
  createdAt: string;
  createdBy: Author;
  updatedAt: string;
  signedAt?: string;
  signedBy?: Author;
  /** When a newer version replaced it (status revised), or it was completed or ended. */
  closedAt?: string;
  closedBy?: Author;
  endReason?: string;
}

/** The client's acknowledgement of one active version (CLIENT#<clientId> / PLAN_ACK#<version>; a unit member's: CARE_UNIT#<unitId> / PLAN_ACK#<version>#<clientId>). */
export interface PlanAcknowledgement {
  planId: string;
  /** A unit plan: the member who acknowledged. */
  clientId?: string;
  version: number;
  acknowledgedAt: string;
  goalNotes: { goalId: string; note: string }[];
}

/** Checks the links inside a plan: ids unique, goals name problems, objectives and interventions name goals. */
export function referenceProblems(content: Pick<PlanContentParsed, 'problems' | 'goals' | 'objectives' | 'interventions'>): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const ids = (list: readonly { id: string }[], field: string) => {
    const seen = new Set<string>();
    list.forEach((item, index) => {
      if (seen.has(item.id)) issues.push({ path: [field, index, 'id'], message: 'This id is used twice.' });
      seen.add(item.id);
    });
    return seen;
  };
  const problems = ids(content.problems, 'problems');
  const goals = ids(content.goals, 'goals');
  ids(content.objectives, 'objectives');
  ids(content.interventions, 'interventions');
  content.goals.forEach((goal, index) =>
    goal.problemIds.forEach((id, at) => {
      if (!problems.has(id)) issues.push({ path: ['goals', index, 'problemIds', at], message: 'No problem has this id.' });
    }),
  );
  content.objectives.forEach((objective, index) => {
    if (!goals.has(objective.goalId)) issues.push({ path: ['objectives', index, 'goalId'], message: 'No goal has this id.' });
  });
  content.interventions.forEach((intervention, index) =>
    intervention.goalIds.forEach((id, at) => {
      if (!goals.has(id)) issues.push({ path: ['interventions', index, 'goalIds', at], message: 'No goal has this id.' });
    }),
  );
  return issues;
}

function checkReferences(content: PlanContentParsed, ctx: z.RefinementCtx): void {
  for (const issue of referenceProblems(content)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}

const DAY_MS = 86_400_000;

/** The calendar date (UTC) `days` after `at`. */
export function dateAfter(at: Date, days: number): string {
  return new Date(at.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** The plan content with its defaults: the review date `reviewDays` after `now` unless given. */
export function resolveContent(content: PlanContentParsed, now: Date, reviewDays: number): PlanContent {
  return { ...content, nextReviewDate: content.nextReviewDate ?? dateAfter(now, reviewDays) };
}

/** The instrument the "not working" check follows (see PlanContentSchema.primaryInstrument). */
export function primaryInstrumentOf(plan: Pick<PlanContent, 'primaryInstrument' | 'objectives'>): ObjectiveInstrument | undefined {
  if (plan.primaryInstrument !== undefined) return plan.primaryInstrument;
  const first = plan.objectives.find((o) => o.kind === 'measure');
  return first?.kind === 'measure' ? first.instrument : undefined;
}

/** Every instrument the plan follows: the primary one and those of its measure objectives. */
export function instrumentsOf(plan: Pick<PlanContent, 'primaryInstrument' | 'objectives'>): ObjectiveInstrument[] {
  const all = new Set<ObjectiveInstrument>();
  const primary = primaryInstrumentOf(plan);
  if (primary) all.add(primary);
  for (const objective of plan.objectives) if (objective.kind === 'measure') all.add(objective.instrument);
  return OBJECTIVE_INSTRUMENTS.filter((i) => all.has(i));
}

/** The content a revision starts from: the active version's, with the changes applied. */
export function contentOf(plan: StoredPlan): PlanContent {
  const {
    problems, goals, objectives, interventions, strengths, sessionFrequency, levelOfCare, dischargeCriteria, primaryInstrument, nextReviewDate, clinicianNotes,
  } = plan;
  return structuredClone({
    problems, goals, objectives, interventions, strengths, sessionFrequency, levelOfCare, dischargeCriteria, nextReviewDate,
    ...(primaryInstrument === undefined ? {} : { primaryInstrument }),
    ...(clinicianNotes === undefined ? {} : { clinicianNotes }),
  });
}

export type PlanAudience = 'client' | 'care_team';

export type { Author };
export { AuthorSchema };
