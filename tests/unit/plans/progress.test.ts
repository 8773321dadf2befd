import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreatePlanRequestSchema, EditPlanRequestSchema, RevisePlanRequestSchema, InterventionSchema, resolveContent, type StoredPlan } from '../../../shared/domain/plans/plan.js';
import {
  courseSeries,
  courseStart,
  detectReviewTriggers,
  nextPlanCheckAt,
  objectiveStatus,
  reviewIds,
  type PlanCheckRules,
} from '../../../shared/domain/plans/progress.js';
import { planView } from '../../../shared/domain/plans/views.js';

const DAY = 86_400_000;
const RULES: PlanCheckRules = { notOnTrackAfterWeeks: 8, notOnTrackAfterSessions: 6 };
const START = '2026-01-05T09:00:00.000Z';
const at = (days: number) => new Date(Date.parse(START) + days * DAY).toISOString();

const content = CreatePlanRequestSchema.parse({
  problems: [{ id: 'p1', description: 'Low mood most days' }],
  goals: [{ id: 'g1', problemIds: ['p1'], statement: 'I want to enjoy weekends again' }],
  objectives: [
    { kind: 'measure', id: 'o1', goalId: 'g1', instrument: 'phq9', target: { kind: 'below', value: 10 }, dueDate: '2026-04-30' },
    { kind: 'measure', id: 'o2', goalId: 'g1', instrument: 'phq9', target: { kind: 'reduction_percent', percent: 50 }, dueDate: '2026-04-30' },
  ],
  interventions: [{ id: 'i1', modality: 'cbt', goalIds: ['g1'], frequency: { every: 'week', sessions: 12 } }],
  sessionFrequency: { every: 'week' },
  dischargeCriteria: ['PHQ-9 below 10 on two measures'],
  clinicianNotes: 'Formulation: withdrawal maintains low mood.',
});

function activePlan(overrides: Partial<StoredPlan> = {}): StoredPlan {
  return {
    ...resolveContent(content, new Date(START), 90),
    planId: '0190a1b2-0000-7000-8000-000000000001',
    clientId: 'c1',
    subject: { kind: 'client', clientId: 'c1' },
    version: 1,
    status: 'active',
    createdAt: START,
    createdBy: { userId: 't1', role: 'therapist' },
    updatedAt: START,
    signedAt: START,
    signedBy: { userId: 't1', role: 'therapist' },
    ...overrides,
  };
}

