/**
 * The consultation emails: confirmation (with the calendar invite), reminders 24 h and 1 h
 * before, cancellation, and the rebook offer after a no-show. Minimum necessary (DESIGN.md,
 * Privacy): a first name, the time in the reader's zone, the join link and a link to the app;
 * nothing about health, and never the clinician's notes. The clinician sees the client as
 * first name and last initial. Client emails carry the crisis lines (email is not monitored for
 * emergencies).
 */
import { appLink, escapeHtml, type RenderedEmail } from './welcome-email.js';

export type Audience = 'client' | 'clinician';

export const CRISIS_TEXT =
  'If you are in crisis, call or text 988 (Suicide & Crisis Lifeline, US). In immediate danger, call 911. Email and messages to MoodRx are not monitored for emergencies.';

/** "Friday, November 20, 2026 at 10:00 AM EST" in `timeZone`. */
export function formatWhen(instant: Date, timeZone: string): string {
  const date = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(instant);
  const time = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(instant);
  return `${date} at ${time}`;
}

/** A name as text on one line (never markup, never a header break). */
export function plain(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

/** "Avery T." */
export function clientShortName(firstName: string, lastName: string): string {
  const initial = plain(lastName).charAt(0);
  return initial ? `${plain(firstName)} ${initial.toUpperCase()}.` : plain(firstName);
}

export interface ConsultationEmailInput {
  audience: Audience;
  /** The reader's first name. */
  firstName: string;
  /** The other party: the clinician's display name for a client, "Avery T." for a clinician. */
  withName: string;
  start: Date;
  /** The reader's zone. */
  timeZone: string;
  joinUrl: string;
  appBaseUrl: string;
  consultationId: string;
}

export interface Block {
  subject: string;
  paragraphs: string[];
  /** [label, url] buttons/links. */
  links: [string, string][];
}

export function render(block: Block, audience: Audience): RenderedEmail {
  const footer = audience === 'client' ? [CRISIS_TEXT] : [];
  const text = [...block.paragraphs, ...block.links.map(([label, url]) => `${label}: ${url}`), ...footer, 'The MoodRx team'].join('\n\n');
  const links = block.links
    .map(
      ([label, url]) =>
        `  <p><a href="${escapeHtml(url)}" style="display: inline-block; padding: 10px 18px; background: #2f6f5e; color: #ffffff; text-decoration: none; border-radius: 4px;">${escapeHtml(label)}</a></p>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(block.subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;">
${block.paragraphs.map((p) => `  <p>${escapeHtml(p)}</p>`).join('\n')}
${links}
${footer.map((p) => `  <p style="font-size: 13px; color: #52606d;">${escapeHtml(p)}</p>`).join('\n')}
  <p>The MoodRx team</p>
</body>
</html>
`;
  return { subject: block.subject, html, text };
}

function consultationLink(input: ConsultationEmailInput): string {
  return appLink(input.appBaseUrl, `consultations/${input.consultationId}`);
}

/** "2 hours", "90 minutes". */
export function durationText(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

export function renderConsultationConfirmation(input: ConsultationEmailInput & { rescheduled: boolean; changeCutoffMinutes: number }): RenderedEmail {
  const when = formatWhen(input.start, input.timeZone);
  const withWhom = plain(input.withName);
  const subject = input.rescheduled ? `Your free consultation was moved to ${when}` : `Your free consultation is booked: ${when}`;
  const lead =
    input.audience === 'client'
      ? input.rescheduled
        ? `Your free 15-minute consultation with ${withWhom} is now on ${when}.`
        : `Your free 15-minute consultation with ${withWhom} is booked for ${when}.`
      : input.rescheduled
        ? `Your free consultation with ${withWhom} moved to ${when}.`
        : `A free consultation with ${withWhom} is booked for ${when}.`;
  return render(
    {
      subject: input.audience === 'client' ? subject : `${input.rescheduled ? 'Consultation moved' : 'New consultation'}: ${withWhom}, ${when}`,
      paragraphs: [
        `Hi ${plain(input.firstName)},`,
        lead,
        'It is a video call: use the link below at that time. The calendar invite attached adds it to your calendar.',
        ...(input.audience === 'client' ? [`Need to change it? You can cancel or reschedule in the app until ${durationText(input.changeCutoffMinutes)} before it starts.`] : []),
      ],
      links: [
        ['Join the video call', input.joinUrl],
        ['See it in MoodRx', consultationLink(input)],
      ],
    },
    input.audience,
  );
}

export function renderConsultationReminder(input: ConsultationEmailInput & { kind: '24h' | '1h' }): RenderedEmail {
  const when = formatWhen(input.start, input.timeZone);
  const soon = input.kind === '24h' ? 'tomorrow' : 'in one hour';
  return render(
    {
      subject: `Reminder: your free consultation is ${soon} (${when})`,
      paragraphs: [`Hi ${plain(input.firstName)},`, `Your free 15-minute consultation with ${plain(input.withName)} is ${soon}: ${when}.`],
      links: [
        ['Join the video call', input.joinUrl],
        ['See it in MoodRx', consultationLink(input)],
      ],
    },
    input.audience,
  );
}

export function renderConsultationCancellation(input: ConsultationEmailInput): RenderedEmail {
  const when = formatWhen(input.start, input.timeZone);
  return render(
    {
      subject: `Cancelled: free consultation on ${when}`,
      paragraphs: [
        `Hi ${plain(input.firstName)},`,
        `The free consultation with ${plain(input.withName)} on ${when} is cancelled. The attached update removes it from your calendar.`,
        ...(input.audience === 'client' ? ['You can book another time in the app.'] : []),
      ],
      links: input.audience === 'client' ? [['Book another time', appLink(input.appBaseUrl, 'consultation')]] : [],
    },
    input.audience,
  );
}

export function renderRebookOffer(input: { firstName: string; appBaseUrl: string }): RenderedEmail {
  return render(
    {
      subject: 'We missed you: book your free consultation again',
      paragraphs: [
        `Hi ${plain(input.firstName)},`,
        'We missed you at your free consultation. It happens, and you can book it once more, at a time that suits you better.',
      ],
      links: [['Book your free consultation', appLink(input.appBaseUrl, 'consultation')]],
    },
    'client',
  );
}
