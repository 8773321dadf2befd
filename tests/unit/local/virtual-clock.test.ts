/**
 * The local stack's virtual clock (local/clock/virtual-clock.ts): a controlled clock stands
 * still until `advance()` moves it, and an advance wakes every sleeper due on the way in
 * timestamp order (FIFO for equal instants), letting each woken "execution" run to its next
 * sleep (or its end) before it wakes the next one. Executions are simulated here by async
 * functions holding a `clock.track(name)` activity. No test sleeps in real time for more than
 * a few tens of milliseconds, and none depends on how fast the machine is.
 */
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  ClockCannotGoBackError,
  ClockNotControlledError,
  ClockSettleTimeoutError,
  durationMs,
  VirtualClock,
  type ClockActivity,
} from '../../../local/clock/virtual-clock.js';

const START = new Date('2027-01-04T09:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** START plus some days (and milliseconds). */
const at = (days: number, extraMs = 0): Date => new Date(START.getTime() + days * DAY + extraMs);
const iso = (days: number, extraMs = 0): string => at(days, extraMs).toISOString();

const controlled = (start = START): VirtualClock => new VirtualClock({ mode: 'controlled', start });
const noAbort = (): AbortSignal => new AbortController().signal;
/** A promise that never settles: an execution stuck on something that is not the clock. */
const forever = (): Promise<never> => new Promise<never>(() => undefined);

/**
 * An execution: sleeps until each step's instant in turn, logging `name state time` at each
 * wake-up, then ends. It is tracked from the call on (synchronously, as the emulator does).
 */
function execution(clock: VirtualClock, name: string, steps: { due: Date; state: string }[], log: string[], signal = noAbort()): Promise<void> {
  const activity = clock.track(name);
  return (async () => {
    for (const { due, state } of steps) {
      await activity.sleepUntil(due, state, signal);
      log.push(`${name} ${state} ${clock.now().toISOString()}`);
    }
    activity.end();
  })();
}

/** Resolves to 'woke' if `sleep` is resolved by the time a short real timer fires, else 'asleep'. */
async function stateOf(sleep: Promise<void>): Promise<'woke' | 'asleep'> {
  return Promise.race([sleep.then(() => 'woke' as const), delay(20).then(() => 'asleep' as const)]);
}

describe('VirtualClock, controlled mode', () => {
  it('starts at the given instant and does not move by itself', async () => {
    const clock = controlled();
    expect(clock.mode).toBe('controlled');
    expect(clock.now().toISOString()).toBe(START.toISOString());
    await nextTurn();
    await delay(15);
    expect(clock.now().toISOString()).toBe(START.toISOString());
  });

  it('hands out copies of its time: changing one does not move the clock', () => {
    const clock = controlled();
    const now = clock.now();
    now.setTime(now.getTime() + DAY);
    expect(clock.now().toISOString()).toBe(START.toISOString());
  });

  it('refuses an invalid start instant', () => {
    expect(() => new VirtualClock({ mode: 'controlled', start: new Date('not a date') })).toThrow(RangeError);
  });

  it('advance({days: 1}) moves it exactly 86,400,000 ms and reports from and to', async () => {
    const clock = controlled();
    const report = await clock.advance({ days: 1 });
    expect(clock.now().getTime() - START.getTime()).toBe(86_400_000);
    expect(report).toEqual({ from: START.toISOString(), to: iso(1), woken: [] });
  });

  it('adds up a mix of units', async () => {
    const clock = controlled();
    const report = await clock.advance({ days: 1, hours: 2, minutes: 3, seconds: 4, milliseconds: 5 });
    const expected = DAY + 2 * HOUR + 3 * 60_000 + 4_000 + 5;
    expect(clock.now().getTime() - START.getTime()).toBe(expected);
    expect(report.to).toBe(new Date(START.getTime() + expected).toISOString());
  });

  it('advance({until}) moves it to that instant, given as a Date or an ISO string', async () => {
    const clock = controlled();
    await clock.advance({ until: at(3, 1234) });
    expect(clock.now().toISOString()).toBe(iso(3, 1234));
    const report = await clock.advance({ until: '2027-02-01T00:00:00+01:00' });
    expect(report.from).toBe(iso(3, 1234));
    expect(report.to).toBe('2027-01-31T23:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2027-01-31T23:00:00.000Z');
  });

  it('accepts an advance to where it stands (a zero jump)', async () => {
    const clock = controlled();
    await expect(clock.advance({ until: START })).resolves.toEqual({ from: START.toISOString(), to: START.toISOString(), woken: [] });
    await expect(clock.advance({})).resolves.toMatchObject({ to: START.toISOString() });
    expect(clock.now().toISOString()).toBe(START.toISOString());
  });

  it('cannot go back, and stays where it was', async () => {
    const clock = controlled();
    await clock.advance({ days: 2 });
    const attempt = clock.advance({ until: at(1) });
    await expect(attempt).rejects.toBeInstanceOf(ClockCannotGoBackError);
    await expect(attempt).rejects.toThrow(`The clock is at ${iso(2)} and cannot go back to ${iso(1)}.`);
    await expect(clock.advance({ until: at(2, -1) })).rejects.toBeInstanceOf(ClockCannotGoBackError);
    expect(clock.now().toISOString()).toBe(iso(2));
  });

  it('refuses negative, NaN and infinite durations with a RangeError, and an unreadable until', async () => {
    const clock = controlled();
    await expect(clock.advance({ days: -1 })).rejects.toThrow(RangeError);
    await expect(clock.advance({ hours: Number.NaN })).rejects.toThrow(RangeError);
    await expect(clock.advance({ minutes: Number.POSITIVE_INFINITY })).rejects.toThrow(RangeError);
    await expect(clock.advance({ days: 1, seconds: -0.5 })).rejects.toThrow(RangeError);
    await expect(clock.advance({ until: 'next tuesday' })).rejects.toThrow(RangeError);
    expect(clock.now().toISOString()).toBe(START.toISOString());
  });

  it('refuses a jump beyond the range of dates and stays where it was', async () => {
    // 100 million days from 2027 lands past 8.64e15 ms, the last instant a Date can hold.
    const clock = controlled();
    await expect(clock.advance({ days: 1e8 })).rejects.toThrow(RangeError);
    expect(clock.now().getTime()).toBe(START.getTime());
    await expect(clock.advance({ days: 1 })).resolves.toMatchObject({ from: START.toISOString(), to: iso(1) });
  });

  it('still advances after a failed advance', async () => {
    const clock = controlled();
    await expect(clock.advance({ days: -1 })).rejects.toThrow(RangeError);
    await expect(clock.advance({ days: 1 })).resolves.toMatchObject({ from: START.toISOString(), to: iso(1) });
  });

  it('runs advances one after the other, the second starting where the first ended', async () => {
    const clock = controlled();
    const log: string[] = [];
    void execution(clock, 'exec', [{ due: at(1), state: 'WaitA' }, { due: at(2), state: 'WaitB' }], log);
    const first = clock.advance({ days: 1, hours: 12 });
    const second = clock.advance({ days: 1 });
    const [a, b] = await Promise.all([first, second]);
    expect(a).toEqual({ from: iso(0), to: iso(1.5), woken: [{ at: iso(1), execution: 'exec', state: 'WaitA' }] });
    expect(b).toEqual({ from: iso(1.5), to: iso(2.5), woken: [{ at: iso(2), execution: 'exec', state: 'WaitB' }] });
    expect(log).toEqual([`exec WaitA ${iso(1)}`, `exec WaitB ${iso(2)}`]);
  });
});

describe('durationMs', () => {
  it('adds up the units in milliseconds', () => {
    expect(durationMs({ days: 1 })).toBe(86_400_000);
    expect(durationMs({ hours: 5, minutes: 30 })).toBe(5.5 * HOUR);
    expect(durationMs({ seconds: 90, milliseconds: 250 })).toBe(90_250);
    expect(durationMs({ days: 0.5 })).toBe(DAY / 2);
    expect(durationMs({})).toBe(0);
  });

  it('rounds to whole milliseconds', () => {
    expect(durationMs({ milliseconds: 1.4 })).toBe(1);
    expect(durationMs({ milliseconds: 1.6 })).toBe(2);
  });

  it('refuses negative, NaN and infinite amounts', () => {
    expect(() => durationMs({ days: -1 })).toThrow(RangeError);
    expect(() => durationMs({ hours: Number.NaN })).toThrow(RangeError);
    expect(() => durationMs({ seconds: Number.NEGATIVE_INFINITY })).toThrow(RangeError);
    expect(() => durationMs({ days: 1, milliseconds: -1 })).toThrow('A duration must be a finite number >= 0.');
  });
});

describe('VirtualClock, real mode', () => {
  it('is the default mode, and refuses to advance', async () => {
    const clock = new VirtualClock();
    expect(clock.mode).toBe('real');
    await expect(clock.advance({ days: 1 })).rejects.toBeInstanceOf(ClockNotControlledError);
    await expect(new VirtualClock({ mode: 'real' }).advance({ until: new Date(8.64e15) })).rejects.toBeInstanceOf(ClockNotControlledError);
  });

  it('tells the system time', async () => {
    const clock = new VirtualClock({ mode: 'real' });
    for (let i = 0; i < 2; i += 1) {
      const before = Date.now();
      const now = clock.now().getTime();
      const after = Date.now();
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThanOrEqual(after);
      await delay(10);
    }
  });

  it('ignores a start instant: it is the system time', () => {
    const clock = new VirtualClock({ mode: 'real', start: new Date('2000-01-01T00:00:00Z') });
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1_000);
  });

  it('sleeps in real time until the due instant, counting as idle meanwhile', async () => {
    const clock = new VirtualClock({ mode: 'real' });
    const activity = clock.track('real-exec');
    const due = new Date(Date.now() + 20);
    const sleep = activity.sleepUntil(due, 'Wait', noAbort());
    expect(clock.running()).toEqual([]);
    await sleep;
    expect(Date.now()).toBeGreaterThanOrEqual(due.getTime() - 1);
    expect(clock.running()).toEqual(['real-exec']);
    activity.end();
    expect(clock.running()).toEqual([]);
  });

  it('does not sleep on an instant already past', async () => {
    const clock = new VirtualClock({ mode: 'real' });
    const activity = clock.track('late');
    await expect(stateOf(activity.sleepUntil(new Date(Date.now() - DAY), 'Wait', noAbort()))).resolves.toBe('woke');
  });

  it('wakes early on abort', async () => {
    const clock = new VirtualClock({ mode: 'real' });
    const activity = clock.track('aborted');
    const controller = new AbortController();
    const started = Date.now();
    const sleep = activity.sleepUntil(new Date(started + HOUR), 'Wait', controller.signal);
    await nextTurn();
    controller.abort();
    await sleep;
    expect(Date.now() - started).toBeLessThan(HOUR / 2);
    expect(clock.running()).toEqual(['aborted']);
  });
});

