/**
 * Risk tasks (issue 4, item 5): one per flagged source record (an assessment or a check-in),
 * opened by the risk-escalation workflow, acknowledged and assessed by a clinician over the API.
 * Pure: ids, deadlines, who is responsible, who may act on a task, and the request/response
 * schemas. The workflow is workflows/risk-escalation.asl.json; the settings are
 * shared/config/risk-escalation.ts.
 *
 * Status:
 *   open --(deadline passed, round n)--> escalated --(rounds exhausted)--> unresolved
 *     \______________________|_________________________________|
 *                            v  acknowledge (assignee, supervisor, current clinician, on-call coordinator)
 *                      acknowledged --assessment (assignee/current clinician, supervisor)--> assessed
 * An assessment may also come straight from open/escalated/unresolved (it acknowledges too).
 * `assessed` closes the task; every other status is OPEN (it shows in the lists and gives
 * supervisors their `risk_review` access to the client's record).
 *
 * Who is responsible (issue 4: "the assigned therapist, before matching the consultation
 * clinician, else the on-call coordinator"): see chooseResponsible.
 *
 * Coordinator decision (DESIGN.md limits coordinators to intake and consultation data): the
 * on-call coordinator is alerted only when the client has no clinician, and gets the RISK TASK,
 * not the record: they may list and acknowledge their on-call tasks (acknowledging = "I am on
 * it": they reach a clinician or a supervisor), but a risk assessment is a clinical write they
 * may not make (403 on their own task), and their access to the client's record stays what
 * shared/domain/access.ts gives a coordinator (intake only). A coordinator who IS the client's
 * consultation clinician acts as that clinician.
 */
import * as z from 'zod';
import { decideClientAccess, type AccessBasis, type AccessDenialReason, type CareRelationship } from './access.js';
import { RiskLevelSchema, RISK_LEVELS, type RiskLevel } from './instruments/risk-flags.js';
import type { Role } from './roles.js';

export const RISK_SOURCE_TYPES = ['assessment', 'check_in'] as const;
export type RiskSourceType = (typeof RISK_SOURCE_TYPES)[number];

/** Source ids become part of a task id, an execution name and a URL path. */
export const RISK_SOURCE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const RiskSourceSchema = z.strictObject({ type: z.enum(RISK_SOURCE_TYPES), id: z.string().regex(RISK_SOURCE_ID_PATTERN) });
export type RiskSourceRef = z.infer<typeof RiskSourceSchema>;

/**
 * One task per source record, and the same name for the workflow execution: a repeated start
 * (a retried request, a replayed event) finds the same execution and the same task.
 */
export function riskTaskIdFor(source: RiskSourceRef): string {
  if (!RISK_SOURCE_ID_PATTERN.test(source.id)) throw new RangeError('Not a usable risk source id.');
  return `risk-${source.type}-${source.id}`;
}

export const RISK_TASK_ID_PATTERN = /^risk-(?:assessment|check_in)-[A-Za-z0-9_-]{1,64}$/;
export const RiskTaskIdSchema = z.string().regex(RISK_TASK_ID_PATTERN, { error: 'Not a risk task id.' });

export const RISK_TASK_STATUSES = ['open', 'acknowledged', 'escalated', 'unresolved', 'assessed'] as const;
export type RiskTaskStatus = (typeof RISK_TASK_STATUSES)[number];
/** Nobody has acknowledged yet: the workflow keeps escalating. */
export const UNACKNOWLEDGED_STATUSES = ['open', 'escalated', 'unresolved'] as const satisfies readonly RiskTaskStatus[];

export function isOpenStatus(status: RiskTaskStatus): boolean {
  return status !== 'assessed';
}

export function isHandledStatus(status: RiskTaskStatus): boolean {
  return status === 'acknowledged' || status === 'assessed';
}

/**
 * Why this person got the alert: the client's active `therapist`, else their active
 * `consultation` clinician (before matching), else the `on_call` coordinator; `unassigned` when
 * there is none of them (the workflow then escalates to the supervisors at once).
 */
