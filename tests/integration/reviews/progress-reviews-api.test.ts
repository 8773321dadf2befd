/**
 * The progress review in the app over HTTP on the local stack (issue 11, point 4): an admin
 * runs a therapist's review now (twice: one review, one email) and previews one (nothing stored,
 * no email); the therapist lists it, reads it, dispositions a flagged client (the same again:
 * 200; another: 409; a client not in the review: 404); another therapist gets 404; a supervisor
 * reads it and sees adherence; preferences by self, by an admin, not by another therapist; the
 * next week's review carries the undispositioned item over. Every person is new per test.
 */
import { describe, expect, it } from 'vitest';
import { signInDirectly } from '../../support/cognito.js';
import { callApi, getJson, postJson } from '../../support/http.js';
import { emailsTo, waitForEmail } from '../../support/inbox.js';
import { progressReviewId } from '../../../shared/domain/reviews/review.js';
import { buildAndStoreReview } from '../../../shared/use-cases/reviews/progress-reviews.js';
import { createClient, createStaff, repositories } from '../risk/support.js';
import { reviewBuildDeps } from './support.js';

const DAY_MS = 86_400_000;

interface RunResult {
  results: { therapistId: string; period: { start: string; end: string }; reviewId: string | null; outcome: string }[];
}
interface ReviewBody {
  reviewId: string;
  carriedOver: number;
  caseload: { clientsInCare: number; listed: number };
  items: { clientId: string; carriedOver: { fromReviewId: string } | null; disposition: { action: string; note?: string; at: string } | null; client: { instruments: { series: unknown[] }[] } }[];
}

const path = (reviewId: string) => `/v1/progress-reviews/${encodeURIComponent(reviewId)}`;

