/**
 * Consultation scheduling: when clinicians hold free 15-minute consultations, which starts are
 * free, and which booked time a start occupies. Pure: instants are epoch milliseconds (UTC),
 * wall-clock rules live in the clinician's IANA time zone and are converted day by day, so
 * daylight-saving changes are honoured (a 09:00 rule is 09:00 local on both sides of a change;
 * a rule that spans the spring-forward gap is an hour shorter that day).
 */
import { TZDate } from '@date-fns/tz';
import * as z from 'zod';
import { isCalendarDate, localDate } from './time-zone.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Times are on a 5-minute grid: it keeps booking locks (see `occupiedCells`) exact. */
export const GRID_MINUTES = 5;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const TimeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'Use a 24-hour time like 09:00.' })
  .refine((t) => minutesOf(t) % GRID_MINUTES === 0, { error: `Use times on a ${GRID_MINUTES}-minute grid, like 09:05.` });

const IntervalShape = { start: TimeOfDaySchema, end: TimeOfDaySchema };
const startBeforeEnd = (i: { start: string; end: string }) => minutesOf(i.start) < minutesOf(i.end);

export const WeeklyRuleSchema = z
  .strictObject({ day: z.enum(WEEKDAYS, { error: 'Use mon, tue, wed, thu, fri, sat or sun.' }), ...IntervalShape })
  .refine(startBeforeEnd, { error: 'The end must be after the start.', path: ['end'] });
export type WeeklyRule = z.infer<typeof WeeklyRuleSchema>;

export const AvailabilityExceptionSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('unavailable').describe('Time off: the whole day, or only start-end.'),
      date: z.string().refine(isCalendarDate, { error: 'Use a real date as YYYY-MM-DD.' }),
      start: TimeOfDaySchema.optional(),
      end: TimeOfDaySchema.optional(),
    })
    .refine((e) => (e.start === undefined) === (e.end === undefined), { error: 'Give both start and end, or neither.', path: ['end'] })
    .refine((e) => e.start === undefined || startBeforeEnd(e as { start: string; end: string }), {
      error: 'The end must be after the start.',
      path: ['end'],
    }),
  z
    .strictObject({
      kind: z.literal('available').describe('Extra hours on that date.'),
      date: z.string().refine(isCalendarDate, { error: 'Use a real date as YYYY-MM-DD.' }),
      ...IntervalShape,
    })
    .refine(startBeforeEnd, { error: 'The end must be after the start.', path: ['end'] }),
]);
export type AvailabilityException = z.infer<typeof AvailabilityExceptionSchema>;

export const AvailabilitySchema = z
  .strictObject({
    weekly: z.array(WeeklyRuleSchema).max(70),
    exceptions: z.array(AvailabilityExceptionSchema).max(366).default([]),
  })
  .superRefine((availability, ctx) => {
    for (const day of WEEKDAYS) {
      const rules = availability.weekly.filter((r) => r.day === day).sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
      for (let i = 1; i < rules.length; i += 1) {
        if (minutesOf(rules[i]!.start) < minutesOf(rules[i - 1]!.end)) {
          ctx.addIssue({ code: 'custom', path: ['weekly'], message: `Hours on ${day} overlap; merge them into one.` });
          break;
        }
      }
    }
  })
  .meta({ id: 'Availability' });
export type Availability = z.infer<typeof AvailabilitySchema>;

/** Configuration of consultations (shared/config supplies the deployed values). */
export interface SchedulingPolicy {
  /** Length of a free consultation. */
  consultationMinutes: number;
  /** Offered starts are this far apart, from the start of each block of hours. */
  stepMinutes: number;
  /** Free time a clinician keeps between two consultations. */
  bufferMinutes: number;
  /** No start sooner than this from now. */
  minimumNoticeMinutes: number;
  /** No start further than this from now. */
  horizonDays: number;
  /** Cancel or reschedule only until this long before the start. */
  changeCutoffMinutes: number;
}

export const DEFAULT_SCHEDULING_POLICY: SchedulingPolicy = {
  consultationMinutes: 15,
  stepMinutes: 15,
  bufferMinutes: 5,
  minimumNoticeMinutes: 120,
  horizonDays: 14,
  changeCutoffMinutes: 120,
};

export interface Interval {
  start: number;
  end: number;
}

export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * Zone conversions are the costly part of slot math (about 10 microseconds each) and repeat
 * endlessly: clinicians share zones and hours, requests share dates. A pure function, so its
 * results are kept, in a bounded map emptied when full.
 */
