import { describe, expect, it } from 'vitest';
import {
  buildProgressReview,
  clientInitials,
  defaultReviewPeriod,
  NO_FLAGS_IS_NOT_NO_RISK,
  ReviewFactsSchema,
  triageClassOf,
  type ClientReviewFactsInput,
  type ProgressReview,
  type ReviewFactsInput,
} from '../../../shared/domain/reviews/index.js';
import { daysAgo, fixtureClients, fixtureFacts, NOW, PERIOD, THERAPIST_ID, TIME_ZONE } from './fixture.js';

/** A client with nothing to flag; tests change one thing at a time. */
function quiet(id: string, over: Partial<ClientReviewFactsInput> = {}): ClientReviewFactsInput {
  return {
    clientId: id,
    initials: 'Q.C.',
    careStartedAt: daysAgo(21),
    scores: { phq9: [{ total: 12, at: daysAgo(21) }, { total: 11, at: daysAgo(3) }] },
    sessions: [
      { sessionId: `${id}-1`, start: daysAgo(3), status: 'attended' },
      { sessionId: `${id}-2`, start: daysAgo(-4), status: 'booked' },
    ],
    checkIns: [{ dueAt: daysAgo(2), doneAt: daysAgo(2) }],
    measures: [{ instrument: 'phq9', dueAt: daysAgo(3), completedAt: daysAgo(3) }],
    ...over,
  };
}

function review(clients: ClientReviewFactsInput[], over: Partial<ReviewFactsInput> = {}): ProgressReview {
  return buildProgressReview(
    ReviewFactsSchema.parse({ therapist: { id: THERAPIST_ID, timeZone: TIME_ZONE, identifiers: 'initials' }, period: PERIOD, now: NOW, clients, ...over }),
  );
}

const codes = (r: ProgressReview, id: string) => r.items.find((i) => i.clientId === id)?.reasons.map((x) => x.code) ?? [];

describe('the fixture caseload', () => {
  const r = buildProgressReview(fixtureFacts());

  it('lists flagged clients in triage order, each under its most urgent class', () => {
    expect(r.items.map((i) => [i.clientId, i.triageClass])).toEqual([
      ['c-avery', 'risk'],
      ['c-bianca', 'deterioration'],
      ['c-carlos', 'not_on_track'],
      ['c-dana', 'disengaged'],
      ['c-eli', 'plan_review_due'],
      ['c-farah', 'carried_over'],
    ]);
  });

  it('gives plain-language reasons, every one of them, most urgent first', () => {
    const avery = r.items[0]!;
    expect(avery.reasons.map((x) => x.code)).toEqual(['risk_flag', 'open_risk_task', 'not_on_track']);
    expect(avery.reasons[0]!.text).toBe('1 risk flag raised in the period (highest: moderate).');
    expect(codes(r, 'c-bianca')).toEqual(['reliable_worsening']);
    expect(r.items[1]!.reasons[0]!.text).toBe('GAD-7: reliable worsening since baseline (+6 points).');
    expect(codes(r, 'c-dana')).toEqual(['no_shows_in_a_row', 'check_ins_missed_in_a_row']);
    expect(r.items[3]!.reasons.map((x) => x.text)).toEqual(['2 no-shows in a row.', 'Missed 3 check-ins in a row.']);
    expect(codes(r, 'c-eli')).toEqual(['plan_review_due']);
  });

  it('counts clients with nothing to flag, and does not list them', () => {
    expect(r.caseload.nothingToFlag).toBe(3);
    expect(r.items.map((i) => i.clientId)).not.toContain('c-grace');
    expect(r.caseload.listed + r.caseload.nothingToFlag).toBe(r.caseload.clientsInCare);
  });

  it('has the caseload header', () => {
    expect(r.caseload).toMatchObject({ clientsInCare: 9, notOnTrack: 2, deteriorated: 1, atRisk: 1, onTrack: 6 });
    // Measures due in the period: one per client; Dana's was missed.
    expect(r.caseload.measureCompletion).toEqual({ due: 9, completed: 8, percent: 89 });
    expect(r.triageCounts).toEqual({ risk: 1, deterioration: 1, not_on_track: 1, disengaged: 1, plan_review_due: 1, carried_over: 1 });
  });

  it('carries over what the last review listed and nobody dispositioned, marked as such', () => {
    const marked = r.items.filter((i) => i.carriedOver !== null).map((i) => i.clientId);
    expect(marked).toEqual(['c-bianca', 'c-farah']); // Avery was dispositioned
    expect(r.items.find((i) => i.clientId === 'c-bianca')!.carriedOver).toEqual({ fromReviewId: fixtureFacts().previousReview!.reviewId });
    expect(r.carriedOver).toBe(2);
  });

  it('shows per instrument the baseline, latest, band, both changes and their classes, response, remission, and a series for a chart', () => {
    const avery = r.items[0]!.client.instruments[0]!;
    expect(avery).toMatchObject({
      instrument: 'phq9',
      baseline: { total: 19 },
      latest: { total: 14 },
      band: { id: 'moderate' },
      sinceBaseline: { change: -5, changeClass: 'possible_improvement' },
      sinceLastReview: { from: { total: 17 }, change: -3, changeClass: 'possible_improvement' },
      response: false,
      remission: false,
      caseness: { baseline: true, latest: true },
      latestItem9: 1,
      maxTotal: 27,
    });
    expect(avery.series.map((p) => p.total)).toEqual([19, 17, 14]);
    const farah = r.items.find((i) => i.clientId === 'c-farah')!.client.instruments[0]!;
    expect(farah).toMatchObject({ instrument: 'pcl5', remission: null, band: { id: 'probable_ptsd' }, sinceBaseline: { changeClass: 'possible_improvement' } });
  });

  it('shows sessions in the period, days since the last and until the next (calendar days in the therapist\'s zone), and plan objectives', () => {
    const carlos = r.items[2]!.client;
    expect(carlos.sessions.inPeriod).toEqual({ attended: 2, cancelled: 0, lateCancelled: 0, cancelledByTherapist: 0, noShow: 0, booked: 0 });
    expect(carlos.sessions.daysSinceLast).toBe(2);
    expect(carlos.sessions.daysUntilNext).toBe(6);
    expect(carlos.plan!.objectives.map((o) => [o.objectiveId, o.status, o.overdue])).toEqual([
      ['o1', 'no_change', false],
      ['o2', 'not_yet_measured', false],
    ]);
    expect(r.items[3]!.client.sessions.noShowsInARow).toBe(2);
  });

  it('always carries the fixed line: no flags is not no risk', () => {
    expect(r.noFlagsLine).toBe(NO_FLAGS_IS_NOT_NO_RISK);
    expect(review([]).noFlagsLine).toBe(NO_FLAGS_IS_NOT_NO_RISK);
    expect(review([quiet('q')]).noFlagsLine).toContain('No flags does not mean no risk');
  });

  it('is deterministic: the same facts in any client order give the same review', () => {
    const facts = fixtureFacts();
    const reversed = { ...facts, clients: [...facts.clients].reverse() };
    expect(buildProgressReview(reversed)).toEqual(r);
    expect(buildProgressReview(fixtureFacts())).toEqual(r);
  });
});

