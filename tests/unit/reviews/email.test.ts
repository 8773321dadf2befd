import { describe, expect, it } from 'vitest';
import {
  buildProgressReview,
  NO_FLAGS_IS_NOT_NO_RISK,
  periodLabel,
  renderReviewEmail,
  REVIEW_EMAIL_SUBJECT,
  summarizeReviewForEmail,
  type RenderedReviewEmail,
} from '../../../shared/domain/reviews/index.js';
import { fixtureClients, fixtureFacts, fixtureScoresAndAnswers, PEOPLE } from './fixture.js';
import { numbersIn, visibleText } from '../../support/email-text.js';

const REVIEW_URL = 'https://app.moodrx.example/reviews/r-51c2';

function render(identifiers: 'initials' | 'none', facts = fixtureFacts({ identifiers })): RenderedReviewEmail {
  const review = buildProgressReview(facts);
  return renderReviewEmail(summarizeReviewForEmail(review), { identifiers, reviewUrl: REVIEW_URL });
}

describe('no PHI in the review email (minimum necessary, HHS FAQ 570)', () => {
  for (const identifiers of ['initials', 'none'] as const) {
    describe(`identifiers: ${identifiers}`, () => {
      const email = render(identifiers);
      const everything = [email.subject, email.html, email.text].join('\n');
      const readable = [email.subject, visibleText(email.html), email.text].join('\n');

      it('carries no name, diagnosis, note or objective text of any client', () => {
        for (const p of PEOPLE) {
          for (const secret of [p.firstName, p.lastName, p.diagnosis, p.note, p.clientId]) {
            expect(everything.toLowerCase(), secret).not.toContain(secret.toLowerCase());
          }
        }
        // The disposition note of the previous review and the risk task id stay in the app too.
        expect(everything).not.toContain('Safety plan');
        expect(everything).not.toContain('risk-assessment-a1');
      });

      it('carries no score or answer: every number a reader sees is a count, a date or the fixed line\'s 71.6 %', () => {
        const review = buildProgressReview(fixtureFacts({ identifiers }));
        const s = summarizeReviewForEmail(review);
        const allowed = new Set<string>([
          ...[s.clientsInCare, s.listed, s.nothingToFlag, s.carriedOver, ...Object.values(s.counts)].map(String),
          ...numbersIn(periodLabel(s.period, s.timeZone)),
          ...numbersIn(NO_FLAGS_IS_NOT_NO_RISK), // "71.6", "9" of "PHQ-9" and "item 9"
          ...numbersIn(REVIEW_URL),
        ]);
        const seen = numbersIn(readable.replace(REVIEW_URL, ''));
        for (const n of seen) expect(allowed, `the number ${n} in the email`).toContain(n);
        // And the fixture's scores and answers that no count or date can explain are absent outright.
        const searchable = fixtureScoresAndAnswers().map(String).filter((v) => !allowed.has(v));
        expect(searchable.length).toBeGreaterThan(10);
        for (const v of searchable) expect(seen, `score or answer ${v}`).not.toContain(v);
      });

      it('carries no reason text, band, instrument result or risk level', () => {
        for (const word of ['GAD-7', 'PCL-5', 'worsening', 'improvement', 'moderate', 'severe', 'no-show', 'check-ins', 'points', 'Probable PTSD']) {
          expect(readable, word).not.toContain(word);
        }
      });

      it('has exactly one link, to the review', () => {
        const links = [...email.html.matchAll(/<a\s[^>]*href="([^"]+)"/g)].map((m) => m[1]);
        expect(links).toEqual([REVIEW_URL]);
        expect(email.text.match(/https?:\/\/\S+/g)).toEqual([REVIEW_URL]);
      });

      it('always has the fixed line, in both parts', () => {
        expect(email.text).toContain(NO_FLAGS_IS_NOT_NO_RISK);
        expect(visibleText(email.html).replace(/\s+/g, ' ')).toContain(NO_FLAGS_IS_NOT_NO_RISK);
      });
    });
  }

  it('initials only when the setting says so, and none otherwise', () => {
    const initials = PEOPLE.map((p) => `${p.firstName[0]}.${p.lastName[0]}.`);
    const withInitials = render('initials');
    for (const i of ['A.T.', 'B.O.', 'C.M.', 'D.W.', 'E.N.', 'F.H.']) {
      expect(withInitials.text).toContain(i);
      expect(withInitials.html).toContain(i);
    }
    // Clients with nothing to flag are counted, not named.
    for (const i of ['G.L.', 'H.B.', 'I.N.']) expect(withInitials.text + withInitials.html).not.toContain(i);

    const none = render('none');
    for (const i of initials) expect(none.text + none.html + none.subject).not.toContain(i);
    // The renderer's option wins over a summary that has initials.
    const summary = summarizeReviewForEmail(buildProgressReview(fixtureFacts({ identifiers: 'initials' })));
    const forced = renderReviewEmail(summary, { identifiers: 'none', reviewUrl: REVIEW_URL });
    for (const i of initials) expect(forced.text + forced.html).not.toContain(i);
    // And a review made with `none` gives the renderer no initials at all.
    expect(Object.values(summarizeReviewForEmail(buildProgressReview(fixtureFacts({ identifiers: 'none' }))).initials).flat()).toEqual([]);
  });

  it('the summary it renders from has counts, the period and initials, nothing else', () => {
    const summary = summarizeReviewForEmail(buildProgressReview(fixtureFacts()));
    expect(Object.keys(summary).sort()).toEqual(['carriedOver', 'clientsInCare', 'counts', 'initials', 'listed', 'nothingToFlag', 'period', 'timeZone']);
    expect(JSON.stringify(summary)).not.toMatch(/total|score|item9|reason|phq|gad|pcl/i);
  });
});

