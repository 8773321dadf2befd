/**
 * The care lifecycle's emails. Minimum necessary (DESIGN.md, Privacy): to a client, their first
 * name, what to do and a link; never a concern, a measure's name, a score or a diagnosis. To a
 * therapist, nothing about the client at all (no name, no id): "a new client", "a client may
 * need a check-in", and a link to their client list, where the app shows who after sign-in
 * (MFA for staff) and audits the read. Every client email carries the crisis lines, because a
 * person may answer an email in a crisis and email is not monitored for emergencies.
 *
 * The inputs are typed so that nothing else can be passed in.
 */
import { appLink, escapeHtml, type RenderedEmail } from './welcome-email.js';

export const BOOKING_REMINDER_SUBJECTS = ['Your free MoodRx consultation is waiting', 'Still thinking it over? Your free consultation is here when you are ready'] as const;
export const CLIENT_INTRODUCTION_SUBJECT = 'Meet your MoodRx therapist';
export const THERAPIST_INTRODUCTION_SUBJECT = 'MoodRx: a new client has been matched with you';
export const BASELINE_REQUEST_SUBJECT = 'A few short questions to start your care';
export const MEASURE_REMINDER_SUBJECT = 'Time for your MoodRx check-in questions';
export const OUTREACH_SUBJECT = 'We are here when you are ready';
export const DISENGAGEMENT_FLAG_SUBJECT = 'MoodRx: a client may need a check-in';

const CRISIS =
  'If you are in crisis, call or text 988 (Suicide & Crisis Lifeline, US). In immediate danger, call 911. Email and messages to MoodRx are not monitored for emergencies.';

interface Paragraphs {
  subject: string;
  greeting?: string;
  lines: string[];
  action: { label: string; url: string };
  /** Client emails: the crisis lines. */
  crisis: boolean;
  footer?: string;
}

/** Names are text, never markup, and never break a line of the plain-text part. */
const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

function render({ subject, greeting, lines, action, crisis, footer }: Paragraphs): RenderedEmail {
  const text = [
    ...(greeting ? [greeting, ''] : []),
    ...lines.flatMap((line) => [line, '']),
    `${action.label}: ${action.url}`,
    '',
    ...(footer ? [footer, ''] : []),
    ...(crisis ? [CRISIS, ''] : []),
    'The MoodRx team',
  ].join('\n');
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
${greeting ? `  <p>${escapeHtml(greeting)}</p>\n` : ''}${lines.map((line) => `  <p>${escapeHtml(line)}</p>\n`).join('')}  <p><a href="${escapeHtml(action.url)}" style="display: inline-block; padding: 10px 18px; background: #2f6f5e; color: #ffffff; text-decoration: none; border-radius: 4px;">${escapeHtml(action.label)}</a></p>
${footer ? `  <p style="font-size: 13px; color: #52606d;">${escapeHtml(footer)}</p>\n` : ''}${crisis ? `  <p style="font-size: 13px; color: #52606d;">${escapeHtml(CRISIS)}</p>\n` : ''}  <p>The MoodRx team</p>
</body>
</html>
`;
  return { subject, html, text };
}

export interface ClientEmailInput {
  firstName: string;
  appBaseUrl: string;
}

/** Reminder 1 (2 days after signup) and 2 (7 days), then no more. */
export function renderBookingReminder(input: ClientEmailInput & { reminder: number }): RenderedEmail {
  const first = input.reminder <= 1;
  return render({
    subject: first ? BOOKING_REMINDER_SUBJECTS[0] : BOOKING_REMINDER_SUBJECTS[1],
    greeting: `Hi ${oneLine(input.firstName)},`,
    lines: first
      ? ['Your free 15-minute consultation is ready to book. It is a short conversation about what brings you here, so we can match you with a licensed therapist for your needs.']
      : ['Just a note that your free 15-minute consultation is still available, whenever the time is right for you. This is our last reminder.'],
    action: { label: 'Book your free consultation', url: appLink(input.appBaseUrl, 'consultation') },
    crisis: true,
  });
}

export function renderClientIntroduction(input: ClientEmailInput & { therapistName: string }): RenderedEmail {
  return render({
    subject: CLIENT_INTRODUCTION_SUBJECT,
    greeting: `Hi ${oneLine(input.firstName)},`,
    lines: [
      `Meet your therapist, ${oneLine(input.therapistName)}. You can see their profile and book your first session in the app.`,
      'If at any point the fit does not feel right, you can ask for another therapist in the app.',
    ],
    action: { label: 'Meet your therapist', url: appLink(input.appBaseUrl, 'care-team') },
    crisis: true,
  });
}

export function renderBaselineRequest(input: ClientEmailInput): RenderedEmail {
  return render({
    subject: BASELINE_REQUEST_SUBJECT,
    greeting: `Hi ${oneLine(input.firstName)},`,
    lines: ['To start your care, please answer a few short questions in the app. They take about five minutes and help you and your therapist see how things change over time.'],
    action: { label: 'Answer the questions', url: appLink(input.appBaseUrl, 'measures') },
    crisis: true,
  });
}

export function renderMeasureReminder(input: ClientEmailInput): RenderedEmail {
  return render({
    subject: MEASURE_REMINDER_SUBJECT,
    greeting: `Hi ${oneLine(input.firstName)},`,
    lines: ['It is time for your regular check-in questions. Your answers help you and your therapist see your progress and adjust your plan together.'],
    action: { label: 'Answer the questions', url: appLink(input.appBaseUrl, 'measures') },
    crisis: true,
  });
}

export function renderOutreach(input: ClientEmailInput): RenderedEmail {
  return render({
    subject: OUTREACH_SUBJECT,
    greeting: `Hi ${oneLine(input.firstName)},`,
    lines: [
      'We have not heard from you in a little while, and we wanted to check in. There is no pressure: life gets busy, and your care is here whenever you are ready.',
      'A quick check-in in the app, or a message to your therapist, is a good way to pick things up again.',
    ],
    action: { label: 'Check in', url: appLink(input.appBaseUrl, 'check-in') },
    crisis: true,
  });
}

export interface StaffEmailInput {
  appBaseUrl: string;
}

export function renderTherapistIntroduction(input: StaffEmailInput): RenderedEmail {
  return render({
    subject: THERAPIST_INTRODUCTION_SUBJECT,
    lines: ['A new client has been matched with you. Their intake and the consultation notes are in MoodRx.'],
    action: { label: 'Open your clients', url: appLink(input.appBaseUrl, 'clients') },
    crisis: false,
    footer: 'For privacy this email carries no details. Sign in to MoodRx to see them.',
  });
}

export function renderDisengagementFlag(input: StaffEmailInput): RenderedEmail {
  return render({
    subject: DISENGAGEMENT_FLAG_SUBJECT,
    lines: ['One of your clients has not completed a check-in or a questionnaire for a while. We sent them a gentle note; you may want to reach out.'],
    action: { label: 'Open your clients', url: appLink(input.appBaseUrl, 'clients') },
    crisis: false,
    footer: 'For privacy this email carries no details. Sign in to MoodRx to see them.',
  });
}
