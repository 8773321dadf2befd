/**
 * The local stack's and the tests' clock: one instance per process, installed as the backend's
 * Clock (shared/adapters/clock.ts), so the API handlers, the workflow tasks and the Step
 * Functions emulator's Wait states (local/step-functions/runner.ts) all read the same time.
 *
 * Two modes:
 * - `real`: the system clock; a Wait sleeps with setTimeout. `npm start` by default.
 * - `controlled`: time stands still until `advance()` moves it. An advance runs every Wait that
 *   falls due inside the jump in timestamp order: it sets the time to the Wait's instant, wakes
 *   it, and lets every execution run until each is waiting again or has ended before it wakes
 *   the next one. So a 3-week jump delivers a 2-day and a 7-day reminder in order, each sent at
 *   its own instant. This is what Temporal's test server does for its workflows (time skipping),
 *   built here for our Step Functions emulator.
 *
 * How "every execution has run to its next Wait" is known: each execution holds an activity
 * (`track`) that counts as busy from its start until it sleeps on this clock, again from its
 * wake-up until its next sleep, and not after it ended. The clock marks an activity busy before
 * it resolves the sleeper, so no woken execution is missed. Executions started by a task (a
 * continue-as-new, a workflow started by an API call in the meantime) count from their start.
 * Everything else an execution does (task retries, SDK calls) is simply time it is busy.
 *
 * Limits: one sleeping branch per execution (none of our workflows waits inside a Parallel or
 * Map state; tests/workflow/definitions.test.ts checks it); retry intervals and task timeouts
 * of the emulator keep real time. Tokens and sign-in are not on this clock at all: cognito-local
 * and the authorizer use real time, so a jump of weeks signs nobody out.
 */
import type { Clock } from '../../shared/adapters/clock.js';

export type ClockMode = 'real' | 'controlled';

/** How far to move a controlled clock: a duration (any mix of units) or an instant. */
export type AdvanceBy = { days?: number; hours?: number; minutes?: number; seconds?: number; milliseconds?: number } | { until: Date | string };

/** One Wait that fell due during an advance. */
export interface WakeUp {
  /** The instant it was due, which was the clock's time when it woke (ISO 8601). */
  at: string;
  /** The execution's name, and the Wait state's. */
  execution: string;
  state: string;
}

export interface AdvanceReport {
  from: string;
  to: string;
  woken: WakeUp[];
}

export class ClockNotControlledError extends Error {
  constructor() {
    super('The clock runs in real time: start the local stack with LOCAL_CLOCK=controlled to move it.');
    this.name = 'ClockNotControlledError';
  }
}

export class ClockCannotGoBackError extends Error {
  constructor(now: Date, target: Date) {
    super(`The clock is at ${now.toISOString()} and cannot go back to ${target.toISOString()}.`);
    this.name = 'ClockCannotGoBackError';
  }
}

/** Executions still running (not waiting on the clock) when the settle deadline passed. */
export class ClockSettleTimeoutError extends Error {
  constructor(
    readonly busy: readonly string[],
    deadlineMs: number,
  ) {
    super(`After ${deadlineMs} ms, still running and not waiting on the clock: ${busy.join(', ') || '(none named)'}`);
    this.name = 'ClockSettleTimeoutError';
  }
}

/** One execution's link to the clock (see the header). */
export interface ClockActivity {
  /** Sleeps until `due` on the clock, counting as idle meanwhile. Resolves early if `signal` aborts. */
  sleepUntil(due: Date, state: string, signal: AbortSignal): Promise<void>;
  /** The execution ended: it is idle for good. */
  end(): void;
}

interface Timer {
  due: number;
  seq: number;
  execution: string;
  state: string;
  wake(): void;
}

const DAY = 86_400_000;
/** setTimeout's limit; longer real sleeps are chained. */
const MAX_TIMER_MS = 2_147_483_647;
const DEFAULT_SETTLE_DEADLINE_MS = 60_000;
/** The largest instant a Date can hold (ECMA-262: 8.64e15 ms from the epoch). */
const MAX_DATE_MS = 8.64e15;

/** Milliseconds of an AdvanceBy duration, validated (finite, >= 0). */
export function durationMs(by: Exclude<AdvanceBy, { until: Date | string }>): number {
  const parts = [
    [by.days, DAY],
    [by.hours, 3_600_000],
    [by.minutes, 60_000],
    [by.seconds, 1_000],
    [by.milliseconds, 1],
  ] as const;
  let total = 0;
  for (const [value, unit] of parts) {
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) throw new RangeError('A duration must be a finite number >= 0.');
    total += value * unit;
  }
  return Math.round(total);
}

export class VirtualClock implements Clock {
  readonly mode: ClockMode;
  /** Controlled mode: the time, in epoch milliseconds. */
  private current: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  /** Busy activities by execution name (a name can repeat across state machines: counted). */
  private readonly busy = new Map<string, number>();
  private busyCount = 0;
  private idleWaiters: (() => void)[] = [];
  /** Advances run one at a time. */
  private advancing: Promise<unknown> = Promise.resolve();

  constructor(options: { mode?: ClockMode; start?: Date } = {}) {
    this.mode = options.mode ?? 'real';
    // The local clock is the one place (besides shared/adapters/clock.ts) that reads the system time.
    this.current = options.start?.getTime() ?? Date.now();
    if (!Number.isFinite(this.current)) throw new RangeError('The clock needs a valid start instant.');
  }

