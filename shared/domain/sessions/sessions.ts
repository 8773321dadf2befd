/**
 * Therapy sessions with the client's assigned therapist (issue 10, "Manage"): types and
 * lengths, series, late cancellation, attendance and the "two no-shows in a row" signal. Pure;
 * the slot math is shared/domain/scheduling.ts, the same lock cells as consultations, so a
 * session and a consultation of one clinician can never overlap.
 *
 * Status of a session:
 *
 *   booked --cancel (client, >= 24 h before)--> cancelled
 *   booked --cancel (client, < 24 h before)---> late_cancelled
 *   booked --cancel (therapist)---------------> cancelled_by_therapist
 *   booked --care with the therapist ended (discharge, rematch), future only--> cancelled_care_ended
 *   booked --attendance (therapist, from the start on)--> attended | no_show | late_cancelled | cancelled_by_therapist
 *
 * FHIR Appointment.status: attended -> fulfilled, no_show -> noshow, every cancellation ->
 * cancelled (DESIGN.md, "Sessions").
 */
import { TZDate } from '@date-fns/tz';
import { GRID_MINUTES, zonedInstant, type SchedulingPolicy } from '../scheduling.js';
import type { ClientType } from '../signup.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const SESSION_TYPES = ['individual', 'couple', 'family'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

export const SESSION_STATUSES = ['booked', 'cancelled', 'late_cancelled', 'cancelled_by_therapist', 'cancelled_care_ended', 'attended', 'no_show'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** What a therapist records once the session has started. */
export const ATTENDANCE_STATUSES = ['attended', 'late_cancelled', 'no_show', 'cancelled_by_therapist'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const FHIR_APPOINTMENT_STATUS: Readonly<Record<SessionStatus, 'booked' | 'fulfilled' | 'noshow' | 'cancelled'>> = {
  booked: 'booked',
  attended: 'fulfilled',
  no_show: 'noshow',
  cancelled: 'cancelled',
  late_cancelled: 'cancelled',
  cancelled_by_therapist: 'cancelled',
  cancelled_care_ended: 'cancelled',
};

export const REPEAT_EVERY = ['week', '2weeks'] as const;
export type RepeatEvery = (typeof REPEAT_EVERY)[number];
const REPEAT_WEEKS: Readonly<Record<RepeatEvery, number>> = { week: 1, '2weeks': 2 };

/** `system`: the platform, cancelling a therapist's future sessions when care with them ended. */
export const SESSION_ACTORS = ['client', 'therapist', 'system'] as const;
export type SessionActor = (typeof SESSION_ACTORS)[number];

/** The session settings (shared/config/sessions.ts supplies the deployed values). */
export interface SessionPolicy {
  /**
   * Length by type. Individual ~50 min, couple/family ~80 min: the usual "therapy hour" and
   * extended family session (DESIGN.md, "Sessions"; CPT 90834 covers 38-52 min, 90847 family
   * psychotherapy is commonly booked at 80 min).
   */
  lengthMinutes: Readonly<Record<SessionType, number>>;
  /** Offered starts are this far apart on the grid counted from the epoch (the local half hours). */
  stepMinutes: number;
  /** Free time the therapist keeps after a session. */
  bufferMinutes: number;
  /** No start sooner than this from now. */
  minimumNoticeMinutes: number;
  /** The first (or only) session starts at most this far ahead; a series runs on from it. */
  horizonDays: number;
  /** A client's cancellation inside this many hours of the start is a late cancellation (the usual 24-hour policy). */
  lateCancelHours: number;
  /** At most this many sessions in one series. */
  maxSeries: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  lengthMinutes: { individual: 50, couple: 80, family: 80 },
  stepMinutes: 30,
  bufferMinutes: 10,
  minimumNoticeMinutes: 120,
  horizonDays: 28,
  lateCancelHours: 24,
  maxSeries: 12,
};

/** The session type a client's type books by default: students are seen individually. */
export function defaultSessionType(clientType: ClientType): SessionType {
  return clientType === 'couple' ? 'couple' : clientType === 'family' ? 'family' : 'individual';
}

/** The longest a series can reach past the first session (the horizon of its later occurrences). */
export function seriesReachDays(policy: SessionPolicy): number {
  return (policy.maxSeries - 1) * 7 * Math.max(...Object.values(REPEAT_WEEKS));
}

/**
 * The scheduling policy (slot math, lock cells) of a session type: the consultation functions
 * of shared/domain/scheduling.ts run unchanged on it. `reach` widens the horizon for a series'
 * later occurrences.
 */
export function schedulingPolicyFor(policy: SessionPolicy, type: SessionType, reach: 'first' | 'series' = 'first'): SchedulingPolicy {
  return {
    consultationMinutes: policy.lengthMinutes[type],
    stepMinutes: policy.stepMinutes,
    bufferMinutes: policy.bufferMinutes,
    minimumNoticeMinutes: policy.minimumNoticeMinutes,
    horizonDays: policy.horizonDays + (reach === 'series' ? seriesReachDays(policy) : 0),
    changeCutoffMinutes: 0,
  };
}

/** True when every length, step and buffer keeps the lock cells exact (multiples of the grid). */
export function isValidSessionPolicy(policy: SessionPolicy): boolean {
  const onGrid = (m: number) => Number.isInteger(m) && m >= 0 && m % GRID_MINUTES === 0;
  return (
    Object.values(policy.lengthMinutes).every((m) => onGrid(m) && m > 0) &&
    onGrid(policy.stepMinutes) &&
    policy.stepMinutes > 0 &&
    onGrid(policy.bufferMinutes) &&
    policy.maxSeries >= 1 &&
    policy.lateCancelHours >= 0
  );
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The starts of a series: the first, then every week or two weeks at the SAME wall-clock time
 * in the therapist's zone (a 17:00 session stays at 17:00 across a daylight-saving change, so
 * its UTC instant moves by an hour). `count` includes the first.
 */
export function seriesStarts(first: number, repeat: { every: RepeatEvery; count: number } | undefined, timeZone: string): number[] {
  if (!repeat || repeat.count <= 1) return [first];
  const local = new TZDate(first, timeZone);
  const date = `${String(local.getFullYear()).padStart(4, '0')}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`;
  const time = `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
  const step = REPEAT_WEEKS[repeat.every] * 7;
  return Array.from({ length: repeat.count }, (_, i) => (i === 0 ? first : zonedInstant(addDays(date, i * step), time, timeZone)));
}

function localParts(instant: number, timeZone: string): { date: string; time: string } {
  const local = new TZDate(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${String(local.getFullYear()).padStart(4, '0')}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`, time: `${pad(local.getHours())}:${pad(local.getMinutes())}` };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / (24 * HOUR));
}

