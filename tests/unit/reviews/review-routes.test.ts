/**
 * The progress review in the app (issue 11, point 4): the access decisions, the validation of
 * the routes' inputs, and the use cases over in-memory fakes (list, read with its audit,
 * dispositions, preferences, adherence, run now, preview, carry-over).
 */
import { describe, expect, it } from 'vitest';
import {
  adherenceOf,
  decideReviewAccess,
  DispositionRequestSchema,
  latestScheduledPeriod,
  parseProgressReviewId,
  PutReviewPreferencesRequestSchema,
  ReviewListQuerySchema,
  RunReviewsRequestSchema,
} from '../../../shared/domain/reviews/access.js';
import type { Disposition } from '../../../shared/domain/reviews/facts.js';
import { progressReviewId, type ProgressReview } from '../../../shared/domain/reviews/review.js';
import type { ReviewPreferences } from '../../../shared/domain/reviews/schedule.js';
import type { AuditEvent } from '../../../shared/domain/audit.js';
import type { Role } from '../../../shared/domain/roles.js';
import { DEFAULT_PROGRESS_REVIEW_SETTINGS, type ProgressReviewDeps } from '../../../shared/use-cases/reviews/progress-reviews.js';
import type { ClientReviewRecords, EmailClaim, ProgressReviewStore, ReviewListEntry, TherapistEntry } from '../../../shared/use-cases/reviews/ports.js';
import {
  getReview,
  listReviews,
  previewReviewCounts,
  putReviewPreferences,
  recordReviewDisposition,
  reviewAdherence,
  runReviewsNow,
} from '../../../shared/use-cases/reviews/review-routes.js';

const T1 = 'therapist-1';
const T2 = 'therapist-2';
const SUP = 'supervisor-1';
const ADMIN = 'admin-1';
const caller = (userId: string, role: Role) => ({ userId, role });
const KEY = 'k'.repeat(40);

// ---------------------------------------------------------------------------------------------
// Fakes
// ---------------------------------------------------------------------------------------------

function fakeStore(): ProgressReviewStore & { reviews: Map<string, ProgressReview>; disp: Map<string, Disposition>; prefs: Map<string, ReviewPreferences>; claims: Map<string, string> } {
  const reviews = new Map<string, ProgressReview>();
  const disp = new Map<string, Disposition>();
  const prefs = new Map<string, ReviewPreferences>();
  const claims = new Map<string, string>();
  const k = (t: string, end: string) => `${t}|${end}`;
  const ofTherapist = (t: string) => [...reviews.values()].filter((r) => r.therapistId === t).sort((a, b) => (a.period.end < b.period.end ? 1 : -1));
  const entry = (r: ProgressReview): ReviewListEntry => ({ reviewId: r.reviewId, therapistId: r.therapistId, period: r.period, generatedAt: r.generatedAt, clientsInCare: r.caseload.clientsInCare, listed: r.caseload.listed });
  return {
    reviews,
    disp,
    prefs,
    claims,
    getPreferences: async (t) => prefs.get(t),
    preferencesOf: async (ids) => new Map(ids.flatMap((id) => (prefs.has(id) ? [[id, prefs.get(id)!] as const] : []))),
    putPreferences: async (t, p) => void prefs.set(t, p),
    save: async (r) => {
      if (reviews.has(k(r.therapistId, r.period.end))) return 'exists';
      reviews.set(k(r.therapistId, r.period.end), structuredClone(r));
      return 'stored';
    },
    get: async (t, end) => reviews.get(k(t, end)),
    list: async (t, page) => {
      const all = ofTherapist(t);
      const from = page.cursor ? Number(Buffer.from(page.cursor, 'base64url').toString()) : 0;
      const items = all.slice(from, from + page.limit).map(entry);
      const next = from + page.limit < all.length ? Buffer.from(String(from + page.limit)).toString('base64url') : undefined;
      return { items, ...(next ? { cursor: next } : {}) };
    },
    latestBefore: async (t, end) => ofTherapist(t).find((r) => r.period.end < end),
    dispositions: async (t, end) => new Map([...disp.entries()].filter(([key]) => key.startsWith(`${k(t, end)}|`)).map(([key, d]) => [key.split('|')[2]!, d])),
    recordDisposition: async (t, end, clientId, d) => {
      const key = `${k(t, end)}|${clientId}`;
      const stored = disp.get(key);
      if (stored) return { outcome: 'exists', disposition: stored };
      disp.set(key, d);
      return { outcome: 'recorded', disposition: d };
    },
    claimEmail: async (t, end, claimId): Promise<EmailClaim> => {
      if (claims.has(k(t, end))) return { state: 'sent' };
      claims.set(k(t, end), claimId);
      return { state: 'claimed' };
    },
    confirmEmail: async () => undefined,
    releaseEmail: async (t, end) => void claims.delete(k(t, end)),
    abandonEmail: async () => undefined,
  };
}

