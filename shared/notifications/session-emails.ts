/**
 * The therapy session emails: confirmation (with the calendar invite), reminders 24 h and 1 h
 * before, cancellation. Minimum necessary (DESIGN.md, Privacy), as the consultation emails: a
 * first name, the time in the reader's zone, the join link and a link to the app; never a
 * session type's reason, a note, a plan or anything clinical. The therapist sees the client as
 * first name and last initial. Client emails carry the crisis lines.
 */
import { durationText, formatWhen, plain, render, type Audience } from './consultation-emails.js';
import { appLink, type RenderedEmail } from './welcome-email.js';

export interface SessionEmailInput {
  audience: Audience;
  /** The reader's first name. */
  firstName: string;
  /** The other party: the therapist's display name for a client, "Avery T." for the therapist. */
  withName: string;
  start: Date;
  durationMinutes: number;
  /** The reader's zone. */
  timeZone: string;
  joinUrl: string;
  appBaseUrl: string;
  sessionId: string;
}

const sessionLink = (input: SessionEmailInput) => appLink(input.appBaseUrl, `sessions/${input.sessionId}`);

export function renderSessionConfirmation(input: SessionEmailInput & { rescheduled: boolean; lateCancelHours: number }): RenderedEmail {
  const when = formatWhen(input.start, input.timeZone);
  const withWhom = plain(input.withName);
  const length = durationText(input.durationMinutes);
  const subject =
    input.audience === 'client'
      ? input.rescheduled
        ? `Your session was moved to ${when}`
        : `Your session is booked: ${when}`
      : `${input.rescheduled ? 'Session moved' : 'New session'}: ${withWhom}, ${when}`;
  const lead = input.rescheduled ? `Your ${length} session with ${withWhom} is now on ${when}.` : `Your ${length} session with ${withWhom} is booked for ${when}.`;
  return render(
    {
      subject,
      paragraphs: [
        `Hi ${plain(input.firstName)},`,
        lead,
        'It is a video call: use the link below at that time. The calendar invite attached adds it to your calendar.',
        ...(input.audience === 'client' ? [`Need to change it? You can reschedule in the app until ${durationText(input.lateCancelHours * 60)} before it starts.`] : []),
      ],
      links: [
        ['Join the video call', input.joinUrl],
        ['See it in MoodRx', sessionLink(input)],
      ],
    },
    input.audience,
  );
}

export function renderSessionReminder(input: SessionEmailInput & { kind: '24h' | '1h' }): RenderedEmail {
  const when = formatWhen(input.start, input.timeZone);
  const soon = input.kind === '24h' ? 'tomorrow' : 'in one hour';
  return render(
    {
      subject: `Reminder: your session is ${soon} (${when})`,
      paragraphs: [`Hi ${plain(input.firstName)},`, `Your session with ${plain(input.withName)} is ${soon}: ${when}.`],
      links: [
        ['Join the video call', input.joinUrl],
        ['See it in MoodRx', sessionLink(input)],
      ],
    },
    input.audience,
  );
}

export function renderSessionCancellation(input: SessionEmailInput): RenderedEmail {
  const when = formatWhen(input.start, input.timeZone);
  return render(
    {
      subject: input.audience === 'client' ? `Cancelled: session on ${when}` : `Session cancelled: ${plain(input.withName)}, ${when}`,
      paragraphs: [`Hi ${plain(input.firstName)},`, `The session with ${plain(input.withName)} on ${when} is cancelled. The attached update removes it from your calendar.`],
      links: input.audience === 'client' ? [['See your sessions', appLink(input.appBaseUrl, 'sessions')]] : [],
    },
    input.audience,
  );
}

/** One session of a series confirmation: its start and its own video room. */
export interface SeriesOccurrence {
  sessionId: string;
  start: Date;
  joinUrl: string;
}

/**
 * The ONE confirmation of a booked series: every date in the reader's zone, each with its own
 * join link (every session has its own room), and one calendar invite holding every session.
 * The reminders stay per session.
 */
export function renderSessionSeriesConfirmation(
  input: Omit<SessionEmailInput, 'start' | 'joinUrl' | 'sessionId'> & { occurrences: readonly SeriesOccurrence[]; lateCancelHours: number },
): RenderedEmail {
  const dates = input.occurrences.map((o) => formatWhen(o.start, input.timeZone));
  const withWhom = plain(input.withName);
  const length = durationText(input.durationMinutes);
  const count = input.occurrences.length;
  const sessions = count === 1 ? '1 session' : `${count} sessions`;
  const first = dates[0] ?? '';
  return render(
    {
      subject: input.audience === 'client' ? `Your ${sessions} ${count === 1 ? 'is' : 'are'} booked, from ${first}` : `New series of ${sessions}: ${withWhom}, from ${first}`,
      paragraphs: [
        `Hi ${plain(input.firstName)},`,
        `Your ${sessions} of ${length} with ${withWhom} ${count === 1 ? 'is' : 'are'} booked:`,
        ...dates.map((when, i) => `${i + 1}. ${when}`),
        'Each is a video call with its own link below. The calendar invite attached adds every session to your calendar.',
        ...(input.audience === 'client' ? [`Need to change one? You can reschedule in the app until ${durationText(input.lateCancelHours * 60)} before it starts.`] : []),
      ],
      links: [
        ...input.occurrences.map((o, i): [string, string] => [`Join session ${i + 1} (${dates[i] ?? ''})`, o.joinUrl]),
        ['See them in MoodRx', appLink(input.appBaseUrl, 'sessions')],
      ],
    },
    input.audience,
  );
}
