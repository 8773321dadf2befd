/**
 * Validation and arithmetic shared by the instruments: answer lists for rating scales, strict
 * parsing into field errors, sums and severity bands.
 */
import * as z from 'zod';
import { ValidationError, type FieldError } from '../errors.js';
import type { SeverityBand } from './definition.js';

/** "0, 1, 2 or 3" */
export function listValues(values: readonly (number | string)[]): string {
  return values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

/**
 * The answers to a rating scale: exactly `itemCount` values, one per item in item order, each
 * one of `values`. Every message names the instrument and, for an item, its 1-based number.
 */
export function ratingAnswersSchema<const V extends readonly [number, ...number[]]>(
  shortName: string,
  itemCount: number,
  values: V,
): z.ZodType<readonly V[number][]> {
  const allowed = listValues(values);
  const items = Array.from({ length: itemCount }, (_, i) =>
    z.literal(values, { error: `Answer ${shortName} item ${i + 1} with ${allowed}.` }),
  );
  const [first, ...rest] = items;
  return z.tuple([first!, ...rest], {
    error: (issue) => {
      const given = Array.isArray(issue.input) ? issue.input.length : undefined;
      return given === undefined
        ? `Give the ${shortName} answers as a list of ${itemCount} numbers, one per item, in item order.`
        : `The ${shortName} has ${itemCount} items: give exactly ${itemCount} answers, in item order (${given} given).`;
    },
  }) as unknown as z.ZodType<readonly V[number][]>;
}

/**
 * zod issues -> field errors, paths under `answers` (e.g. `answers.8`). Our schemas word every
 * message for people; this only spells out unknown keys.
 */
export function answerFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const field = ['answers', ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ field: `${field}.${key}`, message: 'This question is not part of the instrument.' });
    } else {
      errors.push({ field, message: issue.message });
    }
  }
  return errors;
}

/** Parses answers with `schema`, or throws a {@link ValidationError} listing every problem. */
export function parseAnswers<T>(schema: z.ZodType<T>, answers: unknown): T {
  const result = schema.safeParse(answers);
  if (!result.success) throw new ValidationError(answerFieldErrors(result.error.issues), 'Some answers are missing or invalid.');
  return result.data;
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/**
 * The band a total falls in, from band lower bounds (in band order, the first at 0); each band
 * runs up to the next band's bound minus one, the last up to `maxTotal`.
 */
export function bandOf<Id extends string>(
  total: number,
  ids: readonly Id[],
  lowerBounds: Readonly<Record<Id, number>>,
  labels: Readonly<Record<Id, string>>,
  maxTotal: number,
): SeverityBand & { id: Id } {
  let index = 0;
  for (let i = 1; i < ids.length; i++) if (total >= lowerBounds[ids[i]!]) index = i;
  const id = ids[index]!;
  const next = ids[index + 1];
  return { id, label: labels[id], min: lowerBounds[id], max: next === undefined ? maxTotal : lowerBounds[next] - 1 };
}

/**
 * The answer options the PHQ-9 and GAD-7 share ("how often have you been bothered"), as
 * printed on the forms [Kroenke 2001; Spitzer 2006].
 */
export const PHQ_FREQUENCY_OPTIONS = [
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'Several days' },
  { value: 2, label: 'More than half the days' },
  { value: 3, label: 'Nearly every day' },
] as const;
export const PHQ_FREQUENCY_VALUES = [0, 1, 2, 3] as const;
export type PhqFrequency = (typeof PHQ_FREQUENCY_VALUES)[number];

/** The label printed for an option value. */
export function optionLabel(options: readonly { value: number | boolean; label: string }[], value: number | boolean): string {
  return options.find((o) => o.value === value)?.label ?? String(value);
}
