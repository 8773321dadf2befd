/**
 * A synthetic caseload for the progress review tests and the email preview
 * (scripts/render-review-email.ts). Every person, score and diagnosis here is invented.
 *
 * One therapist in America/New_York; the review runs Monday 9 March 2026, 9:00 EDT (13:00 UTC),
 * over the 7 days before. Nine clients, one per situation:
 *
 * | client          | situation                                                         | expected class   |
 * |-----------------|-------------------------------------------------------------------|------------------|
 * | Avery Thompson  | PHQ-9 item 9 flag in the period, an open risk task                | risk             |
 * | Bianca Okafor   | GAD-7 11 -> 17 (reliable worsening); undispositioned last time    | deterioration (carried over) |
 * | Carlos Mendez   | 14 weeks in care, PHQ-9 16 -> 15                                  | not_on_track     |
 * | Dana Whitfield  | 2 no-shows in a row, 3 check-ins missed in a row                  | disengaged       |
 * | Eli Nakamura    | improving, but the plan's review date has passed                  | plan_review_due  |
 * | Farah Haddad    | nothing now; listed last time and not dispositioned               | carried_over     |
 * | Grace Liu, Hugo Berg, Iris Novak | improving, engaged                               | nothing to flag  |
 *
 * Scores are mostly two-digit values that no count or date of the email can produce, so the
 * no-PHI test can search for them.
 */
import {
  clientInitials,
  ReviewFactsSchema,
  type ClientReviewFactsInput,
  type ReviewFacts,
  type ReviewPlan,
} from '../../../shared/domain/reviews/index.js';

export const NOW = '2026-03-09T13:00:00.000Z';
export const PERIOD = { start: '2026-03-02T13:00:00.000Z', end: NOW };
export const THERAPIST_ID = 'therapist-7f3a';
export const TIME_ZONE = 'America/New_York';

/** What the record holds about each person and must never reach the email. */
export interface FixturePerson {
  clientId: string;
  firstName: string;
  lastName: string;
  diagnosis: string;
  /** A check-in note or objective text: clinical words. */
  note: string;
}

export const PEOPLE: readonly FixturePerson[] = [
  { clientId: 'c-avery', firstName: 'Avery', lastName: 'Thompson', diagnosis: 'Major depressive disorder, recurrent', note: 'Argument with landlord' },
  { clientId: 'c-bianca', firstName: 'Bianca', lastName: 'Okafor', diagnosis: 'Generalized anxiety disorder', note: 'Panic before exams' },
  { clientId: 'c-carlos', firstName: 'Carlos', lastName: 'Mendez', diagnosis: 'Persistent depressive disorder', note: 'Sleeping fourteen hours' },
  { clientId: 'c-dana', firstName: 'Dana', lastName: 'Whitfield', diagnosis: 'Social anxiety disorder', note: 'Avoided the bus again' },
  { clientId: 'c-eli', firstName: 'Eli', lastName: 'Nakamura', diagnosis: 'Adjustment disorder with depressed mood', note: 'Started volunteering' },
  { clientId: 'c-farah', firstName: 'Farah', lastName: 'Haddad', diagnosis: 'Posttraumatic stress disorder', note: 'Nightmares less often' },
  { clientId: 'c-grace', firstName: 'Grace', lastName: 'Liu', diagnosis: 'Panic disorder', note: 'Rode the subway alone' },
  { clientId: 'c-hugo', firstName: 'Hugo', lastName: 'Berg', diagnosis: 'Insomnia disorder', note: 'Kept the sleep window' },
  { clientId: 'c-iris', firstName: 'Iris', lastName: 'Novak', diagnosis: 'Obsessive-compulsive disorder', note: 'Resisted checking the stove' },
];

const person = (id: string) => PEOPLE.find((p) => p.clientId === id)!;
const initialsOf = (id: string) => clientInitials(person(id).firstName, person(id).lastName);