const records = (clientId: string, careStartedAt: string): ClientReviewRecords => ({
  clientId,
  firstName: 'Synthia',
  lastName: 'Testwell',
  careStartedAt,
  scores: { phq9: [{ total: 14, at: careStartedAt }] },
  planReviews: [],
  sessions: [],
  checkInsAt: [],
  riskFlags: [],
  openRiskTasks: [],
});

function world(options: { now?: string } = {}) {
  let now = new Date(options.now ?? '2027-01-06T15:00:00.000Z');
  const store = fakeStore();
  const therapists: TherapistEntry[] = [
    { therapistId: T1, timeZone: 'America/New_York', email: 't1@example.test' },
    { therapistId: T2, timeZone: 'America/New_York', email: 't2@example.test' },
  ];
  const inCare: Record<string, { clientId: string; startedAt: string }[]> = {
    [T1]: [
      { clientId: 'client-a', startedAt: '2026-11-01T00:00:00.000Z' },
      { clientId: 'client-b', startedAt: '2026-11-01T00:00:00.000Z' },
    ],
  };
  const audit: AuditEvent[] = [];
  const sent: string[] = [];
  let reads = 0;
  let ids = 0;
  const deps: ProgressReviewDeps & { cursorSigningKey: string } = {
    store,
    therapists: { listTherapists: async () => therapists, get: async (id) => therapists.find((t) => t.therapistId === id) },
    facts: {
      clientsInCare: async (t) => (reads++, inCare[t] ?? []),
      clientRecords: async (clientId, _t, startedAt) => (reads++, records(clientId, startedAt)),
      reads: () => reads,
    },
    email: { send: async (email) => (sent.push(email.to), { messageId: `m-${sent.length}` }) },
    auditLog: { record: async (event) => void audit.push(event) },
    settings: { ...DEFAULT_PROGRESS_REVIEW_SETTINGS, reviewUrlBase: 'https://app.example.test/reviews' },
    now: () => now,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    cursorSigningKey: KEY,
  };
  return { deps, store, audit, sent, setNow: (iso: string) => (now = new Date(iso)) };
}

// ---------------------------------------------------------------------------------------------
// Pure rules
// ---------------------------------------------------------------------------------------------

