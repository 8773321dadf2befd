/** shared/config/care-lifecycle.ts: the settings from the environment, and the lifecycle clock. */
import { describe, expect, it } from 'vitest';
import { careLifecycleClockEnvironment, lifecycleClock, readCareLifecycleSettings } from '../../../shared/config/care-lifecycle.js';
import { ConfigurationError } from '../../../shared/config/environment.js';
import { DEFAULT_LIFECYCLE_RULES } from '../../../shared/domain/care-lifecycle.js';

describe('readCareLifecycleSettings', () => {
  it('defaults: 2 and 7 days, 2 weeks, 3 weeks, daily review, hourly while awaiting a match, 500 wake-ups or 300 days; real time', () => {
    const settings = readCareLifecycleSettings({});
    expect(settings.rules).toEqual(DEFAULT_LIFECYCLE_RULES);
    expect(settings.rules).toMatchObject({
      bookingRemindersAfterSeconds: [172_800, 604_800],
      measureReminderEverySeconds: 1_209_600,
      disengagedAfterSeconds: 1_814_400,
      reviewEverySeconds: 86_400,
      matchCheckEverySeconds: 3_600,
      generationMaxWakeUps: 500,
      generationMaxSeconds: 300 * 86_400,
    });
    expect(settings.clock.factor).toBe(1);
    const now = new Date('2026-05-01T10:00:00.000Z');
    expect(readCareLifecycleSettings({}, () => now).clock.now()).toEqual(now);
  });

  it('reads every variable', () => {
    const settings = readCareLifecycleSettings({
      CARE_LIFECYCLE_BOOKING_REMINDER_DAYS: '1, 3,10',
      CARE_LIFECYCLE_MEASURE_REMINDER_DAYS: '7',
      CARE_LIFECYCLE_MEASURE_FRESH_DAYS: '2',
      CARE_LIFECYCLE_DISENGAGED_AFTER_DAYS: '14',
      CARE_LIFECYCLE_INTRODUCTION_WITHIN_DAYS: '3',
      CARE_LIFECYCLE_REVIEW_INTERVAL_HOURS: '6',
      CARE_LIFECYCLE_MATCH_CHECK_MINUTES: '15',
      CARE_LIFECYCLE_GENERATION_WAKE_UPS: '50',
      CARE_LIFECYCLE_GENERATION_DAYS: '30',
      CARE_LIFECYCLE_TIME_SCALE: '0.001',
      CARE_LIFECYCLE_CLOCK_ORIGIN: '2026-01-01T00:00:00.000Z',
    });
    expect(settings.rules).toEqual({
      bookingRemindersAfterSeconds: [86_400, 259_200, 864_000],
      measureReminderEverySeconds: 604_800,
      measureFreshSeconds: 172_800,
      disengagedAfterSeconds: 1_209_600,
      introductionWithinSeconds: 259_200,
      reviewEverySeconds: 21_600,
      matchCheckEverySeconds: 900,
      minSleepSeconds: 60,
      generationMaxWakeUps: 50,
      generationMaxSeconds: 2_592_000,
    });
    expect(settings.clock.factor).toBe(0.001);
  });

  it.each([
    ['CARE_LIFECYCLE_BOOKING_REMINDER_DAYS', '7,2'],
    ['CARE_LIFECYCLE_BOOKING_REMINDER_DAYS', 'soon'],
    ['CARE_LIFECYCLE_MEASURE_REMINDER_DAYS', '0'],
    ['CARE_LIFECYCLE_GENERATION_WAKE_UPS', '5000'],
    ['CARE_LIFECYCLE_GENERATION_DAYS', '364'],
    ['CARE_LIFECYCLE_TIME_SCALE', '2'],
    ['CARE_LIFECYCLE_CLOCK_ORIGIN', 'yesterday'],
  ])('refuses %s=%s at cold start, naming it', (name, value) => {
    expect(() => readCareLifecycleSettings({ [name]: value, CARE_LIFECYCLE_CLOCK_ORIGIN: name === 'CARE_LIFECYCLE_CLOCK_ORIGIN' ? value : '2026-01-01T00:00:00Z' })).toThrow(
      new ConfigurationError([name]),
    );
  });

  it('refuses a freshness longer than the reminder period, and a scaled clock without an origin', () => {
    expect(() => readCareLifecycleSettings({ CARE_LIFECYCLE_MEASURE_FRESH_DAYS: '20' })).toThrow(/CARE_LIFECYCLE_MEASURE_FRESH_DAYS/);
    expect(() => readCareLifecycleSettings({ CARE_LIFECYCLE_TIME_SCALE: '0.5' })).toThrow(/CARE_LIFECYCLE_CLOCK_ORIGIN/);
  });
});

describe('the lifecycle clock', () => {
  const origin = new Date('2026-01-01T00:00:00.000Z');

  it('is the identity at factor 1', () => {
    const clock = lifecycleClock(1, origin);
    expect(clock.toLifecycle('2026-02-03T04:05:06.000Z').toISOString()).toBe('2026-02-03T04:05:06.000Z');
    expect(clock.toReal('2026-02-03T04:05:06.000Z').toISOString()).toBe('2026-02-03T04:05:06.000Z');
  });

  it('runs 1/factor times faster from the origin, for now and for every stored instant alike', () => {
    let real = new Date(origin.getTime() + 1_000);
    const clock = lifecycleClock(1 / 3_600, origin, () => real);
    // One real second is one lifecycle hour.
    expect(clock.now().toISOString()).toBe('2026-01-01T01:00:00.000Z');
    real = new Date(origin.getTime() + 336_000);
    expect(clock.now().toISOString()).toBe('2026-01-15T00:00:00.000Z');
    // A record stored 10 real seconds after the origin is 10 lifecycle hours after it.
    expect(clock.toLifecycle('2026-01-01T00:00:10.000Z').toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(clock.toReal('2026-01-01T10:00:00.000Z').toISOString()).toBe('2026-01-01T00:00:10.000Z');
  });

  it('refuses factors outside (0, 1]', () => {
    expect(() => lifecycleClock(0, origin)).toThrow(RangeError);
    expect(() => lifecycleClock(1.5, origin)).toThrow(RangeError);
  });

  it('the local stack sets the variables only for a scaled lifecycle', () => {
    expect(careLifecycleClockEnvironment(undefined, origin)).toEqual({});
    expect(careLifecycleClockEnvironment(1, origin)).toEqual({});
    expect(careLifecycleClockEnvironment(0.001, origin)).toEqual({ CARE_LIFECYCLE_TIME_SCALE: '0.001', CARE_LIFECYCLE_CLOCK_ORIGIN: '2026-01-01T00:00:00.000Z' });
    expect(readCareLifecycleSettings(careLifecycleClockEnvironment(0.001, origin)).clock.factor).toBe(0.001);
  });
});
