import { describe, expect, it } from 'vitest';
import { ClientWeek, referenceMonday } from '../../../shared/domain/matching/index.js';
import type { AvailabilityWindow } from '../../../shared/domain/matching/index.js';
import type { WeeklyRule } from '../../../shared/domain/scheduling.js';

const NY = 'America/New_York';
const LA = 'America/Los_Angeles';

function overlap(client: AvailabilityWindow[], clientZone: string, weekly: WeeklyRule[], therapistZone: string, onDate = '2026-03-04') {
  return new ClientWeek(client, clientZone, onDate).overlap({ timezone: therapistZone, weekly });
}

describe('reference week', () => {
  it('starts on the first Monday on or after the date', () => {
    expect(referenceMonday('2026-03-04')).toBe('2026-03-09'); // a Wednesday
    expect(referenceMonday('2026-03-09')).toBe('2026-03-09'); // a Monday
    expect(referenceMonday('2026-03-15')).toBe('2026-03-16'); // a Sunday
    expect(referenceMonday('2026-12-30')).toBe('2027-01-04'); // across a year
  });

  it('is reported in the client zone', () => {
    const week = new ClientWeek([{ days: ['mon'], start: '09:00', end: '10:00' }], LA, '2026-03-04');
    expect([week.firstDate, week.lastDate]).toEqual(['2026-03-09', '2026-03-15']);
    expect(new Date(week.weekStart).toISOString()).toBe('2026-03-09T07:00:00.000Z');
    expect(new Date(week.weekEnd).toISOString()).toBe('2026-03-16T07:00:00.000Z');
  });
});

describe('weekly overlap in absolute time', () => {
  it('compares wall-clock hours across zones (NY 17-21 is LA 14-18)', () => {
    const result = overlap([{ days: ['mon'], start: '15:00', end: '20:00' }], LA, [{ day: 'mon', start: '17:00', end: '21:00' }], NY);
    expect(result).toEqual({ minutes: 180, byPart: { morning: 0, afternoon: 120, evening: 60 } });
  });

  it('finds nothing when the same wall-clock hours are three hours apart in time', () => {
    const result = overlap([{ days: ['mon'], start: '09:00', end: '12:00' }], LA, [{ day: 'mon', start: '09:00', end: '12:00' }], NY);
    expect(result.minutes).toBe(0);
  });

  it('meets across a date line: a therapist in Guam on Tuesday morning is a Monday afternoon in Hawaii', () => {
    // Guam is UTC+10, Hawaii UTC-10 (neither observes DST): Tue 08:00 Guam = Mon 12:00 Hawaii.
    const result = overlap([{ days: ['mon'], start: '12:00', end: '14:00' }], 'Pacific/Honolulu', [{ day: 'tue', start: '08:00', end: '10:00' }], 'Pacific/Guam');
    expect(result.minutes).toBe(120);
    expect(result.byPart.afternoon).toBe(120);
  });

  it('honours daylight saving in a week where only one zone has changed', () => {
    // On 2026-03-09 New York is on EDT (UTC-4) and London still on GMT: 09:00 NY = 13:00 London,
    // not 14:00 as in winter.
    const result = overlap([{ days: ['mon'], start: '09:00', end: '10:00' }], NY, [{ day: 'mon', start: '13:00', end: '14:00' }], 'Europe/London');
    expect(result.minutes).toBe(60);
    const winter = overlap([{ days: ['mon'], start: '09:00', end: '10:00' }], NY, [{ day: 'mon', start: '13:00', end: '14:00' }], 'Europe/London', '2026-01-07');
    expect(winter.minutes).toBe(0);
  });

  it('ignores shared time shorter than a session (50 minutes)', () => {
    expect(overlap([{ days: ['mon'], start: '09:00', end: '10:00' }], NY, [{ day: 'mon', start: '09:15', end: '10:00' }], NY).minutes).toBe(0);
    expect(overlap([{ days: ['mon'], start: '09:00', end: '10:00' }], NY, [{ day: 'mon', start: '09:10', end: '10:00' }], NY).minutes).toBe(50);
  });

  it('joins back-to-back hours into one stretch', () => {
    // 30 + 30 minutes of therapist hours, back to back, hold one session.
    const weekly: WeeklyRule[] = [
      { day: 'tue', start: '09:00', end: '09:30' },
      { day: 'tue', start: '09:30', end: '10:00' },
    ];
    expect(overlap([{ days: ['tue'], start: '08:00', end: '12:00' }], NY, weekly, NY).minutes).toBe(60);
  });

  it('treats the week as cyclic: Sunday 23:30 to Monday 00:30 is one hour', () => {
    const client: AvailabilityWindow[] = [
      { days: ['sun'], start: '23:00', end: '24:00' },
      { days: ['mon'], start: '00:00', end: '01:00' },
    ];
    const weekly: WeeklyRule[] = [
      { day: 'sun', start: '23:30', end: '24:00' },
      { day: 'mon', start: '00:00', end: '00:30' },
    ];
    const result = overlap(client, NY, weekly, NY);
    expect(result.minutes).toBe(60);
    expect(result.byPart).toEqual({ morning: 30, afternoon: 0, evening: 30 });
  });

  it('counts each weekday once, on every day given', () => {
    const client: AvailabilityWindow[] = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '18:00', end: '21:00' }];
    const weekly: WeeklyRule[] = ['mon', 'wed', 'fri'].map((day) => ({ day: day as WeeklyRule['day'], start: '19:00', end: '22:00' }));
    expect(overlap(client, NY, weekly, NY)).toEqual({ minutes: 360, byPart: { morning: 0, afternoon: 0, evening: 360 } });
  });

  it("splits shared time by part of the CLIENT's day", () => {
    // Therapist in London 16:00-20:00 (GMT in January) = 11:00-15:00 in New York.
    const result = overlap([{ days: ['thu'], start: '08:00', end: '20:00' }], NY, [{ day: 'thu', start: '16:00', end: '20:00' }], 'Europe/London', '2026-01-07');
    expect(result).toEqual({ minutes: 240, byPart: { morning: 60, afternoon: 180, evening: 0 } });
  });

  it('knows the client\'s own usable minutes', () => {
    const week = new ClientWeek([{ days: ['mon', 'tue'], start: '18:00', end: '21:00' }], NY, '2026-03-04');
    expect(week.usableMinutes).toBe(360);
  });

  it('is zero for a therapist with no hours', () => {
    expect(overlap([{ days: ['mon'], start: '09:00', end: '17:00' }], NY, [], NY)).toEqual({ minutes: 0, byPart: { morning: 0, afternoon: 0, evening: 0 } });
  });
});