describe('progress reviews over HTTP', () => {
  it('run now, preview, list, read, dispositions, access per role, adherence, preferences, and the carry-over', { timeout: 120_000 }, async () => {
    const therapist = await createStaff('therapist');
    const otherTherapist = await createStaff('therapist');
    const supervisor = await createStaff('supervisor');
    const [first, second, outsider] = await Promise.all([createClient({ signIn: false }), createClient({ signIn: false }), createClient({ signIn: false })]);
    // In care for 30 days: before any period the run may build.
    const startedAt = new Date(Date.now() - 30 * DAY_MS).toISOString();
    for (const client of [first, second]) {
      expect((await repositories().careTeam.begin({ clientId: client.id, clinicianId: therapist.id, kind: 'therapist', startedAt })).outcome).toBe('begun');
    }
    const admin = (await signInDirectly('admin@example.com')).accessToken;
    const token = await therapist.token();

    // Admin: run now, twice: one review and one email for the period.
    const run = await postJson<RunResult>('/v1/admin/progress-reviews/run', { therapistId: therapist.id }, { token: admin });
    expect(run.status).toBe(200);
    const [result] = run.body.results;
    expect(result).toMatchObject({ therapistId: therapist.id, outcome: 'sent' });
    const reviewId = result!.reviewId!;
    expect(reviewId).toBe(progressReviewId(therapist.id, result!.period.end));
    await waitForEmail({ to: therapist.email });
    const again = await postJson<RunResult>('/v1/admin/progress-reviews/run', { therapistId: therapist.id }, { token: admin });
    expect(again.body.results).toEqual([{ ...result, outcome: 'already_sent' }]);
    expect(await emailsTo(therapist.email)).toHaveLength(1);
    // Only an admin runs.
    expect((await postJson('/v1/admin/progress-reviews/run', { therapistId: therapist.id }, { token })).status).toBe(403);

    // Admin: preview: counts only, nothing stored, no email.
    const preview = await postJson<Record<string, unknown>>('/v1/admin/progress-reviews/preview', { therapistId: therapist.id }, { token: admin });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ therapistId: therapist.id, built: true, caseload: { clientsInCare: 2, listed: 2 } });
    expect(preview.text).not.toContain(first.id);
    expect((await postJson('/v1/admin/progress-reviews/preview', { therapistId: therapist.id, extra: 1 }, { token: admin })).status).toBe(400);

    // The therapist's list: the one review (the preview was not stored).
    const listed = await getJson<{ reviews: { reviewId: string }[]; cursor: string | null }>('/v1/progress-reviews', token);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ reviews: [expect.objectContaining({ reviewId, clientsInCare: 2, listed: 2 })], cursor: null });
    expect(await emailsTo(therapist.email)).toHaveLength(1);

    // Read: both clients listed, no disposition yet, a score series per instrument.
    const read = await getJson<ReviewBody>(path(reviewId), token);
    expect(read.status).toBe(200);
    expect(read.body.items.map((i) => i.clientId).sort()).toEqual([first.id, second.id].sort());
    expect(read.body.items.every((i) => i.disposition === null && i.carriedOver === null)).toBe(true);

    // Dispositions: the first client once; the same again 200; another 409 with the stored one.
    const dispositionPath = (clientId: string) => `${path(reviewId)}/clients/${clientId}/disposition`;
    const recorded = await postJson<{ disposition: { action: string; at: string } }>(dispositionPath(first.id), { action: 'discussed_with_client', note: 'Synthetic: talked it through.' }, { token });
    expect(recorded.status).toBe(201);
    expect(recorded.body.disposition).toMatchObject({ action: 'discussed_with_client', note: 'Synthetic: talked it through.' });
    const same = await postJson(dispositionPath(first.id), { action: 'discussed_with_client', note: 'Synthetic: talked it through.' }, { token });
    expect(same.status).toBe(200);
    expect(same.body).toEqual(recorded.body);
    const different = await postJson<{ code: string; disposition: unknown }>(dispositionPath(first.id), { action: 'no_action' }, { token });
    expect(different.status).toBe(409);
    expect(different.body).toMatchObject({ code: 'disposition_already_recorded', disposition: recorded.body.disposition });
    expect((await postJson(dispositionPath(outsider.id), { action: 'reviewed' }, { token })).status).toBe(404);
    expect((await postJson(dispositionPath(second.id), { action: 'ignored' }, { token })).status).toBe(400);

    // Another therapist: 404 everywhere; the supervisor reads but does not disposition.
    const otherToken = await otherTherapist.token();
    expect((await getJson(path(reviewId), otherToken)).status).toBe(404);
    expect((await getJson(`/v1/progress-reviews?therapistId=${therapist.id}`, otherToken)).status).toBe(404);
    expect((await postJson(dispositionPath(second.id), { action: 'reviewed' }, { token: otherToken })).status).toBe(404);
    const supervisorToken = await supervisor.token();
    const supervised = await getJson<ReviewBody>(path(reviewId), supervisorToken);
    expect(supervised.status).toBe(200);
    expect(supervised.body.items.find((i) => i.clientId === first.id)?.disposition).toMatchObject({ action: 'discussed_with_client' });
    expect((await getJson<{ reviews: unknown[] }>(`/v1/progress-reviews?therapistId=${therapist.id}`, supervisorToken)).body.reviews).toHaveLength(1);
    expect((await postJson(dispositionPath(second.id), { action: 'reviewed' }, { token: supervisorToken })).status).toBe(403);
    // An admin never reads a review's content.
    expect((await getJson(path(reviewId), admin)).status).toBe(403);

    // Adherence: one of two dispositioned; the other is pending while the review is under 7 days old
    // (the run builds the latest scheduled period: at most a week old).
    const adherence = await getJson<{ therapists: Record<string, unknown>[] }>(`/v1/progress-reviews/adherence?therapistId=${therapist.id}`, supervisorToken);
    expect(adherence.status).toBe(200);
    expect(adherence.body.therapists).toEqual([{ therapistId: therapist.id, reviews: 1, flagged: 2, inTime: 1, pending: expect.any(Number), percent: expect.anything() }]);
    expect((await getJson(`/v1/progress-reviews/adherence?therapistId=${therapist.id}`, token)).status).toBe(403);

    // Preferences: self, admin; another therapist 403; bad values 400.
    const prefsPath = `/v1/clinicians/${therapist.id}/review-preferences`;
    const mine = await callApi<{ preferences: unknown }>('PUT', prefsPath, { token, json: { weekday: 3, hour: 18, timeZone: 'America/Chicago', paused: false } });
    expect(mine.status).toBe(200);
    expect(mine.body.preferences).toEqual({ weekday: 3, hour: 18, timeZone: 'America/Chicago', paused: false });
    expect((await callApi('PUT', prefsPath, { token: otherToken, json: { weekday: 1, hour: 7, paused: true } })).status).toBe(403);
    expect((await callApi('PUT', prefsPath, { token: admin, json: { weekday: 1, hour: 7, paused: false } })).status).toBe(200);
    expect((await callApi('PUT', prefsPath, { token, json: { weekday: 1, hour: 24, paused: false } })).status).toBe(400);
    expect((await callApi('PUT', prefsPath, { token, json: { weekday: 1, hour: 7, paused: false, timeZone: 'Nowhere/Atlantis' } })).status).toBe(400);

    // The next week's review (as the workflow builds it): the second client, never dispositioned, carries over.
    const nextEnd = new Date(Date.parse(result!.period.end) + 7 * DAY_MS).toISOString();
    const built = await buildAndStoreReview({ therapistId: therapist.id, periodStart: result!.period.end, periodEnd: nextEnd }, reviewBuildDeps());
    expect(built).toMatchObject({ send: true, stored: true });
    const next = await getJson<ReviewBody>(path(progressReviewId(therapist.id, nextEnd)), token);
    expect(next.status).toBe(200);
    expect(next.body.carriedOver).toBe(1);
    expect(Object.fromEntries(next.body.items.map((i) => [i.clientId, i.carriedOver]))).toEqual({ [first.id]: null, [second.id]: { fromReviewId: reviewId } });
    const newestFirst = await getJson<{ reviews: { reviewId: string }[] }>('/v1/progress-reviews', token);
    expect(newestFirst.body.reviews.map((r) => r.reviewId)).toEqual([progressReviewId(therapist.id, nextEnd), reviewId]);
  });
});
