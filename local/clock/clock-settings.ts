/**
 * `npm start`'s clock, from the environment:
 *
 *   LOCAL_CLOCK=real          (default) the system clock: workflows wait as long as in AWS
 *   LOCAL_CLOCK=controlled    time stands still until POST /local/clock/advance moves it
 *   LOCAL_CLOCK_START=<ISO>   where a controlled clock starts (default: where it stood when the
 *                             stack last stopped with the same data, else the real time)
 *
 * A wrong value stops the start with one sentence naming the variable.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import type { ClockMode } from './virtual-clock.js';

export interface ClockSettings {
  mode: ClockMode;
  start?: Date;
}

const ModeSchema = z.enum(['real', 'controlled']);

export class ClockSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClockSettingsError';
  }
}

/** Where a controlled clock's time is kept with the local data, so a restart resumes at it. */
export const CLOCK_STATE_FILE = 'clock.json';

/** The time kept in `file` (undefined if there is none or it cannot be read). */
export function readSavedClock(file: string): Date | undefined {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { now?: unknown };
    const at = typeof saved.now === 'string' ? new Date(saved.now) : undefined;
    return at && !Number.isNaN(at.getTime()) ? at : undefined;
  } catch {
    return undefined;
  }
}

export function saveClock(file: string, now: Date): void {
  writeFileSync(file, `${JSON.stringify({ now: now.toISOString() })}\n`);
}

export function readClockSettings(env: Readonly<Record<string, string | undefined>>): ClockSettings {
  const rawMode = env.LOCAL_CLOCK?.trim() || 'real';
  const mode = ModeSchema.safeParse(rawMode.toLowerCase());
  if (!mode.success) throw new ClockSettingsError(`LOCAL_CLOCK must be "real" or "controlled", not "${rawMode}".`);
  const rawStart = env.LOCAL_CLOCK_START?.trim();
  if (!rawStart) return { mode: mode.data };
  if (mode.data !== 'controlled') throw new ClockSettingsError('LOCAL_CLOCK_START needs LOCAL_CLOCK=controlled (a real clock starts at the real time).');
  if (!z.iso.datetime({ offset: true }).safeParse(rawStart).success) {
    throw new ClockSettingsError(`LOCAL_CLOCK_START must be an ISO 8601 instant such as 2027-01-04T09:00:00Z, not "${rawStart}".`);
  }
  return { mode: 'controlled', start: new Date(rawStart) };
}

/** For the banner. */
export function describeClock(mode: ClockMode, now: Date): string {
  return mode === 'controlled'
    ? `controlled, at ${now.toISOString()}: time moves only with POST /local/clock/advance {"days": 2} (or hours, minutes, until)`
    : 'real time (LOCAL_CLOCK=controlled for time travel: POST /local/clock/advance)';
}
