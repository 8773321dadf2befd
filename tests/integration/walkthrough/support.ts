/**
 * Running a README walkthrough as a new user runs it (issues 10 and 11), so it cannot drift from
 * the API:
 * 1. `npm start` with the environment of the section's first block (the controlled clock, in
 *    memory), PORT=0 so nothing collides with another stack (the banner says where the API and
 *    the inbox are; the blocks take them from API and INBOX);
 * 2. every other `sh` block of the section, verbatim, in ONE bash (`set -euo pipefail`);
 * 3. each block's answers checked: every `# -> <JSON>` comment of the block must appear among
 *    the JSON lines the block printed, in order (the walkthrough's own test asserts the
 *    clinical outcomes on top);
 * 4. Ctrl-C (SIGINT to the process group, as a terminal sends it): the stack stops and no
 *    process of the group is left.
 *
 * Each walkthrough starts its own stack (not the integration tests' one, which runs on real
 * time) with a minimal environment: nothing of the test stack's endpoints leaks into it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { pollUntil } from '../../../local/emulators/wait.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The `sh` blocks of the README section titled `title` (e.g. `### Walkthrough: ...`), in order. */
export function walkthroughBlocks(readme: string, title: string): string[] {
  const start = readme.indexOf(`${title}\n`);
  if (start < 0) throw new Error(`README.md has no "${title}"`);
  const rest = readme.slice(start + title.length);
  const end = rest.search(/\n#{2,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

/** `A=1 B=2 npm start` -> { A: '1', B: '2' }. */
export function startEnvironment(block: string): Record<string, string> {
  const line = block.split('\n').find((l) => /\bnpm start\b/.test(l));
  if (!line) throw new Error('The first block does not start the stack');
  return Object.fromEntries([...line.matchAll(/\b([A-Z_]+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string]));
}

/** The JSON values a block's comments promise: `# -> X` and its `#    X` continuation lines, where X is JSON. */
export function promised(block: string): unknown[] {
  const values: unknown[] = [];
  let inAnswer = false;
  for (const line of block.split('\n')) {
    const arrow = /^# -> (.*)$/.exec(line);
    const continued = /^#\s{4}(.*)$/.exec(line);
    const text: string | undefined = arrow?.[1] ?? (inAnswer ? continued?.[1] : undefined);
    inAnswer = text !== undefined;
    if (text === undefined) continue;
    try {
      values.push(JSON.parse(text));
    } catch {
      // prose ("... {...} ..."): shown to people, checked by the walkthrough's own assertions
    }
  }
  return values;
}

export function jsonLines(output: string): unknown[] {
  return output.split('\n').flatMap((line) => {
    try {
      return line.trim() === '' ? [] : [JSON.parse(line) as unknown];
    } catch {
      return [];
    }
  });
}

/** `expected` appears in `actual` as a subsequence (deep equality). */
export function expectSubsequence(actual: unknown[], expected: unknown[], block: number): void {
  let from = 0;
  for (const value of expected) {
    const at = actual.findIndex((candidate, index) => index >= from && JSON.stringify(candidate) === JSON.stringify(value));
    expect(at, `block ${block}: the README promises ${JSON.stringify(value)}; the block printed ${JSON.stringify(actual)}`).toBeGreaterThanOrEqual(0);
    from = at + 1;
  }
}

let stack: ChildProcess | undefined;
const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(() => {
  // Only if the test failed before its own Ctrl-C.
  if (stack?.pid !== undefined && groupAlive(stack.pid)) process.kill(-stack.pid, 'SIGKILL');
});

export interface StartedStack {
  child: ChildProcess;
  api: string;
  inbox: string;
  output: () => string;
}

export async function npmStart(env: Record<string, string>): Promise<StartedStack> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'JAVA_HOME', 'USER'];
  const childEnv: Record<string, string> = Object.fromEntries(keep.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k] as string]])));
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...childEnv, ...env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'WARN', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    detached: true, // its own process group, like a terminal's job: Ctrl-C reaches all of it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack = child;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const urls = await pollUntil(
    'npm start',
    async () => {
      const api = /^\s+API\s+(http:\/\/\S+)\/v1$/m.exec(output)?.[1];
      const inbox = /^\s+Email inbox\s+(http:\/\/\S+?)\/?\s/m.exec(output)?.[1];
      if (!api || !inbox) throw new Error('not up yet');
      return { api, inbox };
    },
    { deadlineMs: 240_000, intervalMs: 200, abortIf: () => (child.exitCode !== null ? new Error(`npm start exited ${child.exitCode}:\n${output}`) : undefined) },
  );
  return { child, ...urls, output: () => output };
}

