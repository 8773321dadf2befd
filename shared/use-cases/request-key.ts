/**
 * What a multi-step write (a discharge, a rematch) stores of the `Idempotency-Key` that made
 * it, so that a retry with the same key can finish the steps after the first transaction (e.g.
 * cancelling the sessions) once the first attempt failed part-way: the route's idempotency
 * record is deleted on an error (shared/http/idempotency.ts), so only the record itself can
 * recognise the retry. A hash, not the key: the key is the caller's string, not ours to keep.
 */
import { createHash } from 'node:crypto';

export function requestKeyOf(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex');
}