const ZONED_INSTANT_CACHE_LIMIT = 50_000;
const zonedInstants = new Map<string, number>();

/** Forgets every kept conversion (benchmarks measure a cold start with it). */
export function clearZonedInstantCache(): void {
  zonedInstants.clear();
}

/** The instant of a wall-clock time on a date in a zone (a time in the spring-forward gap moves forward). */
export function zonedInstant(date: string, time: string, timeZone: string): number {
  const key = `${timeZone}|${date}|${time}`;
  const known = zonedInstants.get(key);
  if (known !== undefined) return known;
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const minutes = minutesOf(time);
  const instant = new TZDate(y, mo - 1, d, Math.floor(minutes / 60), minutes % 60, timeZone).getTime();
  if (zonedInstants.size >= ZONED_INSTANT_CACHE_LIMIT) zonedInstants.clear();
  zonedInstants.set(key, instant);
  return instant;
}

function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // 1970-01-01 was a Thursday; Date.UTC avoids any local zone.
  return WEEKDAYS[(((Math.floor(Date.UTC(y, m - 1, d) / DAY) + 3) % 7) + 7) % 7]!;
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Removes `cut` from every interval of `from`. */
function subtract(from: Interval[], cut: Interval): Interval[] {
  return from.flatMap((i) => {
    if (cut.end <= i.start || cut.start >= i.end) return [i];
    const parts: Interval[] = [];
    if (cut.start > i.start) parts.push({ start: i.start, end: cut.start });
    if (cut.end < i.end) parts.push({ start: cut.end, end: i.end });
    return parts;
  });
}

/** Sorted, merged. */
function normalize(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged;
}

/**
 * The clinician's open hours between two instants, as UTC intervals: weekly rules on each local
 * date, minus time off, plus extra hours.
 */
export function openIntervals(availability: Availability, timeZone: string, from: number, to: number): Interval[] {
  const firstDate = addDays(localDate(new Date(from), timeZone), -1);
  const lastDate = addDays(localDate(new Date(to), timeZone), 1);
  const open: Interval[] = [];
  for (let date = firstDate; date <= lastDate; date = addDays(date, 1)) {
    const day = weekdayOf(date);
    let intervals = availability.weekly
      .filter((r) => r.day === day)
      .map((r) => ({ start: zonedInstant(date, r.start, timeZone), end: endInstant(date, r.end, timeZone) }));
    const exceptions = availability.exceptions.filter((e) => e.date === date);
    for (const e of exceptions) {
      if (e.kind === 'unavailable') {
        intervals =
          e.start === undefined || e.end === undefined
            ? []
            : subtract(intervals, { start: zonedInstant(date, e.start, timeZone), end: endInstant(date, e.end, timeZone) });
      }
    }
    for (const e of exceptions) {
      if (e.kind === 'available') intervals.push({ start: zonedInstant(date, e.start, timeZone), end: endInstant(date, e.end, timeZone) });
    }
    open.push(...intervals);
  }
  return normalize(open)
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }))
    .filter((i) => i.end > i.start);
}

/** `24:00` is midnight at the end of the date. */
function endInstant(date: string, time: string, timeZone: string): number {
  return time === '24:00' ? zonedInstant(addDays(date, 1), '00:00', timeZone) : zonedInstant(date, time, timeZone);
}

/**
 * True when a consultation starting at `a` and one starting at `b` (same clinician) cannot both
 * happen: they overlap or leave less than the buffer between them.
 */
export function conflicts(a: number, b: number, policy: SchedulingPolicy): boolean {
  return Math.abs(a - b) < (policy.consultationMinutes + policy.bufferMinutes) * MINUTE;
}

export interface FreeStartsInput {
  availability: Availability;
  timeZone: string;
  /** Starts of this clinician's booked or held consultations. */
  taken: readonly number[];
  /** The window asked for; it is clipped to [now + notice, now + horizon]. */
  from: number;
  to: number;
  now: number;
  policy: SchedulingPolicy;
}

/** Free consultation starts of one clinician, ascending. */
export function freeStarts(input: FreeStartsInput): number[] {
  const taken = [...input.taken].sort((a, b) => a - b);
  return offeredStarts(input).filter((start) => !taken.some((t) => conflicts(start, t, input.policy)));
}

export type OfferedStartsInput = Omit<FreeStartsInput, 'taken'>;

