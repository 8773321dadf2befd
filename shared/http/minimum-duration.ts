/**
 * Holds a response until a minimum time has passed since the request began, success or
 * failure: where the work differs between two answers that must look alike (signup of a new
 * versus a taken email, verification of a known versus an unknown one), the time to answer
 * must not tell them apart. This is latency, not business time: it measures with the
 * monotonic timer, never the Clock port (a controlled local clock stands still).
 */
export interface Stopwatch {
  /** Milliseconds since some fixed point, monotonic. */
  elapsed(): number;
  sleep(ms: number): Promise<void>;
}

export const realStopwatch: Stopwatch = {
  elapsed: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export async function withMinimumDuration<T>(minimumMs: number, work: () => Promise<T>, stopwatch: Stopwatch = realStopwatch): Promise<T> {
  const started = stopwatch.elapsed();
  try {
    return await work();
  } finally {
    const remaining = minimumMs - (stopwatch.elapsed() - started);
    if (remaining > 0) await stopwatch.sleep(remaining);
  }
}
