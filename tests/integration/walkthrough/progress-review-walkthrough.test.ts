/**
 * The README's walkthrough "the weekly progress review" (issue 11, "Done when"), run as a new
 * user runs it (./support.ts: `npm start` with the first block's environment, the other blocks
 * verbatim in one bash, every `# -> <JSON>` answer checked, Ctrl-C leaves nothing), plus:
 * - the clinical outcomes: three clients listed in triage order (risk, deterioration, not on
 *   track) with their reason codes, the improving one counted and not listed, the fixed line,
 *   the dispositions recorded, the next week's review carrying the undispositioned one over;
 * - exactly one review email per Monday, sent at 07:00 in the therapist's zone (before and after
 *   the change to daylight saving time), with the counts and the initials the setting allows;
 * - no PHI in the SENT emails (subject, HTML, text, attachments, headers, as the SES emulator
 *   received them): no name, email address, id, concern, goal, check-in tag or disposition note
 *   of the story; every number a reader sees is a count, a date or the fixed line's; no score of
 *   the story that a count or a date cannot explain; no answer label, band or answer array.
 */
import { describe, expect, it } from 'vitest';
import { fetchInbox, type InboxEmail } from '../../../local/emulators/ses.js';
import { NO_FLAGS_IS_NOT_NO_RISK, periodLabel, REVIEW_EMAIL_SUBJECT, TRIAGE_CLASSES, type TriageClass } from '../../../shared/domain/reviews/index.js';
import { api, expectCtrlCStopsEverything, runWalkthrough } from './support.js';
import { numbersIn, visibleText } from '../../support/email-text.js';

const SECTION = '### Walkthrough: the weekly progress review';
const PRIYA = 'therapist.oh@example.com';
const ZONE = 'America/New_York';

/** The story's people and records (the README's blocks 2 to 5). */
const CLIENTS = {
  A: { firstName: 'Avery', lastName: 'Quinlan', initials: 'A.Q.', scores: [16, 15, 15, 14, 13, 12, 11, 10, 10, 9] },
  B: { firstName: 'Bodhi', lastName: 'Lindqvist', initials: 'B.L.', scores: [8, 8, 9, 9, 10, 11, 12, 13, 14, 15] },
  C: { firstName: 'Carmen', lastName: 'Estevan', initials: 'C.E.', scores: [16, 16, 15, 15, 15, 14, 14, 14, 14, 14] },
  D: { firstName: 'Dario', lastName: 'Halloran', initials: 'D.H.', scores: [16, 14, 13, 11, 10, 9, 8, 7, 6, 5] },
} as const;
type Letter = keyof typeof CLIENTS;
const LETTERS = Object.keys(CLIENTS) as Letter[];
/** Concerns, goal, check-in tags, the disposition note: none of it may leave the app. */
const STORY_WORDS = ['ocd', 'depression', 'Fewer hours lost to checking', 'checking', 'work_or_school', 'exercise', 'Safety plan', 'Calm-Harbor-42'];
/** What a score or an answer looks like in words: PHQ-9 answer labels, bands, change words. */
const SCORE_WORDS = ['several days', 'more than half', 'nearly every day', 'minimal', 'mild', 'moderate', 'severe', 'points', 'total', 'worsening', 'improvement', 'reliable', 'response', 'item9', '/27'];

interface Review {
  reviewId: string;
  period: { start: string; end: string };
  timeZone: string;
  noFlagsLine: string;
  carriedOver: number;
  caseload: { clientsInCare: number; listed: number; nothingToFlag: number; notOnTrack: number; deteriorated: number; atRisk: number };
  triageCounts: Record<TriageClass, number>;
  items: { clientId: string; initials: string; triageClass: string; reasons: { code: string }[]; carriedOver: { fromReviewId: string } | null; disposition: { action: string } | null }[];
}

