/**
 * Weekly hours in common between a client and a therapist, in absolute time.
 *
 * Both sides state wall-clock hours in their own zone (the client in the intake, the therapist
 * in `Availability.weekly`), so they are compared as instants over one REFERENCE WEEK: the
 * seven days from the first Monday on or after `onDate`, in the client's zone. Converting real
 * dates (not "a Monday" in the abstract) keeps daylight saving right on both sides, including
 * weeks where only one of the two zones has changed its clocks.
 *
 * The week is treated as cyclic: each side's hours are laid out over a few extra days around
 * the week, shared time is found on that timeline, and only then clipped to the week. So a
 * client's Sunday 23:00-24:00 followed by Monday 00:00-01:00 still holds a two-hour session,
 * and every minute of the week counts once.
 *
 * Shared time counts only in stretches of at least SESSION_MINUTES: ten minutes in common
 * cannot hold a session.
 */
import { minutesOf, WEEKDAYS, zonedInstant, type Interval, type WeeklyRule, type Weekday } from '../scheduling.js';
import type { AvailabilityWindow } from './input.js';
import { DAY_PARTS, SESSION_MINUTES, type DayPart } from './weights.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SESSION = SESSION_MINUTES * MINUTE;

/** Dates laid out around the reference week: 3 before its Monday, 11 from it (to ref + 10). */
const DATES_BEFORE = 3;
const DATE_COUNT = DATES_BEFORE + 11;

export interface WeeklyOverlap {
  /** Usable shared minutes in the reference week. */
  minutes: number;
  /** The same minutes by part of the client's day. */
  byPart: Record<DayPart, number>;
}

/** `date` (YYYY-MM-DD) plus `days`, by the calendar (no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // 1970-01-01 was a Thursday (index 3 from Monday).
  return WEEKDAYS[(((Math.floor(Date.UTC(y, m - 1, d) / DAY) + 3) % 7) + 7) % 7]!;
}

/** The first Monday on or after `onDate`: the reference week starts there. */
export function referenceMonday(onDate: string): string {
  return addDays(onDate, (7 - WEEKDAYS.indexOf(weekdayOf(onDate))) % 7);
}

/** Sorted and merged (touching intervals join: back-to-back hours are one stretch). */
function merge(intervals: Interval[]): Interval[] {
  intervals.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const i of intervals) {
    const last = merged.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ start: i.start, end: i.end });
  }
  return merged;
}

/**
 * The client's side of every comparison, computed once per ranking, with a memo of wall-clock
 * to instant conversions shared by all therapists (a directory has few distinct zones and
 * times, so 10,000 therapists cost a few thousand time-zone conversions).
 */
export class ClientWeek {
  /** Local dates of the timeline, index 0 = reference Monday - DATES_BEFORE. */
  private readonly dates: string[];
  /** Date indexes by weekday (Monday = 0). */
  private readonly datesByWeekday: number[][];
  private readonly instants = new Map<string, Map<number, number>>();
  private readonly minutesByTime = new Map<string, number>();
  readonly weekStart: number;
  readonly weekEnd: number;
  /** The client's hours on the timeline, merged. */
  readonly segments: readonly Interval[];
  /** Where each part of the client's day begins, ascending, with the part. */
  private readonly partStarts: number[];
  private readonly partOfStart: DayPart[];
  /** The client's own usable minutes in the week (the most any therapist could share). */
  readonly usableMinutes: number;
  readonly firstDate: string;
  readonly lastDate: string;

