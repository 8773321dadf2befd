/**
 * The care unit plan's review tasks over HTTP on the local stack (issue 10, item 2 for unit
 * plans): a matched couple with a signed unit plan; both partners' CheckPlanProgress (the use
 * case the care lifecycle's task runs, on the real repositories) past the review date open ONE
 * task in the unit's record; the unit's therapist sees it on GET /v1/care-units/{unitId} (the
 * partners do not) and closes it with POST /v1/care-units/{unitId}/plan-reviews ("no_change",
 * the reason); a partner 403, another therapist 404; a signed revision closes the next one.
 * The lifecycle itself on the controlled clock: tests/workflow/unit-plan-review-workflow.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../../shared/adapters/dynamodb/care-team-repository.js';
import { createCareUnitRepository } from '../../../shared/adapters/dynamodb/care-unit-repository.js';
import { createPlanRepository } from '../../../shared/adapters/dynamodb/plan-repository.js';
import { DEFAULT_PLAN_SETTINGS } from '../../../shared/config/plans.js';
import { reviewIds } from '../../../shared/domain/plans/progress.js';
import { checkPlanProgress, type CheckPlanDeps } from '../../../shared/use-cases/plans/check-plan.js';
import { callApi } from '../../support/http.js';
import { createTherapist } from '../matching/support.js';
import { db } from '../risk/support.js';
import { matchedCouple } from './support.js';

interface UnitView {
  members: unknown[];
  planReviews?: { reviewId: string; planId: string; kind: string; objectiveId?: string; openedAt: string }[];
}

const DRAFT = {
  problems: [{ id: 'p1', description: 'Bedtime routines end in arguments (synthetic).' }],
  goals: [{ id: 'g1', problemIds: ['p1'], statement: 'Evenings end calmly.' }],
  objectives: [{ kind: 'behaviour', id: 'o1', goalId: 'g1', description: 'A shared wind-down plan four evenings a week.', dueDate: '2031-06-30' }],
  sessionFrequency: { every: 'week', sessions: 10 },
  dischargeCriteria: ['Four calm weeks in a row (synthetic).'],
};
const DAY_MS = 86_400_000;
const idem = () => ({ 'Idempotency-Key': randomUUID() });

/** CheckPlanProgress as the lifecycle's task builds it, on the real repositories, at `at`. */
function checkDeps(at: Date): CheckPlanDeps {
  const documentClient = db();
  const tableName = process.env.TABLE_NAME as string;
  return {
    plans: createPlanRepository({ documentClient, tableName }),
    // The partners have no plan of their own: no scores or sessions are read.
    assessments: { series: async () => [] },
    careTeam: createCareTeamRepository({ documentClient, tableName }),
    sessions: { attendedSince: async () => 0 },
    auditLog: createAuditLog({ documentClient, tableName }),
    settings: DEFAULT_PLAN_SETTINGS,
    now: () => at,
    units: { units: createCareUnitRepository({ documentClient, tableName }), unitPlans: createPlanRepository({ documentClient, tableName, holder: 'care_unit' }) },
  };
}

