/** The care lifecycle's pure rules: every stage, every boundary (2 days, 7 days, 2 weeks, 3 weeks, the generation limits). */
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_CLIENT_STAGES,
  CLOSED_CLIENT_STAGES,
  DEFAULT_LIFECYCLE_RULES,
  isActiveStage,
  isClosedStage,
  lifecycleKeys,
  measuresFor,
  planLifecycle,
  shouldContinueAsNew,
  type LifecycleFacts,
} from '../../../shared/domain/care-lifecycle.js';
import { CLIENT_STAGES } from '../../../shared/domain/signup.js';

const T0 = Date.parse('2026-03-02T15:00:00.000Z');
const SECOND = 1000;
const HOUR = 3_600 * SECOND;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(T0 + ms).toISOString();

function facts(overrides: Partial<LifecycleFacts> & { elapsed: number }): LifecycleFacts {
  const { elapsed, ...rest } = overrides;
  return {
    now: at(elapsed),
    stage: 'awaiting_consultation',
    signedUpAt: at(0),
    consultationBooked: false,
    pendingReferrals: [],
    concerns: [],
    lastMeasured: {},
    sentKeys: [],
    ...rest,
  };
}

const THERAPIST = { clinicianId: 'th-1', startedAt: { at: at(0), stored: '2026-03-02T15:00:00.000Z' } };
const REL = THERAPIST.startedAt.stored;
const inCare = (elapsed: number, extra: Partial<LifecycleFacts> = {}) => facts({ elapsed, stage: 'in_care', therapist: THERAPIST, ...extra });
const kinds = (plan: { actions: { kind: string }[] }) => plan.actions.map((a) => a.kind);
const INTRO_KEYS = [lifecycleKeys.introClient('th-1', REL), lifecycleKeys.introTherapist('th-1', REL), lifecycleKeys.baseline('th-1', REL)];

describe('stages', () => {
  it('splits every client stage into active (the lifecycle runs) and closed (it ends)', () => {
    expect([...ACTIVE_CLIENT_STAGES, ...CLOSED_CLIENT_STAGES].sort()).toEqual([...CLIENT_STAGES].sort());
    for (const stage of ACTIVE_CLIENT_STAGES) expect([isActiveStage(stage), isClosedStage(stage)]).toEqual([true, false]);
    for (const stage of CLOSED_CLIENT_STAGES) expect([isActiveStage(stage), isClosedStage(stage)]).toEqual([false, true]);
    expect([isActiveStage('archived'), isClosedStage('archived')]).toEqual([false, false]);
  });
});

describe('measures by concern', () => {
  it.each([
    [['depression'], ['phq9']],
    [['anxiety'], ['gad7']],
    [['panic', 'ocd'], ['gad7']],
    [['trauma_ptsd'], ['pcl5']],
    [['trauma_ptsd', 'depression', 'anxiety'], ['phq9', 'gad7', 'pcl5']],
    [['grief', 'perinatal'], ['phq9']],
    [['relationships'], ['phq9', 'gad7']],
    [[], ['phq9', 'gad7']],
  ] as const)('%j -> %j (stable order; none mapped: the PHQ-9 + GAD-7 pair)', (concerns, expected) => {
    expect(measuresFor(concerns)).toEqual(expected);
  });
});

describe('closed care', () => {
  it.each(CLOSED_CLIENT_STAGES)('%s: the lifecycle ends, nothing due', (stage) => {
    const plan = planLifecycle(facts({ elapsed: 30 * DAY, stage, therapist: THERAPIST, pendingReferrals: [{ referralId: 'r-1' }] }));
    expect(plan).toMatchObject({ end: true, actions: [], nextWakeInSeconds: 0, upcoming: [] });
  });

  it('a stage it does not know (a newer writer) keeps the lifecycle running, reviewed daily', () => {
    const plan = planLifecycle(facts({ elapsed: DAY, stage: 'archived' as never }));
    expect(plan).toMatchObject({ end: false, actions: [], nextWakeInSeconds: 86_400 });
  });
});