  now(): Date {
    return new Date(this.mode === 'real' ? Date.now() : this.current);
  }

  /** Waits not yet due, soonest first (for the control endpoint and tests). */
  pending(): { due: string; execution: string; state: string }[] {
    return [...this.timers]
      .sort((a, b) => a.due - b.due || a.seq - b.seq)
      .map((timer) => ({ due: new Date(timer.due).toISOString(), execution: timer.execution, state: timer.state }));
  }

  /** Executions running now (not waiting on the clock). */
  running(): string[] {
    return [...this.busy.keys()];
  }

  /** An execution starts: it is busy until it sleeps or ends. */
  track(execution: string): ClockActivity {
    let busy = false;
    const setBusy = () => {
      if (busy) return;
      busy = true;
      this.markBusy(execution);
    };
    const setIdle = () => {
      if (!busy) return;
      busy = false;
      this.markIdle(execution);
    };
    setBusy();
    return {
      sleepUntil: async (due, state, signal) => {
        setIdle();
        // An advance marks the sleeper busy before waking it (setBusy); real time or an abort after.
        await this.sleep(due.getTime(), execution, state, signal, setBusy);
        setBusy();
      },
      end: setIdle,
    };
  }

  /**
   * Moves a controlled clock forward, running every Wait due on the way (see the header).
   * Resolves when the time is `to` and every execution is waiting or ended.
   */
  advance(by: AdvanceBy, options: { settleDeadlineMs?: number } = {}): Promise<AdvanceReport> {
    if (this.mode !== 'controlled') return Promise.reject(new ClockNotControlledError());
    const run = this.advancing.then(
      () => this.runAdvance(by, options.settleDeadlineMs ?? DEFAULT_SETTLE_DEADLINE_MS),
      () => this.runAdvance(by, options.settleDeadlineMs ?? DEFAULT_SETTLE_DEADLINE_MS),
    );
    this.advancing = run.catch(() => undefined);
    return run;
  }

  /** Resolves once no execution is running (each is waiting on the clock or ended), or fails after the deadline. */
  async settled(deadlineMs = DEFAULT_SETTLE_DEADLINE_MS): Promise<void> {
    if (this.busyCount === 0) {
      // A woken sleeper's continuation, or an execution a task is starting, may be one turn
      // of the event loop away: look again after pending I/O callbacks have run.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.busyCount === 0) return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ClockSettleTimeoutError(this.running(), deadlineMs)), deadlineMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    return this.settled(deadlineMs);
  }

  private async runAdvance(by: AdvanceBy, settleDeadlineMs: number): Promise<AdvanceReport> {
    const from = this.current;
    const target = 'until' in by ? new Date(by.until).getTime() : from + durationMs(by);
    if (!Number.isFinite(target)) throw new RangeError('until' in by ? '`until` must be an ISO 8601 instant.' : 'A duration must be finite.');
    // Checked before anything moves: past this a Date is invalid and the clock would be lost.
    if (Math.abs(target) > MAX_DATE_MS) throw new RangeError('The advance would take the clock past the last valid date.');
    if (target < from) throw new ClockCannotGoBackError(new Date(from), new Date(target));
    const woken: WakeUp[] = [];
    // Whatever was already running reaches its Wait first (e.g. an execution started just now).
    await this.settled(settleDeadlineMs);
    for (;;) {
      const next = this.nextTimer();
      if (!next || next.due > target) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.current = Math.max(this.current, next.due);
      woken.push({ at: new Date(this.current).toISOString(), execution: next.execution, state: next.state });
      next.wake();
      await this.settled(settleDeadlineMs);
    }
    this.current = target;
    return { from: new Date(from).toISOString(), to: new Date(target).toISOString(), woken };
  }

  private nextTimer(): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.timers) if (!next || timer.due < next.due || (timer.due === next.due && timer.seq < next.seq)) next = timer;
    return next;
  }

  private sleep(due: number, execution: string, state: string, signal: AbortSignal, beforeWake: () => void): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    if (this.mode === 'real') return realSleep(due, signal);
    // Already due (a Wait on a past timestamp): on at once, as in Step Functions.
    if (due <= this.current) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer: Timer = {
        due,
        seq: this.seq++,
        execution,
        state,
        wake: () => {
          signal.removeEventListener('abort', onAbort);
          beforeWake();
          resolve();
        },
      };
      const onAbort = () => {
        const index = this.timers.indexOf(timer);
        if (index >= 0) this.timers.splice(index, 1);
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  private markBusy(execution: string): void {
    this.busy.set(execution, (this.busy.get(execution) ?? 0) + 1);
    this.busyCount += 1;
  }

  private markIdle(execution: string): void {
    const count = (this.busy.get(execution) ?? 1) - 1;
    if (count <= 0) this.busy.delete(execution);
    else this.busy.set(execution, count);
    this.busyCount = Math.max(0, this.busyCount - 1);
    if (this.busyCount === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }
}

/** Real time: sleeps until `due` (epoch ms), in chunks under setTimeout's limit; early on abort. */
async function realSleep(due: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const remaining = due - Date.now();
    if (remaining <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(remaining, MAX_TIMER_MS));
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