describe('VirtualClock sleepers', () => {
  it('does not wake a sleeper due later until an advance reaches it', async () => {
    const clock = controlled();
    const activity = clock.track('later');
    // Ends once woken: a woken execution counts as running until it sleeps again or ends.
    const sleep = activity.sleepUntil(at(0, 1), 'Wait', noAbort()).then(() => activity.end());
    await expect(stateOf(sleep)).resolves.toBe('asleep');
    expect(clock.pending()).toEqual([{ due: iso(0, 1), execution: 'later', state: 'Wait' }]);
    await clock.advance({ milliseconds: 1 });
    await expect(stateOf(sleep)).resolves.toBe('woke');
    expect(clock.pending()).toEqual([]);
  });

  it('resolves a sleep already due (in the past or now) at once, without an advance', async () => {
    const clock = controlled();
    const activity = clock.track('past');
    await expect(stateOf(activity.sleepUntil(at(-1), 'WaitPast', noAbort()))).resolves.toBe('woke');
    await expect(stateOf(activity.sleepUntil(START, 'WaitNow', noAbort()))).resolves.toBe('woke');
    expect(clock.pending()).toEqual([]);
    expect(clock.now().toISOString()).toBe(START.toISOString());
    expect(clock.running()).toEqual(['past']);
  });

  it('lists pending sleepers soonest first, FIFO for equal instants', () => {
    const clock = controlled();
    void clock.track('c').sleepUntil(at(7), 'WaitC', noAbort());
    void clock.track('a').sleepUntil(at(2), 'WaitA', noAbort());
    void clock.track('b').sleepUntil(at(7), 'WaitB', noAbort());
    expect(clock.pending()).toEqual([
      { due: iso(2), execution: 'a', state: 'WaitA' },
      { due: iso(7), execution: 'c', state: 'WaitC' },
      { due: iso(7), execution: 'b', state: 'WaitB' },
    ]);
  });

  it('wakes a sleeper early when its signal aborts, and drops it from pending()', async () => {
    const clock = controlled();
    const log: string[] = [];
    const controller = new AbortController();
    const aborted = execution(clock, 'aborted', [{ due: at(5), state: 'WaitLong' }], log, controller.signal);
    void execution(clock, 'other', [{ due: at(6), state: 'WaitOther' }], log);
    expect(clock.pending().map((timer) => timer.execution)).toEqual(['aborted', 'other']);
    controller.abort();
    await aborted;
    expect(log).toEqual([`aborted WaitLong ${START.toISOString()}`]);
    expect(clock.pending()).toEqual([{ due: iso(6), execution: 'other', state: 'WaitOther' }]);
    const report = await clock.advance({ days: 10 });
    expect(report.woken).toEqual([{ at: iso(6), execution: 'other', state: 'WaitOther' }]);
  });

  it('does not register a sleep whose signal is already aborted', async () => {
    const clock = controlled();
    const controller = new AbortController();
    controller.abort();
    await expect(stateOf(clock.track('x').sleepUntil(at(1), 'Wait', controller.signal))).resolves.toBe('woke');
    expect(clock.pending()).toEqual([]);
  });
});