describe('awaiting consultation: reminders to book after 2 and 7 days, then none', () => {
  it('nothing before 2 days; wakes exactly at 2 days', () => {
    const plan = planLifecycle(facts({ elapsed: 0 }));
    expect(plan.actions).toEqual([]);
    expect(plan.nextWakeAt).toBe(at(DAY));
    const later = planLifecycle(facts({ elapsed: 36 * HOUR }));
    expect(later.nextWakeAt).toBe(at(2 * DAY));
    expect(later.nextWakeInSeconds).toBe(12 * 3_600);
  });

  it('one second before 2 days: nothing yet, and no spin (the shortest sleep is 60 s)', () => {
    const plan = planLifecycle(facts({ elapsed: 2 * DAY - SECOND }));
    expect(plan.actions).toEqual([]);
    expect(plan.nextWakeInSeconds).toBe(60);
  });

  it('at 2 days: reminder 1, then wakes at 7 days', () => {
    const plan = planLifecycle(facts({ elapsed: 2 * DAY }));
    expect(plan.actions).toEqual([{ kind: 'booking_reminder', key: 'lifecycle#booking-reminder#1', reminder: 1 }]);
    expect(plan.nextWakeAt).toBe(at(3 * DAY));
    const sent = planLifecycle(facts({ elapsed: 6 * DAY, sentKeys: ['lifecycle#booking-reminder#1'] }));
    expect(sent.actions).toEqual([]);
    expect(sent.nextWakeAt).toBe(at(7 * DAY));
  });

  it('at 7 days: reminder 2; after it nothing more, ever (reviewed daily for a stage change)', () => {
    const due = planLifecycle(facts({ elapsed: 7 * DAY, sentKeys: ['lifecycle#booking-reminder#1'] }));
    expect(due.actions).toEqual([{ kind: 'booking_reminder', key: 'lifecycle#booking-reminder#2', reminder: 2 }]);
    for (const elapsed of [7 * DAY + HOUR, 30 * DAY, 400 * DAY]) {
      const after = planLifecycle(facts({ elapsed, sentKeys: ['lifecycle#booking-reminder#1', 'lifecycle#booking-reminder#2'] }));
      expect(after.actions).toEqual([]);
      expect(after.nextWakeInSeconds).toBe(86_400);
      expect(after.upcoming).toEqual([]);
    }
  });

  it('late (the lifecycle was down): only the latest reminder due, never a backlog', () => {
    expect(planLifecycle(facts({ elapsed: 8 * DAY })).actions).toEqual([{ kind: 'booking_reminder', key: 'lifecycle#booking-reminder#2', reminder: 2 }]);
    expect(planLifecycle(facts({ elapsed: 3 * DAY })).actions.map((a) => a.kind)).toEqual(['booking_reminder']);
  });

  it('no nudge to book once the consultation is booked (the consultation workflow reminds)', () => {
    const plan = planLifecycle(facts({ elapsed: 7 * DAY, consultationBooked: true }));
    expect(plan.actions).toEqual([]);
    expect(plan.nextWakeInSeconds).toBe(86_400);
  });

  it('honours configured days', () => {
    const rules = { ...DEFAULT_LIFECYCLE_RULES, bookingRemindersAfterSeconds: [3_600, 7_200, 10_800] };
    expect(planLifecycle(facts({ elapsed: 2 * HOUR }), rules).actions).toEqual([{ kind: 'booking_reminder', key: 'lifecycle#booking-reminder#2', reminder: 2 }]);
  });
});

describe('awaiting match', () => {
  it('nothing due; looks again within the hour, so that introductions follow an accept soon', () => {
    const plan = planLifecycle(facts({ elapsed: 10 * DAY, stage: 'awaiting_match' }));
    expect(plan).toMatchObject({ end: false, actions: [], nextWakeInSeconds: 3_600 });
  });
});

describe('in care: on match', () => {
  it('introduces client and therapist and asks for the baseline measures, once per relationship', () => {
    const plan = planLifecycle(inCare(HOUR, { concerns: ['trauma_ptsd'] }));
    expect(plan.actions).toEqual([
      { kind: 'introduce_client', key: INTRO_KEYS[0], therapistId: 'th-1' },
      { kind: 'introduce_therapist', key: INTRO_KEYS[1], therapistId: 'th-1' },
      { kind: 'request_baseline', key: INTRO_KEYS[2] },
    ]);
    expect(plan.measures).toEqual(['pcl5']);
    expect(planLifecycle(inCare(2 * HOUR, { sentKeys: INTRO_KEYS })).actions).toEqual([]);
  });

  it('a new therapist (rematch) is a new relationship: introduced again', () => {
    const other = { clinicianId: 'th-2', startedAt: { at: at(5 * DAY), stored: at(5 * DAY) } };
    const plan = planLifecycle(inCare(5 * DAY + HOUR, { therapist: other, sentKeys: INTRO_KEYS }));
    expect(kinds(plan)).toEqual(['introduce_client', 'introduce_therapist', 'request_baseline']);
    expect(plan.actions[0]).toMatchObject({ therapistId: 'th-2', key: lifecycleKeys.introClient('th-2', at(5 * DAY)) });
  });

  it('no baseline request when every measure is at most 7 days old', () => {
    const fresh = planLifecycle(inCare(HOUR, { concerns: ['depression', 'anxiety'], lastMeasured: { phq9: at(-6 * DAY), gad7: at(-DAY) } }));
    expect(kinds(fresh)).toEqual(['introduce_client', 'introduce_therapist']);
    const partly = planLifecycle(inCare(HOUR, { concerns: ['depression', 'anxiety'], lastMeasured: { phq9: at(-6 * DAY), gad7: at(-8 * DAY) } }));
    expect(kinds(partly)).toContain('request_baseline');
  });

  it('never introduces months late (only within 7 days of the match)', () => {
    expect(kinds(planLifecycle(inCare(7 * DAY - SECOND)))).toContain('introduce_client');
    expect(kinds(planLifecycle(inCare(7 * DAY)))).not.toContain('introduce_client');
  });
});

