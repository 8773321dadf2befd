import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONSULTATION_SETTINGS, readConsultationSettings } from '../../../shared/config/scheduling.js';
import {
  BookConsultationRequestSchema,
  clinicianPreference,
  consultationExecutionName,
  localIso,
  outcomeRefusal,
  reminderPlan,
  SlotsQuerySchema,
  stateAfterNoShow,
} from '../../../shared/domain/consultations.js';
import {
  DEFAULT_SCHEDULING_POLICY as policy,
  freeStarts,
  freeStartsAmongLocks,
  isOfferedStart,
  lockWindow,
  occupiedCells,
  offeredStarts,
  type Availability,
} from '../../../shared/domain/scheduling.js';

const at = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();
const MINUTE = 60_000;
const NY = 'America/New_York';
const weekdays: Availability = {
  weekly: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '09:00', end: '12:00' })),
  exceptions: [],
};
const now = at('2026-12-06T12:00:00Z'); // a Sunday

describe('free starts from lock cells', () => {
  it('equals the free starts around the same bookings, for any set of bookings (property)', () => {
    const monday = at('2026-12-07T14:00:00Z');
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 33 }), { maxLength: 8 }), (picks) => {
        const taken = picks.map((p) => monday + p * 5 * MINUTE);
        const locked = new Set(taken.flatMap((t) => occupiedCells(t, policy)));
        const window = { availability: weekdays, timeZone: NY, from: monday - 86_400_000, to: monday + 86_400_000, now, policy };
        expect(freeStartsAmongLocks({ ...window, locked })).toEqual(freeStarts({ ...window, taken }));
      }),
    );
  });

  it('takes a start off when one of its cells is locked, including the buffer cell after it', () => {
    const start = at('2026-12-07T14:15:00Z');
    const window = { availability: weekdays, timeZone: NY, from: start - 30 * MINUTE, to: start + 30 * MINUTE, now, policy };
    const all = offeredStarts(window).map(iso);
    expect(all).toEqual(['2026-12-07T14:00:00.000Z', '2026-12-07T14:15:00.000Z', '2026-12-07T14:30:00.000Z']);
    // A hold/booking at 14:30 locks 14:30..14:45: the 14:15 start's buffer cell (14:30) is taken.
    const locked = new Set(occupiedCells(at('2026-12-07T14:30:00Z'), policy));
    expect(freeStartsAmongLocks({ ...window, locked }).map(iso)).toEqual(['2026-12-07T14:00:00.000Z']);
  });

  it('reads cells up to the end of the last start plus its buffer', () => {
    const window = lockWindow(at('2026-12-07T14:00:00Z'), at('2026-12-07T15:00:00Z'), policy);
    expect(iso(window.end)).toBe('2026-12-07T15:20:00.000Z');
  });
});

describe('offered start (never trust the client)', () => {
  const base = { availability: weekdays, timeZone: NY, now, policy };

  it('accepts a start on the step grid of open hours within notice and horizon', () => {
    expect(isOfferedStart({ ...base, start: at('2026-12-07T14:15:00Z') })).toBe(true);
  });

  it('refuses a start off the step grid, outside hours, whose end leaves the block, too soon or too far', () => {
    expect(isOfferedStart({ ...base, start: at('2026-12-07T14:05:00Z') })).toBe(false); // grid of 5 but not the 15-min step
    expect(isOfferedStart({ ...base, start: at('2026-12-07T14:02:00Z') })).toBe(false); // off any grid
    expect(isOfferedStart({ ...base, start: at('2026-12-07T13:45:00Z') })).toBe(false); // 08:45 local
    expect(isOfferedStart({ ...base, start: at('2026-12-07T17:00:00Z') })).toBe(false); // 12:00 local: ends after the block
    expect(isOfferedStart({ ...base, start: at('2026-12-07T16:45:00Z') })).toBe(true); // 11:45 local: the last one
    expect(isOfferedStart({ ...base, now: at('2026-12-07T13:00:00Z'), start: at('2026-12-07T14:45:00Z') })).toBe(false); // 1h45 notice
    expect(isOfferedStart({ ...base, start: at('2026-12-21T14:00:00Z') })).toBe(false); // 15 days ahead
  });

  it('follows the clinician across the spring-forward change (09:00 local is 14:00Z, then 13:00Z)', () => {
    const march = { ...base, now: at('2027-03-10T00:00:00Z') };
    expect(isOfferedStart({ ...march, start: at('2027-03-12T14:00:00Z') })).toBe(true); // Fri before: EST
    expect(isOfferedStart({ ...march, start: at('2027-03-15T13:00:00Z') })).toBe(true); // Mon after: EDT
    expect(isOfferedStart({ ...march, start: at('2027-03-15T12:45:00Z') })).toBe(false);
  });
});