describe('decideReviewAccess', () => {
  const t1 = { therapistId: T1 };
  it('reads: the therapist their own, a supervisor any therapist (team = all), nobody else (404)', () => {
    expect(decideReviewAccess({ caller: caller(T1, 'therapist'), therapistId: T1, therapist: t1, action: 'read' })).toEqual({ allowed: true, as: 'own' });
    expect(decideReviewAccess({ caller: caller(SUP, 'supervisor'), therapistId: T1, therapist: t1, action: 'read' })).toEqual({ allowed: true, as: 'supervisor' });
    expect(decideReviewAccess({ caller: caller(SUP, 'supervisor'), therapistId: 'nobody', therapist: undefined, action: 'read' })).toMatchObject({ allowed: false, respondAs: 'not_found' });
    for (const c of [caller(T2, 'therapist'), caller(ADMIN, 'admin'), caller('co', 'coordinator'), caller('cl', 'client')]) {
      expect(decideReviewAccess({ caller: c, therapistId: T1, therapist: t1, action: 'read' })).toMatchObject({ allowed: false, respondAs: 'not_found' });
    }
    // A supervisor id that matches is still not "own": a review is a therapist's.
    expect(decideReviewAccess({ caller: caller(T1, 'supervisor'), therapistId: T1, therapist: undefined, action: 'read' })).toMatchObject({ allowed: false });
  });

  it('dispositions: the therapist only; a supervisor (who can see the review) 403, others 404', () => {
    expect(decideReviewAccess({ caller: caller(T1, 'therapist'), therapistId: T1, therapist: t1, action: 'disposition' })).toEqual({ allowed: true, as: 'own' });
    expect(decideReviewAccess({ caller: caller(SUP, 'supervisor'), therapistId: T1, therapist: t1, action: 'disposition' })).toMatchObject({ allowed: false, respondAs: 'forbidden' });
    expect(decideReviewAccess({ caller: caller(T2, 'therapist'), therapistId: T1, therapist: t1, action: 'disposition' })).toMatchObject({ allowed: false, respondAs: 'not_found' });
    expect(decideReviewAccess({ caller: caller(ADMIN, 'admin'), therapistId: T1, therapist: t1, action: 'disposition' })).toMatchObject({ allowed: false, respondAs: 'not_found' });
  });

  it('preferences: the therapist themself or an admin; another therapist 403; an unknown therapist 404', () => {
    expect(decideReviewAccess({ caller: caller(T1, 'therapist'), therapistId: T1, therapist: t1, action: 'set_preferences' })).toEqual({ allowed: true, as: 'own' });
    expect(decideReviewAccess({ caller: caller(ADMIN, 'admin'), therapistId: T1, therapist: t1, action: 'set_preferences' })).toEqual({ allowed: true, as: 'admin' });
    expect(decideReviewAccess({ caller: caller(T2, 'therapist'), therapistId: T1, therapist: t1, action: 'set_preferences' })).toMatchObject({ allowed: false, respondAs: 'forbidden' });
    expect(decideReviewAccess({ caller: caller(SUP, 'supervisor'), therapistId: T1, therapist: t1, action: 'set_preferences' })).toMatchObject({ allowed: false, respondAs: 'forbidden' });
    expect(decideReviewAccess({ caller: caller(ADMIN, 'admin'), therapistId: 'nobody', therapist: undefined, action: 'set_preferences' })).toMatchObject({ allowed: false, respondAs: 'not_found' });
  });
});

describe('review ids', () => {
  it('round-trip the builder id; anything else is no review', () => {
    const id = progressReviewId('0b9a-uuid', '2027-01-04T12:00:00.000Z');
    expect(parseProgressReviewId(id)).toEqual({ therapistId: '0b9a-uuid', periodEnd: '2027-01-04T12:00:00.000Z' });
    for (const bad of ['progress-review:t1', 'review:t1:2027-01-04T12:00:00.000Z', 'progress-review::2027-01-04T12:00:00.000Z', 'progress-review:t1:2027-01-04T12:00:00Z', 'progress-review:t1:nope', 'progress-review:t/1:2027-01-04T12:00:00.000Z']) {
      expect(parseProgressReviewId(bad), bad).toBeUndefined();
    }
  });
});

describe('latestScheduledPeriod (run now)', () => {
  const schedule = { therapistId: T1, weekday: 1, hour: 7, timeZone: 'America/New_York', paused: false };
  it('is the period of the latest scheduled tick at or before now, all week long, paused or not', () => {
    const expected = { start: '2026-12-28T12:00:00.000Z', end: '2027-01-04T12:00:00.000Z' };
    for (const now of ['2027-01-04T12:00:00.000Z', '2027-01-04T12:59:59.000Z', '2027-01-07T03:00:00.000Z', '2027-01-11T11:59:59.000Z']) {
      expect(latestScheduledPeriod(new Date(now), schedule), now).toEqual(expected);
      expect(latestScheduledPeriod(new Date(now), { ...schedule, paused: true }), now).toEqual(expected);
    }
    expect(latestScheduledPeriod(new Date('2027-01-11T12:00:00.000Z'), schedule)).toEqual({ start: '2027-01-04T12:00:00.000Z', end: '2027-01-11T12:00:00.000Z' });
  });
});

describe('adherenceOf', () => {
  const now = new Date('2027-01-20T00:00:00.000Z');
  const d = (at?: string): Disposition => ({ action: 'reviewed', ...(at ? { at } : {}) });
  it('counts dispositions within 7 days of the review; a young review\'s open items are pending, not late', () => {
    const a = adherenceOf(
      [
        { generatedAt: '2027-01-04T12:00:00.000Z', listed: 3, dispositions: [d('2027-01-05T00:00:00.000Z'), d('2027-01-12T00:00:00.000Z')] }, // one in time, one late, one never
        { generatedAt: '2027-01-18T12:00:00.000Z', listed: 2, dispositions: [d('2027-01-19T00:00:00.000Z')] }, // one in time, one pending
      ],
      now,
    );
    expect(a).toEqual({ reviews: 2, flagged: 5, inTime: 2, pending: 1, percent: 50 });
    expect(adherenceOf([], now)).toEqual({ reviews: 0, flagged: 0, inTime: 0, pending: 0, percent: null });
  });
});

