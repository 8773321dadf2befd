/**
 * The weekly progress review email to the therapist (issue 11, point 3). Minimum necessary
 * (HHS FAQ 570: the minimum necessary standard applies to what a covered entity sends; DESIGN.md
 * "Progress reviews" and "Privacy"): counts by triage class, at most the clients' initials (a
 * deployment setting: `initials` or `none`), and ONE link to the review in the app, where the
 * therapist signs in (MFA) and the read is audited. Never scores, answers, diagnoses, notes,
 * reasons or names. Only 3 of 49 feedback systems email at all (Lyon 2016): the email is a
 * nudge to open the app, not the review.
 *
 * How that is enforced: the email is rendered from {@link ReviewEmailSummary}, built by
 * {@link summarizeReviewForEmail}, which copies counts, the period and (when the setting
 * allows) initials out of the review, and nothing else. The renderer cannot reach a score
 * because its input has none. tests/unit/reviews/email.test.ts searches the rendered subject,
 * HTML and text for every score, answer, name and diagnosis of a fixture.
 *
 * Mail clients: a single 600 px table layout with inline styles only (no <style>, no classes,
 * no images, no scripts): Gmail strips <style> in some views and Outlook renders with Word's
 * engine, which understands tables, `bgcolor` and `width` attributes. The bars of the triage
 * counts are table cells with a background colour and a percentage width, which survive both.
 * The text part says the same in plain words, with the bars drawn as '#' characters.
 */
import { localDate } from '../time-zone.js';
import type { ClientIdentifierSetting } from './facts.js';
import { NO_FLAGS_IS_NOT_NO_RISK, type ProgressReview } from './review.js';
import { TRIAGE_CLASSES, TRIAGE_CLASS_LABELS, type TriageClass } from './triage.js';

export const REVIEW_EMAIL_SUBJECT = 'MoodRx: your weekly progress review is ready';

/** Everything the email may say. Nothing in it is a score, an answer, a reason or a name. */
export interface ReviewEmailSummary {
  /** The review's period, [start, end) instants, shown as dates in `timeZone`. */
  period: { start: string; end: string };
  timeZone: string;
  clientsInCare: number;
  /** Listed clients (at least one reason). */
  listed: number;
  nothingToFlag: number;
  /** Listed clients per class, each client once. */
  counts: Record<TriageClass, number>;
  /** Listed items carried over from the last review (not dispositioned). */
  carriedOver: number;
  /** Per class, the listed clients' initials in triage order; empty lists when the setting is `none`. */
  initials: Record<TriageClass, string[]>;
}

export interface ReviewEmailOptions {
  /** The deployment setting: `initials` shows them next to each class, `none` shows no identifier at all. */
  identifiers: ClientIdentifierSetting;
  /** The review in the app (an opaque id in it, nothing about a client). */
  reviewUrl: string;
}

export interface RenderedReviewEmail {
  subject: string;
  html: string;
  text: string;
}

/** The email's view of a review: counts, the period and (only when the review's setting is `initials`) initials. */
export function summarizeReviewForEmail(review: ProgressReview): ReviewEmailSummary {
  const initials = Object.fromEntries(TRIAGE_CLASSES.map((c) => [c, [] as string[]])) as Record<TriageClass, string[]>;
  if (review.identifiers === 'initials') {
    for (const item of review.items) if (item.initials) initials[item.triageClass].push(item.initials);
  }
  return {
    period: { ...review.period },
    timeZone: review.timeZone,
    clientsInCare: review.caseload.clientsInCare,
    listed: review.caseload.listed,
    nothingToFlag: review.caseload.nothingToFlag,
    counts: { ...review.triageCounts },
    carriedOver: review.carriedOver,
    initials,
  };
}

/** Colours per class: strongest for risk; each passes WCAG AA as a bar on white. */
const CLASS_COLOURS: Readonly<Record<TriageClass, string>> = {
  risk: '#b42318',
  deterioration: '#c4320a',
  not_on_track: '#b54708',
  disengaged: '#6941c6',
  plan_review_due: '#175cd3',
  carried_over: '#475467',
};

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Mar 2 – Mar 8, 2026" (the last day is the day of the instant just before `end`). */
export function periodLabel(period: { start: string; end: string }, timeZone: string): string {
  const first = localDate(new Date(Date.parse(period.start)), timeZone);
  const last = localDate(new Date(Date.parse(period.end) - 1), timeZone);
  const format = (date: string, withYear: boolean) =>
    new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', ...(withYear ? { year: 'numeric' } : {}) }).format(
      new Date(`${date}T12:00:00.000Z`),
    );
  const sameYear = first.slice(0, 4) === last.slice(0, 4);
  return `${format(first, !sameYear)} \u2013 ${format(last, true)}`;
}

/**
 * The email: subject, HTML and text. Throws a RangeError when `reviewUrl` is not an http(s)
 * URL. The summary's initials are shown only when `options.identifiers` is `initials`.
 */