describe("the care unit plan's review tasks", () => {
  it("one task for both partners' checks; shown to the unit's therapist; closed by a no-change review (the therapist only) or by a signed revision", async () => {
    const { a, b, therapist, unitId } = await matchedCouple();
    const plans = `/v1/care-units/${unitId}/plans`;
    const draft = await callApi<{ planId: string; nextReviewDate: string }>('POST', plans, { json: DRAFT, token: await therapist.token(), headers: idem() });
    expect(draft.status, draft.text).toBe(201);
    const planId = draft.body.planId;
    expect((await callApi('POST', `${plans}/${planId}/sign`, { token: await therapist.token() })).status).toBe(200);

    // Both partners' lifecycles check on the review date: ONE task, in the unit's record.
    const dueAt = new Date(`${draft.body.nextReviewDate}T00:00:00.000Z`);
    expect(await checkPlanProgress({ clientId: a.clientId }, checkDeps(dueAt))).toEqual({ opened: 1 });
    expect(await checkPlanProgress({ clientId: b.clientId }, checkDeps(dueAt))).toEqual({ opened: 0 });
    const stored = await createPlanRepository({ documentClient: db(), tableName: process.env.TABLE_NAME as string, holder: 'care_unit' }).reviews(unitId);
    expect(stored).toEqual([
      expect.objectContaining({ reviewId: reviewIds.reviewDue(planId), careUnitId: unitId, planId, kind: 'review_due', therapistId: therapist.clinicianId, status: 'open', openedAt: dueAt.toISOString() }),
    ]);
    // Nothing in either partner's own record.
    for (const member of [a, b]) expect(await createPlanRepository({ documentClient: db(), tableName: process.env.TABLE_NAME as string }).reviews(member.clientId)).toEqual([]);

    // The unit's therapist sees it on the unit (ids, kind, dates); the partners do not.
    const unitAsTherapist = await callApi<UnitView>('GET', `/v1/care-units/${unitId}`, { token: await therapist.token() });
    expect(unitAsTherapist.status, unitAsTherapist.text).toBe(200);
    expect(unitAsTherapist.body.planReviews).toEqual([{ reviewId: reviewIds.reviewDue(planId), planId, kind: 'review_due', openedAt: dueAt.toISOString() }]);
    const unitAsPartner = await callApi<UnitView>('GET', `/v1/care-units/${unitId}`, { token: await a.token() });
    expect(unitAsPartner.status).toBe(200);
    expect(unitAsPartner.body.planReviews).toBeUndefined();

    // Only the unit's therapist closes it: a partner 403 (role), another therapist 404, an unknown id 404, no reason 400.
    const reviews = `/v1/care-units/${unitId}/plan-reviews`;
    const body = { reviewId: reviewIds.reviewDue(planId), outcome: 'no_change', reason: 'Reviewed together: the plan still fits (synthetic).' };
    expect((await callApi('POST', reviews, { json: body, token: await a.token() })).status).toBe(403);
    const other = await createTherapist({ state: 'NH' });
    expect((await callApi('POST', reviews, { json: body, token: await other.token() })).status).toBe(404);
    expect((await callApi('POST', reviews, { json: { ...body, reviewId: reviewIds.reviewDue(randomUUID()) }, token: await therapist.token() })).status).toBe(404);
    expect((await callApi('POST', reviews, { json: { ...body, reason: '' }, token: await therapist.token() })).status).toBe(400);
    const closed = await callApi<Record<string, unknown>>('POST', reviews, { json: body, token: await therapist.token() });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body).toMatchObject({ reviewId: body.reviewId, planId, kind: 'review_due', status: 'closed', outcome: 'no_change', reason: body.reason, closedBy: { userId: therapist.clinicianId, role: 'therapist' } });
    expect(closed.body).not.toHaveProperty('careUnitId');
    const again = await callApi<{ code: string }>('POST', reviews, { json: body, token: await therapist.token() });
    expect(again.status).toBe(409);
    expect((await callApi<UnitView>('GET', `/v1/care-units/${unitId}`, { token: await therapist.token() })).body.planReviews).toEqual([]);
    // Closed stays closed: a later check does not open it again.
    expect(await checkPlanProgress({ clientId: b.clientId }, checkDeps(new Date(dueAt.getTime() + 3 * DAY_MS)))).toEqual({ opened: 0 });

    // A revision (a review that changes the plan): v2, then v2's review date opens its own task, which the signed v3 closes.
    const v2 = await callApi<{ planId: string; nextReviewDate: string }>('POST', `${plans}/${planId}/revisions`, {
      json: { revision: { reason: 'client_preference', text: 'Fortnightly now (synthetic).' }, changes: { sessionFrequency: { every: 'two_weeks' } } },
      token: await therapist.token(),
      headers: idem(),
    });
    expect(v2.status, v2.text).toBe(201);
    expect((await callApi('POST', `${plans}/${v2.body.planId}/sign`, { token: await therapist.token() })).status).toBe(200);
    const v2Due = new Date(`${v2.body.nextReviewDate}T00:00:00.000Z`);
    expect(await checkPlanProgress({ clientId: b.clientId }, checkDeps(v2Due))).toEqual({ opened: 1 });
    expect((await callApi<UnitView>('GET', `/v1/care-units/${unitId}`, { token: await therapist.token() })).body.planReviews?.map((r) => r.reviewId)).toEqual([reviewIds.reviewDue(v2.body.planId)]);
    const v3 = await callApi<{ planId: string }>('POST', `${plans}/${v2.body.planId}/revisions`, {
      json: { revision: { reason: 'other', text: 'Reviewed at the review date (synthetic).' } },
      token: await therapist.token(),
      headers: idem(),
    });
    expect(v3.status, v3.text).toBe(201);
    expect((await callApi('POST', `${plans}/${v3.body.planId}/sign`, { token: await therapist.token() })).status).toBe(200);
    expect((await callApi<UnitView>('GET', `/v1/care-units/${unitId}`, { token: await therapist.token() })).body.planReviews).toEqual([]);
    const answered = (await createPlanRepository({ documentClient: db(), tableName: process.env.TABLE_NAME as string, holder: 'care_unit' }).reviews(unitId)).find(
      (r) => r.reviewId === reviewIds.reviewDue(v2.body.planId),
    );
    expect(answered).toMatchObject({ status: 'closed', outcome: 'revised', revisionPlanId: v3.body.planId });
  });
});
