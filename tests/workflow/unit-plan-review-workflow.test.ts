/**
 * The care unit plan's review tasks on the REAL care-lifecycle definition with its real tasks
 * (and their table guard), DynamoDB Local and the controlled clock: a matched couple, each
 * partner's lifecycle running, a signed unit plan with review date D. At exactly 00:00 UTC on D
 * ONE `review_due` task opens in the unit's record (both lifecycles wake and check then; the
 * conditional put keeps one), it shows on the unit for its therapist, a "no change" review
 * closes it for good; at the behavioural objective's overdue instant ONE `objective_overdue`
 * task opens, and a signed revision closes it. The histories carry ids and counters only.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { statesEntered, type LocalExecution, type LocalWorkflow } from '../../local/step-functions/runner.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createCareUnitRepository } from '../../shared/adapters/dynamodb/care-unit-repository.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createPlanRepository } from '../../shared/adapters/dynamodb/plan-repository.js';
import { createRiskTaskRepository } from '../../shared/adapters/dynamodb/risk-task-repository.js';
import { DEFAULT_PLAN_SETTINGS } from '../../shared/config/plans.js';
import { CreatePlanRequestSchema, resolveContent, type StoredPlan } from '../../shared/domain/plans/plan.js';
import { reviewIds } from '../../shared/domain/plans/progress.js';
import { getCareUnit } from '../../shared/use-cases/care-units/units.js';
import { uuidV7 } from '../../shared/use-cases/monitor/record-ids.js';
import { recordUnitPlanReview, reviseUnitPlan, signUnitPlan } from '../../shared/use-cases/plans/unit-plans.js';
import { createClient } from '../integration/consultations/support.js';
import { createTherapist } from '../integration/matching/support.js';
import { DAY_MS, useControlledTime } from './controlled-time.js';
import { disallowedHistoryFields, tableClient, tableName } from './support.js';

process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
const time = useControlledTime({ stepFunctionsWorkflows: ['careLifecycle'] });

let instance: LocalWorkflow | undefined;
const nowIso = () => time.clock.now().toISOString();
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const midnight = (date: string) => `${date}T00:00:00.000Z`;
const minuteBefore = (iso: string) => new Date(Date.parse(iso) - 60_000).toISOString();

function repositories() {
  const documentClient = tableClient();
  return {
    careTeam: createCareTeamRepository({ documentClient, tableName: tableName() }),
    units: createCareUnitRepository({ documentClient, tableName: tableName() }),
    unitPlans: createPlanRepository({ documentClient, tableName: tableName(), holder: 'care_unit' }),
    deps: () => ({
      careTeam: createCareTeamRepository({ documentClient, tableName: tableName() }),
      auditLog: createAuditLog({ documentClient, tableName: tableName() }),
      units: createCareUnitRepository({ documentClient, tableName: tableName() }),
      clients: createClientRepository({ documentClient, tableName: tableName() }),
      plans: createPlanRepository({ documentClient, tableName: tableName(), holder: 'care_unit' }),
      riskTasks: createRiskTaskRepository({ documentClient, tableName: tableName() }),
      settings: DEFAULT_PLAN_SETTINGS,
      now: () => time.clock.now(),
    }),
  };
}

/** Two partners in care with one therapist (each relationship begun now), in a couple unit matched to that therapist. */
async function matchedCoupleInCare() {
  const { careTeam, units } = repositories();
  const therapist = await createTherapist({ state: 'VT', clientTypes: ['individual', 'couple'] });
  const [a, b] = await Promise.all([
    createClient({ state: 'VT', timezone: 'America/New_York', stage: 'in_care', firstName: 'Lior' }),
    createClient({ state: 'VT', timezone: 'America/New_York', stage: 'in_care', firstName: 'Noa' }),
  ]);
  const at = nowIso();
  for (const partner of [a, b]) expect((await careTeam.begin({ clientId: partner.clientId, clinicianId: therapist.clinicianId, kind: 'therapist', startedAt: at })).outcome).toBe('begun');
  const unitId = randomUUID();
  await units.createUnit({ unitId, kind: 'couple', createdBy: a.clientId, createdAt: at, therapistId: therapist.clinicianId, matchedAt: at }, {
    unitId,
    clientId: a.clientId,
    role: 'partner',
    status: 'active',
    invitedBy: a.clientId,
    invitedAt: at,
    consentedAt: at,
  });
  expect(await units.putMembership({ unitId, clientId: b.clientId, role: 'partner', status: 'active', invitedBy: a.clientId, invitedAt: at, consentedAt: at }, 1)).toBe('written');
  return { therapist, a, b, unitId };
}

/** The unit's signed plan: one behavioural objective due `dueDate`, reviewed on `nextReviewDate`. */
async function signedUnitPlan(unitId: string, therapistId: string, dates: { nextReviewDate: string; dueDate: string }): Promise<StoredPlan> {
  const now = time.clock.now();
  const content = CreatePlanRequestSchema.parse({
    problems: [{ id: 'p1', description: 'Weekend plans end in a standoff (synthetic).' }],
    goals: [{ id: 'g1', problemIds: ['p1'], statement: 'We agree on the weekend by Thursday.' }],
    objectives: [{ kind: 'behaviour', id: 'o1', goalId: 'g1', description: 'A Thursday planning talk, four weeks running.', dueDate: dates.dueDate }],
    sessionFrequency: { every: 'week' },
    dischargeCriteria: ['Six weekends planned without a standoff (synthetic).'],
    nextReviewDate: dates.nextReviewDate,
  });
  const at = now.toISOString();
  const author = { userId: therapistId, role: 'therapist' as const };
  const draft: StoredPlan = {
    ...resolveContent(content, now, 90),
    planId: uuidV7(now),
    subject: { kind: 'care_unit', careUnitId: unitId },
    version: 1,
    status: 'draft',
    createdAt: at,
    createdBy: author,
    updatedAt: at,
  };
  const { unitPlans } = repositories();
  expect(await unitPlans.createDraft(draft)).toBe('written');
  const active: StoredPlan = { ...draft, status: 'active', signedAt: at, signedBy: author };
  expect(await unitPlans.sign({ plan: active, closeReviews: [] })).toBe('written');
  return active;
}

