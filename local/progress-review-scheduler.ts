/**
 * The local stand-in for the hourly EventBridge schedule of the progress reviews
 * (workflows/schedules.ts startProgressReviews, `cron(0 * * * ? *)`): at every UTC hour of the
 * stack's clock it calls the starter with that hour as `scheduledTime`, as Scheduler does with
 * `<aws.scheduler.scheduled-time>`.
 *
 * It sleeps on the clock like a workflow's Wait (local/clock/virtual-clock.ts `track`): in real
 * time it wakes at each real hour; on a controlled clock an advance wakes it at each hour it
 * crosses, in order with the executions' Waits, and settles only once the run it started is
 * waiting or done. So advancing past a therapist's Monday 07:00 sends their review at exactly
 * that instant. The first tick is the first whole hour strictly after the start (the stack was
 * not running at an earlier one). A failed start is logged and the next hour comes all the same
 * (Scheduler retries a failed delivery; the run of an hour can also be started again by name).
 */
import type { VirtualClock } from './clock/virtual-clock.js';

const HOUR_MS = 3_600_000;
export const PROGRESS_REVIEW_TICKER = 'progress-reviews-hourly-schedule';

export interface HourlyTicker {
  /** Ends the loop (a tick in progress finishes first). */
  stop(): Promise<void>;
}

/** The first whole UTC hour strictly after `instant`. */
export function nextUtcHour(instant: Date): Date {
  return new Date((Math.floor(instant.getTime() / HOUR_MS) + 1) * HOUR_MS);
}

export function startHourlyProgressReviews(options: {
  clock: VirtualClock;
  /** Calls the starter for the hour (ISO), e.g. functions/scheduled/start-progress-reviews.ts as its function. */
  start: (scheduledTime: string) => Promise<unknown>;
  log?: (line: string) => void;
}): HourlyTicker {
  const abort = new AbortController();
  const activity = options.clock.track(PROGRESS_REVIEW_TICKER);
  const loop = (async () => {
    let next = nextUtcHour(options.clock.now());
    try {
      for (;;) {
        await activity.sleepUntil(next, 'HourlyTick', abort.signal);
        if (abort.signal.aborted) return;
        try {
          await options.start(next.toISOString());
        } catch (error) {
          options.log?.(`Progress reviews: the run of ${next.toISOString()} did not start (${error instanceof Error ? error.name : 'error'})`);
        }
        next = new Date(next.getTime() + HOUR_MS);
      }
    } finally {
      activity.end();
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
