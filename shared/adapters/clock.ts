/**
 * The one source of "now" for the whole backend. Business code (domain rules, use cases,
 * handlers, workflow tasks) never reads the system clock: use cases receive `now` as a port,
 * and entry points give them `now` from here (ESLint enforces it outside adapters).
 *
 * In AWS nothing installs a clock, so `now()` is the system clock and nothing about this is
 * deployed. The local stack and the tests install a virtual clock (local/clock/) shared by the
 * API handlers, the workflow tasks and the Step Functions emulator's Wait states, so that time
 * can be moved on request and tests assert exact instants.
 *
 * The installed clock lives on `globalThis` under a registered symbol, so every copy of this
 * module in a process (bundles, test workers, tsx) reads the same one.
 */

/** Something that tells the time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  // The one place business time meets the system clock.
  // eslint-disable-next-line no-restricted-syntax
  now: () => new Date(),
};

const INSTALLED = Symbol.for('moodrx.clock');
type ClockHolder = { [INSTALLED]?: Clock };

/** The clock in force: the installed one, else the system clock. */
export function currentClock(): Clock {
  return (globalThis as ClockHolder)[INSTALLED] ?? systemClock;
}

/**
 * Makes `clock` the time of this process (local stack and tests only). Returns the function
 * that puts back what was there before.
 */
export function installClock(clock: Clock): () => void {
  const holder = globalThis as ClockHolder;
  const previous = holder[INSTALLED];
  holder[INSTALLED] = clock;
  return () => {
    if (previous === undefined) delete holder[INSTALLED];
    else holder[INSTALLED] = previous;
  };
}

/** Now, on the clock in force: the `now` port every use case takes. */
export const now = (): Date => currentClock().now();