describe('request validation', () => {
  it('preferences: weekday 1-7, hour 0-23, an IANA zone, paused; nothing else', () => {
    expect(PutReviewPreferencesRequestSchema.safeParse({ weekday: 1, hour: 7, paused: false }).success).toBe(true);
    expect(PutReviewPreferencesRequestSchema.safeParse({ weekday: 7, hour: 23, paused: true, timeZone: 'Asia/Kolkata' }).success).toBe(true);
    for (const bad of [
      { weekday: 0, hour: 7, paused: false },
      { weekday: 8, hour: 7, paused: false },
      { weekday: 1, hour: 24, paused: false },
      { weekday: 1, hour: 7.5, paused: false },
      { weekday: 1, hour: 7, paused: false, timeZone: 'Mars/Olympus_Mons' },
      { weekday: 1, hour: 7 },
      { weekday: 1, hour: 7, paused: false, extra: true },
    ]) {
      expect(PutReviewPreferencesRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('dispositions: one of the five actions, an optional note; no `at` from the caller', () => {
    for (const action of ['reviewed', 'discussed_with_client', 'plan_revised', 'escalated', 'no_action']) expect(DispositionRequestSchema.safeParse({ action }).success).toBe(true);
    expect(DispositionRequestSchema.safeParse({ action: 'ignored' }).success).toBe(false);
    expect(DispositionRequestSchema.safeParse({ action: 'reviewed', note: '   ' }).success).toBe(false);
    expect(DispositionRequestSchema.safeParse({ action: 'reviewed', at: '2027-01-01T00:00:00.000Z' }).success).toBe(false);
    expect(ReviewListQuerySchema.parse({})).toEqual({ limit: 10 });
    expect(ReviewListQuerySchema.safeParse({ limit: '51' }).success).toBe(false);
    expect(RunReviewsRequestSchema.safeParse({ therapistId: 'a/b' }).success).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Use cases
// ---------------------------------------------------------------------------------------------

describe('the review routes over fakes', () => {
  it('run now: one review and one email per period however often; preview stores and sends nothing and answers counts only', async () => {
    const { deps, store, sent, audit } = world();
    const first = await runReviewsNow({ therapistId: T1 }, deps);
    expect(first.results).toEqual([
      { therapistId: T1, period: { start: '2026-12-28T12:00:00.000Z', end: '2027-01-04T12:00:00.000Z' }, reviewId: progressReviewId(T1, '2027-01-04T12:00:00.000Z'), outcome: 'sent' },
    ]);
    const again = await runReviewsNow({ therapistId: T1 }, deps);
    expect(again.results[0]?.outcome).toBe('already_sent');
    expect(store.reviews.size).toBe(1);
    expect(sent).toEqual(['t1@example.test']);
    // Every therapist: T2 has no client in care.
    expect((await runReviewsNow({}, deps)).results.map((r) => [r.therapistId, r.outcome])).toEqual([
      [T1, 'already_sent'],
      [T2, 'no_clients'],
    ]);
    await expect(runReviewsNow({ therapistId: 'nobody' }, deps)).rejects.toMatchObject({ code: 'not_found' });

    const auditBefore = audit.length;
    const preview = await previewReviewCounts({ caller: caller(ADMIN, 'admin'), therapistId: T1 }, deps);
    expect(preview).toMatchObject({ therapistId: T1, built: true, caseload: { clientsInCare: 2, listed: 2 }, carriedOver: 2 });
    expect(JSON.stringify(preview)).not.toContain('client-a');
    expect(store.reviews.size).toBe(1);
    expect(sent).toHaveLength(1);
    expect(audit.slice(auditBefore).map((e) => [e.clientId, e.actor.role, e.purpose, e.action])).toEqual([
      ['client-a', 'admin', 'operations', 'read'],
      ['client-b', 'admin', 'operations', 'read'],
    ]);
  });

  it('list, read (audited per listed client), disposition once, and the next review carries the rest over', async () => {
    const { deps, audit, setNow } = world();
    await runReviewsNow({ therapistId: T1 }, deps);
    const reviewId = progressReviewId(T1, '2027-01-04T12:00:00.000Z');

    const listed = await listReviews({ caller: caller(T1, 'therapist'), limit: 10 }, deps);
    expect(listed.reviews.map((r) => r.reviewId)).toEqual([reviewId]);
    expect(listed.cursor).toBeNull();
    expect((await listReviews({ caller: caller(SUP, 'supervisor'), therapistId: T1, limit: 10 }, deps)).reviews).toHaveLength(1);
    await expect(listReviews({ caller: caller(T2, 'therapist'), therapistId: T1, limit: 10 }, deps)).rejects.toMatchObject({ code: 'not_found' });

    const auditBefore = audit.length;
    const review = await getReview({ caller: caller(T1, 'therapist'), reviewId, requestId: 'req-1' }, deps);
    expect(review.items.map((i) => [i.clientId, i.disposition])).toEqual([
      ['client-a', null],
      ['client-b', null],
    ]);
    expect(review.items[0]?.client.instruments[0]?.series).toEqual([{ total: 14, at: '2026-11-01T00:00:00.000Z' }]);
    expect(audit.slice(auditBefore).map((e) => [e.clientId, e.actor.userId, e.action, e.record.category, e.record.id, e.requestId])).toEqual([
      ['client-a', T1, 'read', 'assessment', reviewId, 'req-1'],
      ['client-b', T1, 'read', 'assessment', reviewId, 'req-1'],
    ]);
    await expect(getReview({ caller: caller(T2, 'therapist'), reviewId }, deps)).rejects.toMatchObject({ code: 'not_found' });
    await expect(getReview({ caller: caller(ADMIN, 'admin'), reviewId }, deps)).rejects.toMatchObject({ code: 'not_found' });
    await expect(getReview({ caller: caller(T1, 'therapist'), reviewId: progressReviewId(T1, '2027-01-11T12:00:00.000Z') }, deps)).rejects.toMatchObject({ code: 'not_found' });
    expect((await getReview({ caller: caller(SUP, 'supervisor'), reviewId }, deps)).items).toHaveLength(2);

    const first = await recordReviewDisposition({ caller: caller(T1, 'therapist'), reviewId, clientId: 'client-a', action: 'discussed_with_client', note: 'Synthetic note.' }, deps);
    expect(first).toMatchObject({ status: 201, body: { reviewId, clientId: 'client-a', disposition: { action: 'discussed_with_client', note: 'Synthetic note.', at: '2027-01-06T15:00:00.000Z' } } });
    expect(audit.at(-1)).toMatchObject({ clientId: 'client-a', action: 'create', record: { category: 'care', id: reviewId } });
    const same = await recordReviewDisposition({ caller: caller(T1, 'therapist'), reviewId, clientId: 'client-a', action: 'discussed_with_client', note: 'Synthetic note.' }, deps);
    expect(same).toEqual({ status: 200, body: first.body });
    await expect(recordReviewDisposition({ caller: caller(T1, 'therapist'), reviewId, clientId: 'client-a', action: 'no_action' }, deps)).rejects.toMatchObject({
      code: 'disposition_already_recorded',
      extensions: { disposition: first.body.disposition },
    });
    await expect(recordReviewDisposition({ caller: caller(T1, 'therapist'), reviewId, clientId: 'client-z', action: 'reviewed' }, deps)).rejects.toMatchObject({ code: 'not_found' });
    await expect(recordReviewDisposition({ caller: caller(T2, 'therapist'), reviewId, clientId: 'client-b', action: 'reviewed' }, deps)).rejects.toMatchObject({ code: 'not_found' });
    await expect(recordReviewDisposition({ caller: caller(SUP, 'supervisor'), reviewId, clientId: 'client-b', action: 'reviewed' }, deps)).rejects.toMatchObject({ code: 'forbidden' });

    // Adherence now: one of two dispositioned, the review 2 days old: one pending.
    expect((await reviewAdherence({ caller: caller(SUP, 'supervisor') }, deps)).therapists).toEqual([
      { therapistId: T1, reviews: 1, flagged: 2, inTime: 1, pending: 1, percent: 100 },
      { therapistId: T2, reviews: 0, flagged: 0, inTime: 0, pending: 0, percent: null },
    ]);

    // The next week's review: client-b (no disposition) carries over, client-a does not.
    setNow('2027-01-12T09:00:00.000Z');
    const next = await runReviewsNow({ therapistId: T1 }, deps);
    const nextId = progressReviewId(T1, '2027-01-11T12:00:00.000Z');
    expect(next.results[0]?.reviewId).toBe(nextId);
    const second = await getReview({ caller: caller(T1, 'therapist'), reviewId: nextId }, deps);
    expect(second.carriedOver).toBe(1);
    expect(Object.fromEntries(second.items.map((i) => [i.clientId, i.carriedOver]))).toEqual({ 'client-a': null, 'client-b': { fromReviewId: reviewId } });
    // Adherence after the first review's 7 days: 1 in time of 2 flagged.
    expect((await reviewAdherence({ caller: caller(ADMIN, 'admin'), therapistId: T1 }, deps)).therapists[0]).toMatchObject({ reviews: 2, flagged: 4, inTime: 1, pending: 2, percent: 50 });
  });

  it('signed cursors: pages a therapist\'s reviews; a tampered cursor or another caller\'s is invalid_cursor', async () => {
    const { deps, setNow } = world();
    for (const now of ['2027-01-05T00:00:00.000Z', '2027-01-12T00:00:00.000Z', '2027-01-19T00:00:00.000Z']) {
      setNow(now);
      await runReviewsNow({ therapistId: T1 }, deps);
    }
    const page1 = await listReviews({ caller: caller(T1, 'therapist'), limit: 2 }, deps);
    expect(page1.reviews.map((r) => r.period.end)).toEqual(['2027-01-18T12:00:00.000Z', '2027-01-11T12:00:00.000Z']);
    const page2 = await listReviews({ caller: caller(T1, 'therapist'), limit: 2, cursor: page1.cursor! }, deps);
    expect(page2.reviews.map((r) => r.period.end)).toEqual(['2027-01-04T12:00:00.000Z']);
    expect(page2.cursor).toBeNull();
    await expect(listReviews({ caller: caller(SUP, 'supervisor'), therapistId: T1, limit: 2, cursor: page1.cursor! }, deps)).rejects.toMatchObject({ code: 'invalid_cursor' });
    await expect(listReviews({ caller: caller(T1, 'therapist'), limit: 2, cursor: `${page1.cursor!}x` }, deps)).rejects.toMatchObject({ code: 'invalid_cursor' });
  });

  it('preferences: self and admin set them; another therapist 403; an unknown clinician 404', async () => {
    const { deps, store } = world();
    const prefs = { weekday: 3, hour: 18, paused: false, timeZone: 'America/Chicago' };
    expect(await putReviewPreferences({ caller: caller(T1, 'therapist'), clinicianId: T1, preferences: prefs }, deps)).toEqual({ clinicianId: T1, preferences: prefs });
    expect(await putReviewPreferences({ caller: caller(ADMIN, 'admin'), clinicianId: T2, preferences: { weekday: 1, hour: 7, paused: true } }, deps)).toMatchObject({ clinicianId: T2 });
    await expect(putReviewPreferences({ caller: caller(T2, 'therapist'), clinicianId: T1, preferences: prefs }, deps)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(putReviewPreferences({ caller: caller(ADMIN, 'admin'), clinicianId: 'nobody', preferences: prefs }, deps)).rejects.toMatchObject({ code: 'not_found' });
    expect(store.prefs.get(T1)).toEqual(prefs);
    // The run follows the preferences: Wednesday 18:00 Chicago (00:00 UTC Thursday).
    const run = await runReviewsNow({ therapistId: T1 }, { ...deps, now: () => new Date('2027-01-08T00:00:00.000Z') });
    expect(run.results[0]?.period).toEqual({ start: '2026-12-31T00:00:00.000Z', end: '2027-01-07T00:00:00.000Z' });
  });
});

describe('a client whose care started after the period end', () => {
  it('is not in that period\'s caseload: with nobody else in care, no review and no email (and no error)', async () => {
    const { deps } = world();
    const late = { ...deps, facts: { ...deps.facts, clientsInCare: async () => [{ clientId: 'client-late', startedAt: '2027-01-05T00:00:00.000Z' }] } };
    const result = await runReviewsNow({ therapistId: T1 }, late);
    expect(result.results[0]).toMatchObject({ outcome: 'no_clients' });
  });
});