export function renderReviewEmail(summary: ReviewEmailSummary, options: ReviewEmailOptions): RenderedReviewEmail {
  const url = checkedUrl(options.reviewUrl);
  const showInitials = options.identifiers === 'initials';
  const when = periodLabel(summary.period, summary.timeZone);
  const max = Math.max(1, ...TRIAGE_CLASSES.map((c) => summary.counts[c]));
  const initialsOf = (c: TriageClass) => (showInitials ? summary.initials[c].filter((i) => /^(?:[A-Z]\.){1,3}$/.test(i)) : []);

  const headline = `${plural(summary.clientsInCare, 'client', 'clients')} in care: ${summary.listed} to look at, ${summary.nothingToFlag} with nothing to flag.`;
  const carried =
    summary.carriedOver > 0 ? `${plural(summary.carriedOver, 'item carries', 'items carry')} over from the last review: not yet dispositioned.` : null;
  const privacy = 'For privacy this email carries no scores, answers or names. Sign in to MoodRx to see the review.';

  // Text part.
  const width = Math.max(...TRIAGE_CLASSES.map((c) => TRIAGE_CLASS_LABELS[c].length));
  const textRows = TRIAGE_CLASSES.map((c) => {
    const n = summary.counts[c];
    const bar = '#'.repeat(Math.round((n / max) * 20));
    const who = initialsOf(c);
    return `  ${TRIAGE_CLASS_LABELS[c].padEnd(width)}  ${String(n).padStart(3)}  ${bar}${who.length > 0 ? `  (${who.join(' ')})` : ''}`;
  });
  const text = [
    `Your weekly progress review, ${when}`,
    '',
    headline,
    '',
    ...textRows,
    '',
    ...(carried ? [carried, ''] : []),
    NO_FLAGS_IS_NOT_NO_RISK,
    '',
    `Open the review: ${url}`,
    '',
    privacy,
    '',
    'MoodRx',
  ].join('\n');

  // HTML part.
  const rows = TRIAGE_CLASSES.map((c) => {
    const n = summary.counts[c];
    const percent = Math.round((n / max) * 100);
    const colour = n > 0 ? CLASS_COLOURS[c] : '#d0d5dd';
    const bar =
      n > 0
        ? `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse: collapse;"><tr><td width="${percent}%" bgcolor="${colour}" style="width: ${percent}%; height: 14px; background-color: ${colour}; border-radius: 3px; font-size: 0; line-height: 0;">&nbsp;</td>${percent < 100 ? `<td style="font-size: 0; line-height: 0;">&nbsp;</td>` : ''}</tr></table>`
        : `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse: collapse;"><tr><td style="height: 14px; border-bottom: 1px dashed #d0d5dd; font-size: 0; line-height: 0;">&nbsp;</td></tr></table>`;
    const who = initialsOf(c);
    return `<tr>
          <td style="padding: 6px 8px 6px 0; font-size: 14px; color: #344054; white-space: nowrap; width: 130px;">${escapeHtml(TRIAGE_CLASS_LABELS[c])}</td>
          <td style="padding: 6px 8px; width: 220px;">${bar}</td>
          <td style="padding: 6px 0 6px 8px; font-size: 16px; font-weight: bold; color: ${n > 0 ? colour : '#98a2b3'}; text-align: right; width: 32px;">${n}</td>
          <td style="padding: 6px 0 6px 12px; font-size: 13px; color: #475467;">${escapeHtml(who.join(' '))}</td>
        </tr>`;
  }).join('\n        ');

  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(REVIEW_EMAIL_SUBJECT)}</title></head>
<body style="margin: 0; padding: 0; background-color: #f2f4f7;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f2f4f7" style="background-color: #f2f4f7;">
  <tr><td align="center" style="padding: 24px 12px;">
    <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width: 600px; max-width: 100%; background-color: #ffffff; border-radius: 8px; font-family: Arial, Helvetica, sans-serif; color: #1d2939; line-height: 1.5;">
      <tr><td bgcolor="#2f6f5e" style="background-color: #2f6f5e; padding: 20px 28px; border-radius: 8px 8px 0 0;">
        <div style="font-size: 13px; color: #d1fadf; letter-spacing: 0.04em; text-transform: uppercase;">MoodRx</div>
        <div style="font-size: 22px; font-weight: bold; color: #ffffff;">Your weekly progress review</div>
        <div style="font-size: 14px; color: #ecfdf3;">${escapeHtml(when)}</div>
      </td></tr>
      <tr><td style="padding: 24px 28px 8px 28px;">
        <p style="margin: 0 0 16px 0; font-size: 16px;">${escapeHtml(headline)}</p>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse: collapse;">
        ${rows}
        </table>
        ${carried ? `<p style="margin: 16px 0 0 0; font-size: 14px; color: #475467;">${escapeHtml(carried)}</p>` : ''}
      </td></tr>
      <tr><td style="padding: 16px 28px;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse: collapse;"><tr>
          <td bgcolor="#fffaeb" style="background-color: #fffaeb; border-left: 4px solid #dc6803; padding: 12px 16px; font-size: 14px; color: #7a2e0e;">${escapeHtml(NO_FLAGS_IS_NOT_NO_RISK)}</td>
        </tr></table>
      </td></tr>
      <tr><td align="left" style="padding: 8px 28px 24px 28px;">
        <a href="${escapeHtml(url)}" style="display: inline-block; padding: 12px 22px; background-color: #2f6f5e; color: #ffffff; font-size: 15px; font-weight: bold; text-decoration: none; border-radius: 6px;">Open the review</a>
      </td></tr>
      <tr><td style="padding: 16px 28px 24px 28px; border-top: 1px solid #eaecf0; font-size: 12px; color: #667085;">${escapeHtml(privacy)}</td></tr>
    </table>
  </td></tr>
</table>
</body>
</html>
`;
  return { subject: REVIEW_EMAIL_SUBJECT, html, text };
}

function checkedUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError('The review URL is not a URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RangeError('The review URL must be http(s).');
  return url.toString();
}
