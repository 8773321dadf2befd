import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AvailabilitySchema,
  changeRefusal,
  conflicts,
  DEFAULT_SCHEDULING_POLICY as policy,
  freeStarts,
  occupiedCells,
  openIntervals,
  type Availability,
} from '../../../shared/domain/scheduling.js';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);
const NY = 'America/New_York';
const mondayMornings: Availability = { weekly: [{ day: 'mon', start: '09:00', end: '10:00' }], exceptions: [] };

function starts(availability: Availability, from: string, to: string, now: string, taken: number[] = [], timeZone = NY) {
  return freeStarts({ availability, timeZone, taken, from: at(from), to: at(to), now: at(now), policy }).map(iso);
}

describe('open hours', () => {
  it('keeps 09:00 local on both sides of the spring-forward change', () => {
    // 2026-03-08 is the US change; the Mondays before and after are 03-02 (EST) and 03-09 (EDT).
    const open = openIntervals(mondayMornings, NY, at('2026-03-01T00:00:00Z'), at('2026-03-11T00:00:00Z'));
    expect(open.map((i) => [iso(i.start), iso(i.end)])).toEqual([
      ['2026-03-02T14:00:00.000Z', '2026-03-02T15:00:00.000Z'],
      ['2026-03-09T13:00:00.000Z', '2026-03-09T14:00:00.000Z'],
    ]);
  });

  it('makes a block spanning the spring-forward gap an hour shorter that night', () => {
    const night: Availability = { weekly: [{ day: 'sun', start: '01:00', end: '04:00' }], exceptions: [] };
    const [block] = openIntervals(night, NY, at('2026-03-08T00:00:00Z'), at('2026-03-09T00:00:00Z'));
    expect((block!.end - block!.start) / 3_600_000).toBe(2);
  });

  it('makes a block spanning the fall-back change an hour longer that night', () => {
    const night: Availability = { weekly: [{ day: 'sun', start: '00:00', end: '03:00' }], exceptions: [] };
    const [block] = openIntervals(night, NY, at('2026-11-01T00:00:00Z'), at('2026-11-02T00:00:00Z'));
    expect((block!.end - block!.start) / 3_600_000).toBe(4);
  });

  it('removes a day off and partial time off, and adds extra hours', () => {
    const availability: Availability = {
      weekly: [
        { day: 'mon', start: '09:00', end: '12:00' },
        { day: 'tue', start: '09:00', end: '12:00' },
      ],
      exceptions: [
        { kind: 'unavailable', date: '2026-12-07' },
        { kind: 'unavailable', date: '2026-12-08', start: '10:00', end: '11:00' },
        { kind: 'available', date: '2026-12-09', start: '13:00', end: '14:00' },
      ],
    };
    const open = openIntervals(availability, NY, at('2026-12-07T00:00:00Z'), at('2026-12-10T12:00:00Z'));
    expect(open.map((i) => [iso(i.start), iso(i.end)])).toEqual([
      ['2026-12-08T14:00:00.000Z', '2026-12-08T15:00:00.000Z'],
      ['2026-12-08T16:00:00.000Z', '2026-12-08T17:00:00.000Z'],
      ['2026-12-09T18:00:00.000Z', '2026-12-09T19:00:00.000Z'],
    ]);
  });

  it('treats 24:00 as the end of the day', () => {
    const late: Availability = { weekly: [{ day: 'fri', start: '23:00', end: '24:00' }], exceptions: [] };
    const [block] = openIntervals(late, 'UTC', at('2026-12-04T00:00:00Z'), at('2026-12-06T00:00:00Z'));
    expect([iso(block!.start), iso(block!.end)]).toEqual(['2026-12-04T23:00:00.000Z', '2026-12-05T00:00:00.000Z']);
  });
});