const tasksOf = async (unitId: string) =>
  (await repositories().unitPlans.reviews(unitId)).map((r) => ({ reviewId: r.reviewId, status: r.status, openedAt: r.openedAt, outcome: r.outcome })).sort((x, y) => x.openedAt.localeCompare(y.openedAt));

describe("a care unit plan's review on the partners' care lifecycles (controlled clock)", () => {
  it('the review date -> exactly ONE unit task at 00:00 UTC on D though both lifecycles check; shown to the therapist; closed by a no-change review, then by a revision', async () => {
    instance ??= await time.workflow('careLifecycle');
    const { therapist, a, b, unitId } = await matchedCoupleInCare();
    const start = time.clock.now().getTime();
    const reviewDate = dateOf(start + 10 * DAY_MS);
    const dueDate = dateOf(start + 15 * DAY_MS);
    const plan = await signedUnitPlan(unitId, therapist.clinicianId, { nextReviewDate: reviewDate, dueDate });
    const executions: LocalExecution[] = [a, b].map((partner) => time.started(instance!.start({ clientId: partner.clientId, generation: 1, wakeUps: 0 }, { name: `client-${partner.clientId}-1` })));

    const dueAt = midnight(reviewDate);
    await time.advance({ until: minuteBefore(dueAt) });
    expect(await tasksOf(unitId)).toEqual([]);
    await time.advance({ minutes: 1 });
    expect(await tasksOf(unitId)).toEqual([{ reviewId: reviewIds.reviewDue(plan.planId), status: 'open', openedAt: dueAt, outcome: undefined }]);

    // On the unit, for its therapist: ids, kind, date.
    const deps = repositories().deps();
    const asTherapist = { userId: therapist.clinicianId, role: 'therapist' as const };
    const unit = await getCareUnit({ caller: asTherapist, unitId }, { ...deps, unitPlanReviews: deps.plans });
    expect(unit.planReviews).toEqual([{ reviewId: reviewIds.reviewDue(plan.planId), planId: plan.planId, kind: 'review_due', openedAt: dueAt }]);
    const asPartner = await getCareUnit({ caller: { userId: a.clientId, role: 'client' }, unitId }, { ...deps, unitPlanReviews: deps.plans });
    expect(asPartner.planReviews).toBeUndefined();

    // Reviewed, nothing to change: closed, and later wake-ups do not open it again.
    await time.advance({ hours: 9 });
    const closed = await recordUnitPlanReview({ caller: asTherapist, unitId, request: { reviewId: reviewIds.reviewDue(plan.planId), outcome: 'no_change', reason: 'Still the right plan (synthetic).' } }, deps);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'no_change', closedAt: nowIso() });
    const overdueAt = new Date(Date.parse(midnight(dueDate)) + DAY_MS).toISOString();
    await time.advance({ until: minuteBefore(overdueAt) });
    expect(await tasksOf(unitId)).toEqual([{ reviewId: reviewIds.reviewDue(plan.planId), status: 'closed', openedAt: dueAt, outcome: 'no_change' }]);
    expect((await getCareUnit({ caller: asTherapist, unitId }, { ...deps, unitPlanReviews: deps.plans })).planReviews).toEqual([]);

    // The objective falls past due: ONE more task, at that instant.
    await time.advance({ minutes: 1 });
    const overdue = reviewIds.objectiveOverdue(plan.planId, 'o1');
    expect((await tasksOf(unitId)).map((t) => [t.reviewId, t.status, t.openedAt])).toEqual([
      [reviewIds.reviewDue(plan.planId), 'closed', dueAt],
      [overdue, 'open', overdueAt],
    ]);

    // A revision (the objective given more time), signed: it closes the open task.
    await time.advance({ hours: 10 });
    const revision = await reviseUnitPlan(
      {
        caller: asTherapist,
        unitId,
        planId: plan.planId,
        request: {
          revision: { reason: 'other', text: 'Four more weeks for the planning talks (synthetic).', evidence: { assessmentIds: [] } },
          changes: { objectives: [{ ...plan.objectives[0]!, dueDate: dateOf(time.clock.now().getTime() + 28 * DAY_MS) }] },
        },
      },
      deps,
    );
    await signUnitPlan({ caller: asTherapist, unitId, planId: revision.planId }, deps);
    expect((await tasksOf(unitId)).find((t) => t.reviewId === overdue)).toMatchObject({ status: 'closed', outcome: 'revised' });
    expect((await getCareUnit({ caller: asTherapist, unitId }, { ...deps, unitPlanReviews: deps.plans })).planReviews).toEqual([]);

    // Nothing opened in either partner's own record; the histories carry ids and counters only.
    for (const partner of [a, b]) expect(await createPlanRepository({ documentClient: tableClient(), tableName: tableName() }).reviews(partner.clientId)).toEqual([]);
    for (const execution of executions) {
      const record = execution.record;
      execution.stop();
      expect(statesEntered(record)).toContain('CheckPlanProgress');
      expect(disallowedHistoryFields(record)).toEqual([]);
      expect(JSON.stringify([record.input, record.output, record.events])).not.toMatch(/review_due|objective_overdue|PLAN_REVIEW|planId|careUnitId/);
    }
  });
});
