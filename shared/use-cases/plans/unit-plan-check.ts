/**
 * The care unit's plan in a member's care lifecycle (issue 10, item 2 for unit plans: "a plan
 * whose review date passes raises the same task").
 *
 * WHO RUNS THE CHECK. Nothing runs per unit: a unit's joint care is the care of its members,
 * each of whom has a care lifecycle (one execution per client) that wakes for them. So each
 * ACTIVE member's lifecycle checks, besides the client's own plan, the active plan of every
 * unit the member belongs to whose joint care runs (matched, not ended: unitPlanChecked):
 * - ReviewClient wakes the member at the unit plan's next check instant too
 *   (nextUnitPlanCheckAt: an objective falling past due, the review date), so the task opens at
 *   00:00 UTC on the review date, not at the next periodic wake-up;
 * - CheckPlanProgress (check-plan.ts) names the unit plan's triggers (unitPlanReviewTriggers:
 *   `review_due`, `objective_overdue`, with progress.ts's deterministic keys) and puts each task
 *   "if absent" in the UNIT's partition (keys.ts pattern 88). Two members' lifecycles waking at
 *   the same instant open ONE task (the conditional put: one `opened`, the other `exists`); a
 *   task closed by a review or a revision stays closed (the key exists).
 * Why not a per-unit schedule: it would be a second clock to start, move (a revision moves the
 * review date) and stop (joint care ends, a member leaves) beside the members' lifecycles that
 * already do exactly that; with the members', a unit with at least one member in care is
 * checked, and one with none (joint care ended) is not.
 *
 * The task is for the unit's therapist (`therapistId`), shown on GET /v1/care-units/{unitId}
 * (ids, kinds, dates) and closed by a signed revision of the unit plan or by POST
 * /v1/care-units/{unitId}/plan-reviews ("no_change" with the reason): unit-plans.ts.
 */
import { unitPlanChecked } from '../../domain/plans/unit-plan.js';
import type { StoredPlan } from '../../domain/plans/plan.js';
import type { CareUnitRecords, LoadedUnit } from '../care-units/ports.js';
import type { PlanRecords } from './ports.js';

export interface MemberUnitPlanDeps {
  units: Pick<CareUnitRecords, 'listUnitsOf' | 'getUnit'>;
  /** The plan repository made for the `care_unit` holder. */
  unitPlans: Pick<PlanRecords, 'activePointer' | 'versions'>;
}

export interface CheckedUnitPlan {
  loaded: LoadedUnit;
  /** The unit's ACTIVE version. */
  plan: StoredPlan;
}

/** The active plans a member's lifecycle checks: of each unit they are an active member of, in joint care (see the header). */
export async function checkedUnitPlansOf(clientId: string, deps: MemberUnitPlanDeps): Promise<CheckedUnitPlan[]> {
  const pointers = (await deps.units.listUnitsOf(clientId)).filter((p) => p.status === 'active');
  const found = await Promise.all(
    pointers.map(async ({ unitId }): Promise<CheckedUnitPlan | undefined> => {
      const loaded = await deps.units.getUnit(unitId);
      if (!loaded || !unitPlanChecked(loaded.unit, loaded.memberships.find((m) => m.clientId === clientId))) return undefined;
      const pointer = await deps.unitPlans.activePointer(unitId);
      if (!pointer) return undefined;
      const plan = (await deps.unitPlans.versions(unitId)).find((v) => v.planId === pointer.planId && v.status === 'active');
      return plan ? { loaded, plan } : undefined;
    }),
  );
  return found.filter((f): f is CheckedUnitPlan => f !== undefined);
}
