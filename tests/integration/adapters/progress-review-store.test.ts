/** The progress-review store against DynamoDB Local: put "if absent", `list` paging (newest first), `latestBefore` (strictly before). Synthetic reviews. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createProgressReviewStore } from '../../../shared/adapters/dynamodb/progress-review-repository.js';
import { buildProgressReview, type ProgressReview } from '../../../shared/domain/reviews/index.js';
import { fixtureFacts } from '../../unit/reviews/fixture.js';
import { tableName } from '../../workflow/support.js';

const store = createProgressReviewStore({ documentClient: createDocumentClient(), tableName: tableName() });
const WEEK = 7 * 86_400_000;

/** The fixture's review, for `therapistId`, moved `weeksBack` weeks earlier. */
function reviewOf(therapistId: string, weeksBack: number): ProgressReview {
  const facts = fixtureFacts();
  const shift = (iso: string) => new Date(Date.parse(iso) - weeksBack * WEEK).toISOString();
  const end = shift(facts.period.end);
  return { ...buildProgressReview({ ...facts, therapist: { ...facts.therapist, id: therapistId } }), therapistId, reviewId: `progress-review:${therapistId}:${end}`, period: { start: shift(facts.period.start), end } };
}

describe('progress-review store', () => {
  it('stores a review once per therapist and period end', async () => {
    const therapistId = randomUUID();
    const review = reviewOf(therapistId, 0);
    expect(await store.save(review)).toBe('stored');
    expect(await store.save({ ...review, generatedAt: new Date().toISOString() })).toBe('exists');
    expect((await store.get(therapistId, review.period.end))?.generatedAt).toBe(review.generatedAt);
  });

  it('lists newest first, page by page, and finds the newest review strictly before a period end', async () => {
    const therapistId = randomUUID();
    const reviews = [2, 1, 0].map((weeksBack) => reviewOf(therapistId, weeksBack));
    for (const review of reviews) await store.save(review);
    const ends = reviews.map((r) => r.period.end);

    const first = await store.list(therapistId, { limit: 2 });
    expect(first.items.map((i) => i.period.end)).toEqual([ends[2], ends[1]]);
    expect(first.items[0]).toMatchObject({ therapistId, reviewId: reviews[2]!.reviewId, clientsInCare: reviews[2]!.caseload.clientsInCare });
    expect(first.cursor).toEqual(expect.any(String));
    const second = await store.list(therapistId, { limit: 2, cursor: first.cursor! });
    expect(second.items.map((i) => i.period.end)).toEqual([ends[0]]);
    expect(second.cursor).toBeUndefined();

    expect((await store.latestBefore(therapistId, ends[2]!))?.reviewId).toBe(reviews[1]!.reviewId);
    expect((await store.latestBefore(therapistId, ends[1]!))?.reviewId).toBe(reviews[0]!.reviewId);
    expect(await store.latestBefore(therapistId, ends[0]!)).toBeUndefined();
    // Another therapist's reviews are never found.
    expect(await store.latestBefore(randomUUID(), ends[2]!)).toBeUndefined();
  });
});