describe('VirtualClock activities', () => {
  it('counts an execution as running from track() until it sleeps, and again once woken', async () => {
    const clock = controlled();
    const activity = clock.track('exec');
    expect(clock.running()).toEqual(['exec']);
    const seenWhenWoken: string[][] = [];
    const done = (async () => {
      await activity.sleepUntil(at(1), 'Wait', noAbort());
      seenWhenWoken.push(clock.running());
      await activity.sleepUntil(at(2), 'Wait2', noAbort());
      seenWhenWoken.push(clock.running());
      activity.end();
    })();
    expect(clock.running()).toEqual([]);
    await clock.advance({ days: 1 });
    expect(seenWhenWoken).toEqual([['exec']]);
    expect(clock.running()).toEqual([]);
    await clock.advance({ days: 1 });
    await done;
    expect(seenWhenWoken).toEqual([['exec'], ['exec']]);
    expect(clock.running()).toEqual([]);
  });

  it('end() makes an execution idle for good', async () => {
    const clock = controlled();
    const activity = clock.track('ending');
    expect(clock.running()).toEqual(['ending']);
    activity.end();
    expect(clock.running()).toEqual([]);
    await expect(clock.settled(50)).resolves.toBeUndefined();
    activity.end();
    expect(clock.running()).toEqual([]);
  });

  it('counts activities sharing a name separately (ending one twice does not end the other)', () => {
    const clock = controlled();
    const first = clock.track('same-name');
    const second = clock.track('same-name');
    first.end();
    first.end();
    expect(clock.running()).toEqual(['same-name']);
    second.end();
    expect(clock.running()).toEqual([]);
  });

  it('settled() resolves when every execution sleeps or ended', async () => {
    const clock = controlled();
    await expect(clock.settled(50)).resolves.toBeUndefined();
    const activity = clock.track('busy-then-sleeps');
    const settled = clock.settled(5_000);
    void (async () => {
      await nextTurn();
      await delay(5);
      await activity.sleepUntil(at(1), 'Wait', noAbort());
    })();
    await expect(settled).resolves.toBeUndefined();
    expect(clock.running()).toEqual([]);
    expect(clock.pending()).toHaveLength(1);
  });

  it('settled() fails with ClockSettleTimeoutError naming an execution that never sleeps', async () => {
    const clock = controlled();
    const stuck = clock.track('stuck-execution');
    void (async () => {
      await forever();
      stuck.end();
    })();
    clock.track('sleeper').sleepUntil(at(1), 'Wait', noAbort()).catch(() => undefined);
    const error = await clock.settled(50).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ClockSettleTimeoutError);
    expect((error as ClockSettleTimeoutError).busy).toEqual(['stuck-execution']);
    expect((error as Error).message).toBe('After 50 ms, still running and not waiting on the clock: stuck-execution');
  });

  it('an advance fails with ClockSettleTimeoutError when a woken execution never sleeps again', async () => {
    const clock = controlled();
    const activity: ClockActivity = clock.track('hangs-after-wake');
    void (async () => {
      await activity.sleepUntil(at(1), 'Wait', noAbort());
      await forever();
    })();
    const attempt = clock.advance({ days: 3 }, { settleDeadlineMs: 50 });
    await expect(attempt).rejects.toBeInstanceOf(ClockSettleTimeoutError);
    await expect(attempt).rejects.toThrow('hangs-after-wake');
  });
});

