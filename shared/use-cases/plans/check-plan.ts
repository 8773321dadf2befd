/**
 * Care-lifecycle task CheckPlanProgress (issue 10, item 2): at each wake-up, whether the
 * client's active plan is "not working", and a plan review task for the therapist per trigger.
 *
 * 1. Read the ACTIVE_PLAN pointer and the version (none, or no active therapist: nothing to do).
 * 2. Read the scores of every instrument the plan follows and the attended sessions of the
 *    course (a port: 0 until sessions exist).
 * 3. The pure rules (shared/domain/plans/progress.ts) name the triggers, each with its
 *    deterministic id; every one is put "if absent" (a trigger seen on many wake-ups is ONE
 *    task; a task closed by a review stays closed), and a new one is audited as the
 *    `care-lifecycle` system actor.
 * 4. The care units' plans (with `units`): the active plan of each unit the client is an
 *    active member of in joint care (unit-plan-check.ts: why the members' lifecycles run it),
 *    its triggers (`review_due`, `objective_overdue`: no member's scores) each put "if absent"
 *    in the UNIT's partition, for the unit's therapist; a new one audited on every active
 *    member's chain (the unit plan is theirs).
 * The execution carries the client's id in and a count out: no trigger, score or plan content.
 * Nothing is emailed: the task shows on GET /v1/clients/{clientId} and .../plan-reviews (a
 * unit's: GET /v1/care-units/{unitId}).
 */
import * as z from 'zod';
import type { InstrumentId } from '../../domain/instruments/definition.js';
import type { Thresholds } from '../../domain/instruments/thresholds.js';
import { instrumentsOf } from '../../domain/plans/plan.js';
import { courseStart, detectReviewTriggers, type ScoreSeries } from '../../domain/plans/progress.js';
import { activeMembers } from '../../domain/care-units/units.js';
import { unitPlanReviewTriggers } from '../../domain/plans/unit-plan.js';
import type { PlanSettings } from '../../config/plans.js';
import { buildAuditEvent } from '../access/client-access.js';
import type { AssessmentRecords } from '../monitor/ports.js';
import type { AuditLog, CareRelationships } from '../ports.js';
import type { AttendedSessions, PlanRecords } from './ports.js';
import { checkedUnitPlansOf, type MemberUnitPlanDeps } from './unit-plan-check.js';

export const CHECK_PLAN_ACTOR = { userId: 'care-lifecycle', role: 'system' } as const;

export const CheckPlanProgressInputSchema = z.strictObject({ clientId: z.string().min(1) });
export type CheckPlanProgressInput = z.infer<typeof CheckPlanProgressInputSchema>;

export interface CheckPlanProgressOutput {
  /** Review tasks opened by this wake-up (0 when they already existed). */
  opened: number;
}

export interface CheckPlanDeps {
  plans: Pick<PlanRecords, 'activePointer' | 'versions' | 'openReview'>;
  assessments: Pick<AssessmentRecords, 'series'>;
  careTeam: Pick<CareRelationships, 'activeFor'>;
  sessions: AttendedSessions;
  auditLog: AuditLog;
  settings: PlanSettings;
  thresholds?: Thresholds;
  now: () => Date;
  newId?: () => string;
  /** The client's care units' plans (unit-plan-check.ts); without it only the client's own plan is checked. */
  units?: MemberUnitPlanDeps & { unitPlans: Pick<PlanRecords, 'activePointer' | 'versions' | 'openReview'> };
}

const auditOpened = (deps: CheckPlanDeps, clientId: string, reviewId: string) =>
  deps.auditLog.record(
    buildAuditEvent(
      { now: deps.now, ...(deps.newId ? { newEventId: deps.newId } : {}) },
      { actor: CHECK_PLAN_ACTOR, clientId, purpose: 'treatment', action: 'create', category: 'treatment_plan', recordId: reviewId, outcome: 'success' },
    ),
  );

export async function checkPlanProgress(input: CheckPlanProgressInput, deps: CheckPlanDeps): Promise<CheckPlanProgressOutput> {
  const own = await checkClientPlan(input.clientId, deps);
  const units = deps.units ? await checkUnitPlans(input.clientId, deps, deps.units) : 0;
  return { opened: own + units };
}

/** Steps 1-3: the client's own active plan; the count of tasks opened. */
async function checkClientPlan(clientId: string, deps: CheckPlanDeps): Promise<number> {
  const [pointer, relationships] = await Promise.all([deps.plans.activePointer(clientId), deps.careTeam.activeFor(clientId)]);
  const therapist = relationships.find((r) => r.kind === 'therapist' && r.endedAt === undefined);
  if (!pointer || !therapist) return 0;
  const plan = (await deps.plans.versions(clientId)).find((v) => v.planId === pointer.planId && v.status === 'active');
  if (!plan) return 0;

  const instruments = instrumentsOf(plan);
  const [attendedSessions, ...series] = await Promise.all([
    deps.sessions.attendedSince(clientId, courseStart(plan, therapist.startedAt)),
    ...instruments.map((instrument) => deps.assessments.series(clientId, instrument as InstrumentId)),
  ]);
  const scores: Record<string, { total: number; at: string }[]> = {};
  instruments.forEach((instrument, index) => {
    scores[instrument] = (series[index] ?? []).map(({ total, at }) => ({ total, at }));
  });
  const now = deps.now();
  const triggers = detectReviewTriggers(
    { now: now.toISOString(), plan, careStartedAt: therapist.startedAt, attendedSessions, series: scores as ScoreSeries },
    deps.settings.check,
    deps.thresholds,
  );

  let opened = 0;
  for (const trigger of triggers) {
    const result = await deps.plans.openReview({
      reviewId: trigger.reviewId,
      clientId,
      planId: trigger.planId,
      kind: trigger.kind,
      ...(trigger.instrument ? { instrument: trigger.instrument } : {}),
      ...(trigger.objectiveId ? { objectiveId: trigger.objectiveId } : {}),
      therapistId: therapist.clinicianId,
      status: 'open',
      openedAt: now.toISOString(),
    });
    if (result !== 'opened') continue;
    opened += 1;
    await auditOpened(deps, clientId, trigger.reviewId);
  }
  return opened;
}

/** Step 4: the active plans of the client's care units; the count of tasks opened (0 when another member's lifecycle opened them first). */
async function checkUnitPlans(clientId: string, deps: CheckPlanDeps, units: NonNullable<CheckPlanDeps['units']>): Promise<number> {
  let opened = 0;
  for (const { loaded, plan } of await checkedUnitPlansOf(clientId, units)) {
    const now = deps.now().toISOString();
    for (const trigger of unitPlanReviewTriggers({ now, plan }, deps.settings.check)) {
      const result = await units.unitPlans.openReview({
        reviewId: trigger.reviewId,
        careUnitId: loaded.unit.unitId,
        planId: trigger.planId,
        kind: trigger.kind,
        ...(trigger.objectiveId ? { objectiveId: trigger.objectiveId } : {}),
        ...(loaded.unit.therapistId === undefined ? {} : { therapistId: loaded.unit.therapistId }),
        status: 'open',
        openedAt: now,
      });
      if (result !== 'opened') continue;
      opened += 1;
      for (const member of activeMembers(loaded.memberships)) await auditOpened(deps, member.clientId, trigger.reviewId);
    }
  }
  return opened;
}