/** "Monday 07:00" in the zone. */
function localWeekdayAndTime(epochSeconds: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(epochSeconds * 1000));
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('weekday')} ${part('hour')}:${part('minute')}`;
}

/** Everything the SES emulator received of an email, attachments decoded. */
function everythingOf(email: InboxEmail): string {
  return [
    email.subject,
    email.body.html ?? '',
    email.body.text ?? '',
    ...(email.headers ?? []).map((h) => `${h.name}: ${h.value}`),
    ...email.attachments.flatMap((a) => [a.filename ?? '', a.content, Buffer.from(a.content, 'base64').toString('utf8')]),
  ].join('\n');
}

describe('README walkthrough: the weekly progress review', () => {
  it('runs as written on npm start with the controlled clock; one email without PHI; triage, dispositions, carry-over; Ctrl-C leaves nothing running', { timeout: 420_000 }, async () => {
    const { started, vars } = await runWalkthrough(SECTION, {
      blocks: 9,
      environment: { LOCAL_IN_MEMORY: '1', LOCAL_CLOCK: 'controlled', PROGRESS_REVIEW_IDENTIFIERS: 'initials' },
      vars: ['ID[A]', 'ID[B]', 'ID[C]', 'ID[D]', 'PRIYA_ID'] as const,
    });
    const id: Record<Letter, string> = { A: vars.ID_A, B: vars.ID_B, C: vars.ID_C, D: vars.ID_D };

    // The two reviews, read back as the therapist: newest first.
    const { accessToken: token } = await api<{ accessToken: string }>(started.api, '/v1/auth/login', { json: { email: PRIYA, password: 'Demo-Password-2026!' } });
    const { reviews } = await api<{ reviews: { reviewId: string }[] }>(started.api, '/v1/progress-reviews', { token });
    expect(reviews).toHaveLength(2);
    const read = (reviewId: string) => api<Review>(started.api, `/v1/progress-reviews/${encodeURIComponent(reviewId)}`, { token });
    const second = await read(reviews[0]!.reviewId);
    const first = await read(reviews[1]!.reviewId);

    // The first: Monday 8 March 07:00 in Ohio (EST), the week before it; A, B, C in triage order, D counted.
    expect(first.period).toEqual({ start: '2027-03-01T12:00:00.000Z', end: '2027-03-08T12:00:00.000Z' });
    expect(first.timeZone).toBe(ZONE);
    expect(first.noFlagsLine).toBe(NO_FLAGS_IS_NOT_NO_RISK);
    expect(first.items.map((i) => [i.clientId, i.initials, i.triageClass, i.reasons.map((r) => r.code)])).toEqual([
      [id.A, 'A.Q.', 'risk', ['risk_flag', 'open_risk_task']],
      [id.B, 'B.L.', 'deterioration', ['reliable_worsening', 'not_on_track']],
      [id.C, 'C.E.', 'not_on_track', ['not_on_track']],
    ]);
    expect(first.caseload).toMatchObject({ clientsInCare: 4, listed: 3, nothingToFlag: 1, notOnTrack: 2, deteriorated: 1, atRisk: 1 });
    expect(first.triageCounts).toEqual({ risk: 1, deterioration: 1, not_on_track: 1, disengaged: 0, plan_review_due: 0, carried_over: 0 });
    expect(first.carriedOver).toBe(0);
    expect(first.items.map((i) => i.disposition?.action ?? null)).toEqual(['discussed_with_client', 'reviewed', null]);

    // The next: Monday 15 March 07:00 in Ohio (EDT since the 14th: 167 hours); C carried over, marked.
    expect(second.period).toEqual({ start: '2027-03-08T12:00:00.000Z', end: '2027-03-15T11:00:00.000Z' });
    expect(second.items.map((i) => [i.clientId, i.triageClass, i.reasons.map((r) => r.code), i.carriedOver])).toEqual([
      [id.A, 'risk', ['open_risk_task', 'phq9_item9'], null],
      [id.B, 'deterioration', ['reliable_worsening', 'not_on_track'], null],
      [id.C, 'not_on_track', ['not_on_track'], { fromReviewId: first.reviewId }],
    ]);
    expect(second.carriedOver).toBe(1);
    expect(second.caseload).toMatchObject({ clientsInCare: 4, listed: 3, nothingToFlag: 1 });

    // Exactly one review email per Monday, to Priya only, at 07:00 in her zone.
    const emails = await fetchInbox(started.inbox);
    const reviewEmails = emails.filter((e) => e.subject === REVIEW_EMAIL_SUBJECT);
    expect(reviewEmails.map((e) => [e.destination.to, new Date(e.at * 1000).toISOString()])).toEqual([
      [[PRIYA], '2027-03-08T12:00:00.000Z'],
      [[PRIYA], '2027-03-15T11:00:00.000Z'],
    ]);
    expect(reviewEmails.map((e) => localWeekdayAndTime(e.at, ZONE))).toEqual(['Monday 07:00', 'Monday 07:00']);

    // No PHI in what was sent.
    const secrets = [
      ...LETTERS.flatMap((l) => [CLIENTS[l].firstName, CLIENTS[l].lastName, `${CLIENTS[l].firstName}.${CLIENTS[l].lastName}@example.com`, id[l]]),
      ...STORY_WORDS,
      ...SCORE_WORDS,
    ];
    const storyNumbers = new Set(LETTERS.flatMap((l) => CLIENTS[l].scores.map(String)));
    for (const [email, review] of [[reviewEmails[0]!, first], [reviewEmails[1]!, second]] as const) {
      const everything = everythingOf(email);
      for (const secret of secrets) expect(everything.toLowerCase(), secret).not.toContain(secret.toLowerCase());
      expect(everything, 'an array of answers').not.toMatch(/\[\s*\d\s*(?:,\s*\d\s*){8}\]/);

      // Every number a reader sees is a count, a date of the period or the fixed line's.
      const url = /https?:\/\/\S+/.exec(email.body.text ?? '')?.[0] ?? '';
      expect(url).not.toBe('');
      const readable = [email.subject, visibleText(email.body.html ?? ''), email.body.text ?? ''].join('\n').split(url).join(' ');
      const allowed = new Set<string>([
        ...[review.caseload.clientsInCare, review.caseload.listed, review.caseload.nothingToFlag, review.carriedOver, ...TRIAGE_CLASSES.map((c) => review.triageCounts[c])].map(String),
        ...numbersIn(periodLabel(review.period, review.timeZone)),
        ...numbersIn(NO_FLAGS_IS_NOT_NO_RISK),
      ]);
      const seen = numbersIn(readable);
      for (const n of seen) expect(allowed, `the number ${n} in the email`).toContain(n);
      const searchable = [...storyNumbers].filter((n) => !allowed.has(n));
      expect(searchable.length).toBeGreaterThanOrEqual(8);
      for (const n of searchable) expect(seen, `the score ${n}`).not.toContain(n);
      // The link names the review, nothing about a client.
      expect(decodeURIComponent(url)).toContain(review.reviewId);
      for (const l of LETTERS) expect(url).not.toContain(id[l]);

      // Initials, exactly as the setting says: the listed clients', not the unlisted one's.
      for (const l of ['A', 'B', 'C'] as const) {
        expect(email.body.text, CLIENTS[l].initials).toContain(CLIENTS[l].initials);
        expect(visibleText(email.body.html ?? ''), CLIENTS[l].initials).toContain(CLIENTS[l].initials);
      }
      expect(everything).not.toContain(CLIENTS.D.initials);
    }

    await expectCtrlCStopsEverything(started);
  });
});
