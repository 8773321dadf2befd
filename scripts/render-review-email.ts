/**
 * Preview of the weekly progress review email (issue 11, point 3), for a person to look at:
 * builds a review from the synthetic fixture (tests/unit/reviews/fixture.ts), renders the
 * email, writes the HTML and the text part to .scratch/review-email/, and, when Debian's
 * chromium is installed, a PNG screenshot of the HTML.
 *
 *   npm run email:preview                 # initials (the default setting)
 *   npm run email:preview -- --none       # no identifier at all
 *
 * Not a test: `npm test` never needs chromium. Install it with `apt-get install -y chromium`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildProgressReview, renderReviewEmail, summarizeReviewForEmail } from '../shared/domain/reviews/index.js';
import { fixtureFacts } from '../tests/unit/reviews/fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const identifiers = process.argv.includes('--none') ? 'none' : 'initials';
const outDir = resolve('.scratch/review-email');
mkdirSync(outDir, { recursive: true });

const review = buildProgressReview(fixtureFacts({ identifiers }));
const email = renderReviewEmail(summarizeReviewForEmail(review), {
  identifiers,
  reviewUrl: `https://app.moodrx.example/reviews/${encodeURIComponent(review.reviewId)}`,
});

const base = resolve(outDir, `review-email-${identifiers}`);
writeFileSync(`${base}.html`, email.html);
writeFileSync(`${base}.txt`, `Subject: ${email.subject}\n\n${email.text}\n`);
console.log(`Subject: ${email.subject}`);
console.log(`HTML:    ${base}.html`);
console.log(`Text:    ${base}.txt`);

if (existsSync(CHROMIUM)) {
  execFileSync(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--screenshot=${base}.png`, '--window-size=800,1000', pathToFileURL(`${base}.html`).toString()],
    { stdio: ['ignore', 'ignore', 'ignore'], timeout: 60_000 },
  );
  console.log(`PNG:     ${base}.png`);
} else {
  console.log(`No ${CHROMIUM}: install it to get a PNG (Debian: apt-get update && apt-get install -y chromium).`);
}
