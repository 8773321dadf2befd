import fc from 'fast-check';
import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { readSessionPolicy } from '../../../shared/config/sessions.js';
import { occupiedCells } from '../../../shared/domain/scheduling.js';
import {
  cancellationStatus,
  DEFAULT_SESSION_POLICY,
  defaultSessionType,
  raisesNoShowTask,
  schedulingPolicyFor,
  seriesStarts,
  shiftedSeriesStarts,
  sessionEnd,
  trailingNoShows,
  type SessionStatus,
} from '../../../shared/domain/sessions/sessions.js';

const HOUR = 3_600_000;
const policy = DEFAULT_SESSION_POLICY;
const ZONES = ['America/Denver', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'UTC'];

describe('session types and lengths', () => {
  it('books individual 50 minutes and couple/family 80, by the client type unless chosen', () => {
    expect(sessionEnd(0, 'individual', policy)).toBe(50 * 60_000);
    expect(sessionEnd(0, 'couple', policy)).toBe(80 * 60_000);
    expect(sessionEnd(0, 'family', policy)).toBe(80 * 60_000);
    expect([defaultSessionType('individual'), defaultSessionType('student'), defaultSessionType('couple'), defaultSessionType('family')]).toEqual(['individual', 'individual', 'couple', 'family']);
  });

  it('locks the session and its buffer on the consultations 5-minute cells', () => {
    const start = Date.UTC(2027, 0, 4, 17);
    const cells = occupiedCells(start, schedulingPolicyFor(policy, 'individual'));
    expect(cells).toHaveLength(12);
    expect(cells.at(-1)).toBe(start + 55 * 60_000);
    expect(occupiedCells(start, schedulingPolicyFor(policy, 'family'))).toHaveLength(18);
  });

  it('reads the lengths from the environment, refusing one off the 5-minute grid', () => {
    expect(readSessionPolicy({ SESSION_COUPLE_MINUTES: '90' }).lengthMinutes).toEqual({ individual: 50, couple: 90, family: 80 });
    expect(() => readSessionPolicy({ SESSION_INDIVIDUAL_MINUTES: '52' })).toThrow(/SESSION_INDIVIDUAL_MINUTES/);
    expect(() => readSessionPolicy({ SESSION_HORIZON_DAYS: 'soon' })).toThrow(/SESSION_HORIZON_DAYS/);
  });
});

describe('series', () => {
  it('keeps the therapist wall-clock time every week or two weeks, across daylight-saving changes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1) / HOUR, max: Date.UTC(2028, 11, 31) / HOUR }),
        fc.constantFrom(...ZONES),
        fc.constantFrom('week' as const, '2weeks' as const),
        fc.integer({ min: 2, max: 12 }),
        (hour, zone, every, count) => {
          const first = hour * HOUR;
          const starts = seriesStarts(first, { every, count }, zone);
          expect(starts).toHaveLength(count);
          expect(starts[0]).toBe(first);
          const local = (t: number) => new TZDate(t, zone);
          const h = local(first).getHours();
          for (let i = 1; i < count; i += 1) {
            // The same local hour unless that hour does not exist that day (the spring-forward gap moves it forward).
            expect([h, (h + 1) % 24]).toContain(local(starts[i]!).getHours());
            const days = (starts[i]! - starts[i - 1]!) / (24 * HOUR);
            expect(Math.abs(days - (every === 'week' ? 7 : 14))).toBeLessThanOrEqual(1 / 12 + 1e-9);
          }
        },
      ),
    );
  });

  it('moves the UTC instant by an hour across the US change in March: 17:00 in Denver stays 17:00', () => {
    const first = Date.UTC(2027, 2, 8, 0); // Sun 7 Mar 2027 17:00 MST
    const [a, b] = seriesStarts(first, { every: 'week', count: 2 }, 'America/Denver');
    expect(new Date(b!).toISOString()).toBe('2027-03-14T23:00:00.000Z'); // 17:00 MDT
    expect(b! - a!).toBe(7 * 24 * HOUR - HOUR);
  });

  it('lets a series reach (maxSeries - 1) x 2 weeks past the first session', () => {
    expect(schedulingPolicyFor(policy, 'individual', 'series').horizonDays).toBe(policy.horizonDays + 11 * 14);
  });
});

