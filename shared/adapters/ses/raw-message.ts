/**
 * A MIME message (RFC 2045-2049, 5322) for SES SendRawEmail, which an email with an attachment
 * (a calendar invite) needs:
 *
 *   multipart/mixed
 *   ├── multipart/alternative
 *   │   ├── text/plain; charset=UTF-8
 *   │   └── text/html; charset=UTF-8
 *   └── attachment(s), e.g. text/calendar; method=REQUEST  (invite.ics)
 *
 * Every part is base64 (lines of 76), so no content can break the structure or a line limit;
 * non-ASCII header text is an RFC 2047 encoded word. Header values never carry CR or LF.
 */
import { randomUUID } from 'node:crypto';
import type { EmailAttachment } from '../../use-cases/ports.js';
import { now } from '../clock.js';

export interface RawMessageInput {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: readonly EmailAttachment[];
  /** Default: now, on the clock in force (shared/adapters/clock.ts). */
  date?: Date;
  /** For tests: fixed boundaries. */
  boundarySeed?: string;
}

const CRLF = '\r\n';

function base64Lines(content: string): string {
  const encoded = Buffer.from(content, 'utf8').toString('base64');
  return (encoded.match(/.{1,76}/g) ?? []).join(CRLF);
}

/** Header text: one line; an RFC 2047 encoded word when it is not plain ASCII. */
export function headerText(value: string): string {
  const line = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line, 'utf8').toString('base64')}?=`;
}

function parameter(value: string): string {
  return `"${value.replace(/["\\\r\n]/g, '')}"`;
}

function part(headers: string[], body: string): string {
  return [...headers, '', body].join(CRLF);
}

export function buildRawMessage(input: RawMessageInput): string {
  const seed = input.boundarySeed ?? randomUUID();
  const mixed = `mixed-${seed}`;
  const alternative = `alt-${seed}`;
  const date = (input.date ?? now()).toUTCString().replace('GMT', '+0000');

  const bodies = [
    part(['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64'], base64Lines(input.text)),
    part(['Content-Type: text/html; charset=UTF-8', 'Content-Transfer-Encoding: base64'], base64Lines(input.html)),
  ];
  const alternativePart = part(
    [`Content-Type: multipart/alternative; boundary="${alternative}"`],
    [...bodies.map((body) => `--${alternative}${CRLF}${body}`), `--${alternative}--`].join(CRLF),
  );
  const attachmentParts = input.attachments.map((attachment) => {
    const method = attachment.method ? `; method=${attachment.method}` : '';
    return part(
      [
        `Content-Type: ${attachment.contentType}; charset=UTF-8${method}; name=${parameter(attachment.filename)}`,
        `Content-Disposition: attachment; filename=${parameter(attachment.filename)}`,
        'Content-Transfer-Encoding: base64',
      ],
      base64Lines(attachment.content),
    );
  });

  const headers = [
    `From: ${headerText(input.from)}`,
    `To: ${headerText(input.to)}`,
    `Subject: ${headerText(input.subject)}`,
    `Date: ${date}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
  ];
  const parts = [alternativePart, ...attachmentParts].map((body) => `--${mixed}${CRLF}${body}`);
  return [...headers, '', ...parts, `--${mixed}--`, ''].join(CRLF);
}