/** `days` days before NOW (negative: after), at 13:00 UTC unless `hour` says. */
export function daysAgo(days: number, hour = 13): string {
  const at = new Date(Date.parse(NOW) - days * 86_400_000);
  at.setUTCHours(hour, 0, 0, 0);
  return at.toISOString();
}

/** An active version 1, signed a week after care started. */
function plan(id: string, careDaysAgo: number, over: Partial<ReviewPlan> = {}): ReviewPlan {
  return {
    planId: `plan-${id}`,
    version: 1,
    status: 'active',
    createdAt: daysAgo(careDaysAgo - 7),
    signedAt: daysAgo(careDaysAgo - 7),
    nextReviewDate: '2026-05-20',
    objectives: [
      { kind: 'measure', id: 'o1', goalId: 'g1', instrument: 'phq9', target: { kind: 'below', value: 10 }, dueDate: '2026-06-01' },
      { kind: 'behaviour', id: 'o2', goalId: 'g1', description: person(id).note, dueDate: '2026-06-01' },
    ],
    ...over,
  };
}

/** An engaged client: a session attended in the period, the next one booked, check-ins and measures done. */
function engaged(id: string, careDaysAgo: number): Omit<ClientReviewFactsInput, 'scores'> {
  return {
    clientId: id,
    initials: initialsOf(id),
    careStartedAt: daysAgo(careDaysAgo),
    plan: plan(id, careDaysAgo),
    sessions: [
      { sessionId: `${id}-s1`, start: daysAgo(14, 15), status: 'attended' },
      { sessionId: `${id}-s2`, start: daysAgo(7, 15), status: 'attended' },
      { sessionId: `${id}-s3`, start: daysAgo(2, 15), status: 'attended' },
      { sessionId: `${id}-s4`, start: daysAgo(-6, 15), status: 'booked' },
    ],
    checkIns: [
      { dueAt: daysAgo(12), doneAt: daysAgo(12, 20) },
      { dueAt: daysAgo(5), doneAt: daysAgo(5, 20) },
      { dueAt: daysAgo(1), doneAt: daysAgo(1, 18) },
    ],
    measures: [{ instrument: 'phq9', dueAt: daysAgo(3), completedAt: daysAgo(3, 17) }],
    riskFlags: [],
    openRiskTasks: [],
    openPlanReviewTasks: [],
  };
}

