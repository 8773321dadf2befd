/**
 * The care unit plan's review tasks (issue 10, item 2 for unit plans): which triggers apply
 * (shared/domain/plans/unit-plan.ts), when a member's lifecycle wakes for them, and the check
 * as each member's CheckPlanProgress runs it (shared/use-cases/plans/check-plan.ts with
 * unit-plan-check.ts): one task per trigger in the unit's record, however many members check.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN_SETTINGS } from '../../../shared/config/plans.js';
import type { CareUnit, Membership } from '../../../shared/domain/care-units/units.js';
import { CareUnitViewSchema, unitPlanReviewSummary } from '../../../shared/domain/care-units/units.js';
import type { AuditEvent } from '../../../shared/domain/audit.js';
import { CreatePlanRequestSchema, resolveContent, type StoredPlan } from '../../../shared/domain/plans/plan.js';
import { reviewIds } from '../../../shared/domain/plans/progress.js';
import { nextUnitPlanCheckAt, unitPlanChecked, unitPlanReviewTriggers } from '../../../shared/domain/plans/unit-plan.js';
import type { PlanReviewTask } from '../../../shared/domain/plans/views.js';
import type { LoadedUnit, UnitPointer } from '../../../shared/use-cases/care-units/ports.js';
import { checkPlanProgress, type CheckPlanDeps } from '../../../shared/use-cases/plans/check-plan.js';

const RULES = DEFAULT_PLAN_SETTINGS.check;
const SIGNED = '2026-01-05T10:00:00.000Z';
const UNIT = '5d0c7a52-2b4e-4f0e-9d55-3f1c6a0b9e11';
const PLAN_ID = '0190a1b2-0000-7000-8000-0000000000a1';

const content = CreatePlanRequestSchema.parse({
  problems: [{ id: 'p1', description: 'Arguments about chores escalate (synthetic).' }],
  goals: [{ id: 'g1', problemIds: ['p1'], statement: 'We talk it through without shouting.' }],
  objectives: [{ kind: 'behaviour', id: 'o1', goalId: 'g1', description: 'A weekly 20-minute check-in without devices.', dueDate: '2026-03-01' }],
  sessionFrequency: { every: 'week' },
  dischargeCriteria: ['Four weeks without an escalation (synthetic).'],
  nextReviewDate: '2026-04-01',
});

function unitPlan(overrides: Partial<StoredPlan> = {}): StoredPlan {
  return {
    ...resolveContent(content, new Date(SIGNED), 90),
    planId: PLAN_ID,
    subject: { kind: 'care_unit', careUnitId: UNIT },
    version: 1,
    status: 'active',
    createdAt: SIGNED,
    createdBy: { userId: 't1', role: 'therapist' },
    updatedAt: SIGNED,
    signedAt: SIGNED,
    signedBy: { userId: 't1', role: 'therapist' },
    ...overrides,
  };
}

const kinds = (now: string, plan = unitPlan()) => unitPlanReviewTriggers({ now, plan }, RULES).map((t) => t.reviewId);

describe('the triggers of a unit plan', () => {
  it('the review date: from 00:00 UTC that day, ONE key (review_due:<planId>), the same at every later wake-up', () => {
    const late = unitPlan({ objectives: [{ ...content.objectives[0]!, achievedOn: '2026-02-20' }] as StoredPlan['objectives'] });
    expect(kinds('2026-03-31T23:59:59.999Z', late)).toEqual([]);
    expect(kinds('2026-04-01T00:00:00.000Z', late)).toEqual([reviewIds.reviewDue(PLAN_ID)]);
    expect(kinds('2026-05-20T08:00:00.000Z', late)).toEqual([reviewIds.reviewDue(PLAN_ID)]);
  });

  it('a behavioural objective past its due date and not recorded achieved: objective_overdue from 00:00 UTC the day after', () => {
    expect(kinds('2026-03-01T23:59:59.999Z')).toEqual([]);
    expect(unitPlanReviewTriggers({ now: '2026-03-02T00:00:00.000Z', plan: unitPlan() }, RULES)).toEqual([
      { kind: 'objective_overdue', reviewId: reviewIds.objectiveOverdue(PLAN_ID, 'o1'), planId: PLAN_ID, objectiveId: 'o1' },
    ]);
    const achieved = unitPlan({ objectives: [{ ...content.objectives[0]!, achievedOn: '2026-02-20' }] as StoredPlan['objectives'] });
    expect(kinds('2026-03-02T00:00:00.000Z', achieved)).toEqual([]);
  });

  it('no instrument trigger ever: not_on_track and deterioration read one member\'s scores (even a stray measure objective gives none)', () => {
    const stray = unitPlan({
      primaryInstrument: 'phq9',
      objectives: [{ kind: 'measure', id: 'o2', goalId: 'g1', instrument: 'phq9', target: { kind: 'below', value: 10 }, dueDate: '2027-01-01' }],
    } as Partial<StoredPlan>);
    // A year into the course: whatever the instrument rules would say, a unit plan keeps only its two kinds.
    const triggers = unitPlanReviewTriggers({ now: '2027-01-02T00:00:00.000Z', plan: stray }, RULES);
    expect(triggers.map((t) => t.kind)).toEqual(['objective_overdue', 'review_due']);
    expect(triggers.some((t) => t.instrument !== undefined)).toBe(false);
  });

  it('only an active version is checked', () => {
    for (const status of ['draft', 'revised', 'completed', 'ended'] as const) expect(kinds('2027-01-01T00:00:00.000Z', unitPlan({ status }))).toEqual([]);
  });
});

describe("a member's lifecycle wakes for the unit plan", () => {
  it('at the next objective falling past due, then at the review date, then never (no 8-week check: no instrument)', () => {
    expect(nextUnitPlanCheckAt({ now: SIGNED, plan: unitPlan() })).toBe('2026-03-02T00:00:00.000Z');
    expect(nextUnitPlanCheckAt({ now: '2026-03-02T00:00:00.000Z', plan: unitPlan() })).toBe('2026-04-01T00:00:00.000Z');
    expect(nextUnitPlanCheckAt({ now: '2026-04-01T00:00:00.000Z', plan: unitPlan() })).toBeUndefined();
    expect(nextUnitPlanCheckAt({ now: SIGNED, plan: unitPlan({ status: 'ended' }) })).toBeUndefined();
  });

  it('only an active member of a matched unit whose joint care has not ended', () => {
    const matched = { therapistId: 't1' };
    expect(unitPlanChecked(matched, { status: 'active' })).toBe(true);
    expect(unitPlanChecked({}, { status: 'active' })).toBe(false);
    expect(unitPlanChecked({ ...matched, careEndedAt: '2026-02-01T00:00:00.000Z' }, { status: 'active' })).toBe(false);
    for (const status of ['invited', 'declined', 'left', 'removed'] as const) expect(unitPlanChecked(matched, { status })).toBe(false);
    expect(unitPlanChecked(matched, undefined)).toBe(false);
  });
});

describe("the unit's open review tasks on the unit (its therapist)", () => {
  it('ids, kind and dates only', () => {
    const task: PlanReviewTask = { reviewId: reviewIds.reviewDue(PLAN_ID), careUnitId: UNIT, planId: PLAN_ID, kind: 'review_due', therapistId: 't1', status: 'open', openedAt: '2026-04-01T00:00:00.000Z' };
    const summary = unitPlanReviewSummary(task);
    expect(summary).toEqual({ reviewId: task.reviewId, planId: PLAN_ID, kind: 'review_due', openedAt: task.openedAt });
    expect(CareUnitViewSchema.shape.planReviews.parse([summary])).toEqual([summary]);
  });
});

/** In-memory stores: two members of one matched couple unit, and the unit's plan book. */
function world(options: { careEndedAt?: string; secondStatus?: Membership['status'] } = {}) {
  const unit: CareUnit = { unitId: UNIT, kind: 'couple', createdBy: 'm1', createdAt: SIGNED, therapistId: 't1', matchedAt: SIGNED, ...(options.careEndedAt ? { careEndedAt: options.careEndedAt } : {}) };
  const member = (clientId: string, status: Membership['status']): Membership => ({ unitId: UNIT, clientId, role: 'partner', status, invitedBy: 'm1', invitedAt: SIGNED, consentedAt: SIGNED });
  const memberships = [member('m1', 'active'), member('m2', options.secondStatus ?? 'active')];
  const loaded: LoadedUnit = { unit, version: 3, memberships, releases: [], consents: [] };
  const tasks = new Map<string, PlanReviewTask>();
  const events: AuditEvent[] = [];
  let clock = new Date('2026-04-01T00:00:00.000Z');
  const plan = unitPlan();
  const deps: CheckPlanDeps = {
    // No plan of their own: only the unit's is checked.
    plans: { activePointer: async () => undefined, versions: async () => [], openReview: async () => 'client_not_found' },
    assessments: { series: async () => [] },
    careTeam: { activeFor: async () => [] },
    sessions: { attendedSince: async () => 0 },
    auditLog: { record: async (event: AuditEvent) => void events.push(event) },
    settings: DEFAULT_PLAN_SETTINGS,
    now: () => clock,
    units: {
      units: {
        listUnitsOf: async (clientId: string): Promise<UnitPointer[]> => {
          const own = memberships.find((m) => m.clientId === clientId);
          return own ? [{ unitId: UNIT, kind: 'couple', role: own.role, status: own.status }] : [];
        },
        getUnit: async (unitId: string) => (unitId === UNIT ? loaded : undefined),
      },
      unitPlans: {
        activePointer: async (unitId: string) => (unitId === UNIT ? { planId: plan.planId, version: plan.version } : undefined),
        versions: async (unitId: string) => (unitId === UNIT ? [plan] : []),
        openReview: async (task: PlanReviewTask) => {
          if (tasks.has(task.reviewId)) return 'exists';
          tasks.set(task.reviewId, structuredClone(task));
          return 'opened';
        },
      },
    },
  };
  return { deps, tasks, events, setNow: (iso: string) => (clock = new Date(iso)) };
}

