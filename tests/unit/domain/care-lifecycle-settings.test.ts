/** shared/config/care-lifecycle.ts: the settings from the environment. */
import { describe, expect, it } from 'vitest';
import { readCareLifecycleSettings } from '../../../shared/config/care-lifecycle.js';
import { ConfigurationError } from '../../../shared/config/environment.js';
import { DEFAULT_LIFECYCLE_RULES } from '../../../shared/domain/care-lifecycle.js';

describe('readCareLifecycleSettings', () => {
  it('defaults: 2 and 7 days, 2 weeks, 3 weeks, daily review, hourly while awaiting a match, 500 wake-ups or 300 days', () => {
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
  });

  it.each([
    ['CARE_LIFECYCLE_BOOKING_REMINDER_DAYS', '7,2'],
    ['CARE_LIFECYCLE_BOOKING_REMINDER_DAYS', 'soon'],
    ['CARE_LIFECYCLE_MEASURE_REMINDER_DAYS', '0'],
    ['CARE_LIFECYCLE_GENERATION_WAKE_UPS', '5000'],
    ['CARE_LIFECYCLE_GENERATION_DAYS', '364'],
  ])('refuses %s=%s at cold start, naming it', (name, value) => {
    expect(() => readCareLifecycleSettings({ [name]: value })).toThrow(new ConfigurationError([name]));
  });

  it('refuses a freshness longer than the reminder period', () => {
    expect(() => readCareLifecycleSettings({ CARE_LIFECYCLE_MEASURE_FRESH_DAYS: '20' })).toThrow(/CARE_LIFECYCLE_MEASURE_FRESH_DAYS/);
  });
});