export function runBash(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const bash = spawn('bash', ['-c', script], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    bash.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    bash.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    bash.once('error', fail);
    bash.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** `NAME[key]` -> `NAME_key`: how {@link runWalkthrough} returns an associative array's entry. */
export type VarKey<V extends string> = V extends `${infer N}[${infer K}]` ? `${N}_${K}` : V;

export interface WalkthroughRun<V extends string> {
  started: StartedStack;
  /** The section's blocks after the first (the one that starts the stack). */
  steps: string[];
  /** The JSON lines each step printed, in order. */
  outputs: unknown[][];
  /** The shell variables named in `vars`, as the blocks left them. */
  vars: Record<VarKey<V>, string>;
}

/**
 * Starts the stack of the section's first block, runs the other blocks in one bash (API and
 * INBOX from the banner) and checks every block's promised answers. `vars`: shell variables
 * to read back after the last block (plain ones, or `NAME[key]` of an associative array,
 * returned under the key `NAME_key`).
 */
export async function runWalkthrough<V extends string>(
  title: string,
  options: { blocks: number; environment: Record<string, string>; vars: readonly V[] },
): Promise<WalkthroughRun<V>> {
  const blocks = walkthroughBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), title);
  expect(blocks.length).toBe(options.blocks);
  const env = startEnvironment(blocks[0] as string);
  expect(env).toMatchObject(options.environment);

  const started = await npmStart(env);
  const steps = blocks.slice(1);
  const named = options.vars.map((v) => `--arg ${v.replace(/\[(\w+)\]$/, '_$1')} "\${${v}}"`).join(' ');
  const script = [
    'set -euo pipefail',
    ...steps.flatMap((block, index) => [`echo "@@block ${index + 1}"`, block]),
    'echo "@@vars"',
    `jq -n -c ${named} '$ARGS.named'`,
  ].join('\n');
  const run = await runBash(script, { API: started.api, INBOX: started.inbox });
  expect(run.code, `bash failed:\n${run.stderr}\n${run.stdout}`).toBe(0);

  const parts = run.stdout.split(/^@@(?:block \d+|vars)$/m).slice(1);
  expect(parts).toHaveLength(steps.length + 1);
  const outputs = parts.slice(0, steps.length).map(jsonLines);
  steps.forEach((block, index) => expectSubsequence(outputs[index] as unknown[], promised(block), index + 1));
  const vars = JSON.parse((parts.at(-1) as string).trim()) as Record<VarKey<V>, string>;
  return { started, steps, outputs, vars };
}

/** Ctrl-C as a terminal sends it (SIGINT to the process group): the whole group stops, nothing is left. */
export async function expectCtrlCStopsEverything(started: StartedStack): Promise<void> {
  const pid = started.child.pid as number;
  const exited = new Promise<void>((done) => started.child.once('exit', () => done()));
  process.kill(-pid, 'SIGINT');
  await exited;
  await pollUntil('the stack\'s processes to end', async () => {
    if (groupAlive(pid)) throw new Error('a process of the group is still running');
  }, { deadlineMs: 15_000, intervalMs: 100 });
  expect(started.output()).toContain('Stopped.');
}

/** A JSON call to the walkthrough's API; a non-2xx answer throws. */
export async function api<T>(base: string, path: string, init: { token?: string; json?: unknown } = {}): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: init.json === undefined ? 'GET' : 'POST',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}