  constructor(
    windows: readonly AvailabilityWindow[],
    readonly timeZone: string,
    onDate: string,
  ) {
    const monday = referenceMonday(onDate);
    this.firstDate = monday;
    this.lastDate = addDays(monday, 6);
    this.dates = Array.from({ length: DATE_COUNT }, (_, i) => addDays(monday, i - DATES_BEFORE));
    this.datesByWeekday = WEEKDAYS.map((day) => this.dates.flatMap((date, i) => (weekdayOf(date) === day ? [i] : [])));
    this.weekStart = this.instant(timeZone, DATES_BEFORE, 0);
    this.weekEnd = this.instant(timeZone, DATES_BEFORE + 7, 0);

    // The client's hours on the dates around the week (one day either side is enough: the
    // timeline only needs to be complete where it can touch the week).
    const client: Interval[] = [];
    for (const window of windows) {
      const start = this.minutes(window.start);
      const end = this.minutes(window.end);
      for (const day of window.days) {
        for (const i of this.datesByWeekday[WEEKDAYS.indexOf(day)]!) {
          if (i < DATES_BEFORE - 1 || i > DATES_BEFORE + 7) continue;
          client.push(this.span(timeZone, i, start, end));
        }
      }
    }
    this.segments = merge(client);

    this.partStarts = [];
    this.partOfStart = [];
    for (let i = DATES_BEFORE - 1; i <= DATES_BEFORE + 7; i += 1) {
      for (const { part, from } of DAY_PARTS) {
        this.partStarts.push(this.instant(timeZone, i, this.minutes(from)));
        this.partOfStart.push(part);
      }
    }
    this.usableMinutes = this.overlapWith(this.segments).minutes;
  }

  /** Usable shared time with a therapist's weekly hours in their zone. */
  overlap(therapist: { timezone: string; weekly: readonly WeeklyRule[] }): WeeklyOverlap {
    const spans: Interval[] = [];
    for (const rule of therapist.weekly) {
      const start = this.minutes(rule.start);
      const end = this.minutes(rule.end);
      for (const i of this.datesByWeekday[WEEKDAYS.indexOf(rule.day)]!) spans.push(this.span(therapist.timezone, i, start, end));
    }
    return this.overlapWith(merge(spans));
  }

  private overlapWith(other: readonly Interval[]): WeeklyOverlap {
    const result: WeeklyOverlap = { minutes: 0, byPart: { morning: 0, afternoon: 0, evening: 0 } };
    const mine = this.segments;
    let a = 0;
    let b = 0;
    while (a < mine.length && b < other.length) {
      const x = mine[a]!;
      const y = other[b]!;
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (end - start >= SESSION) this.count(start, end, result);
      if (x.end < y.end) a += 1;
      else b += 1;
    }
    return result;
  }

  /** Adds the part of [start, end) inside the week, split by part of the client's day. */
  private count(from: number, to: number, into: WeeklyOverlap): void {
    const start = Math.max(from, this.weekStart);
    const end = Math.min(to, this.weekEnd);
    if (end <= start) return;
    into.minutes += (end - start) / MINUTE;
    // The last part that begins at or before `start`.
    let lo = 0;
    let hi = this.partStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.partStarts[mid]! <= start) lo = mid;
      else hi = mid - 1;
    }
    for (let p = lo, at = start; at < end; p += 1) {
      const next = Math.min(end, this.partStarts[p + 1] ?? end);
      into.byPart[this.partOfStart[p]!] += (next - at) / MINUTE;
      at = next;
    }
  }

  private span(timeZone: string, dateIndex: number, start: number, end: number): Interval {
    // 24:00 is midnight at the end of the date.
    return { start: this.instant(timeZone, dateIndex, start), end: this.instant(timeZone, dateIndex + (end === 1440 ? 1 : 0), end % 1440) };
  }

  private instant(timeZone: string, dateIndex: number, minutes: number): number {
    let zone = this.instants.get(timeZone);
    if (!zone) {
      zone = new Map();
      this.instants.set(timeZone, zone);
    }
    const key = dateIndex * 1440 + minutes;
    let instant = zone.get(key);
    if (instant === undefined) {
      const date = this.dates[dateIndex] ?? addDays(this.dates[0]!, dateIndex);
      instant = zonedInstant(date, `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`, timeZone);
      zone.set(key, instant);
    }
    return instant;
  }

  private minutes(time: string): number {
    let m = this.minutesByTime.get(time);
    if (m === undefined) {
      m = minutesOf(time);
      this.minutesByTime.set(time, m);
    }
    return m;
  }
}
