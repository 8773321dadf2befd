import { describe, expect, it } from 'vitest';
import { buildRawMessage, headerText } from '../../../shared/adapters/ses/raw-message.js';
import { buildConsultationInvite, escapeText, foldLine, icsDateTime, type ConsultationInvite } from '../../../shared/notifications/consultation-ics.js';

const invite: ConsultationInvite = {
  method: 'REQUEST',
  uid: '6f1c2b8e-8a47-4d0e-9a51-3c1f0b2f7e11',
  sequence: 2,
  start: new Date('2026-11-20T15:00:00Z'),
  end: new Date('2026-11-20T15:15:00Z'),
  stamp: new Date('2026-11-18T09:30:12.345Z'),
  summary: 'MoodRx free consultation with Jordan Reyland, LPCC',
  description: 'Join: https://video.example.com/rooms/jr\nNeed to change it? Use the app.',
  location: 'https://video.example.com/rooms/jr',
  url: 'https://app.example/consultations/6f1c2b8e',
  organizer: { name: 'MoodRx', email: 'no-reply@moodrx.example' },
  attendees: [
    { name: 'Avery Testwood', email: 'avery@example.com' },
    { name: 'Jordan Reyland, LPCC', email: 'coordinator@example.com' },
  ],
};

/** Unfolds continuation lines (RFC 5545 3.1) and splits into content lines. */
function contentLines(ics: string): string[] {
  return ics.replace(/\r\n /g, '').split('\r\n').filter(Boolean);
}

describe('calendar invite (RFC 5545)', () => {
  it('writes one VEVENT with UID = consultation id, SEQUENCE = schedule version, UTC times and the method', () => {
    const ics = buildConsultationInvite(invite);
    const lines = contentLines(ics);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('METHOD:REQUEST');
    expect(lines).toContain(`UID:${invite.uid}`);
    expect(lines).toContain('SEQUENCE:2');
    expect(lines).toContain('DTSTART:20261120T150000Z');
    expect(lines).toContain('DTEND:20261120T151500Z');
    expect(lines).toContain('DTSTAMP:20261118T093012Z');
    expect(lines).toContain('STATUS:CONFIRMED');
    expect(lines).toContain('ORGANIZER;CN=MoodRx:mailto:no-reply@moodrx.example');
    expect(lines).toContain('ATTENDEE;CN="Jordan Reyland, LPCC";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:coordinator@example.com');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(ics.endsWith('\r\n')).toBe(true);
    // Every line ends with CRLF: no bare LF anywhere.
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('escapes TEXT values and keeps the description on one content line', () => {
    const lines = contentLines(buildConsultationInvite(invite));
    expect(lines).toContain('SUMMARY:MoodRx free consultation with Jordan Reyland\\, LPCC');
    expect(lines).toContain('DESCRIPTION:Join: https://video.example.com/rooms/jr\\nNeed to change it? Use the app.');
    expect(escapeText('a\\b;c,d\r\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });

  it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
    const long = `DESCRIPTION:${'é'.repeat(60)}`;
    const folded = foldLine(long);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const line of physical) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(physical.slice(1).every((line) => line.startsWith(' '))).toBe(true);
    expect(physical.map((line, i) => (i === 0 ? line : line.slice(1))).join('')).toBe(long);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });

  it('a cancellation says CANCEL and CANCELLED and has no alarm', () => {
    const lines = contentLines(buildConsultationInvite({ ...invite, method: 'CANCEL', sequence: 3 }));
    expect(lines).toContain('METHOD:CANCEL');
    expect(lines).toContain('STATUS:CANCELLED');
    expect(lines).toContain('SEQUENCE:3');
    expect(lines).not.toContain('BEGIN:VALARM');
  });

  it('formats instants as UTC basic format', () => {
    expect(icsDateTime(new Date('2027-03-14T06:05:09.999Z'))).toBe('20270314T060509Z');
  });
});

describe('raw MIME message for SendRawEmail', () => {
  const raw = buildRawMessage({
    from: 'MoodRx <no-reply@moodrx.example>',
    to: 'avery@example.com',
    subject: 'Your consultation — Friday',
    text: 'Hello\nplain',
    html: '<p>Hello</p>',
    attachments: [{ filename: 'invite.ics', contentType: 'text/calendar', content: buildConsultationInvite(invite), method: 'REQUEST' }],
    date: new Date('2026-11-18T09:30:00Z'),
    boundarySeed: 'seed',
  });

  it('is multipart/mixed with the text and HTML alternatives and the invite attached, base64 throughout', () => {
    expect(raw).toContain('Content-Type: multipart/mixed; boundary="mixed-seed"');
    expect(raw).toContain('Content-Type: multipart/alternative; boundary="alt-seed"');
    expect(raw).toContain('Content-Type: text/calendar; charset=UTF-8; method=REQUEST; name="invite.ics"');
    expect(raw).toContain('Content-Disposition: attachment; filename="invite.ics"');
    expect(raw.trimEnd().endsWith('--mixed-seed--')).toBe(true);
    const attachment = raw.split('--mixed-seed').find((part) => part.includes('invite.ics'))!;
    const body = attachment.split('\r\n\r\n')[1]!.replace(/\r\n/g, '');
    expect(Buffer.from(body, 'base64').toString('utf8')).toContain('UID:6f1c2b8e-8a47-4d0e-9a51-3c1f0b2f7e11');
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });

  it('encodes non-ASCII headers as RFC 2047 words and never lets a header value break the header block', () => {
    expect(raw).toContain(`Subject: =?UTF-8?B?${Buffer.from('Your consultation — Friday').toString('base64')}?=`);
    expect(headerText('a\r\nBcc: x@example.com')).toBe('a Bcc: x@example.com');
  });
});