export const RESPONSIBILITY_KINDS = ['therapist', 'consultation', 'on_call', 'unassigned'] as const;
export type ResponsibilityKind = (typeof RESPONSIBILITY_KINDS)[number];

export type Responsibility = { kind: 'therapist' | 'consultation' | 'on_call'; staffId: string } | { kind: 'unassigned' };

export const ResponsibilitySchema = z.union([
  z.strictObject({ kind: z.enum(['therapist', 'consultation', 'on_call']), staffId: z.string().min(1).max(128) }),
  z.strictObject({ kind: z.literal('unassigned') }),
]);

export interface CoordinatorCandidate {
  staffId: string;
  /** UTC ISO instant the staff record was created. */
  createdAt: string;
}

/**
 * The responsible clinician (issue 4, item 5). The on-call coordinator is chosen
 * deterministically until the service has an on-call rota: the longest-serving coordinator
 * (earliest `createdAt`, then the smallest id), so the same client gets the same coordinator on
 * every retry, and the seeded demo coordinator is the one locally.
 */
export function chooseResponsible(activeRelationships: readonly CareRelationship[], coordinators: readonly CoordinatorCandidate[]): Responsibility {
  const active = activeRelationships.filter((r) => r.endedAt === undefined);
  const therapist = active.find((r) => r.kind === 'therapist');
  if (therapist) return { kind: 'therapist', staffId: therapist.clinicianId };
  const consultation = active.find((r) => r.kind === 'consultation');
  if (consultation) return { kind: 'consultation', staffId: consultation.clinicianId };
  const since = (c: CoordinatorCandidate) => {
    const at = Date.parse(c.createdAt);
    // A record without a valid creation time comes last, never first.
    return Number.isNaN(at) ? Number.MAX_SAFE_INTEGER : at;
  };
  const onCall = [...coordinators].sort((a, b) => since(a) - since(b) || (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0))[0];
  return onCall ? { kind: 'on_call', staffId: onCall.staffId } : { kind: 'unassigned' };
}

/** The task's deadline: the flag's time plus the level's minutes (shared/config/risk-escalation.ts). */
export function riskTaskDueAt(level: RiskLevel, flaggedAt: string, acknowledgeWithinMinutes: Readonly<Record<RiskLevel, number>>): string {
  const flagged = Date.parse(flaggedAt);
  if (Number.isNaN(flagged)) throw new RangeError(`Not an ISO instant: ${flaggedAt}`);
  return new Date(flagged + acknowledgeWithinMinutes[level] * 60_000).toISOString();
}

export interface RiskEscalationRound {
  round: number;
  /** UTC ISO instant the round was recorded (after its emails). */
  at: string;
  /** How many supervisors were notified in this round. */
  notified: number;
}

/** The clinician's risk assessment: `none` when they find no current risk. */
export const ASSESSED_RISK_LEVELS = ['none', ...RISK_LEVELS] as const;
export type AssessedRiskLevel = (typeof ASSESSED_RISK_LEVELS)[number];

/** Where a client may be referred (a higher level of care; issue 4, item 5). */
export const LEVELS_OF_CARE = ['crisis', 'inpatient', 'residential', 'partial_hospitalization', 'intensive_outpatient'] as const;
export type LevelOfCare = (typeof LEVELS_OF_CARE)[number];

const Text = (max: number) => z.string().trim().min(1).max(max);
const Items = (max: number) => z.array(Text(500)).max(max);

const SafetyContactSchema = z.strictObject({
  name: Text(200),
  /** A phone number, a text line or another way to reach them. */
  contact: Text(200),
});

const digitsOnly = (value: string) => value.replace(/\D/g, '');

/**
 * The Stanley-Brown Safety Planning Intervention, its six steps (Stanley & Brown, 2012,
 * "Safety Planning Intervention: A Brief Intervention to Mitigate Suicide Risk", Cognitive and
 * Behavioral Practice 19(2)). Step 5 must list the 988 Suicide & Crisis Lifeline (DESIGN.md,
 * crisis resources).
 */
