import { ValidationError, type FieldError } from '../../../shared/domain/errors.js';

/**
 * Answers of `count` items (each 0..max) adding up to `total`, filled from the first item,
 * never using the items at `keepZero` (0-based). Throws if the total cannot be reached.
 */
export function answersWithTotal(total: number, count: number, max: number, keepZero: readonly number[] = []): number[] {
  const answers = Array<number>(count).fill(0);
  let left = total;
  for (let i = 0; i < count && left > 0; i++) {
    if (keepZero.includes(i)) continue;
    answers[i] = Math.min(max, left);
    left -= answers[i]!;
  }
  if (left !== 0) throw new Error(`Cannot reach ${total} with ${count} items of at most ${max}.`);
  return answers;
}

/** The field errors a call throws, or fails the test if it does not throw a ValidationError. */
export function fieldErrorsOf(call: () => unknown): FieldError[] {
  try {
    call();
  } catch (error) {
    if (error instanceof ValidationError) return error.errors;
    throw error;
  }
  throw new Error('Expected a ValidationError, but the call succeeded.');
}