describe('plan content', () => {
  it('defaults the review date to 90 days after it is written', () => {
    expect(resolveContent(content, new Date(START), 90).nextReviewDate).toBe('2026-04-05');
  });

  it('refuses links to items that do not exist', () => {
    const result = CreatePlanRequestSchema.safeParse({ ...content, goals: [{ id: 'g1', problemIds: ['nope'], statement: 'x' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('goals.0.problemIds.0');
  });

  it('keeps a stop reason exactly on stopped interventions', () => {
    expect(InterventionSchema.safeParse({ id: 'i', modality: 'cbt', frequency: { every: 'week' }, status: 'stopped' }).success).toBe(false);
    expect(
      InterventionSchema.safeParse({ id: 'i', modality: 'cbt', frequency: { every: 'week' }, status: 'stopped', stopReason: 'no reliable change after 8 sessions' }).success,
    ).toBe(true);
    expect(InterventionSchema.safeParse({ id: 'i', modality: 'cbt', frequency: { every: 'week' }, stopReason: 'x' }).success).toBe(false);
  });

  it('takes revision reasons from the closed list only', () => {
    expect(RevisePlanRequestSchema.safeParse({ revision: { reason: 'not_on_track', text: 'No change at week 8' } }).success).toBe(true);
    expect(RevisePlanRequestSchema.safeParse({ revision: { reason: 'felt_like_it', text: 'x' } }).success).toBe(false);
  });

  it('a change (PATCH of a draft, a revision) carries only the fields given: no default fills in the others', () => {
    // Regression: the change schemas were PlanContentSchema.partial(), whose defaults zod applies
    // inside optional keys, so changing the interventions alone emptied the objectives.
    expect(EditPlanRequestSchema.parse({ levelOfCare: 'intensive_outpatient' })).toEqual({ levelOfCare: 'intensive_outpatient' });
    const interventions = [{ id: 'i2', modality: 'erp', goalIds: ['g1'], frequency: { every: 'week' } }];
    expect(RevisePlanRequestSchema.parse({ revision: { reason: 'not_on_track', text: 'No change at week 8' }, changes: { interventions } }).changes).toEqual({
      interventions: [{ ...interventions[0], frequency: { every: 'week', timesPer: 1 }, status: 'active' }],
    });
    expect(RevisePlanRequestSchema.parse({ revision: { reason: 'other', text: 'x' } }).changes).toBeUndefined();
    // A new plan still gets its defaults.
    expect(CreatePlanRequestSchema.parse({ ...content, objectives: undefined, strengths: undefined, levelOfCare: undefined })).toMatchObject({ objectives: [], strengths: [], levelOfCare: 'outpatient' });
  });

  it('hides clinician-only fields and drafts from the client view', () => {
    const revised = activePlan({ revision: { reason: 'deterioration', text: 'Worse since the move', evidence: { assessmentIds: [] } } });
    const client = planView(revised, 'client', new Map(), undefined);
    expect(client.clinicianNotes).toBeUndefined();
    expect(client.revision).toEqual({ reason: 'deterioration', evidence: { assessmentIds: [] } });
    const team = planView(revised, 'care_team', new Map(), undefined);
    expect(team.clinicianNotes).toBe('Formulation: withdrawal maintains low mood.');
    expect(team.revision?.text).toBe('Worse since the move');
  });
});

describe('objective status', () => {
  const below10 = content.objectives[0]!;
  const half = content.objectives[1]!;

  it('is not yet measured without a follow-up', () => {
    expect(objectiveStatus(below10, [])).toBe('not_yet_measured');
    expect(objectiveStatus(below10, [{ total: 8, at: at(0) }])).toBe('not_yet_measured');
  });

  it('is achieved at the target, at exactly 50 % for a reduction, else the reliable-change class (PHQ-9: 6)', () => {
    expect(objectiveStatus(below10, [{ total: 18, at: at(0) }, { total: 9, at: at(30) }])).toBe('achieved');
    expect(objectiveStatus(below10, [{ total: 18, at: at(0) }, { total: 10, at: at(30) }])).toBe('improving');
    expect(objectiveStatus(half, [{ total: 18, at: at(0) }, { total: 9, at: at(30) }])).toBe('achieved');
    expect(objectiveStatus(half, [{ total: 18, at: at(0) }, { total: 13, at: at(30) }])).toBe('no_change');
    expect(objectiveStatus(half, [{ total: 12, at: at(0) }, { total: 18, at: at(30) }])).toBe('worsening');
  });

  it('property: a status is one of the five, and "achieved" for a below-target exactly when the latest total is below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 27 }), { minLength: 2, maxLength: 12 }), fc.integer({ min: 1, max: 27 }), (totals, value) => {
        const course = totals.map((total, i) => ({ total, at: at(i * 7) }));
        const status = objectiveStatus({ ...below10, target: { kind: 'below', value } } as typeof below10, course);
        expect(status === 'achieved').toBe(totals.at(-1)! < value);
      }),
    );
  });
});

describe('course', () => {
  it('starts at the start of care for version 1 and at the signature for a revision', () => {
    expect(courseStart(activePlan({ signedAt: at(10) }), START)).toBe(START);
    expect(courseStart(activePlan({ signedAt: at(60), replaces: { planId: 'x', version: 1 } }), START)).toBe(at(60));
  });

  it('property: the baseline is the last score at or before the start, then every later score', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -60, max: 120 }), { maxLength: 15 }), fc.integer({ min: 0, max: 60 }), (days, startDay) => {
        const series = days.map((d) => ({ total: d & 15, at: at(d) }));
        const course = courseSeries(series, at(startDay));
        const sorted = [...days].sort((a, b) => a - b);
        const before = sorted.filter((d) => d <= startDay);
        const expected = before.length > 0 ? sorted.slice(sorted.indexOf(before.at(-1)!)) : sorted;
        expect(course.map((p) => p.at)).toEqual(expected.map(at));
      }),
    );
  });
});