export const SafetyPlanSchema = z
  .strictObject({
    /** 1. Warning signs (thoughts, images, mood, situations, behavior) that a crisis may be developing. */
    warningSigns: Items(20).min(1),
    /** 2. Internal coping strategies: things to do alone to take one's mind off problems. */
    internalCopingStrategies: Items(20).min(1),
    /** 3. People and social settings that provide distraction. */
    socialDistractions: z
      .strictObject({ people: z.array(SafetyContactSchema).max(10), places: Items(10) })
      .refine((step) => step.people.length + step.places.length > 0, { error: 'Name at least one person or place.' }),
    /** 4. People whom the client can ask for help. */
    peopleToAskForHelp: z.array(SafetyContactSchema).max(10),
    /** 5. Professionals or agencies to contact during a crisis, including 988. */
    professionalsAndAgencies: z
      .array(SafetyContactSchema)
      .min(1)
      .max(10)
      .refine((contacts) => contacts.some((c) => digitsOnly(c.contact) === '988'), {
        error: 'List the 988 Suicide & Crisis Lifeline (call or text 988).',
      }),
    /** 6. Making the environment safe (e.g. limiting access to lethal means). */
    environmentSafety: Items(20).min(1),
  })
  .meta({ id: 'SafetyPlan' });
export type SafetyPlan = z.infer<typeof SafetyPlanSchema>;

export const ReferralSchema = z
  .strictObject({
    levelOfCare: z.enum(LEVELS_OF_CARE),
    /** The program, facility or service referred to. */
    to: Text(200),
    reason: Text(2000),
  })
  .meta({ id: 'RiskReferral' });
export type Referral = z.infer<typeof ReferralSchema>;

export const RiskAssessmentRequestSchema = z
  .strictObject({
    level: z.enum(ASSESSED_RISK_LEVELS),
    rationale: Text(4000),
    actions: Items(20).min(1),
    safetyPlan: SafetyPlanSchema.optional(),
    referral: ReferralSchema.optional(),
  })
  .superRefine((request, context) => {
    if ((request.level === 'moderate' || request.level === 'high') && request.safetyPlan === undefined) {
      context.addIssue({ code: 'custom', path: ['safetyPlan'], message: 'A moderate or high risk assessment needs a safety plan.' });
    }
  })
  .meta({ id: 'RiskAssessmentRequest' });
export type RiskAssessmentRequest = z.infer<typeof RiskAssessmentRequestSchema>;

export interface RiskAssessmentRecord extends RiskAssessmentRequest {
  assessedBy: string;
  assessedAt: string;
}

/** A risk task as stored (RISK_TASK#<id> / TASK) and as the API returns it. */
export interface RiskTask {
  taskId: string;
  clientId: string;
  /** The flag's level: it set the deadline. */
  level: RiskLevel;
  source: RiskSourceRef;
  status: RiskTaskStatus;
  responsibility: ResponsibilityKind;
  /** The alerted clinician (or on-call coordinator); absent when unassigned. */
  responsibleClinicianId?: string;
  flaggedAt: string;
  createdAt: string;
  dueAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  escalations: RiskEscalationRound[];
  unresolvedAt?: string;
  assessment?: RiskAssessmentRecord;
}

const Instant = z.iso.datetime({ offset: true });

export const RiskTaskSchema = z
  .strictObject({
    taskId: z.string(),
    clientId: z.string(),
    level: RiskLevelSchema,
    source: RiskSourceSchema,
    status: z.enum(RISK_TASK_STATUSES),
    responsibility: z.enum(RESPONSIBILITY_KINDS),
    responsibleClinicianId: z.string().optional(),
    flaggedAt: Instant,
    createdAt: Instant,
    dueAt: Instant,
    acknowledgedAt: Instant.optional(),
    acknowledgedBy: z.string().optional(),
    escalations: z.array(z.strictObject({ round: z.number().int().min(1), at: Instant, notified: z.number().int().min(0) })),
    unresolvedAt: Instant.optional(),
    assessment: z
      .strictObject({
        level: z.enum(ASSESSED_RISK_LEVELS),
        rationale: z.string(),
        actions: z.array(z.string()),
        safetyPlan: SafetyPlanSchema.optional(),
        referral: ReferralSchema.optional(),
        assessedBy: z.string(),
        assessedAt: Instant,
      })
      .optional(),
  })
  .meta({ id: 'RiskTask' });

