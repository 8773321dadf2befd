import { describe, expect, it } from 'vitest';
import { ageOn, isCalendarDate, isIanaTimeZone, localDate } from '../../../shared/domain/time-zone.js';

describe('time zones and ages', () => {
  it.each(['America/New_York', 'Europe/Berlin', 'Pacific/Kiritimati', 'UTC', 'America/Argentina/Buenos_Aires'])(
    'knows %s',
    (zone) => expect(isIanaTimeZone(zone)).toBe(true),
  );

  it.each(['', 'EST5EDT ', 'Mars/Olympus', 'America/Nowhere', '+05:00', '../etc/passwd'])('rejects %j', (zone) =>
    expect(isIanaTimeZone(zone)).toBe(false),
  );

  it('gives the local calendar date of an instant', () => {
    const instant = new Date('2026-03-08T04:30:00Z');
    expect(localDate(instant, 'America/New_York')).toBe('2026-03-07');
    expect(localDate(instant, 'Asia/Tokyo')).toBe('2026-03-08');
  });

  it('counts whole years, turning older on the birthday itself', () => {
    expect(ageOn('2008-11-26', '2026-11-25')).toBe(17);
    expect(ageOn('2008-11-26', '2026-11-26')).toBe(18);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });

  it('accepts only real calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-01-01')).toBe(false);
  });
});