describe("each member's CheckPlanProgress checks the unit's plan", () => {
  it("both members' lifecycles at the review date: ONE task in the unit's record, for the unit's therapist, audited on each member's chain", async () => {
    const { deps, tasks, events } = world();
    const first = await checkPlanProgress({ clientId: 'm1' }, deps);
    const second = await checkPlanProgress({ clientId: 'm2' }, deps);
    // The objective (due 2026-03-01) is overdue too: two triggers, each one task.
    expect([first.opened, second.opened]).toEqual([2, 0]);
    expect([...tasks.values()]).toEqual([
      { reviewId: reviewIds.objectiveOverdue(PLAN_ID, 'o1'), careUnitId: UNIT, planId: PLAN_ID, kind: 'objective_overdue', objectiveId: 'o1', therapistId: 't1', status: 'open', openedAt: '2026-04-01T00:00:00.000Z' },
      { reviewId: reviewIds.reviewDue(PLAN_ID), careUnitId: UNIT, planId: PLAN_ID, kind: 'review_due', therapistId: 't1', status: 'open', openedAt: '2026-04-01T00:00:00.000Z' },
    ]);
    expect(events.map((e) => [e.clientId, e.record.id, e.action, e.record.category, e.actor.userId])).toEqual([
      ['m1', reviewIds.objectiveOverdue(PLAN_ID, 'o1'), 'create', 'treatment_plan', 'care-lifecycle'],
      ['m2', reviewIds.objectiveOverdue(PLAN_ID, 'o1'), 'create', 'treatment_plan', 'care-lifecycle'],
      ['m1', reviewIds.reviewDue(PLAN_ID), 'create', 'treatment_plan', 'care-lifecycle'],
      ['m2', reviewIds.reviewDue(PLAN_ID), 'create', 'treatment_plan', 'care-lifecycle'],
    ]);
  });

  it('before any trigger: nothing; without the unit part (no `units`): nothing of the unit', async () => {
    const early = world();
    early.setNow('2026-02-01T00:00:00.000Z');
    expect(await checkPlanProgress({ clientId: 'm1' }, early.deps)).toEqual({ opened: 0 });
    const without = world();
    const { units: _units, ...clientOnly } = without.deps;
    expect(await checkPlanProgress({ clientId: 'm1' }, clientOnly)).toEqual({ opened: 0 });
    expect(without.tasks.size).toBe(0);
  });

  it("joint care ended, or a member who left: that lifecycle opens nothing for the unit", async () => {
    const ended = world({ careEndedAt: '2026-03-15T00:00:00.000Z' });
    expect(await checkPlanProgress({ clientId: 'm1' }, ended.deps)).toEqual({ opened: 0 });
    const left = world({ secondStatus: 'left' });
    expect(await checkPlanProgress({ clientId: 'm2' }, left.deps)).toEqual({ opened: 0 });
    expect(left.tasks.size).toBe(0);
  });
});