describe('triage rules one at a time', () => {
  it('a quiet client is counted, not listed, and an empty caseload has a header of zeros', () => {
    const r = review([quiet('q')]);
    expect(r.items).toEqual([]);
    expect(r.caseload).toMatchObject({ clientsInCare: 1, nothingToFlag: 1, onTrack: 1 });
    expect(review([]).caseload.measureCompletion).toEqual({ due: 0, completed: 0, percent: null });
  });

  it('risk: a flag in the period lists; one before the period does not; an open task does whatever its age', () => {
    expect(codes(review([quiet('q', { riskFlags: [{ kind: 'check_in_self_harm', level: 'high', at: daysAgo(1) }] })]), 'q')).toEqual(['risk_flag']);
    expect(codes(review([quiet('q', { riskFlags: [{ kind: 'check_in_self_harm', level: 'high', at: daysAgo(8) }] })]), 'q')).toEqual([]);
    // The period is half-open: a flag at its start is in, one at its end is out.
    expect(codes(review([quiet('q', { riskFlags: [{ kind: 'phq9_item9', level: 'moderate', at: PERIOD.start }] })]), 'q')).toEqual(['risk_flag']);
    expect(codes(review([quiet('q', { riskFlags: [{ kind: 'phq9_item9', level: 'moderate', at: PERIOD.end }] })]), 'q')).toEqual([]);
    expect(codes(review([quiet('q', { openRiskTasks: [{ taskId: 't', level: 'low', status: 'open', openedAt: daysAgo(30) }] })]), 'q')).toEqual(['open_risk_task']);
    expect(codes(review([quiet('q', { openRiskTasks: [{ taskId: 't', level: 'low', status: 'assessed', openedAt: daysAgo(30) }] })]), 'q')).toEqual([]);
  });

  it('risk: a latest PHQ-9 item 9 above 0 lists even when no flag came with it', () => {
    const scores = { phq9: [{ total: 12, at: daysAgo(21) }, { total: 11, at: daysAgo(3), item9: 1 }] };
    expect(codes(review([quiet('q', { scores })]), 'q')).toEqual(['phq9_item9']);
    expect(codes(review([quiet('q', { scores: { phq9: [{ total: 11, at: daysAgo(3), item9: 0 }] } })]), 'q')).toEqual([]);
  });

  it('risk orders by level, then by number of reasons, then by client id', () => {
    const flag = (level: 'low' | 'moderate' | 'high') => [{ kind: 'cssrs_screener' as const, level, at: daysAgo(1) }];
    const r = review([
      quiet('a', { riskFlags: flag('low') }),
      quiet('b', { riskFlags: flag('high') }),
      quiet('c', { riskFlags: flag('moderate') }),
      quiet('d', { riskFlags: flag('moderate'), openRiskTasks: [{ taskId: 't', level: 'low', status: 'open', openedAt: daysAgo(1) }] }),
      quiet('e', { riskFlags: flag('moderate') }),
    ]);
    expect(r.items.map((i) => i.clientId)).toEqual(['b', 'd', 'c', 'e', 'a']);
  });

  it('deterioration: a reliable worsening since baseline lists; a possible worsening alone does not', () => {
    const up = (to: number) => ({ phq9: [{ total: 10, at: daysAgo(21) }, { total: to, at: daysAgo(3) }] });
    expect(codes(review([quiet('q', { scores: up(16) })]), 'q')).toEqual(['reliable_worsening']); // +6 = RC
    expect(codes(review([quiet('q', { scores: up(15) })]), 'q')).toEqual([]); // +5: possible
    expect(review([quiet('q', { scores: up(15) })]).caseload.deteriorated).toBe(0);
  });

  it('deterioration: a reliable worsening since the last review lists even when the baseline hides it', () => {
    const scores = { gad7: [{ total: 14, at: daysAgo(40) }, { total: 4, at: daysAgo(10) }, { total: 9, at: daysAgo(2) }] };
    const r = review([quiet('q', { careStartedAt: daysAgo(40), scores })]);
    expect(r.items[0]!.client.instruments[0]!).toMatchObject({ sinceBaseline: { change: -5, changeClass: 'reliable_improvement' }, sinceLastReview: { change: 5, changeClass: 'reliable_worsening' } });
    expect(r.items[0]!.reasons[0]!.text).toBe('GAD-7: reliable worsening since the last review (+5 points).');
  });

  it('not on track: from 8 weeks of care without reliable improvement or response, not before', () => {
    const at = (days: number) => quiet('q', { careStartedAt: daysAgo(days), scores: { phq9: [{ total: 15, at: daysAgo(days) }, { total: 14, at: daysAgo(1) }] } });
    expect(codes(review([at(55)]), 'q')).toEqual([]);
    expect(codes(review([at(56)]), 'q')).toEqual(['not_on_track']);
    const improved = quiet('q', { careStartedAt: daysAgo(70), scores: { phq9: [{ total: 15, at: daysAgo(70) }, { total: 9, at: daysAgo(1) }] } });
    expect(codes(review([improved]), 'q')).toEqual([]);
  });

  it('not on track: also after 6 attended sessions, whichever comes first', () => {
    const sessions = [
      ...Array.from({ length: 6 }, (_, i) => ({ sessionId: `s${i}`, start: daysAgo(27 - i * 4), status: 'attended' as const })),
      { sessionId: 'next', start: daysAgo(-3), status: 'booked' as const },
    ];
    expect(codes(review([quiet('q', { careStartedAt: daysAgo(28), sessions })]), 'q')).toEqual(['not_on_track']);
    expect(codes(review([quiet('q', { careStartedAt: daysAgo(28), sessions: sessions.slice(1) })]), 'q')).toEqual([]);
  });

  it('disengaged: no-shows in a row (2), check-ins or measures missed in a row (3), no contact (21 days), nothing booked', () => {
    const noShows = (n: number) => [
      { sessionId: 'a', start: daysAgo(30), status: 'attended' as const },
      ...Array.from({ length: n }, (_, i) => ({ sessionId: `n${i}`, start: daysAgo(10 - i), status: 'no_show' as const })),
      { sessionId: 'next', start: daysAgo(-3), status: 'booked' as const },
    ];
    expect(codes(review([quiet('q', { sessions: noShows(1) })]), 'q')).toEqual([]);
    expect(codes(review([quiet('q', { sessions: noShows(2) })]), 'q')).toEqual(['no_shows_in_a_row']);

    const missed = (n: number) => [{ dueAt: daysAgo(20), doneAt: daysAgo(20) }, ...Array.from({ length: n }, (_, i) => ({ dueAt: daysAgo(10 - i) }))];
    expect(codes(review([quiet('q', { checkIns: missed(2) })]), 'q')).toEqual([]);
    expect(codes(review([quiet('q', { checkIns: missed(3) })]), 'q')).toEqual(['check_ins_missed_in_a_row']);
    // A done one ends the run.
    expect(codes(review([quiet('q', { checkIns: [...missed(3), { dueAt: daysAgo(1), doneAt: daysAgo(1) }] })]), 'q')).toEqual([]);
    // Not yet due: not missed.
    expect(codes(review([quiet('q', { checkIns: [...missed(2), { dueAt: daysAgo(-1) }] })]), 'q')).toEqual([]);
    const measures = Array.from({ length: 3 }, (_, i) => ({ instrument: 'phq9' as const, dueAt: daysAgo(20 - i * 7) }));
    expect(codes(review([quiet('q', { measures })]), 'q')).toEqual(['measures_missed_in_a_row']);

    const silent = (days: number) =>
      quiet('q', {
        careStartedAt: daysAgo(40),
        scores: { phq9: [{ total: 12, at: daysAgo(40) }, { total: 6, at: daysAgo(days) }] },
        sessions: [{ sessionId: 'a', start: daysAgo(days), status: 'attended' }, { sessionId: 'b', start: daysAgo(-2), status: 'booked' }],
        checkIns: [],
        measures: [],
      });
    expect(codes(review([silent(20)]), 'q')).toEqual([]);
    expect(codes(review([silent(21)]), 'q')).toEqual(['no_contact']);
    expect(review([silent(21)]).items[0]!.client).toMatchObject({ disengaged: true, lastContactAt: daysAgo(21) });

    expect(codes(review([quiet('q', { sessions: [{ sessionId: 'a', start: daysAgo(3), status: 'attended' }] })]), 'q')).toEqual(['no_session_booked']);
  });

  it('adherence in the period: due, done, per cent', () => {
    const r = review([
      quiet('q', {
        checkIns: [{ dueAt: daysAgo(6), doneAt: daysAgo(6) }, { dueAt: daysAgo(4) }, { dueAt: daysAgo(2), doneAt: daysAgo(1) }, { dueAt: daysAgo(9) }],
        sessions: [],
      }),
    ]);
    expect(r.items[0]!.client.checkIns).toEqual({ due: 3, done: 2, percent: 67, missedInARow: 0 });
  });

  it('sessions in the period by status', () => {
    const statuses = ['attended', 'no_show', 'late_cancelled', 'cancelled', 'cancelled_by_therapist', 'cancelled_care_ended'] as const;
    const sessions = [...statuses.map((status, i) => ({ sessionId: `s${i}`, start: daysAgo(6 - i), status })), { sessionId: 'n', start: daysAgo(-1), status: 'booked' as const }];
    const r = review([quiet('q', { sessions, riskFlags: [{ kind: 'phq9_item9', level: 'moderate', at: daysAgo(1) }] })]);
    expect(r.items[0]!.client.sessions.inPeriod).toEqual({ attended: 1, noShow: 1, lateCancelled: 1, cancelled: 2, cancelledByTherapist: 1, booked: 0 });
  });

  it('days since and until count calendar days in the therapist\'s zone', () => {
    // NOW is 09:00 on 9 March in New York. A session at 03:00 UTC on 9 March is 23:00 on 8 March there: 1 day ago, not 0.
    const sessions = [
      { sessionId: 'late', start: '2026-03-09T03:00:00.000Z', status: 'attended' as const },
      { sessionId: 'next', start: '2026-03-10T03:30:00.000Z', status: 'booked' as const }, // 23:30 on 9 March in New York: today
    ];
    const client = review([quiet('q', { sessions, riskFlags: [{ kind: 'phq9_item9', level: 'moderate', at: daysAgo(1) }] })]).items[0]!.client;
    expect(client.sessions).toMatchObject({ daysSinceLast: 1, daysUntilNext: 0 });
    const utc = review([quiet('q', { sessions, riskFlags: [{ kind: 'phq9_item9', level: 'moderate', at: daysAgo(1) }] })], {
      therapist: { id: THERAPIST_ID, timeZone: 'UTC', identifiers: 'none' },
    }).items[0]!.client;
    expect(utc.sessions).toMatchObject({ daysSinceLast: 0, daysUntilNext: 1 });
  });

  it('plan review due: from the review date, or an open plan review task', () => {
    const plan = (nextReviewDate: string) => ({
      planId: 'p', version: 1, status: 'active' as const, createdAt: daysAgo(20), signedAt: daysAgo(20), nextReviewDate, objectives: [],
    });
    expect(codes(review([quiet('q', { plan: plan('2026-03-10') })]), 'q')).toEqual([]);
    expect(codes(review([quiet('q', { plan: plan('2026-03-09') })]), 'q')).toEqual(['plan_review_due']);
    const task = { reviewId: 'objective_overdue:p:o1', kind: 'objective_overdue' as const, openedAt: daysAgo(2) };
    const r = review([quiet('q', { plan: plan('2026-05-01'), openPlanReviewTasks: [task] })]);
    expect(r.items[0]!.reasons).toEqual([{ code: 'plan_review_task_open', triageClass: 'plan_review_due', text: 'Open plan review task: an objective is overdue.' }]);
  });

  it('carry-over: a dispositioned item does not carry; one without does, even with nothing new; a client no longer in care is not listed', () => {
    const previousReview = {
      reviewId: 'progress-review:prev',
      periodEnd: PERIOD.start,
      items: [{ clientId: 'a', disposition: { action: 'no_action' as const } }, { clientId: 'b' }, { clientId: 'gone' }],
    };
    const r = review([quiet('a'), quiet('b')], { previousReview });
    expect(r.items).toEqual([expect.objectContaining({ clientId: 'b', triageClass: 'carried_over', carriedOver: { fromReviewId: 'progress-review:prev' } })]);
    expect(r.items[0]!.reasons.map((x) => x.text)).toEqual(['Listed in the last review and not yet dispositioned.']);
    expect(r.caseload).toMatchObject({ listed: 1, nothingToFlag: 1 });
  });

  it('a carried-over client with new flags is listed under them and still marked', () => {
    const previousReview = { reviewId: 'prev', periodEnd: PERIOD.start, items: [{ clientId: 'b' }] };
    const r = review([quiet('b', { riskFlags: [{ kind: 'cssrs_screener', level: 'low', at: daysAgo(1) }] })], { previousReview });
    expect(r.items[0]).toMatchObject({ triageClass: 'risk', carriedOver: { fromReviewId: 'prev' } });
    expect(r.items[0]!.reasons.map((x) => x.code)).toEqual(['risk_flag']);
  });

  it('triageClassOf picks the most urgent class', () => {
    expect(triageClassOf([])).toBeNull();
    expect(triageClassOf([{ triageClass: 'plan_review_due' }, { triageClass: 'disengaged' }])).toBe('disengaged');
  });
});

