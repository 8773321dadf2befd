/**
 * Signed list cursors (issue 9, finding 6). A cursor carries the id of the last record of a
 * page and an HMAC-SHA256 over that id AND its context: which list, which client, which
 * caller. So a cursor is only good for the list, client and caller it was given to; a changed
 * byte, another caller's cursor or a made-up id answers 400 `invalid_cursor`. The key comes
 * from the environment (CURSOR_SIGNING_KEY, shared/config/environment.ts), never the repo.
 *
 * Signing protects the cursor; it does not decide what the caller may see: a former
 * clinician's pages are bounded by their windows in the key condition (monitor-items.ts
 * queryPage), so no cursor is ever made from a record outside them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from '../../domain/errors.js';

/** What a cursor is bound to. */
export interface CursorContext {
  /** The list, with any filter that changes its rows (e.g. `assessments:phq9`). */
  list: string;
  clientId: string;
  callerId: string;
}

const VERSION = 2;
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The shortest key accepted (CURSOR_SIGNING_KEY has the same minimum). */
export const MIN_CURSOR_KEY_LENGTH = 32;

function mac(key: string | undefined, context: CursorContext, after: string): Buffer {
  // A weak or missing key would make every cursor forgeable: refuse to sign or verify with one.
  if (key === undefined || key.length < MIN_CURSOR_KEY_LENGTH) throw new Error('No cursor signing key (CURSOR_SIGNING_KEY) was configured.');
  return createHmac('sha256', key).update([`v${VERSION}`, context.list, context.clientId, context.callerId, after].join('\n')).digest();
}

/** The cursor of the page after `lastKey` (null on the last page). */
export function encodeCursor(lastKey: string | undefined, key: string | undefined, context: CursorContext): string | null {
  if (lastKey === undefined) return null;
  const body = Buffer.from(JSON.stringify({ v: VERSION, after: lastKey }), 'utf8').toString('base64url');
  return `${body}.${mac(key, context, lastKey).toString('base64url')}`;
}

/**
 * The record id a cursor starts after; InvalidCursorError unless this key signed it for this
 * context. `accepts`: the shape of what a cursor may carry (default a record id; the progress
 * review list signs its store's opaque page key, base64url).
 */
export function decodeCursor(cursor: string | undefined, key: string | undefined, context: CursorContext, accepts: RegExp = RECORD_ID): string | undefined {
  if (cursor === undefined) return undefined;
  const [body, signature, ...rest] = cursor.split('.');
  if (!body || !signature || rest.length > 0) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const after = (parsed as { after?: unknown } | null)?.after;
  if ((parsed as { v?: unknown } | null)?.v !== VERSION || typeof after !== 'string' || !accepts.test(after)) throw new InvalidCursorError();
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, context, after);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidCursorError();
  return after;
}
