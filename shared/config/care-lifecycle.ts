/**
 * The care lifecycle's settings, in ONE place: every duration of its rules
 * (shared/domain/care-lifecycle.ts).
 *
 * | variable                                | default | meaning                                                  |
 * |-----------------------------------------|---------|----------------------------------------------------------|
 * | CARE_LIFECYCLE_BOOKING_REMINDER_DAYS     | 2,7     | reminders to book the free consultation, days after signup |
 * | CARE_LIFECYCLE_MEASURE_REMINDER_DAYS     | 14      | measure reminders, every N days from the start of care    |
 * | CARE_LIFECYCLE_MEASURE_FRESH_DAYS        | 7       | measures this recent make a reminder (or the baseline) moot |
 * | CARE_LIFECYCLE_DISENGAGED_AFTER_DAYS     | 21      | no assessment or check-in for N days: outreach + flag      |
 * | CARE_LIFECYCLE_INTRODUCTION_WITHIN_DAYS  | 7       | introductions/baseline only this soon after the match     |
 * | CARE_LIFECYCLE_REVIEW_INTERVAL_HOURS     | 24      | the longest sleep (a stage change is seen this late at most) |
 * | CARE_LIFECYCLE_MATCH_CHECK_MINUTES       | 60      | the longest sleep while awaiting a match                  |
 * | CARE_LIFECYCLE_GENERATION_WAKE_UPS       | 500     | continue as new after N wake-ups...                       |
 * | CARE_LIFECYCLE_GENERATION_DAYS           | 300     | ...or N days of sleep                                     |
 *
 * Unset = default; a set but invalid value fails at cold start, naming the variable.
 */
import * as z from 'zod';
import { DEFAULT_LIFECYCLE_RULES, type LifecycleRules } from '../domain/care-lifecycle.js';
import { ConfigurationError } from './environment.js';

const DAY = 86_400;

export interface CareLifecycleSettings {
  rules: LifecycleRules;
}

const positive = (max: number) => z.coerce.number().positive().max(max);
const whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const dayList = z
  .string()
  .transform((text) => text.split(',').map((part) => Number(part.trim())))
  .refine((days) => days.length >= 1 && days.length <= 10 && days.every((d) => d > 0 && d <= 90), { error: 'days in (0, 90]' })
  .refine((days) => days.every((d, i) => i === 0 || d > (days[i - 1] ?? 0)), { error: 'ascending' });

/** Variable -> schema; every one optional. */
export const CARE_LIFECYCLE_ENVIRONMENT = {
  CARE_LIFECYCLE_BOOKING_REMINDER_DAYS: dayList,
  CARE_LIFECYCLE_MEASURE_REMINDER_DAYS: positive(90),
  CARE_LIFECYCLE_MEASURE_FRESH_DAYS: positive(90),
  CARE_LIFECYCLE_DISENGAGED_AFTER_DAYS: positive(180),
  CARE_LIFECYCLE_INTRODUCTION_WITHIN_DAYS: positive(90),
  CARE_LIFECYCLE_REVIEW_INTERVAL_HOURS: positive(7 * 24),
  CARE_LIFECYCLE_MATCH_CHECK_MINUTES: positive(7 * 24 * 60),
  // Per wake-up the definition records at most ~20 history events (a Task is 5, retries add
  // more): 1,000 wake-ups stay well under Step Functions' 25,000.
  CARE_LIFECYCLE_GENERATION_WAKE_UPS: whole(1, 1_000),
  // Plus one longest sleep, still under Step Functions' one-year limit.
  CARE_LIFECYCLE_GENERATION_DAYS: positive(330),
} as const;

export type CareLifecycleEnvironmentName = keyof typeof CARE_LIFECYCLE_ENVIRONMENT;

type Parsed = { [K in CareLifecycleEnvironmentName]?: z.output<(typeof CARE_LIFECYCLE_ENVIRONMENT)[K]> };

export function readCareLifecycleSettings(source: Record<string, string | undefined> = process.env): CareLifecycleSettings {
  const values: Parsed = {};
  const bad: string[] = [];
  for (const name of Object.keys(CARE_LIFECYCLE_ENVIRONMENT) as CareLifecycleEnvironmentName[]) {
    const raw = source[name];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = (CARE_LIFECYCLE_ENVIRONMENT[name] as z.ZodType).safeParse(raw.trim());
    if (parsed.success) (values as Record<string, unknown>)[name] = parsed.data;
    else bad.push(name);
  }
  const defaults = DEFAULT_LIFECYCLE_RULES;
  const seconds = (value: number | undefined, unit: number, fallback: number) => (value === undefined ? fallback : Math.round(value * unit));
  const rules: LifecycleRules = {
    bookingRemindersAfterSeconds: values.CARE_LIFECYCLE_BOOKING_REMINDER_DAYS?.map((d) => Math.round(d * DAY)) ?? defaults.bookingRemindersAfterSeconds,
    measureReminderEverySeconds: seconds(values.CARE_LIFECYCLE_MEASURE_REMINDER_DAYS, DAY, defaults.measureReminderEverySeconds),
    measureFreshSeconds: seconds(values.CARE_LIFECYCLE_MEASURE_FRESH_DAYS, DAY, defaults.measureFreshSeconds),
    disengagedAfterSeconds: seconds(values.CARE_LIFECYCLE_DISENGAGED_AFTER_DAYS, DAY, defaults.disengagedAfterSeconds),
    introductionWithinSeconds: seconds(values.CARE_LIFECYCLE_INTRODUCTION_WITHIN_DAYS, DAY, defaults.introductionWithinSeconds),
    reviewEverySeconds: seconds(values.CARE_LIFECYCLE_REVIEW_INTERVAL_HOURS, 3_600, defaults.reviewEverySeconds),
    matchCheckEverySeconds: seconds(values.CARE_LIFECYCLE_MATCH_CHECK_MINUTES, 60, defaults.matchCheckEverySeconds),
    minSleepSeconds: defaults.minSleepSeconds,
    generationMaxWakeUps: values.CARE_LIFECYCLE_GENERATION_WAKE_UPS ?? defaults.generationMaxWakeUps,
    generationMaxSeconds: seconds(values.CARE_LIFECYCLE_GENERATION_DAYS, DAY, defaults.generationMaxSeconds),
  };
  // A measure cannot be "fresh" for longer than the period it is asked for.
  if (rules.measureFreshSeconds > rules.measureReminderEverySeconds) bad.push('CARE_LIFECYCLE_MEASURE_FRESH_DAYS');
  // One execution must end before Step Functions' one-year limit, its last sleep included.
  if (rules.generationMaxSeconds + rules.reviewEverySeconds > 360 * DAY) bad.push('CARE_LIFECYCLE_GENERATION_DAYS');
  if (bad.length > 0) throw new ConfigurationError([...new Set(bad)]);
  return { rules };
}