describe('"not working" detection', () => {
  const phq = (pairs: [number, number][]) => ({ phq9: pairs.map(([day, total]) => ({ total, at: at(day) })) });
  const flat = phq([[0, 18], [14, 17], [28, 16], [42, 16], [56, 15]]);

  it('raises not_on_track at exactly 8 weeks without a reliable improvement, not a millisecond before', () => {
    const before = detectReviewTriggers({ now: new Date(Date.parse(at(56)) - 1).toISOString(), plan: activePlan(), careStartedAt: START, attendedSessions: 0, series: flat }, RULES);
    expect(before.map((t) => t.kind)).not.toContain('not_on_track');
    const atEight = detectReviewTriggers({ now: at(56), plan: activePlan(), careStartedAt: START, attendedSessions: 0, series: flat }, RULES);
    expect(atEight.filter((t) => t.kind === 'not_on_track')).toEqual([
      { kind: 'not_on_track', reviewId: reviewIds.notOnTrack(activePlan().planId), planId: activePlan().planId, instrument: 'phq9' },
    ]);
  });

  it('raises it after 6 attended sessions even before 8 weeks (the sessions port)', () => {
    const triggers = detectReviewTriggers({ now: at(40), plan: activePlan(), careStartedAt: START, attendedSessions: 6, series: flat }, RULES);
    expect(triggers.map((t) => t.kind)).toContain('not_on_track');
  });

  it('stays quiet on a reliable improvement or a response', () => {
    const better = phq([[0, 18], [56, 12]]);
    expect(detectReviewTriggers({ now: at(56), plan: activePlan(), careStartedAt: START, attendedSessions: 0, series: better }, RULES)).toEqual([]);
  });

  it('raises deterioration on a reliable worsening, at any time', () => {
    const worse = phq([[0, 10], [7, 16]]);
    expect(detectReviewTriggers({ now: at(7), plan: activePlan(), careStartedAt: START, attendedSessions: 0, series: worse }, RULES).map((t) => t.reviewId)).toEqual([
      reviewIds.deterioration(activePlan().planId, 'phq9'),
    ]);
  });

  it('raises an overdue objective from the day after its due date, and the review on its date', () => {
    const plan = activePlan();
    const missed = detectReviewTriggers({ now: '2026-05-01T00:00:00.000Z', plan, careStartedAt: START, attendedSessions: 0, series: phq([[0, 18], [100, 10]]) }, RULES);
    expect(missed.map((t) => t.reviewId)).toEqual([
      reviewIds.objectiveOverdue(plan.planId, 'o1'),
      reviewIds.objectiveOverdue(plan.planId, 'o2'),
      reviewIds.reviewDue(plan.planId),
    ]);
    // Met (9 < 10; exactly 50 % down): nothing overdue; the due date itself is not past due.
    const met = detectReviewTriggers({ now: '2026-05-01T00:00:00.000Z', plan, careStartedAt: START, attendedSessions: 0, series: phq([[0, 18], [100, 9]]) }, RULES);
    expect(met.map((t) => t.kind)).toEqual(['review_due']);
    const onDueDate = detectReviewTriggers({ now: '2026-04-30T23:59:59.999Z', plan, careStartedAt: START, attendedSessions: 0, series: phq([[0, 18], [100, 10]]) }, RULES);
    expect(onDueDate.map((t) => t.kind)).toEqual(['review_due']);
    const dayBefore = detectReviewTriggers({ now: '2026-04-04T23:59:59.999Z', plan, careStartedAt: START, attendedSessions: 0, series: phq([[0, 18], [50, 7]]) }, RULES);
    expect(dayBefore).toEqual([]);
  });

  it('checks only an active plan', () => {
    for (const status of ['draft', 'revised', 'completed', 'ended'] as const) {
      expect(detectReviewTriggers({ now: at(400), plan: activePlan({ status }), careStartedAt: START, attendedSessions: 10, series: flat }, RULES)).toEqual([]);
    }
  });

  it('property: pure and idempotent by id (same facts, same ids; no id twice)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 27 })), { maxLength: 12 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 12 }),
        (scores, day, sessions) => {
          const facts = { now: at(day), plan: activePlan(), careStartedAt: START, attendedSessions: sessions, series: phq(scores) };
          const first = detectReviewTriggers(facts, RULES).map((t) => t.reviewId);
          expect(detectReviewTriggers(facts, RULES).map((t) => t.reviewId)).toEqual(first);
          expect(new Set(first).size).toBe(first.length);
        },
      ),
    );
  });

  it('property: once not on track by weeks, it stays so later with the same scores (no task flickers away)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 55 }), fc.integer({ min: 0, max: 27 })), { maxLength: 10 }), fc.integer({ min: 56, max: 300 }), fc.integer({ min: 0, max: 100 }), (scores, day, later) => {
        const has = (d: number) =>
          detectReviewTriggers({ now: at(d), plan: activePlan(), careStartedAt: START, attendedSessions: 0, series: phq(scores) }, RULES).some((t) => t.kind === 'not_on_track');
        if (has(day)) expect(has(day + later)).toBe(true);
      }),
    );
  });

  it('wakes the lifecycle at the next instant a trigger can fall due by time', () => {
    expect(nextPlanCheckAt({ now: at(1), plan: activePlan(), careStartedAt: START }, RULES)).toBe(at(56));
    expect(nextPlanCheckAt({ now: at(56), plan: activePlan() , careStartedAt: START }, RULES)).toBe('2026-04-05T00:00:00.000Z');
    expect(nextPlanCheckAt({ now: at(1), plan: activePlan({ status: 'draft' }), careStartedAt: START }, RULES)).toBeUndefined();
  });
});