describe('free starts', () => {
  const now = '2026-12-06T12:00:00Z'; // a Sunday

  it('offers 15-minute starts inside the open hours', () => {
    expect(starts(mondayMornings, '2026-12-07T00:00:00Z', '2026-12-08T00:00:00Z', now)).toEqual([
      '2026-12-07T14:00:00.000Z',
      '2026-12-07T14:15:00.000Z',
      '2026-12-07T14:30:00.000Z',
      '2026-12-07T14:45:00.000Z',
    ]);
  });

  it('never offers a start sooner than the minimum notice', () => {
    const result = starts(mondayMornings, '2026-12-07T00:00:00Z', '2026-12-08T00:00:00Z', '2026-12-07T12:20:00Z');
    expect(result).toEqual(['2026-12-07T14:30:00.000Z', '2026-12-07T14:45:00.000Z']);
  });

  it('never offers a start beyond the horizon', () => {
    const result = starts(mondayMornings, '2026-12-01T00:00:00Z', '2027-02-01T00:00:00Z', now);
    expect(result.length).toBe(8); // two Mondays within 14 days
    expect(Math.max(...result.map(Date.parse))).toBeLessThan(at(now) + 14 * 86_400_000);
  });

  it('keeps the buffer around a booked consultation', () => {
    const taken = [at('2026-12-07T14:15:00Z')];
    expect(starts(mondayMornings, '2026-12-07T00:00:00Z', '2026-12-08T00:00:00Z', now, taken)).toEqual([
      '2026-12-07T14:45:00.000Z',
    ]);
  });

  it('honours the clinician time zone across the fall-back change', () => {
    const sunday: Availability = { weekly: [{ day: 'sun', start: '09:00', end: '09:30' }], exceptions: [] };
    const result = starts(sunday, '2026-10-25T00:00:00Z', '2026-11-02T00:00:00Z', '2026-10-24T00:00:00Z');
    expect(result).toEqual([
      '2026-10-25T13:00:00.000Z',
      '2026-10-25T13:15:00.000Z',
      '2026-11-01T14:00:00.000Z',
      '2026-11-01T14:15:00.000Z',
    ]);
  });

  it('never offers a start that conflicts with a taken one (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 6 }), (picks) => {
        const base = at('2026-12-07T14:00:00Z');
        const taken = picks.map((p) => base + p * 5 * 60_000);
        const offered = freeStarts({ availability: mondayMornings, timeZone: NY, taken, from: base - 86_400_000, to: base + 86_400_000, now: at(now), policy });
        return offered.every((s) => taken.every((t) => !conflicts(s, t, policy)));
      }),
    );
  });
});

describe('booking locks', () => {
  it('conflict exactly when the lock cells intersect (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), (a, b) => {
        const base = at('2026-12-07T00:00:00Z');
        const sa = base + a * 5 * 60_000;
        const sb = base + b * 5 * 60_000;
        const cellsA = new Set(occupiedCells(sa, policy));
        const intersect = occupiedCells(sb, policy).some((c) => cellsA.has(c));
        return intersect === conflicts(sa, sb, policy);
      }),
    );
  });

  it('refuses starts off the 5-minute grid', () => {
    expect(() => occupiedCells(at('2026-12-07T14:02:00Z'), policy)).toThrow(RangeError);
  });
});

describe('change cutoff', () => {
  const start = at('2026-12-07T14:00:00Z');
  it('allows a change until 2 hours before and refuses it after, with the reason', () => {
    expect(changeRefusal(start, at('2026-12-07T12:00:00Z'), policy)).toBeUndefined();
    expect(changeRefusal(start, at('2026-12-07T12:00:01Z'), policy)).toBe('Consultations can be cancelled or moved until 2 hours before they start.');
  });
});

describe('availability validation', () => {
  it('rejects overlapping weekly hours, times off the grid and inverted blocks', () => {
    const result = AvailabilitySchema.safeParse({
      weekly: [
        { day: 'mon', start: '09:00', end: '11:00' },
        { day: 'mon', start: '10:00', end: '12:00' },
        { day: 'tue', start: '09:03', end: '10:00' },
        { day: 'wed', start: '12:00', end: '11:00' },
      ],
      exceptions: [{ kind: 'unavailable', date: '2026-02-30' }],
    });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'Use times on a 5-minute grid, like 09:05.',
        'The end must be after the start.',
        'Use a real date as YYYY-MM-DD.',
      ]),
    );
  });

  it('rejects overlapping weekly hours on one day', () => {
    const result = AvailabilitySchema.safeParse({
      weekly: [
        { day: 'mon', start: '09:00', end: '11:00' },
        { day: 'mon', start: '10:00', end: '12:00' },
        { day: 'tue', start: '10:00', end: '12:00' },
      ],
    });
    expect(result.error?.issues.map((i) => i.message)).toEqual(['Hours on mon overlap; merge them into one.']);
  });
});