/**
 * Every start the clinician's hours offer in the window, booked or not: the quarter hours (the
 * `stepMinutes` grid counted from the epoch, which is the local quarter-hour grid in every zone,
 * all UTC offsets in use being multiples of 15 minutes) at which the whole consultation fits
 * in a block of open hours; the window is clipped to [now + notice, now + horizon].
 *
 * The grid does not depend on the window asked for: a block of hours that runs for days (open
 * around the clock) offers the same starts to every request, and a booking is checked against
 * the same starts the listing showed.
 */
export function offeredStarts(input: OfferedStartsInput): number[] {
  const { policy } = input;
  const earliest = Math.max(input.from, input.now + policy.minimumNoticeMinutes * MINUTE);
  const latest = Math.min(input.to, input.now + policy.horizonDays * DAY);
  if (earliest >= latest) return [];
  const length = policy.consultationMinutes * MINUTE;
  const step = policy.stepMinutes * MINUTE;
  const starts: number[] = [];
  for (const block of openIntervals(input.availability, input.timeZone, earliest, latest + length)) {
    for (let start = Math.ceil(Math.max(block.start, earliest) / step) * step; start + length <= block.end && start < latest; start += step) {
      starts.push(start);
    }
  }
  return starts;
}

export interface FreeStartsAmongLocksInput extends OfferedStartsInput {
  /**
   * Lock cells (see `occupiedCells`) that are taken: by booked consultations and unexpired
   * holds of this clinician, as the booking transaction writes them.
   */
  locked: ReadonlySet<number>;
}

/**
 * Free starts computed from the same lock cells the booking transaction writes: a start is
 * free exactly when none of the cells it would occupy is locked, so what is offered is what
 * the transaction would accept (and a change of buffer later still respects old bookings).
 */
export function freeStartsAmongLocks(input: FreeStartsAmongLocksInput): number[] {
  const { locked, policy } = input;
  if (locked.size === 0) return offeredStarts(input);
  // occupiedCells(start) without building an array per start: this runs for every start of
  // every clinician of a state.
  const cell = GRID_MINUTES * MINUTE;
  const count = Math.ceil((policy.consultationMinutes + policy.bufferMinutes) / GRID_MINUTES);
  return offeredStarts(input).filter((start) => {
    for (let k = 0; k < count; k += 1) if (locked.has(start + k * cell)) return false;
    return true;
  });
}

/**
 * True when `start` is one of the starts the clinician's hours offer now (on the step grid of
 * an open block, the whole consultation inside it, within notice and horizon). A booking's
 * start is checked with this: a client cannot pick an arbitrary instant.
 */
export function isOfferedStart(input: Omit<OfferedStartsInput, 'from' | 'to'> & { start: number }): boolean {
  if (input.start % (GRID_MINUTES * MINUTE) !== 0) return false;
  return offeredStarts({ ...input, from: input.start, to: input.start + 1 }).includes(input.start);
}

/** The span of lock cells to read to decide every start in [from, to): the last start's cells reach past `to`. */
export function lockWindow(from: number, to: number, policy: SchedulingPolicy): Interval {
  return { start: from, end: to + (policy.consultationMinutes + policy.bufferMinutes) * MINUTE };
}

/**
 * The lock cells a consultation occupies: its own time plus the trailing buffer, on the 5-minute
 * grid. Two consultations of one clinician conflict exactly when their cell sets intersect, so
 * writing every cell with a "must not exist" condition in the booking transaction makes a double
 * booking impossible whatever the concurrency.
 */
export function occupiedCells(start: number, policy: SchedulingPolicy): number[] {
  const cell = GRID_MINUTES * MINUTE;
  if (start % cell !== 0) throw new RangeError('A consultation starts on the 5-minute grid.');
  const count = Math.ceil((policy.consultationMinutes + policy.bufferMinutes) / GRID_MINUTES);
  return Array.from({ length: count }, (_, i) => start + i * cell);
}

/** Why a consultation can no longer be cancelled or moved, or undefined when it can. */
export function changeRefusal(start: number, now: number, policy: SchedulingPolicy): string | undefined {
  if (now > start - policy.changeCutoffMinutes * MINUTE) {
    const hours = policy.changeCutoffMinutes / 60;
    return `Consultations can be cancelled or moved until ${Number.isInteger(hours) ? `${hours} hours` : `${policy.changeCutoffMinutes} minutes`} before they start.`;
  }
  return undefined;
}