/**
 * "Reschedule the rest of the series": the session at `from` moves to `to`, and every later one
 * moves by the same number of calendar days in the therapist's zone, to the new wall-clock time
 * (so the cadence is kept, and a 17:00 session stays at 17:00 across a daylight-saving change).
 * Returns the new starts of `later`, in its order.
 */
export function shiftedSeriesStarts(from: number, to: number, later: readonly number[], timeZone: string): number[] {
  const a = localParts(from, timeZone);
  const b = localParts(to, timeZone);
  const days = daysBetween(a.date, b.date);
  return later.map((start) => zonedInstant(addDays(localParts(start, timeZone).date, days), b.time, timeZone));
}

/** The end of a session of `type` starting at `start` (epoch ms). */
export function sessionEnd(start: number, type: SessionType, policy: SessionPolicy): number {
  return start + policy.lengthMinutes[type] * MINUTE;
}

/** Whether a client's cancellation at `now` is late: inside `lateCancelHours` of the start (or after it). */
export function isLateCancellation(start: number, now: number, policy: SessionPolicy): boolean {
  return now > start - policy.lateCancelHours * HOUR;
}

/** Every status that is a cancellation (the notice and its .ics CANCEL are sent for these). */
export const CANCELLED_STATUSES: readonly SessionStatus[] = ['cancelled', 'late_cancelled', 'cancelled_by_therapist', 'cancelled_care_ended'];

/** The status a cancellation leaves: the therapist's, or the client's (late inside the window). */
export function cancellationStatus(by: SessionActor, start: number, now: number, policy: SessionPolicy): SessionStatus {
  if (by === 'therapist') return 'cancelled_by_therapist';
  return isLateCancellation(start, now, policy) ? 'late_cancelled' : 'cancelled';
}

/** Why attendance cannot be recorded yet, or undefined: from the start on. */
export function attendanceRefusal(start: number, now: number): string | undefined {
  return now < start ? 'Attendance can be recorded once the session has started.' : undefined;
}

/**
 * How many no-shows in a row end the client's attendance history with this therapist: only
 * sessions with a recorded attendance of `attended` or `no_show` count, in start order
 * (a cancellation neither breaks nor extends a run: the client told us).
 */
export function trailingNoShows(history: readonly { start: string; status: SessionStatus }[]): number {
  const seen = history.filter((s) => s.status === 'attended' || s.status === 'no_show').sort((a, b) => a.start.localeCompare(b.start));
  let run = 0;
  for (let i = seen.length - 1; i >= 0 && seen[i]!.status === 'no_show'; i -= 1) run += 1;
  return run;
}

/** Two no-shows in a row is the usual "act now" signal (DESIGN.md, "Sessions"). */
export const NO_SHOWS_IN_A_ROW_FOR_TASK = 2;

/** True when the run of no-shows just reached the threshold (exactly: a third does not raise a second task). */
export function raisesNoShowTask(history: readonly { start: string; status: SessionStatus }[]): boolean {
  return trailingNoShows(history) === NO_SHOWS_IN_A_ROW_FOR_TASK;
}

/** Whether the join link is still shown: a booked session until its end. */
export function sessionJoinLinkShown(session: { status: SessionStatus; end: string }, now: number): boolean {
  return session.status === 'booked' && now < Date.parse(session.end);
}