describe('VirtualClock.advance, order of the wake-ups', () => {
  it('wakes sleepers due at day 2 and day 7 of a 3-week jump in order, each at its own instant', async () => {
    const clock = controlled();
    const log: string[] = [];
    // Registered latest first: the order is the instants', not the registrations'.
    const seven = execution(clock, 'reminder-7', [{ due: at(7), state: 'Wait7Days' }], log);
    const two = execution(clock, 'reminder-2', [{ due: at(2), state: 'Wait2Days' }], log);
    const report = await clock.advance({ days: 21 });
    await Promise.all([seven, two]);
    expect(log).toEqual([`reminder-2 Wait2Days ${iso(2)}`, `reminder-7 Wait7Days ${iso(7)}`]);
    expect(report).toEqual({
      from: iso(0),
      to: iso(21),
      woken: [
        { at: iso(2), execution: 'reminder-2', state: 'Wait2Days' },
        { at: iso(7), execution: 'reminder-7', state: 'Wait7Days' },
      ],
    });
    expect(clock.now().toISOString()).toBe(iso(21));
    expect(clock.pending()).toEqual([]);
    expect(clock.running()).toEqual([]);
  });

  it('runs one execution looping over its waits through every wait due in the jump, and no further', async () => {
    const clock = controlled();
    const log: string[] = [];
    const activity = clock.track('lifecycle');
    void (async () => {
      for (const day of [2, 7, 14, 30]) {
        await activity.sleepUntil(at(day), `WaitDay${day}`, noAbort());
        log.push(`lifecycle WaitDay${day} ${clock.now().toISOString()}`);
      }
      activity.end();
    })();
    const report = await clock.advance({ days: 21 });
    expect(log).toEqual([`lifecycle WaitDay2 ${iso(2)}`, `lifecycle WaitDay7 ${iso(7)}`, `lifecycle WaitDay14 ${iso(14)}`]);
    expect(report.woken.map((wake) => [wake.at, wake.state])).toEqual([
      [iso(2), 'WaitDay2'],
      [iso(7), 'WaitDay7'],
      [iso(14), 'WaitDay14'],
    ]);
    expect(clock.pending()).toEqual([{ due: iso(30), execution: 'lifecycle', state: 'WaitDay30' }]);
    await clock.advance({ until: at(30) });
    expect(log.at(-1)).toBe(`lifecycle WaitDay30 ${iso(30)}`);
    expect(clock.running()).toEqual([]);
  });

  it('wakes a sleeper due exactly at the target, and not one due a millisecond later', async () => {
    const clock = controlled();
    const log: string[] = [];
    void execution(clock, 'on-time', [{ due: at(1), state: 'Wait' }], log);
    void execution(clock, 'too-late', [{ due: at(1, 1), state: 'Wait' }], log);
    const report = await clock.advance({ days: 1 });
    expect(report.woken).toEqual([{ at: iso(1), execution: 'on-time', state: 'Wait' }]);
    expect(log).toEqual([`on-time Wait ${iso(1)}`]);
    expect(clock.pending()).toEqual([{ due: iso(1, 1), execution: 'too-late', state: 'Wait' }]);
  });

  it('wakes sleepers due at the same instant in the order they went to sleep', async () => {
    const clock = controlled();
    const log: string[] = [];
    for (const name of ['first', 'second', 'third', 'fourth']) void execution(clock, name, [{ due: at(3), state: `Wait-${name}` }], log);
    const report = await clock.advance({ days: 4 });
    expect(log).toEqual([`first Wait-first ${iso(3)}`, `second Wait-second ${iso(3)}`, `third Wait-third ${iso(3)}`, `fourth Wait-fourth ${iso(3)}`]);
    expect(report.woken.map((wake) => wake.execution)).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('puts a sleep taken during the advance after earlier sleeps due at the same instant', async () => {
    const clock = controlled();
    const log: string[] = [];
    // 'early' sleeps at day 1 then at day 2; 'waiting' went to sleep on day 2 before it.
    void execution(
      clock,
      'early',
      [
        { due: at(1), state: 'WaitDay1' },
        { due: at(2), state: 'WaitDay2' },
      ],
      log,
    );
    void execution(clock, 'waiting', [{ due: at(2), state: 'WaitDay2' }], log);
    await clock.advance({ days: 2 });
    expect(log).toEqual([`early WaitDay1 ${iso(1)}`, `waiting WaitDay2 ${iso(2)}`, `early WaitDay2 ${iso(2)}`]);
  });

  it('lets a woken execution run its async work to its next sleep before it wakes the next sleeper', async () => {
    const clock = controlled();
    const log: string[] = [];
    const a = clock.track('A');
    const b = clock.track('B');
    const runA = (async () => {
      await a.sleepUntil(at(1), 'WaitA1', noAbort());
      log.push(`A woke ${clock.now().toISOString()}`);
      await Promise.resolve();
      log.push('A work 1');
      await nextTurn();
      log.push('A work 2');
      await delay(3);
      await new Promise<void>((resolve) => process.nextTick(resolve));
      log.push('A work 3');
      await nextTurn();
      await a.sleepUntil(new Date(clock.now().getTime() + DAY), 'WaitA2', noAbort());
      log.push(`A woke ${clock.now().toISOString()}`);
      a.end();
    })();
    const runB = (async () => {
      await b.sleepUntil(at(1), 'WaitB1', noAbort());
      log.push(`B woke ${clock.now().toISOString()}`);
      await nextTurn();
      log.push('B work');
      await b.sleepUntil(at(1, 12 * HOUR), 'WaitB2', noAbort());
      log.push(`B woke ${clock.now().toISOString()}`);
      b.end();
    })();
    const report = await clock.advance({ days: 3 });
    await Promise.all([runA, runB]);
    expect(log).toEqual([
      `A woke ${iso(1)}`,
      'A work 1',
      'A work 2',
      'A work 3',
      `B woke ${iso(1)}`,
      'B work',
      `B woke ${iso(1, 12 * HOUR)}`,
      `A woke ${iso(2)}`,
    ]);
    expect(report.woken).toEqual([
      { at: iso(1), execution: 'A', state: 'WaitA1' },
      { at: iso(1), execution: 'B', state: 'WaitB1' },
      { at: iso(1, 12 * HOUR), execution: 'B', state: 'WaitB2' },
      { at: iso(2), execution: 'A', state: 'WaitA2' },
    ]);
  });

  it('does not move on while a woken execution passes through a wait already due', async () => {
    const clock = controlled();
    const log: string[] = [];
    const a = clock.track('A');
    void (async () => {
      await a.sleepUntil(at(1), 'WaitA1', noAbort());
      log.push('A woke');
      await a.sleepUntil(clock.now(), 'WaitZero', noAbort());
      await delay(3);
      log.push('A after zero wait');
      await a.sleepUntil(at(5), 'WaitA2', noAbort());
    })();
    void execution(clock, 'B', [{ due: at(1), state: 'WaitB' }], log);
    const report = await clock.advance({ days: 2 });
    expect(log).toEqual(['A woke', 'A after zero wait', `B WaitB ${iso(1)}`]);
    expect(report.woken.map((wake) => wake.state)).toEqual(['WaitA1', 'WaitB']);
  });

  it('lets an execution that is still starting reach its first wait before the jump', async () => {
    const clock = controlled();
    const log: string[] = [];
    const activity = clock.track('starting');
    void (async () => {
      await nextTurn();
      await delay(3);
      await activity.sleepUntil(at(1), 'WaitFirst', noAbort());
      log.push(`starting WaitFirst ${clock.now().toISOString()}`);
      activity.end();
    })();
    const report = await clock.advance({ days: 2 });
    expect(log).toEqual([`starting WaitFirst ${iso(1)}`]);
    expect(report.woken).toEqual([{ at: iso(1), execution: 'starting', state: 'WaitFirst' }]);
  });

  it('includes an execution a woken one starts during the advance, with its own sleeps inside the jump', async () => {
    const clock = controlled();
    const log: string[] = [];
    const children: Promise<void>[] = [];
    const parent = clock.track('parent');
    void (async () => {
      await parent.sleepUntil(at(1), 'ParentWait1', noAbort());
      log.push(`parent ParentWait1 ${clock.now().toISOString()}`);
      await nextTurn();
      // A continue-as-new or a child workflow: tracked by the parent before the parent sleeps.
      children.push(
        execution(
          clock,
          'child',
          [
            { due: at(1, HOUR), state: 'ChildWait1' },
            { due: at(3), state: 'ChildWait2' },
            { due: at(10), state: 'ChildWait3' },
          ],
          log,
        ),
      );
      await parent.sleepUntil(at(2), 'ParentWait2', noAbort());
      log.push(`parent ParentWait2 ${clock.now().toISOString()}`);
      parent.end();
    })();
    const report = await clock.advance({ days: 5 });
    expect(children).toHaveLength(1);
    expect(log).toEqual([`parent ParentWait1 ${iso(1)}`, `child ChildWait1 ${iso(1, HOUR)}`, `parent ParentWait2 ${iso(2)}`, `child ChildWait2 ${iso(3)}`]);
    expect(report.woken).toEqual([
      { at: iso(1), execution: 'parent', state: 'ParentWait1' },
      { at: iso(1, HOUR), execution: 'child', state: 'ChildWait1' },
      { at: iso(2), execution: 'parent', state: 'ParentWait2' },
      { at: iso(3), execution: 'child', state: 'ChildWait2' },
    ]);
    expect(clock.pending()).toEqual([{ due: iso(10), execution: 'child', state: 'ChildWait3' }]);
    expect(clock.running()).toEqual([]);
  });

  it('includes a successor started a turn of the event loop after a woken execution ended (continue-as-new)', async () => {
    const clock = controlled();
    const log: string[] = [];
    const successors: Promise<void>[] = [];
    const first = clock.track('run-1');
    void (async () => {
      await first.sleepUntil(at(1), 'WaitRun1', noAbort());
      log.push(`run-1 WaitRun1 ${clock.now().toISOString()}`);
      first.end();
      // The emulator starts the next run once the ended one has been recorded: a turn later.
      await Promise.resolve();
      await nextTurn();
      successors.push(execution(clock, 'run-2', [{ due: at(2), state: 'WaitRun2' }], log));
    })();
    void execution(clock, 'other', [{ due: at(3), state: 'WaitOther' }], log);
    const report = await clock.advance({ days: 5 });
    expect(successors).toHaveLength(1);
    expect(log).toEqual([`run-1 WaitRun1 ${iso(1)}`, `run-2 WaitRun2 ${iso(2)}`, `other WaitOther ${iso(3)}`]);
    expect(report.woken.map((wake) => `${wake.execution}@${wake.at}`)).toEqual([`run-1@${iso(1)}`, `run-2@${iso(2)}`, `other@${iso(3)}`]);
  });

  it('shows each woken execution the instant it was due, even when an earlier one slept past it', async () => {
    const clock = controlled();
    const seen: Record<string, string[]> = {};
    const observe = (name: string, days: number[]) => {
      const activity = clock.track(name);
      seen[name] = [];
      return (async () => {
        for (const day of days) {
          await activity.sleepUntil(at(day), `Day${day}`, noAbort());
          seen[name]?.push(clock.now().toISOString());
          await nextTurn();
          seen[name]?.push(clock.now().toISOString());
        }
        activity.end();
      })();
    };
    const runs = [observe('x', [1, 4, 9]), observe('y', [2, 3, 8]), observe('z', [5])];
    await clock.advance({ days: 9 });
    await Promise.all(runs);
    expect(seen).toEqual({
      x: [iso(1), iso(1), iso(4), iso(4), iso(9), iso(9)],
      y: [iso(2), iso(2), iso(3), iso(3), iso(8), iso(8)],
      z: [iso(5), iso(5)],
    });
  });
});
