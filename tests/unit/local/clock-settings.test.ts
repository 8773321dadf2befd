/**
 * `npm start`'s clock settings from the environment (local/clock/clock-settings.ts):
 * LOCAL_CLOCK (real | controlled, any case) and LOCAL_CLOCK_START (an ISO 8601 instant, only
 * with a controlled clock), and the banner line.
 */
import { describe, expect, it } from 'vitest';
import { ClockSettingsError, describeClock, readClockSettings } from '../../../local/clock/clock-settings.js';

describe('readClockSettings', () => {
  it('defaults to the real clock, with no start', () => {
    const settings = readClockSettings({});
    expect(settings).toEqual({ mode: 'real' });
    expect(settings.start).toBeUndefined();
  });

  it('reads an empty or blank LOCAL_CLOCK as the default', () => {
    expect(readClockSettings({ LOCAL_CLOCK: '' })).toEqual({ mode: 'real' });
    expect(readClockSettings({ LOCAL_CLOCK: '   ' })).toEqual({ mode: 'real' });
    expect(readClockSettings({ LOCAL_CLOCK: undefined, LOCAL_CLOCK_START: undefined })).toEqual({ mode: 'real' });
  });

  it.each([
    ['real', 'real'],
    ['REAL', 'real'],
    ['controlled', 'controlled'],
    ['Controlled', 'controlled'],
    ['CONTROLLED', 'controlled'],
    [' controlled\n', 'controlled'],
  ] as const)('reads LOCAL_CLOCK=%j as %s', (value, mode) => {
    const settings = readClockSettings({ LOCAL_CLOCK: value });
    expect(settings.mode).toBe(mode);
    expect(settings.start).toBeUndefined();
  });

  it.each(['fake', 'controled', 'virtual', 'real time', '1'])('refuses LOCAL_CLOCK=%j, naming the variable and the value', (value) => {
    expect(() => readClockSettings({ LOCAL_CLOCK: value })).toThrow(ClockSettingsError);
    expect(() => readClockSettings({ LOCAL_CLOCK: value })).toThrow(`LOCAL_CLOCK must be "real" or "controlled", not "${value}".`);
  });

  it('starts a controlled clock at LOCAL_CLOCK_START', () => {
    const settings = readClockSettings({ LOCAL_CLOCK: 'controlled', LOCAL_CLOCK_START: '2027-01-04T09:00:00Z' });
    expect(settings.mode).toBe('controlled');
    expect(settings.start?.toISOString()).toBe('2027-01-04T09:00:00.000Z');
  });

  it('reads a LOCAL_CLOCK_START with an offset or fractions as the instant it names', () => {
    expect(readClockSettings({ LOCAL_CLOCK: 'controlled', LOCAL_CLOCK_START: '2027-01-04T09:00:00+02:00' }).start?.toISOString()).toBe('2027-01-04T07:00:00.000Z');
    expect(readClockSettings({ LOCAL_CLOCK: 'Controlled', LOCAL_CLOCK_START: ' 2027-01-04T09:00:00.250Z ' }).start?.toISOString()).toBe('2027-01-04T09:00:00.250Z');
  });

  it('ignores an empty LOCAL_CLOCK_START', () => {
    expect(readClockSettings({ LOCAL_CLOCK: 'controlled', LOCAL_CLOCK_START: '' })).toEqual({ mode: 'controlled' });
    expect(readClockSettings({ LOCAL_CLOCK: 'real', LOCAL_CLOCK_START: ' ' })).toEqual({ mode: 'real' });
  });

  it.each([{}, { LOCAL_CLOCK: 'real' }, { LOCAL_CLOCK: 'REAL' }])('refuses LOCAL_CLOCK_START without a controlled clock (%j)', (env) => {
    const read = () => readClockSettings({ ...env, LOCAL_CLOCK_START: '2027-01-04T09:00:00Z' });
    expect(read).toThrow(ClockSettingsError);
    expect(read).toThrow('LOCAL_CLOCK_START needs LOCAL_CLOCK=controlled');
  });

  it.each(['tomorrow', '2027-01-04', '2027-01-04T09:00:00', '2027-01-04T09:00Z', '2027-02-30T09:00:00Z', '2027-13-01T09:00:00Z', '04/01/2027 09:00', '1799999999999'])(
    'refuses a malformed LOCAL_CLOCK_START %j, naming the variable and the value',
    (value) => {
      const read = () => readClockSettings({ LOCAL_CLOCK: 'controlled', LOCAL_CLOCK_START: value });
      expect(read).toThrow(ClockSettingsError);
      expect(read).toThrow(`LOCAL_CLOCK_START must be an ISO 8601 instant such as 2027-01-04T09:00:00Z, not "${value}".`);
    },
  );

  it('names the error ClockSettingsError', () => {
    let caught: unknown;
    try {
      readClockSettings({ LOCAL_CLOCK: 'nope' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe('ClockSettingsError');
  });
});

describe('describeClock', () => {
  const at = new Date('2027-01-04T09:00:00Z');

  it('gives a controlled clock its time and the advance endpoint', () => {
    const line = describeClock('controlled', at);
    expect(line).toContain('controlled');
    expect(line).toContain('2027-01-04T09:00:00.000Z');
    expect(line).toContain('POST /local/clock/advance');
  });

  it('says a real clock is real time and how to control it', () => {
    const line = describeClock('real', at);
    expect(line).toContain('real time');
    expect(line).toContain('LOCAL_CLOCK=controlled');
    expect(line).not.toContain('2027-01-04');
  });
});
