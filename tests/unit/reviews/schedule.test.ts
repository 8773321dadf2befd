import { describe, expect, it } from 'vitest';
import { dueTherapists, progressReviewRunName, reviewPeriodAt, scheduleOf, type TherapistReviewSchedule } from '../../../shared/domain/reviews/schedule.js';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const schedule = (over: Partial<TherapistReviewSchedule> = {}): TherapistReviewSchedule => ({ therapistId: 't1', weekday: 1, hour: 7, timeZone: 'America/New_York', paused: false, ...over });

/** Every hourly tick in [from, to) at which the schedule is due. */
function ticksDue(s: TherapistReviewSchedule, from: string, to: string): string[] {
  const found: string[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += HOUR) if (dueTherapists(new Date(t), [s]).length > 0) found.push(new Date(t).toISOString());
  return found;
}

describe('scheduleOf', () => {
  it('defaults to Monday 07:00 in the profile zone, not paused; stored preferences win, their zone over the profile', () => {
    expect(scheduleOf('t1', 'America/Chicago', undefined)).toEqual({ therapistId: 't1', weekday: 1, hour: 7, timeZone: 'America/Chicago', paused: false });
    expect(scheduleOf('t1', 'America/Chicago', { weekday: 3, hour: 18, paused: true })).toMatchObject({ weekday: 3, hour: 18, timeZone: 'America/Chicago', paused: true });
    expect(scheduleOf('t1', 'America/Chicago', { weekday: 3, hour: 18, paused: false, timeZone: 'Europe/Berlin' }).timeZone).toBe('Europe/Berlin');
  });
});

describe('dueTherapists', () => {
  it('Monday 07:00 New York (EST) is due at 12:00 UTC only, with the 7 days ending there', () => {
    expect(dueTherapists(at('2027-01-04T11:59:59.000Z'), [schedule()])).toEqual([]);
    expect(dueTherapists(at('2027-01-04T12:00:00.000Z'), [schedule()])).toEqual([
      { therapistId: 't1', period: { start: '2026-12-28T12:00:00.000Z', end: '2027-01-04T12:00:00.000Z' } },
    ]);
    // Any instant in the hour is the same tick (a late run names the same period).
    expect(dueTherapists(at('2027-01-04T12:59:00.000Z'), [schedule()])[0]?.period.end).toBe('2027-01-04T12:00:00.000Z');
    expect(dueTherapists(at('2027-01-04T13:00:00.000Z'), [schedule()])).toEqual([]);
  });

  it('several zones at one tick, in id order; paused never', () => {
    const tick = at('2027-01-04T07:00:00.000Z');
    const s = [
      schedule({ therapistId: 'c-london', timeZone: 'Europe/London' }),
      schedule({ therapistId: 'a-tokyo', timeZone: 'Asia/Tokyo', hour: 16 }),
      schedule({ therapistId: 'b-paused', timeZone: 'Europe/London', paused: true }),
      schedule({ therapistId: 'd-newyork' }),
    ];
    expect(dueTherapists(tick, s).map((d) => d.therapistId)).toEqual(['a-tokyo', 'c-london']);
  });

  it('a half-hour zone (Asia/Kolkata 07:00 = 01:30 UTC) runs at the 02:00 UTC tick, once a week', () => {
    expect(ticksDue(schedule({ timeZone: 'Asia/Kolkata' }), '2027-01-03T00:00:00.000Z', '2027-01-17T00:00:00.000Z')).toEqual([
      '2027-01-04T02:00:00.000Z',
      '2027-01-11T02:00:00.000Z',
    ]);
  });

  it('across spring forward (US 2027-03-14): exactly one run a week, at local 07:00, periods contiguous (167 h)', () => {
    const s = schedule({ weekday: 1 });
    const ticks = ticksDue(s, '2027-03-01T00:00:00.000Z', '2027-03-23T00:00:00.000Z');
    expect(ticks).toEqual(['2027-03-01T12:00:00.000Z', '2027-03-08T12:00:00.000Z', '2027-03-15T11:00:00.000Z', '2027-03-22T11:00:00.000Z']);
    const periods = ticks.map((t) => reviewPeriodAt(at(t), s));
    for (let i = 1; i < periods.length; i += 1) expect(periods[i]?.start).toBe(periods[i - 1]?.end);
    expect(Date.parse(periods[2]!.end) - Date.parse(periods[2]!.start)).toBe(167 * HOUR);
  });

  it('a wall time that does not exist (Sunday 02:00 on the spring-forward day) runs at 03:00 local, not never', () => {
    const s = schedule({ weekday: 7, hour: 2 });
    expect(ticksDue(s, '2027-03-13T00:00:00.000Z', '2027-03-16T00:00:00.000Z')).toEqual(['2027-03-14T07:00:00.000Z']);
  });

  it('across fall back (US 2027-11-07): an ambiguous 01:00 runs once (the first 01:00), and the period is 169 h', () => {
    const s = schedule({ weekday: 7, hour: 1 });
    const ticks = ticksDue(s, '2027-10-30T00:00:00.000Z', '2027-11-15T00:00:00.000Z');
    expect(ticks).toEqual(['2027-10-31T05:00:00.000Z', '2027-11-07T05:00:00.000Z', '2027-11-14T06:00:00.000Z']);
    const last = reviewPeriodAt(at('2027-11-14T06:00:00.000Z'), s);
    expect(last).toEqual({ start: '2027-11-07T05:00:00.000Z', end: '2027-11-14T06:00:00.000Z' });
  });

  it('Europe changes on another day (2027-03-28): Berlin Monday 07:00 is 06:00 UTC, then 05:00 UTC', () => {
    expect(ticksDue(schedule({ timeZone: 'Europe/Berlin' }), '2027-03-20T00:00:00.000Z', '2027-04-06T00:00:00.000Z')).toEqual([
      '2027-03-22T06:00:00.000Z',
      '2027-03-29T05:00:00.000Z',
      '2027-04-05T05:00:00.000Z',
    ]);
  });

  it('a late-evening slot whose tick is on the next local day still runs once (Auckland Sunday 23:00)', () => {
    const s = schedule({ timeZone: 'Pacific/Auckland', weekday: 7, hour: 23 });
    expect(ticksDue(s, '2027-01-01T00:00:00.000Z', '2027-01-15T00:00:00.000Z')).toEqual(['2027-01-03T10:00:00.000Z', '2027-01-10T10:00:00.000Z']);
  });

  it('reviewPeriodAt refuses a tick that is not due', () => {
    expect(() => reviewPeriodAt(at('2027-01-04T13:00:00.000Z'), schedule())).toThrow(RangeError);
  });
});

describe('progressReviewRunName', () => {
  it('one name per UTC hour, without colons', () => {
    expect(progressReviewRunName(at('2027-01-04T12:34:56.000Z'))).toBe('progress-reviews-2027-01-04T12');
  });
});
