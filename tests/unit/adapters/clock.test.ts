/** The Clock port (shared/adapters/clock.ts): the system clock unless a clock is installed. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { currentClock, installClock, now, systemClock, type Clock } from '../../../shared/adapters/clock.js';

const fixed = (iso: string): Clock => ({ now: () => new Date(iso) });

const restores: (() => void)[] = [];
/** Installs `clock` and undoes it after the test, whatever happens. */
function install(clock: Clock): () => void {
  const restore = installClock(clock);
  restores.push(restore);
  return restore;
}

afterEach(() => {
  while (restores.length > 0) restores.pop()!();
  vi.useRealTimers();
});

describe('clock', () => {
  it('is the system clock when none is installed', () => {
    expect(currentClock()).toBe(systemClock);
    vi.useFakeTimers({ now: new Date('2026-03-15T10:00:00.000Z'), toFake: ['Date'] });
    expect(systemClock.now()).toEqual(new Date('2026-03-15T10:00:00.000Z'));
    expect(now()).toEqual(new Date('2026-03-15T10:00:00.000Z'));
    vi.setSystemTime(new Date('2026-03-15T10:00:01.500Z'));
    expect(now()).toEqual(new Date('2026-03-15T10:00:01.500Z'));
  });

  it('reads the installed clock, in every copy of the module (the clock lives on globalThis)', () => {
    const clock = fixed('2027-01-02T03:04:05.678Z');
    install(clock);
    expect(currentClock()).toBe(clock);
    expect(now()).toEqual(new Date('2027-01-02T03:04:05.678Z'));
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('moodrx.clock')]).toBe(clock);
  });

  it('reads the installed clock on every call, not once', () => {
    let at = new Date('2027-01-01T00:00:00.000Z');
    install({ now: () => at });
    expect(now()).toEqual(new Date('2027-01-01T00:00:00.000Z'));
    at = new Date('2027-02-01T00:00:00.000Z');
    expect(now()).toEqual(new Date('2027-02-01T00:00:00.000Z'));
  });

  it('puts back what was there before when restored, through nested installs', () => {
    const outer = fixed('2027-01-01T00:00:00.000Z');
    const inner = fixed('2028-01-01T00:00:00.000Z');
    const restoreOuter = installClock(outer);
    const restoreInner = installClock(inner);
    try {
      expect(now()).toEqual(new Date('2028-01-01T00:00:00.000Z'));
      restoreInner();
      expect(currentClock()).toBe(outer);
      expect(now()).toEqual(new Date('2027-01-01T00:00:00.000Z'));
    } finally {
      restoreOuter();
    }
    expect(currentClock()).toBe(systemClock);
    expect(Object.getOwnPropertySymbols(globalThis)).not.toContain(Symbol.for('moodrx.clock'));
  });
});