describe('cancellation and attendance', () => {
  it('records a client cancellation inside 24 h as late, and the therapist own as cancelled_by_therapist', () => {
    const start = Date.UTC(2027, 0, 10, 17);
    expect(cancellationStatus('client', start, start - 24 * HOUR, policy)).toBe('cancelled');
    expect(cancellationStatus('client', start, start - 24 * HOUR + 1, policy)).toBe('late_cancelled');
    expect(cancellationStatus('therapist', start, start - 1, policy)).toBe('cancelled_by_therapist');
  });

  it('counts no-shows in a row among attended/no-show sessions only, and raises the task at exactly two', () => {
    const h = (statuses: SessionStatus[]) => statuses.map((status, i) => ({ start: `2027-01-${String(10 + i).padStart(2, '0')}T17:00:00.000Z`, status }));
    expect(trailingNoShows(h(['no_show', 'attended', 'no_show']))).toBe(1);
    expect(trailingNoShows(h(['attended', 'no_show', 'late_cancelled', 'no_show']))).toBe(2);
    expect(raisesNoShowTask(h(['attended', 'no_show', 'no_show']))).toBe(true);
    expect(raisesNoShowTask(h(['no_show', 'no_show', 'no_show']))).toBe(false);
    expect(raisesNoShowTask(h(['no_show', 'booked']))).toBe(false);
  });
});

describe('rescheduling the rest of a series', () => {
  it('moves every later session by the same calendar days to the new local time, across a daylight-saving change', () => {
    // Tuesdays 17:00 Denver from 2027-02-23 (MST), weekly; the first moves to Thursday 18:30.
    const tz = 'America/Denver';
    const starts = seriesStarts(Date.parse('2027-02-24T00:00:00Z'), { every: 'week', count: 4 }, tz);
    const to = Date.parse('2027-02-26T01:30:00Z');
    const moved = shiftedSeriesStarts(starts[0]!, to, starts.slice(1), tz);
    // 2027-03-14: DST starts; the Thursdays after it are 18:30 MDT (00:30Z).
    expect(moved.map((m) => new Date(m).toISOString())).toEqual(['2027-03-05T01:30:00.000Z', '2027-03-12T01:30:00.000Z', '2027-03-19T00:30:00.000Z']);
  });

  it('keeps the cadence and the new wall-clock time for any move (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: 0, max: 400 }), fc.integer({ min: -6, max: 20 }), fc.integer({ min: 0, max: 47 }), (tz, day, shiftDays, halfHour) => {
        const first = Date.parse('2027-01-04T18:00:00Z') + day * 24 * HOUR;
        const starts = seriesStarts(first, { every: '2weeks', count: 5 }, tz);
        const to = first + shiftDays * 24 * HOUR + halfHour * 30 * 60_000;
        const moved = shiftedSeriesStarts(starts[0]!, to, starts.slice(1), tz);
        const wall = (ms: number) => new TZDate(ms, tz).toTimeString().slice(0, 5);
        const date = (ms: number) => new TZDate(ms, tz);
        for (let i = 0; i < moved.length; i += 1) {
          // The wall-clock time of the new first (unless that local time does not exist on the day: a DST gap).
          if (wall(moved[i]!) !== wall(to)) continue;
          const gap = Math.round((Date.UTC(date(moved[i]!).getFullYear(), date(moved[i]!).getMonth(), date(moved[i]!).getDate()) - Date.UTC(date(to).getFullYear(), date(to).getMonth(), date(to).getDate())) / (24 * HOUR));
          expect(gap).toBe(14 * (i + 1));
        }
      }),
    );
  });
});
