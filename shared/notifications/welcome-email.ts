/**
 * The welcome email: a greeting, the free 15-minute consultation and a link to the app. It
 * carries the minimum necessary (DESIGN.md, Privacy): the first name and nothing about health;
 * everything else lives behind the link. The crisis lines are in every client email because a
 * person may reply to one in a crisis, and email is not monitored for emergencies.
 */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface WelcomeEmailInput {
  firstName: string;
  /** The client app (APP_BASE_URL); links are built under it. */
  appBaseUrl: string;
}

export const CONSULTATION_MINUTES = 15;
export const WELCOME_SUBJECT = `Welcome to MoodRx: your free ${CONSULTATION_MINUTES}-minute consultation`;

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** `base` may carry a path (https://app.example/moodrx): the link goes under it, not beside it. */
export function appLink(appBaseUrl: string, path: string): string {
  const base = appBaseUrl.endsWith('/') ? appBaseUrl : `${appBaseUrl}/`;
  return new URL(path.replace(/^\//, ''), base).toString();
}

export function renderWelcomeEmail({ firstName, appBaseUrl }: WelcomeEmailInput): RenderedEmail {
  const bookingUrl = appLink(appBaseUrl, 'consultation');
  // A name is text, never markup, and never breaks a line in the plain-text part.
  const name = firstName.replace(/[\r\n]+/g, ' ').trim();

  const text = [
    `Hi ${name},`,
    '',
    'Welcome to MoodRx. Your account is ready.',
    '',
    `Your first step is a free ${CONSULTATION_MINUTES}-minute consultation. We listen to what brings you here and match you with a licensed therapist for your needs.`,
    '',
    `Book your free consultation: ${bookingUrl}`,
    '',
    'If you are in crisis, call or text 988 (Suicide & Crisis Lifeline, US). In immediate danger, call 911. Email and messages to MoodRx are not monitored for emergencies.',
    '',
    'The MoodRx team',
  ].join('\n');

  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(WELCOME_SUBJECT)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
  <p>Hi ${escapeHtml(name)},</p>
  <p>Welcome to MoodRx. Your account is ready.</p>
  <p>Your first step is a <strong>free ${CONSULTATION_MINUTES}-minute consultation</strong>. We listen to what brings you here and match you with a licensed therapist for your needs.</p>
  <p><a href="${escapeHtml(bookingUrl)}" style="display: inline-block; padding: 10px 18px; background: #2f6f5e; color: #ffffff; text-decoration: none; border-radius: 4px;">Book your free consultation</a></p>
  <p style="font-size: 13px; color: #52606d;">If you are in crisis, call or text <strong>988</strong> (Suicide &amp; Crisis Lifeline, US). In immediate danger, call <strong>911</strong>. Email and messages to MoodRx are not monitored for emergencies.</p>
  <p>The MoodRx team</p>
</body>
</html>
`;

  return { subject: WELCOME_SUBJECT, html, text };
}
