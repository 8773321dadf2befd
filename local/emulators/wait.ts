/**
 * Readiness polling for the emulators: try, and try again until a deadline, never a fixed
 * sleep. The last failure is kept so a timeout says why the emulator never answered.
 */
import { setTimeout as delay } from 'node:timers/promises';

export class DeadlineExceededError extends Error {
  constructor(what: string, ms: number, cause: unknown) {
    super(`${what} did not become ready within ${ms} ms${cause instanceof Error ? `: ${cause.message}` : ''}`, { cause });
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Calls `probe` until it resolves, every `intervalMs`, giving up after `deadlineMs`.
 * `abortIf` lets the caller stop early (for example when the child process has exited).
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T>,
  options: { deadlineMs: number; intervalMs?: number; abortIf?: () => Error | undefined },
): Promise<T> {
  const started = Date.now();
  const interval = options.intervalMs ?? 50;
  let lastError: unknown;
  for (;;) {
    const abort = options.abortIf?.();
    if (abort) throw abort;
    try {
      return await probe();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - started >= options.deadlineMs) throw new DeadlineExceededError(what, options.deadlineMs, lastError);
    await delay(interval);
  }
}
