/**
 * Child processes of the local stack (DynamoDB Local's JVM, cognito-local): tied to this
 * process so that none is left behind, and stopped politely first.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';

const SETPRIV = '/usr/bin/setpriv';

/**
 * Spawns `command` so that the kernel sends it SIGTERM if this process dies without stopping
 * it (a crash, SIGKILL): on Linux through `setpriv --pdeathsig`, which execs the command, so
 * the pid stays the child's own. Elsewhere it is a plain spawn and only `stopChild` and the
 * terminal's process-group signal (Ctrl-C) end it.
 */
export function spawnTiedToParent(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  if (process.platform === 'linux' && existsSync(SETPRIV)) {
    return spawn(SETPRIV, ['--pdeathsig', 'SIGTERM', command, ...args], options);
  }
  return spawn(command, [...args], options);
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`. Resolves once it exited. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!hasExited(child)) child.kill('SIGKILL');
  }, graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps the last lines a child printed, to explain a failed start without flooding the log. */
export function tailOutput(child: ChildProcess, maxLines = 30): () => string {
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > maxLines) lines.shift();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => lines.join('\n');
}