describe('in care: measure reminders every 2 weeks from the start of care', () => {
  const introduced = { sentKeys: INTRO_KEYS, lastCheckIn: { at: at(12 * DAY), stored: 'c-12' } };

  it('none before 2 weeks; wakes exactly at 2 weeks', () => {
    const plan = planLifecycle(inCare(14 * DAY - SECOND, introduced));
    expect(plan.actions).toEqual([]);
    expect(planLifecycle(inCare(10 * DAY, introduced)).nextWakeAt).toBe(at(11 * DAY));
    expect(planLifecycle(inCare(13 * DAY + 12 * HOUR, introduced)).nextWakeAt).toBe(at(14 * DAY));
  });

  it('period 1 at 2 weeks, period 2 at 4 weeks, once each', () => {
    const first = planLifecycle(inCare(14 * DAY, introduced));
    expect(first.actions).toEqual([{ kind: 'measure_reminder', key: lifecycleKeys.measureReminder('th-1', REL, 1), period: 1 }]);
    const sent1 = [...INTRO_KEYS, lifecycleKeys.measureReminder('th-1', REL, 1)];
    const quiet = { ...introduced, sentKeys: sent1, lastCheckIn: { at: at(20 * DAY), stored: 'c-20' } };
    expect(planLifecycle(inCare(27 * DAY, quiet)).actions).toEqual([]);
    expect(planLifecycle(inCare(27 * DAY, quiet)).nextWakeAt).toBe(at(28 * DAY));
    expect(kinds(planLifecycle(inCare(28 * DAY, quiet)))).toEqual(['measure_reminder']);
    expect(planLifecycle(inCare(28 * DAY, quiet)).actions[0]).toMatchObject({ period: 2 });
  });

  it('late: only the current period, never a backlog', () => {
    const plan = planLifecycle(inCare(29 * DAY, { sentKeys: INTRO_KEYS, lastCheckIn: { at: at(28 * DAY), stored: 'c' } }));
    expect(plan.actions).toEqual([{ kind: 'measure_reminder', key: lifecycleKeys.measureReminder('th-1', REL, 2), period: 2 }]);
  });

  it('moot when every measure was taken at most 7 days before it fell due (or since)', () => {
    const base = { sentKeys: INTRO_KEYS, concerns: ['depression' as const], lastCheckIn: { at: at(13 * DAY), stored: 'c' } };
    expect(planLifecycle(inCare(14 * DAY, { ...base, lastMeasured: { phq9: at(7 * DAY) } })).actions).toEqual([]);
    expect(planLifecycle(inCare(15 * DAY, { ...base, lastMeasured: { phq9: at(14 * DAY + HOUR) } })).actions).toEqual([]);
    expect(kinds(planLifecycle(inCare(14 * DAY, { ...base, lastMeasured: { phq9: at(7 * DAY - SECOND) } })))).toEqual(['measure_reminder']);
  });

  it('honours a configured interval', () => {
    const rules = { ...DEFAULT_LIFECYCLE_RULES, measureReminderEverySeconds: 7 * 86_400, measureFreshSeconds: 86_400 };
    expect(planLifecycle(inCare(7 * DAY, introduced), rules).actions).toEqual([{ kind: 'measure_reminder', key: lifecycleKeys.measureReminder('th-1', REL, 1), period: 1 }]);
  });
});