describe('the review email', () => {
  const email = render('initials');

  it('says the counts by class, in the text and as bars in the HTML', () => {
    expect(email.subject).toBe(REVIEW_EMAIL_SUBJECT);
    expect(email.text).toContain('9 clients in care: 6 to look at, 3 with nothing to flag.');
    expect(email.text).toMatch(/Risk\s+1\s+#+\s+\(A\.T\.\)/);
    expect(email.text).toContain('2 items carry over from the last review: not yet dispositioned.');
    expect(email.html.match(/bgcolor="#[0-9a-f]{6}" style="width: \d+%/g)).toHaveLength(6);
  });

  it('uses inline styles only: no <style>, no class, no script, no image', () => {
    expect(email.html).not.toMatch(/<style|class=|<script|<img|<link/i);
  });

  it('names the period in the therapist\'s zone', () => {
    expect(email.text).toContain('Mar 2 \u2013 Mar 9, 2026');
    expect(periodLabel({ start: '2025-12-29T05:00:00.000Z', end: '2026-01-05T05:00:00.000Z' }, 'America/New_York')).toBe('Dec 29, 2025 \u2013 Jan 4, 2026');
  });

  it('escapes what it prints and refuses a link that is not http(s)', () => {
    const summary = summarizeReviewForEmail(buildProgressReview(fixtureFacts()));
    expect(() => renderReviewEmail(summary, { identifiers: 'none', reviewUrl: 'javascript:alert(1)' })).toThrow(RangeError);
    const odd = renderReviewEmail(summary, { identifiers: 'none', reviewUrl: 'https://app.example/r?a=1&b="2"' });
    expect(odd.html).toContain('href="https://app.example/r?a=1&amp;b=%222%22"');
    // Initials that are not initials are dropped, never printed.
    const tampered = { ...summary, initials: { ...summary.initials, risk: ['<b>Avery</b>'] } };
    expect(renderReviewEmail(tampered, { identifiers: 'initials', reviewUrl: REVIEW_URL }).html).not.toContain('Avery');
  });

  it('renders an empty caseload', () => {
    const facts = { ...fixtureFacts(), clients: [], previousReview: undefined };
    const empty = render('initials', facts);
    expect(empty.text).toContain('0 clients in care: 0 to look at, 0 with nothing to flag.');
    expect(empty.text).toContain(NO_FLAGS_IS_NOT_NO_RISK);
    expect(fixtureClients()).toHaveLength(9);
  });
});
