/**
 * When a therapist's weekly progress review is due (issue 11, point 2), pure.
 *
 * Each therapist picks a weekday and an hour in their own time zone (default Monday 07:00,
 * DESIGN.md "Progress reviews": Greenspace sends its digest on Monday morning) and can pause.
 * The workflow runs once an hour, on the UTC hour ("ticks"), and asks {@link dueTherapists}
 * which therapists are due at that tick.
 *
 * The rule, DST-safe: the therapist's due instant of a week is their local weekday and hour
 * resolved in their zone (@date-fns/tz, as shared/domain/time-zone.ts): a wall time that does
 * not exist (the spring-forward hour) moves forward to the first instant after the gap, an
 * ambiguous one (the fall-back hour) is its first occurrence. The review runs at the first
 * tick at or after the due instant, i.e. the therapist is due at tick `t` when the due instant
 * is in (t - 1 h, t]. Every instant is in exactly one such window, so every week has exactly
 * one tick per therapist, whatever the zone (half-hour zones included: Asia/Kolkata 07:00 is
 * 01:30 UTC, run at the 02:00 UTC tick) and whatever DST does.
 *
 * The period: from the previous week's tick to this tick, [previous, this). Seven calendar days
 * in the therapist's zone: 168 h, or 167/169 h across a DST change, so consecutive periods
 * neither overlap nor leave a gap. The period END names the review (one per therapist per
 * period end: reviews/review.ts `progressReviewId`).
 */
import { TZDate } from '@date-fns/tz';
import * as z from 'zod';
import { isIanaTimeZone } from '../time-zone.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** ISO weekdays: 1 Monday ... 7 Sunday. */
export const REVIEW_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** A therapist's choice, as stored (keys.ts pattern 100). `timeZone` absent: the profile's. */
export const ReviewPreferencesSchema = z
  .strictObject({
    weekday: z.int().min(1).max(7),
    hour: z.int().min(0).max(23),
    timeZone: z.string().refine(isIanaTimeZone, { error: 'Give an IANA time zone (America/New_York).' }).optional(),
    paused: z.boolean(),
  })
  .meta({ id: 'ReviewPreferences' });
export type ReviewPreferences = z.infer<typeof ReviewPreferencesSchema>;

/** Monday 07:00, not paused (the zone: the therapist's profile). */
export const DEFAULT_REVIEW_PREFERENCES: Readonly<Omit<ReviewPreferences, 'timeZone'>> = Object.freeze({ weekday: 1, hour: 7, paused: false });

/** What the scheduler knows of one therapist: the preferences (defaults filled in) and the zone in force. */
export interface TherapistReviewSchedule {
  therapistId: string;
  weekday: number;
  hour: number;
  timeZone: string;
  paused: boolean;
}

/** The schedule in force: the stored preferences over the defaults, the preferences' zone over the profile's. */
export function scheduleOf(therapistId: string, profileTimeZone: string, stored: ReviewPreferences | undefined): TherapistReviewSchedule {
  const prefs = stored ?? DEFAULT_REVIEW_PREFERENCES;
  return { therapistId, weekday: prefs.weekday, hour: prefs.hour, timeZone: stored?.timeZone ?? profileTimeZone, paused: prefs.paused };
}

/** The UTC hour at or before `instant` (a tick). */
export function hourTickOf(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / HOUR_MS) * HOUR_MS);
}

/** The first tick at or after `instant`. */
function tickAtOrAfter(ms: number): number {
  return Math.ceil(ms / HOUR_MS) * HOUR_MS;
}

/** The due instant (ms) in the local week of `at` shifted by `weekOffset` weeks. */
function dueInstant(at: number, schedule: Pick<TherapistReviewSchedule, 'weekday' | 'hour' | 'timeZone'>, weekOffset: number): number {
  const local = new TZDate(at, schedule.timeZone);
  const isoWeekday = local.getDay() === 0 ? 7 : local.getDay();
  const shift = schedule.weekday - isoWeekday + 7 * weekOffset;
  // Calendar arithmetic on the local date (a Date.UTC day count), then the wall time resolved in the zone.
  const day = new Date(Date.UTC(local.getFullYear(), local.getMonth(), local.getDate()) + shift * DAY_MS);
  return new TZDate(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), schedule.hour, 0, 0, schedule.timeZone).getTime();
}

/** The week (offset from the local week of `tick`) whose review runs at `tick`, if one does. */
function dueWeekAt(tick: number, schedule: TherapistReviewSchedule): number | undefined {
  for (const offset of [0, -1, 1]) {
    const due = dueInstant(tick, schedule, offset);
    if (due > tick - HOUR_MS && due <= tick) return offset;
  }
  return undefined;
}

export interface ReviewPeriod {
  start: string;
  end: string;
}

/**
 * The period of a review due at `tick` for this schedule: [the previous week's tick, tick).
 * Throws a RangeError when the schedule is not due at `tick`.
 */
export function reviewPeriodAt(tick: Date, schedule: TherapistReviewSchedule): ReviewPeriod {
  const end = tick.getTime();
  const week = dueWeekAt(end, schedule);
  if (week === undefined) throw new RangeError(`Not due at ${tick.toISOString()}.`);
  // The previous week's due instant: a week back on the local calendar, resolved in the zone.
  const start = tickAtOrAfter(dueInstant(end, schedule, week - 1));
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

export interface DueReview {
  therapistId: string;
  period: ReviewPeriod;
}

/**
 * The therapists due at the tick of `now` (the UTC hour at or before it), with their periods,
 * in therapist-id order. Paused therapists are never due.
 */
export function dueTherapists(now: Date, schedules: readonly TherapistReviewSchedule[]): DueReview[] {
  const tick = hourTickOf(now);
  const due: DueReview[] = [];
  for (const schedule of schedules) {
    if (schedule.paused) continue;
    if (dueWeekAt(tick.getTime(), schedule) === undefined) continue;
    due.push({ therapistId: schedule.therapistId, period: reviewPeriodAt(tick, schedule) });
  }
  return due.sort((a, b) => (a.therapistId < b.therapistId ? -1 : a.therapistId > b.therapistId ? 1 : 0));
}

/** The execution name of the run for a tick: `progress-reviews-2027-01-04T07` (no colons: Step Functions refuses them). */
export function progressReviewRunName(tick: Date): string {
  return `progress-reviews-${hourTickOf(tick).toISOString().slice(0, 13)}`;
}