describe('in care: disengagement after 3 weeks without an assessment or check-in', () => {
  const sent = [...INTRO_KEYS, lifecycleKeys.measureReminder('th-1', REL, 1)];

  it('counted from the start of care when nothing came since: outreach and flag at 21 days, not before', () => {
    const before = planLifecycle(inCare(21 * DAY - SECOND, { sentKeys: sent }));
    expect(before.actions).toEqual([]);
    expect(before.disengagedSince).toBeUndefined();
    expect(planLifecycle(inCare(20 * DAY, { sentKeys: sent })).nextWakeAt).toBe(at(21 * DAY));
    const due = planLifecycle(inCare(21 * DAY, { sentKeys: sent }));
    expect(due.actions).toEqual([
      { kind: 'disengagement_outreach', key: lifecycleKeys.outreach('th-1', REL, REL) },
      { kind: 'disengagement_flag', key: lifecycleKeys.disengagementFlag('th-1', REL, REL), therapistId: 'th-1', since: REL },
    ]);
    expect(due.disengagedSince).toBe(at(0));
  });

  it('counted from the latest assessment or check-in; once per quiet spell', () => {
    const checkIn = { at: at(10 * DAY), stored: '2026-03-12T15:00:00.000Z' };
    const assessment = { at: at(5 * DAY), stored: 'a' };
    expect(planLifecycle(inCare(30 * DAY, { sentKeys: sent, lastCheckIn: checkIn, lastAssessment: assessment })).actions.filter((a) => a.kind.startsWith('disengagement'))).toEqual([]);
    const due = planLifecycle(inCare(31 * DAY, { sentKeys: [...sent, lifecycleKeys.measureReminder('th-1', REL, 2)], lastCheckIn: checkIn, lastAssessment: assessment }));
    expect(kinds(due)).toEqual(['disengagement_outreach', 'disengagement_flag']);
    expect(due.actions[0]).toMatchObject({ key: lifecycleKeys.outreach('th-1', REL, checkIn.stored) });
    const done = [...sent, lifecycleKeys.measureReminder('th-1', REL, 2), ...due.actions.map((a) => ('key' in a ? a.key : ''))];
    const later = planLifecycle(inCare(40 * DAY, { sentKeys: done, lastCheckIn: checkIn, lastAssessment: assessment }));
    expect(later.actions).toEqual([]);
    expect(later.disengagedSince).toBe(checkIn.at);
  });
});

describe('in care without a therapist (between writes)', () => {
  it('nothing due, reviewed daily', () => {
    expect(planLifecycle(facts({ elapsed: 30 * DAY, stage: 'in_care' }))).toMatchObject({ actions: [], nextWakeInSeconds: 86_400, end: false });
  });
});

describe('referral to a higher level of care', () => {
  it.each(ACTIVE_CLIENT_STAGES)('%s: applied before anything else, naming the therapist if any', (stage) => {
    const plan = planLifecycle(facts({ elapsed: 3 * DAY, stage, therapist: THERAPIST, pendingReferrals: [{ referralId: 'risk-assessment-1' }, { referralId: 'risk-check_in-2' }] }));
    expect(plan.actions).toEqual([{ kind: 'apply_referral', referralId: 'risk-assessment-1', therapistId: 'th-1' }]);
    expect(plan.end).toBe(false);
  });
});

describe('dedupe keys', () => {
  it('are built from stored values only: the same client on another clock scale gets the same keys', () => {
    const a = planLifecycle(inCare(21 * DAY));
    const shifted = { clinicianId: 'th-1', startedAt: { at: at(1_000 * DAY), stored: REL } };
    const b = planLifecycle(facts({ elapsed: 1_021 * DAY, stage: 'in_care', therapist: shifted }));
    expect(b.actions.map((x) => ('key' in x ? x.key : ''))).toEqual(a.actions.map((x) => ('key' in x ? x.key : '')));
  });
});

describe('continue as new', () => {
  const rules = DEFAULT_LIFECYCLE_RULES;
  it('after 500 wake-ups', () => {
    expect(shouldContinueAsNew({ wakeUps: 499, sleptSeconds: 0 }, 86_400, rules)).toBe(false);
    expect(shouldContinueAsNew({ wakeUps: 500, sleptSeconds: 0 }, 86_400, rules)).toBe(true);
  });

  it('before a sleep would pass 300 days', () => {
    const limit = 300 * 86_400;
    expect(shouldContinueAsNew({ wakeUps: 10, sleptSeconds: limit - 86_400 }, 86_400, rules)).toBe(false);
    expect(shouldContinueAsNew({ wakeUps: 10, sleptSeconds: limit - 86_400 }, 86_401, rules)).toBe(true);
    expect(shouldContinueAsNew({ wakeUps: 10, sleptSeconds: limit }, 60, rules)).toBe(true);
  });

  it('the defaults stay well inside Step Functions (25,000 events, one year)', () => {
    // ~20 events per wake-up at most (two Tasks of 5, three states of 2, a Wait, retries rare).
    expect(rules.generationMaxWakeUps * 20).toBeLessThan(25_000);
    expect(rules.generationMaxSeconds + rules.reviewEverySeconds).toBeLessThan(365 * 86_400);
  });
});
