/**
 * The calendar invite of a consultation: a small iCalendar (RFC 5545) writer for one VEVENT
 * in an iTIP (RFC 5546) message. REQUEST adds or updates the event, CANCEL removes it; the UID
 * is the consultation id and SEQUENCE its schedule version, so a moved consultation updates the
 * one entry in the person's calendar instead of adding another. Times are UTC (`...Z`), which
 * every calendar shows in the reader's own zone.
 *
 * Rules implemented: CRLF line ends; lines folded at 75 octets (never inside a UTF-8
 * character) with a leading space; TEXT values escape backslash, semicolon, comma and line
 * breaks (3.3.11); parameter values with `:;,` are quoted (3.2).
 */
export type InviteMethod = 'REQUEST' | 'CANCEL';

export interface InvitePerson {
  name: string;
  email: string;
}

export interface ConsultationInvite {
  method: InviteMethod;
  /** The consultation id. */
  uid: string;
  /** The schedule version; a cancellation uses a higher number than the last invite. */
  sequence: number;
  start: Date;
  end: Date;
  /** When this message was made (DTSTAMP). */
  stamp: Date;
  summary: string;
  description: string;
  /** The join URL: calendars show it as where the meeting is. */
  location: string;
  url: string;
  organizer: InvitePerson;
  attendees: readonly InvitePerson[];
}

export const ICS_CONTENT_TYPE = 'text/calendar';
const PRODUCT_ID = '-//MoodRx//Consultations//EN';

/** 20261120T150000Z */
export function icsDateTime(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** TEXT escaping (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value: quoted when it holds `:;,`; quotes themselves are not allowed and dropped. */
function parameterValue(value: string): string {
  const clean = value.replace(/["\r\n]/g, '');
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}

/** Folds a content line at 75 octets, continuation lines starting with one space (RFC 5545 3.1). */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = Buffer.byteLength(character, 'utf8');
    // The first line holds 75 octets; each continuation 74 after its leading space.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function person(property: 'ORGANIZER' | 'ATTENDEE', who: InvitePerson, extra: string[] = []): string {
  return `${property};${[`CN=${parameterValue(who.name)}`, ...extra].join(';')}:mailto:${who.email}`;
}

/** One event of a calendar message: everything of ConsultationInvite but the method and the organizer. */
export type CalendarEvent = Omit<ConsultationInvite, 'method' | 'organizer'>;

function eventLines(method: InviteMethod, organizer: InvitePerson, event: CalendarEvent): string[] {
  const cancelled = method === 'CANCEL';
  return [
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${icsDateTime(event.stamp)}`,
    `DTSTART:${icsDateTime(event.start)}`,
    `DTEND:${icsDateTime(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `LOCATION:${escapeText(event.location)}`,
    `URL:${event.url}`,
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    person('ORGANIZER', organizer),
    ...event.attendees.map((attendee) => person('ATTENDEE', attendee, ['ROLE=REQ-PARTICIPANT', 'PARTSTAT=ACCEPTED', 'RSVP=FALSE'])),
    ...(cancelled ? [] : ['BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${escapeText(event.summary)}`, 'TRIGGER:-PT15M', 'END:VALARM']),
    'END:VEVENT',
  ];
}

/**
 * One iTIP message holding several events (RFC 5546 allows several VEVENTs of one method):
 * a booked series in ONE invite, each session its own event with its own UID, so a later
 * update or cancellation of one session (a message with that UID alone) still matches it.
 */
export function buildCalendar(calendar: { method: InviteMethod; organizer: InvitePerson; events: readonly CalendarEvent[] }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODUCT_ID}`,
    'CALSCALE:GREGORIAN',
    `METHOD:${calendar.method}`,
    ...calendar.events.flatMap((event) => eventLines(calendar.method, calendar.organizer, event)),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** The whole .ics document of one event, CRLF-terminated. */
export function buildConsultationInvite(invite: ConsultationInvite): string {
  const { method, organizer, ...event } = invite;
  return buildCalendar({ method, organizer, events: [event] });
}