export function fixtureClients(): ClientReviewFactsInput[] {
  return [
    {
      ...engaged('c-avery', 70),
      scores: {
        phq9: [
          { total: 19, at: daysAgo(70), item9: 0 },
          { total: 17, at: daysAgo(35), item9: 0 },
          { total: 14, at: daysAgo(3, 17), item9: 1 },
        ],
      },
      riskFlags: [{ kind: 'phq9_item9', level: 'moderate', at: daysAgo(3, 17) }],
      openRiskTasks: [{ taskId: 'risk-assessment-a1', level: 'moderate', status: 'acknowledged', openedAt: daysAgo(3, 17) }],
    },
    {
      ...engaged('c-bianca', 42),
      plan: plan('c-bianca', 42, {
        primaryInstrument: 'gad7',
        objectives: [{ kind: 'measure', id: 'o1', goalId: 'g1', instrument: 'gad7', target: { kind: 'below', value: 5 }, dueDate: '2026-06-01' }],
      }),
      scores: { gad7: [{ total: 11, at: daysAgo(42) }, { total: 13, at: daysAgo(14) }, { total: 17, at: daysAgo(3, 17) }] },
      measures: [{ instrument: 'gad7', dueAt: daysAgo(3), completedAt: daysAgo(3, 17) }],
    },
    {
      ...engaged('c-carlos', 98),
      scores: { phq9: [{ total: 16, at: daysAgo(98) }, { total: 18, at: daysAgo(56) }, { total: 15, at: daysAgo(3, 17) }] },
      
    },
    {
      ...engaged('c-dana', 35),
      scores: { gad7: [{ total: 12, at: daysAgo(35) }, { total: 11, at: daysAgo(21) }] },
      plan: plan('c-dana', 35, { primaryInstrument: 'gad7', objectives: [] }),
      sessions: [
        { sessionId: 'c-dana-s1', start: daysAgo(21, 15), status: 'attended' },
        { sessionId: 'c-dana-s2', start: daysAgo(14, 15), status: 'no_show' },
        { sessionId: 'c-dana-s3', start: daysAgo(6, 15), status: 'no_show' },
        { sessionId: 'c-dana-s4', start: daysAgo(-1, 15), status: 'booked' },
      ],
      checkIns: [
        { dueAt: daysAgo(19), doneAt: daysAgo(19, 20) },
        { dueAt: daysAgo(12) },
        { dueAt: daysAgo(5) },
        { dueAt: daysAgo(1) },
      ],
      measures: [{ instrument: 'gad7', dueAt: daysAgo(4) }],
    },
    {
      ...engaged('c-eli', 120),
      scores: { phq9: [{ total: 15, at: daysAgo(120) }, { total: 11, at: daysAgo(60) }, { total: 7, at: daysAgo(3, 17) }] },
      plan: plan('c-eli', 120, { nextReviewDate: '2026-03-05' }),
    },
    {
      ...engaged('c-farah', 28),
      plan: plan('c-farah', 28, {
        primaryInstrument: 'pcl5',
        objectives: [{ kind: 'measure', id: 'o1', goalId: 'g1', instrument: 'pcl5', target: { kind: 'below', value: 33 }, dueDate: '2026-07-01' }],
      }),
      scores: { pcl5: [{ total: 47, at: daysAgo(28) }, { total: 41, at: daysAgo(3, 17) }] },
      measures: [{ instrument: 'pcl5', dueAt: daysAgo(3), completedAt: daysAgo(3, 17) }],
    },
    { ...engaged('c-grace', 49), scores: { phq9: [{ total: 13, at: daysAgo(49) }, { total: 10, at: daysAgo(21) }, { total: 6, at: daysAgo(3, 17) }] } },
    { ...engaged('c-hugo', 21), scores: { phq9: [{ total: 11, at: daysAgo(21) }, { total: 10, at: daysAgo(3, 17) }] } },
    {
      ...engaged('c-iris', 63),
      scores: {
        phq9: [{ total: 12, at: daysAgo(63) }, { total: 5, at: daysAgo(3, 17), item9: 0 }],
        gad7: [{ total: 15, at: daysAgo(63) }, { total: 6, at: daysAgo(3, 17) }],
      },
    },
  ];
}

/** The whole review input, validated. */
export function fixtureFacts(over: { identifiers?: 'initials' | 'none' } = {}): ReviewFacts {
  return ReviewFactsSchema.parse({
    therapist: { id: THERAPIST_ID, timeZone: TIME_ZONE, identifiers: over.identifiers ?? 'initials' },
    period: PERIOD,
    now: NOW,
    previousReview: {
      reviewId: `progress-review:${THERAPIST_ID}:${PERIOD.start}`,
      periodEnd: PERIOD.start,
      items: [
        { clientId: 'c-avery', disposition: { action: 'discussed_with_client', note: 'Safety plan updated' } },
        { clientId: 'c-bianca' },
        { clientId: 'c-farah' },
      ],
    },
    clients: fixtureClients(),
  });
}

/** Every score and answer of the fixture (for the no-PHI test). */
export function fixtureScoresAndAnswers(): number[] {
  const values = new Set<number>();
  for (const client of fixtureClients()) {
    for (const series of Object.values(client.scores)) {
      for (const point of series ?? []) {
        values.add(point.total);
        if (point.item9 !== undefined) values.add(point.item9);
      }
    }
  }
  return [...values].sort((a, b) => a - b);
}
