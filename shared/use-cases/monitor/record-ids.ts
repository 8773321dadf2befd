/**
 * Record ids of monitoring records: UUID version 7 (RFC 9562, section 5.7), 48 bits of Unix
 * milliseconds then random bits. Their text sorts by creation time, so records keyed by their
 * id (ASSESSMENT#<id>, CHECK_IN#<id>) list in time order with no second index, and the id
 * alone finds the record.
 */
import { randomBytes } from 'node:crypto';

const MAX_MS = 2 ** 48;

function timeHex(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= MAX_MS) throw new RangeError('UUIDv7 needs an instant between 1970 and the year 10889.');
  return ms.toString(16).padStart(12, '0');
}

export function uuidV7(at: Date, random: Uint8Array = randomBytes(10)): string {
  if (random.length < 10) throw new RangeError('uuidV7 needs 10 random bytes.');
  const bytes = Buffer.alloc(16);
  Buffer.from(timeHex(at.getTime()), 'hex').copy(bytes, 0);
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A string that sorts before every UUIDv7 made at or after `at` and after every one made before. */
export function uuidV7LowerBound(at: Date): string {
  const hex = timeHex(at.getTime());
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

/** The instant a UUIDv7 was made (millisecond precision). */
export function uuidV7Time(id: string): Date {
  const hex = id.replaceAll('-', '').slice(0, 12);
  if (!/^[0-9a-f]{12}$/.test(hex) || id[14] !== '7') throw new RangeError('Not a UUIDv7.');
  return new Date(parseInt(hex, 16));
}
