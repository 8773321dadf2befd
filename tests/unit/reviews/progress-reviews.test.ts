/**
 * The progress-review use cases (shared/use-cases/reviews/progress-reviews.ts) on in-memory
 * fakes of their ports: due check-ins and measures, build and store (idempotent by therapist and
 * period end), the email sent at most once (claim, send, confirm), run now, preview, and the
 * carry-over of undispositioned items. All data synthetic.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_REVIEW_RULES, progressReviewId, type Disposition, type ProgressReview } from '../../../shared/domain/reviews/index.js';
import type { ReviewPreferences } from '../../../shared/domain/reviews/schedule.js';
import type { AuditEvent } from '../../../shared/domain/audit.js';
import type { AuditLog, EmailSender, OutgoingEmail } from '../../../shared/use-cases/ports.js';
import type { ClientReviewRecords, EmailClaim, ProgressReviewStore, ReviewFactsSource, TherapistDirectory, TherapistEntry } from '../../../shared/use-cases/reviews/ports.js';
import {
  buildAndStoreReview,
  dueCheckIns,
  dueMeasures,
  listDueTherapists,
  NotificationInFlightError,
  previewReview,
  runReviewNow,
  sendReviewEmail,
  type ProgressReviewDeps,
} from '../../../shared/use-cases/reviews/progress-reviews.js';

const DAY = 86_400_000;
const at = (base: string, days: number, hours = 0) => new Date(Date.parse(base) + days * DAY + hours * 3_600_000).toISOString();

type StoredClaim = { state: 'claimed'; claimId: string; claimedAt: string } | { state: 'sent'; messageId: string } | { state: 'unknown'; abandonedAt: string };

class MemoryStore implements ProgressReviewStore {
  readonly reviews = new Map<string, ProgressReview>();
  readonly claims = new Map<string, StoredClaim>();
  readonly dispositionsOf = new Map<string, Map<string, Disposition>>();
  readonly preferences = new Map<string, ReviewPreferences>();
  private key = (therapistId: string, periodEnd: string) => `${therapistId}|${periodEnd}`;

  getPreferences(therapistId: string) {
    return Promise.resolve(this.preferences.get(therapistId));
  }
  preferencesOf(ids: readonly string[]) {
    return Promise.resolve(new Map(ids.flatMap((id) => (this.preferences.has(id) ? [[id, this.preferences.get(id)!] as const] : []))));
  }
  putPreferences(therapistId: string, preferences: ReviewPreferences) {
    this.preferences.set(therapistId, preferences);
    return Promise.resolve();
  }
  save(review: ProgressReview) {
    const key = this.key(review.therapistId, review.period.end);
    if (this.reviews.has(key)) return Promise.resolve('exists' as const);
    this.reviews.set(key, structuredClone(review));
    return Promise.resolve('stored' as const);
  }
  get(therapistId: string, periodEnd: string) {
    return Promise.resolve(this.reviews.get(this.key(therapistId, periodEnd)));
  }
  list(): never {
    throw new Error('not used by the use cases');
  }
  latestBefore(therapistId: string, periodEnd: string) {
    const older = [...this.reviews.values()].filter((r) => r.therapistId === therapistId && r.period.end < periodEnd).sort((a, b) => (a.period.end < b.period.end ? 1 : -1));
    return Promise.resolve(older[0]);
  }
  dispositions(therapistId: string, periodEnd: string) {
    return Promise.resolve(new Map(this.dispositionsOf.get(this.key(therapistId, periodEnd)) ?? []));
  }
  recordDisposition(therapistId: string, periodEnd: string, clientId: string, disposition: Disposition) {
    const map = this.dispositionsOf.get(this.key(therapistId, periodEnd)) ?? new Map<string, Disposition>();
    this.dispositionsOf.set(this.key(therapistId, periodEnd), map);
    const existing = map.get(clientId);
    if (existing) return Promise.resolve({ outcome: 'exists' as const, disposition: existing });
    map.set(clientId, disposition);
    return Promise.resolve({ outcome: 'recorded' as const, disposition });
  }
  claimEmail(therapistId: string, periodEnd: string, claimId: string, claimedAt: string): Promise<EmailClaim> {
    const key = this.key(therapistId, periodEnd);
    const claim = this.claims.get(key);
    if (!claim) {
      this.claims.set(key, { state: 'claimed', claimId, claimedAt });
      return Promise.resolve({ state: 'claimed' });
    }
    // As the DynamoDB store: a claim of unknown outcome reads as sent (never sent again).
    return Promise.resolve(claim.state === 'claimed' ? { state: 'in_flight', claimedAt: claim.claimedAt } : { state: 'sent' });
  }
  confirmEmail(therapistId: string, periodEnd: string, claimId: string, messageId: string) {
    const key = this.key(therapistId, periodEnd);
    const claim = this.claims.get(key);
    if (claim?.state !== 'claimed' || claim.claimId !== claimId) return Promise.reject(new Error('ConditionalCheckFailed'));
    this.claims.set(key, { state: 'sent', messageId });
    return Promise.resolve();
  }
  releaseEmail(therapistId: string, periodEnd: string, claimId: string) {
    const key = this.key(therapistId, periodEnd);
    const claim = this.claims.get(key);
    if (claim?.state === 'claimed' && claim.claimId === claimId) this.claims.delete(key);
    return Promise.resolve();
  }
  abandonEmail(therapistId: string, periodEnd: string, abandonedAt: string) {
    const key = this.key(therapistId, periodEnd);
    if (this.claims.get(key)?.state === 'claimed') this.claims.set(key, { state: 'unknown', abandonedAt });
    return Promise.resolve();
  }
  claimOf(therapistId: string, periodEnd: string) {
    return this.claims.get(this.key(therapistId, periodEnd));
  }
}

const THERAPIST: TherapistEntry = { therapistId: 'therapist-1', timeZone: 'America/New_York', email: 'rowan.synth@example.com' };
const IDLE: TherapistEntry = { therapistId: 'therapist-idle', timeZone: 'America/Chicago', email: 'idle.synth@example.com' };
const PERIOD_END = '2027-01-11T12:00:00.000Z';
const PERIOD = { start: '2027-01-04T12:00:00.000Z', end: PERIOD_END };
const CARE_START = '2026-12-01T12:00:00.000Z';

function recordsOf(clientId: string, phq9: [number, number]): ClientReviewRecords {
  return {
    clientId,
    firstName: 'Tamsin',
    lastName: 'Quillfeather',
    careStartedAt: CARE_START,
    scores: { phq9: [{ total: phq9[0], at: at(CARE_START, 1) }, { total: phq9[1], at: at(PERIOD.start, 2) }] },
    planReviews: [],
    sessions: [],
    checkInsAt: [at(CARE_START, 3), at(CARE_START, 10)],
    riskFlags: [],
    openRiskTasks: [],
  };
}

function harness(options: { clients?: Record<string, ClientReviewRecords>; now?: string; sesFails?: number } = {}) {
  const store = new MemoryStore();
  const clients = options.clients ?? { 'client-1': recordsOf('client-1', [12, 21]) };
  const sent: OutgoingEmail[] = [];
  const audits: AuditEvent[] = [];
  let sesFailures = options.sesFails ?? 0;
  let reads = 0;
  let now = new Date(options.now ?? PERIOD_END);
  const directory: TherapistDirectory = {
    listTherapists: () => Promise.resolve([THERAPIST, IDLE]),
    get: (id) => Promise.resolve([THERAPIST, IDLE].find((t) => t.therapistId === id)),
  };
  const facts: ReviewFactsSource = {
    reads: () => reads,
    clientsInCare: (therapistId) => {
      reads += 1;
      return Promise.resolve(therapistId === THERAPIST.therapistId ? Object.values(clients).map((c) => ({ clientId: c.clientId, startedAt: c.careStartedAt })) : []);
    },
    clientRecords: (clientId) => {
      reads += 1;
      return Promise.resolve(clients[clientId]);
    },
  };
  const email: EmailSender = {
    send: (message) => {
      if (sesFailures > 0) {
        sesFailures -= 1;
        return Promise.reject(Object.assign(new Error('Throttling (simulated)'), { name: 'TooManyRequestsException' }));
      }
      sent.push(message);
      return Promise.resolve({ messageId: `message-${sent.length}` });
    },
  };
  const auditLog: AuditLog = { record: (event) => (audits.push(event), Promise.resolve()) };
  let ids = 0;
  const deps: ProgressReviewDeps = {
    store,
    therapists: directory,
    facts,
    email,
    auditLog,
    settings: { identifiers: 'none', reviewUrlBase: 'https://app.example/progress-reviews', staleEmailClaimSeconds: 900, rules: DEFAULT_REVIEW_RULES },
    now: () => now,
    newId: () => `id-${++ids}`,
  };
  return { deps, store, sent, audits, setNow: (iso: string) => (now = new Date(iso)) };
}

const input = { therapistId: THERAPIST.therapistId, periodStart: PERIOD.start, periodEnd: PERIOD_END };

describe('due check-ins and measures (due vs done)', () => {
  it('a check-in is due at the end of each week of care and done by the first check-in inside that week', () => {
    const start = '2027-01-01T00:00:00.000Z';
    expect(dueCheckIns(start, [at(start, 3), at(start, 5), at(start, 15)], new Date(at(start, 22)))).toEqual([
      { dueAt: at(start, 7), doneAt: at(start, 3) },
      { dueAt: at(start, 14) },
      { dueAt: at(start, 21), doneAt: at(start, 15) },
    ]);
    // A week not yet over is not due; a check-in exactly at the week's end counts for the next week.
    expect(dueCheckIns(start, [at(start, 7)], new Date(at(start, 13)))).toEqual([{ dueAt: at(start, 7) }]);
  });

  it('measures fall due every 14 days per instrument measured (else PHQ-9 and GAD-7), completed by the first score in the window', () => {
    const start = '2027-01-01T00:00:00.000Z';
    expect(dueMeasures(start, { phq9: [{ total: 10, at: at(start, 5) }] }, new Date(at(start, 30)))).toEqual([
      { instrument: 'phq9', dueAt: at(start, 14), completedAt: at(start, 5) },
      { instrument: 'phq9', dueAt: at(start, 28) },
    ]);
    expect(dueMeasures(start, {}, new Date(at(start, 15))).map((m) => m.instrument)).toEqual(['phq9', 'gad7']);
    expect(dueMeasures(start, {}, new Date(at(start, 13)))).toEqual([]);
  });
});

describe('list due therapists', () => {
  it('lists the therapists whose local Monday 07:00 it is, never a paused one', async () => {
    const { deps, store } = harness();
    expect(await listDueTherapists({ hourOf: PERIOD_END }, deps)).toEqual({ therapists: [input], count: 1 });
    await store.putPreferences(THERAPIST.therapistId, { weekday: 1, hour: 7, paused: true });
    expect(await listDueTherapists({ hourOf: PERIOD_END }, deps)).toEqual({ therapists: [], count: 0 });
    // Chicago's 07:00 is 13:00 UTC.
    expect((await listDueTherapists({ hourOf: '2027-01-11T13:00:00.000Z' }, deps)).therapists.map((t) => t.therapistId)).toEqual([IDLE.therapistId]);
  });
});

describe('build and store', () => {
  it('no client in care: nothing stored, nothing audited, nothing to send', async () => {
    const { deps, store, audits } = harness({ clients: {} });
    expect(await buildAndStoreReview(input, deps)).toMatchObject({ send: false, stored: false });
    expect(await buildAndStoreReview({ ...input, therapistId: IDLE.therapistId }, deps)).toMatchObject({ send: false, stored: false });
    expect(store.reviews.size).toBe(0);
    expect(audits).toEqual([]);
  });

  it('stores the review once under (therapist, period end), audits each client read; a retry finds the same review and reads nothing', async () => {
    const { deps, store, audits } = harness();
    const first = await buildAndStoreReview(input, deps);
    expect(first).toEqual({ send: true, stored: true, reads: 2 });
    const review = await store.get(THERAPIST.therapistId, PERIOD_END);
    expect(review).toMatchObject({ reviewId: progressReviewId(THERAPIST.therapistId, PERIOD_END), period: PERIOD, caseload: { clientsInCare: 1 } });
    expect(audits.map((a) => [a.clientId, a.action, a.purpose])).toEqual([['client-1', 'read', 'treatment']]);
    expect(await buildAndStoreReview(input, deps)).toEqual({ send: true, stored: false, reads: 0 });
    expect(await store.get(THERAPIST.therapistId, PERIOD_END)).toEqual(review);
    expect(store.reviews.size).toBe(1);
    expect(audits).toHaveLength(1);
  });
});

describe('the caseload of a period', () => {
  it('leaves out a client whose care began after the review instant; only such clients: no review', async () => {
    const later = { ...recordsOf('client-late', [14, 13]), careStartedAt: at(PERIOD_END, 1) };
    const { deps, store } = harness({ clients: { 'client-1': recordsOf('client-1', [12, 21]), 'client-late': later } });
    await buildAndStoreReview(input, deps);
    const review = await store.get(THERAPIST.therapistId, PERIOD_END);
    expect(review?.caseload.clientsInCare).toBe(1);
    expect(JSON.stringify(review)).not.toContain('client-late');
    const onlyLate = harness({ clients: { 'client-late': later } });
    expect(await buildAndStoreReview(input, onlyLate.deps)).toMatchObject({ send: false, stored: false });
  });
});

describe('send once (claim, send, confirm)', () => {
  it('sends one email with a link and counts; a second attempt finds it sent', async () => {
    const { deps, sent, store } = harness();
    await buildAndStoreReview(input, deps);
    expect(await sendReviewEmail(input, deps)).toEqual({ outcome: 'sent' });
    expect(await sendReviewEmail(input, deps)).toEqual({ outcome: 'already_sent' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(THERAPIST.email);
    expect(JSON.stringify(sent[0])).not.toMatch(/Tamsin|Quillfeather|\b21\b/);
    expect(store.claimOf(THERAPIST.therapistId, PERIOD_END)).toEqual({ state: 'sent', messageId: 'message-1' });
  });

  it('an SES error releases the claim and fails the attempt; the retry sends it once', async () => {
    const { deps, sent, store } = harness({ sesFails: 1 });
    await buildAndStoreReview(input, deps);
    await expect(sendReviewEmail(input, deps)).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    expect(store.claimOf(THERAPIST.therapistId, PERIOD_END)).toBeUndefined();
    expect(await sendReviewEmail(input, deps)).toEqual({ outcome: 'sent' });
    expect(sent).toHaveLength(1);
  });

  it('a recent unconfirmed claim is in flight (retry later); once stale it is recorded as unknown and never resent', async () => {
    const { deps, sent, store, setNow } = harness();
    await buildAndStoreReview(input, deps);
    await store.claimEmail(THERAPIST.therapistId, PERIOD_END, 'crashed-attempt', PERIOD_END);
    setNow(at(PERIOD_END, 0, 0.25 - 1 / 3600));
    await expect(sendReviewEmail(input, deps)).rejects.toBeInstanceOf(NotificationInFlightError);
    setNow(at(PERIOD_END, 0, 0.25));
    expect(await sendReviewEmail(input, deps)).toEqual({ outcome: 'outcome_unknown' });
    expect(store.claimOf(THERAPIST.therapistId, PERIOD_END)).toEqual({ state: 'unknown', abandonedAt: '2027-01-11T12:15:00.000Z' });
    expect(await sendReviewEmail(input, deps)).toEqual({ outcome: 'already_sent' });
    expect(sent).toEqual([]);
  });

  it('no stored review: nothing to send', async () => {
    const { deps, sent } = harness();
    expect(await sendReviewEmail(input, deps)).toEqual({ outcome: 'no_review' });
    expect(sent).toEqual([]);
  });
});

describe('run now and preview', () => {
  it('run now is idempotent for the period: one review, one email; no clients: nothing', async () => {
    const { deps, sent, store } = harness();
    const first = await runReviewNow('all', PERIOD, deps);
    expect(first).toEqual([
      { therapistId: THERAPIST.therapistId, reviewId: progressReviewId(THERAPIST.therapistId, PERIOD_END), outcome: 'sent' },
      { therapistId: IDLE.therapistId, reviewId: null, outcome: 'no_clients' },
    ]);
    expect(await runReviewNow({ therapistId: THERAPIST.therapistId }, PERIOD, deps)).toEqual([
      { therapistId: THERAPIST.therapistId, reviewId: progressReviewId(THERAPIST.therapistId, PERIOD_END), outcome: 'already_sent' },
    ]);
    expect(sent).toHaveLength(1);
    expect(store.reviews.size).toBe(1);
  });

  it('preview builds the review of the 7 days ending now: not stored, not sent, no claim', async () => {
    const { deps, sent, store } = harness({ now: '2027-01-13T15:30:00.000Z' });
    const preview = await previewReview(THERAPIST.therapistId, deps);
    expect(preview?.period).toEqual({ start: '2027-01-06T15:30:00.000Z', end: '2027-01-13T15:30:00.000Z' });
    expect(preview?.caseload.clientsInCare).toBe(1);
    expect(store.reviews.size).toBe(0);
    expect(store.claims.size).toBe(0);
    expect(sent).toEqual([]);
    expect(await previewReview(IDLE.therapistId, deps)).toBeUndefined();
  });
});

describe('carry-over through latestBefore', () => {
  const next = { therapistId: THERAPIST.therapistId, periodStart: PERIOD_END, periodEnd: at(PERIOD_END, 7) };

  it('an item of the previous review nobody dispositioned is carried over, naming that review', async () => {
    const { deps, store } = harness();
    await buildAndStoreReview(input, deps);
    const previous = (await store.get(THERAPIST.therapistId, PERIOD_END))!;
    expect(previous.items.map((i) => i.clientId)).toEqual(['client-1']);
    await buildAndStoreReview(next, deps);
    const review = (await store.get(THERAPIST.therapistId, next.periodEnd))!;
    expect(review.items.map((i) => [i.clientId, i.carriedOver])).toEqual([['client-1', { fromReviewId: previous.reviewId }]]);
  });

  it('a dispositioned item is not carried over', async () => {
    const { deps, store } = harness();
    await buildAndStoreReview(input, deps);
    const previous = (await store.get(THERAPIST.therapistId, PERIOD_END))!;
    const disposition: Disposition = { action: 'reviewed', at: at(PERIOD_END, 1) };
    expect(await store.recordDisposition(THERAPIST.therapistId, PERIOD_END, 'client-1', disposition)).toEqual({ outcome: 'recorded', disposition });
    await buildAndStoreReview(next, deps);
    const review = (await store.get(THERAPIST.therapistId, next.periodEnd))!;
    expect(review.items.every((i) => i.carriedOver === null)).toBe(true);
    expect(previous.reviewId).not.toBe(review.reviewId);
  });
});