export const RiskTaskListSchema = z.strictObject({ tasks: z.array(RiskTaskSchema) }).meta({ id: 'RiskTaskList' });
export const RiskTaskParamsSchema = z.strictObject({ id: RiskTaskIdSchema });

export const RISK_TASK_ACTIONS = ['read', 'acknowledge', 'assess'] as const;
export type RiskTaskAction = (typeof RISK_TASK_ACTIONS)[number];

export type RiskTaskAccessDecision =
  | { allowed: true; basis: AccessBasis }
  | { allowed: false; reason: AccessDenialReason | 'not_clinical_role'; respondAs: 'not_found' | 'forbidden' };

/**
 * Who may read, acknowledge or assess a task (issue 4, items 5 and 6):
 * 1. the client's current clinician for risk review (shared/domain/access.ts: the active
 *    therapist, or the consultation clinician before matching): everything;
 * 2. a supervisor, on an open task: everything, however late (risk is never missed: a task left
 *    open must stay in front of someone who can assess it). Their access to the client's
 *    RECORDS ends SUPERVISOR_RISK_ACCESS_DAYS past the deadline (the access policy's
 *    `supervisor` basis); the task itself does not;
 * 3. the on-call coordinator the task is assigned to: read and acknowledge; assess -> 403;
 * 4. anyone else (a clinician whose relationship ended, another therapist, clients, admins):
 *    404, so a task's existence does not leak.
 * Being the alerted assignee alone is not enough for a therapist or consultation clinician: a
 * rematch since the alert moves access to the new clinician (DESIGN.md: only an active care
 * relationship). Pure; the caller loads the client's relationships.
 */
export function decideRiskTaskAccess(request: {
  caller: { userId: string; role: Role };
  task: Pick<RiskTask, 'clientId' | 'status' | 'dueAt' | 'responsibility' | 'responsibleClinicianId'>;
  relationships: readonly CareRelationship[];
  action: RiskTaskAction;
  /** The instant of the decision (UTC ISO): a supervisor's access ends some days after the deadline. */
  at: string;
}): RiskTaskAccessDecision {
  const { caller, task } = request;
  if (caller.role === 'client' || caller.role === 'admin') return { allowed: false, reason: 'not_clinical_role', respondAs: 'not_found' };
  const policy = decideClientAccess({
    caller,
    clientId: task.clientId,
    relationships: request.relationships,
    purpose: 'risk_review',
    action: request.action === 'read' ? 'read' : 'update',
    category: 'risk',
    openRiskTasks: isOpenStatus(task.status) ? [{ dueAt: task.dueAt }] : [],
    at: request.at,
  });
  if (policy.allowed) return { allowed: true, basis: policy.basis };
  if (caller.role === 'supervisor' && isOpenStatus(task.status)) return { allowed: true, basis: 'supervisor' };
  if (caller.role === 'coordinator' && task.responsibility === 'on_call' && task.responsibleClinicianId === caller.userId) {
    return request.action === 'assess'
      ? { allowed: false, reason: 'action_not_allowed', respondAs: 'forbidden' }
      : { allowed: true, basis: 'coordinator' };
  }
  return { allowed: false, reason: policy.reason, respondAs: 'not_found' };
}

export function compareDue(a: Pick<RiskTask, 'dueAt' | 'taskId'>, b: Pick<RiskTask, 'dueAt' | 'taskId'>): number {
  return Date.parse(a.dueAt) - Date.parse(b.dueAt) || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0);
}