describe('facts', () => {
  it('initials from names: letters only, accents folded, upper case', () => {
    expect(clientInitials('Avery', 'Thompson')).toBe('A.T.');
    expect(clientInitials('élodie', "o'Brien")).toBe('E.O.');
    expect(clientInitials('', '')).toBe('');
  });

  it('the default period is the last 7 days ending now', () => {
    expect(defaultReviewPeriod(NOW)).toEqual(PERIOD);
  });

  it('refuses a period that ends after now or before it starts, a bad zone, a name as initials, a client twice', () => {
    const base = { therapist: { id: 't', timeZone: TIME_ZONE, identifiers: 'none' }, period: PERIOD, now: NOW, clients: [] };
    expect(ReviewFactsSchema.safeParse(base).success).toBe(true);
    expect(ReviewFactsSchema.safeParse({ ...base, now: daysAgo(1) }).success).toBe(false);
    expect(ReviewFactsSchema.safeParse({ ...base, period: { start: PERIOD.end, end: PERIOD.start } }).success).toBe(false);
    expect(ReviewFactsSchema.safeParse({ ...base, therapist: { ...base.therapist, timeZone: 'Mars/Olympus' } }).success).toBe(false);
    expect(ReviewFactsSchema.safeParse({ ...base, clients: [{ ...quiet('q'), initials: 'Avery T' }] }).success).toBe(false);
    expect(ReviewFactsSchema.safeParse({ ...base, clients: [quiet('q'), quiet('q')] }).success).toBe(false);
    expect(fixtureClients()).toHaveLength(9);
  });
});

describe('a client with no contact at all yet', () => {
  it('counts from the care start (no throw on an empty contact list): new in care is not disengaged, 21 days without contact is', () => {
    const none = { scores: {}, sessions: [], checkIns: [], measures: [] };
    const r = review([quiet('fresh', { careStartedAt: daysAgo(1), ...none }), quiet('silent', { careStartedAt: daysAgo(30), ...none })]);
    expect(r.caseload.clientsInCare).toBe(2);
    expect(codes(r, 'fresh')).not.toContain('no_contact');
    expect(codes(r, 'silent')).toContain('no_contact');
  });
});