describe('clinician preference without a chosen clinician', () => {
  it('is deterministic for a start and independent of the order given', () => {
    const ids = ['c-1', 'c-2', 'c-3', 'c-4'];
    const start = at('2026-12-07T14:00:00Z');
    expect(clinicianPreference(start, ids)).toEqual(clinicianPreference(start, [...ids].reverse()));
    expect(new Set(clinicianPreference(start, ids))).toEqual(new Set(ids));
  });

  it('spreads first choices across clinicians from one start to the next', () => {
    const ids = ['c-1', 'c-2', 'c-3', 'c-4'];
    const firsts = new Map<string, number>();
    for (let i = 0; i < 400; i += 1) {
      const first = clinicianPreference(at('2026-12-07T14:00:00Z') + i * 15 * MINUTE, ids)[0]!;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    expect(firsts.size).toBe(4);
    for (const count of firsts.values()) expect(count).toBeGreaterThan(50);
  });
});

describe('reminders', () => {
  const start = at('2026-12-10T15:00:00Z');

  it('plans both reminders for a booking days ahead', () => {
    expect(reminderPlan(start, at('2026-12-06T12:00:00Z'))).toEqual({
      '24h': { at: '2026-12-09T15:00:00.000Z', due: true },
      '1h': { at: '2026-12-10T14:00:00.000Z', due: true },
    });
  });

  it('skips the 24-hour reminder for a booking less than a day (and 30 minutes) ahead', () => {
    const plan = reminderPlan(start, at('2026-12-09T14:45:00Z'));
    expect(plan['24h'].due).toBe(false);
    expect(plan['1h'].due).toBe(true);
  });

  it('skips both for a booking made with the minimum notice but less than 90 minutes ahead', () => {
    const plan = reminderPlan(start, at('2026-12-10T13:45:00Z'));
    expect(plan['24h'].due).toBe(false);
    expect(plan['1h'].due).toBe(false);
  });
});

describe('free consultation and outcome rules', () => {
  it('forgives one no-show with a rebook, not a second', () => {
    expect(stateAfterNoShow(0)).toBe('available');
    expect(stateAfterNoShow(1)).toBe('forfeited');
  });

  it('takes an outcome from the start on', () => {
    expect(outcomeRefusal(at('2026-12-10T15:00:00Z'), at('2026-12-10T14:59:59Z'))).toMatch(/started/);
    expect(outcomeRefusal(at('2026-12-10T15:00:00Z'), at('2026-12-10T15:00:00Z'))).toBeUndefined();
  });
});

describe('shapes', () => {
  it('normalizes any offset to UTC and shows local time with its offset', () => {
    expect(BookConsultationRequestSchema.parse({ start: '2026-12-07T09:15:00-05:00' }).start).toBe('2026-12-07T14:15:00.000Z');
    expect(BookConsultationRequestSchema.safeParse({ start: '2026-12-07 09:15' }).success).toBe(false);
    expect(BookConsultationRequestSchema.safeParse({ start: '2026-12-07T14:15:00Z', extra: 1 }).success).toBe(false);
    expect(localIso(at('2026-12-07T14:15:00Z'), NY)).toBe('2026-12-07T09:15:00.000-05:00');
    expect(localIso(at('2026-07-07T14:15:00Z'), 'America/Los_Angeles')).toBe('2026-07-07T07:15:00.000-07:00');
  });

  it('refuses a slot window that ends before it starts', () => {
    expect(SlotsQuerySchema.safeParse({ from: '2026-12-08T00:00:00Z', to: '2026-12-07T00:00:00Z' }).success).toBe(false);
    expect(SlotsQuerySchema.parse({})).toEqual({});
  });

  it('names one workflow run per consultation and version, within 80 characters', () => {
    const consultationId = '6f1c2b8e-8a47-4d0e-9a51-3c1f0b2f7e11';
    const names = [
      consultationExecutionName({ consultationId, scheduleVersion: 1, phase: 'schedule' }),
      consultationExecutionName({ consultationId, scheduleVersion: 2, phase: 'schedule' }),
      consultationExecutionName({ consultationId, scheduleVersion: 2, phase: 'cancelled' }),
      consultationExecutionName({ consultationId, scheduleVersion: 2, phase: 'noShowFollowUp' }),
    ];
    expect(names[0]).toBe(`consultation-${consultationId}-v1`);
    expect(new Set(names).size).toBe(4);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(80);
  });
});

describe('scheduling configuration', () => {
  it('defaults to notice 2 h, horizon 14 days, buffer 5 min, cutoff 2 h, holds of 10 min, 2 holds', () => {
    expect(readConsultationSettings({})).toEqual(DEFAULT_CONSULTATION_SETTINGS);
    expect(DEFAULT_CONSULTATION_SETTINGS).toMatchObject({
      policy: { minimumNoticeMinutes: 120, horizonDays: 14, bufferMinutes: 5, changeCutoffMinutes: 120, consultationMinutes: 15 },
      holdMinutes: 10,
      maxHoldsPerClient: 2,
    });
  });

  it('reads the environment and names every invalid variable', () => {
    const settings = readConsultationSettings({ CONSULTATION_MIN_NOTICE_MINUTES: '60', CONSULTATION_MAX_HOLDS: '3', CONSULTATION_BUFFER_MINUTES: '10' });
    expect(settings.policy).toMatchObject({ minimumNoticeMinutes: 60, bufferMinutes: 10 });
    expect(settings.maxHoldsPerClient).toBe(3);
    expect(() => readConsultationSettings({ CONSULTATION_BUFFER_MINUTES: '7', CONSULTATION_HORIZON_DAYS: 'soon' })).toThrow(
      /CONSULTATION_HORIZON_DAYS, CONSULTATION_BUFFER_MINUTES/,
    );
  });
});
