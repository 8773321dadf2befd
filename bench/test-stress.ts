/**
 * Flake check: runs the integration tests (tests/integration and tests/workflow, which share one
 * local stack) several times in a row while every core is kept busy by a CPU burner, so tests
 * that only pass on an idle machine (tight timeouts, races with the emulators, ordering
 * assumptions) fail here rather than at random in CI.
 *
 *   npm run test:stress                                  # 10 runs of the integration project
 *   npm run test:stress -- --runs 3                      # or STRESS_RUNS=3
 *   npm run test:stress -- --project integration -- tests/integration/api   # extra args go to vitest
 *
 * Each run is `npx vitest run --project <name>... <extra args>`; its exit code decides pass or
 * fail and its output goes to a file in a temp directory (the names of failing tests are
 * printed). One burner (`node -e` busy loop) per core, os.availableParallelism(), runs from
 * before the first run until the end; burners and the current run are killed on exit, on
 * SIGINT and on SIGTERM, and a burner also exits by itself once its parent is gone.
 * Exits 1 if any run failed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stripVTControlCharacters } from 'node:util';

const root = resolve(import.meta.dirname, '..');

interface Options {
  runs: number;
  projects: string[];
  extra: string[];
}

function usage(message: string): never {
  console.error(`test:stress: ${message}`);
  console.error('usage: tsx bench/test-stress.ts [--runs N] [--project name]... [-- vitest args...]');
  process.exit(2);
}

function parseRuns(value: string | undefined, source: string): number {
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1) usage(`${source} must be a positive integer, got ${JSON.stringify(value)}`);
  return runs;
}

function parseOptions(argv: string[]): Options {
  const projects: string[] = [];
  const extra: string[] = [];
  let runs = process.env.STRESS_RUNS ? parseRuns(process.env.STRESS_RUNS, 'STRESS_RUNS') : 10;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      extra.push(...argv.slice(i + 1));
      break;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) usage(`${name} needs a value`);
      return next;
    };
    if (name === '--runs') runs = parseRuns(value(), '--runs');
    else if (name === '--project') projects.push(value());
    else usage(`unknown argument ${JSON.stringify(arg)} (vitest arguments go after --)`);
  }
  return { runs, projects: projects.length > 0 ? projects : ['integration'], extra };
}

// --- Burners -------------------------------------------------------------------------------

/**
 * A tight loop that, every ~10^7 iterations, checks its parent is still this script: if the
 * script dies without cleaning up (SIGKILL), the burner is re-parented and exits.
 */
const BURNER = 'const p=process.ppid;for(;;){for(let i=0;i<1e7;i++);if(process.ppid!==p)process.exit(0)}';

const burners: ChildProcess[] = [];
let current: ChildProcess | undefined;

function startBurners(count: number): void {
  for (let i = 0; i < count; i++) burners.push(spawn(process.execPath, ['-e', BURNER], { stdio: 'ignore' }));
}

function kill(child: ChildProcess, signal: NodeJS.Signals, group = false): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(group ? -child.pid : child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Idempotent and synchronous, so it can run from a signal handler and from 'exit'. */
function cleanUp(): void {
  for (const burner of burners) kill(burner, 'SIGKILL');
  // The run is the leader of its own process group (detached): this reaches vitest, its
  // workers and the emulators it started.
  if (current) kill(current, 'SIGTERM', true);
}

process.on('exit', cleanUp);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    console.error(`\ntest:stress: ${signal}, stopping the burners and the current run`);
    cleanUp();
    process.exit(code);
  });
}

// --- Runs ----------------------------------------------------------------------------------

interface RunResult {
  passed: boolean;
  seconds: number;
  log: string;
}

function runVitest(args: string[], log: string): Promise<{ code: number | null; seconds: number }> {
  const fd = openSync(log, 'w');
  const started = performance.now();
  return new Promise((resolveRun) => {
    const child = spawn('npx', ['vitest', 'run', ...args], { cwd: root, stdio: ['ignore', fd, fd], detached: true });
    current = child;
    let settled = false;
    const settle = (code: number | null): void => {
      if (settled) return;
      settled = true;
      current = undefined;
      closeSync(fd);
      resolveRun({ code, seconds: (performance.now() - started) / 1000 });
    };
    child.on('error', (error) => {
      console.error(`test:stress: could not start vitest: ${error.message}`);
      settle(null);
    });
    child.on('close', (code) => settle(code));
  });
}

/** Failing test names: the lines vitest marks with ' FAIL ' or '×', without colors, once each. */
function failedTests(log: string): string[] {
  const lines = stripVTControlCharacters(readFileSync(log, 'utf8')).split('\n');
  return [...new Set(lines.filter((line) => line.includes(' FAIL ') || line.includes('×')).map((line) => line.trim()))];
}

/** The "Tests  9 passed (9)" line of vitest's summary, if any. */
function testsSummary(log: string): string | undefined {
  const line = stripVTControlCharacters(readFileSync(log, 'utf8')).split('\n').find((l) => /^\s*Tests\s+\d/.test(l));
  return line?.trim().replace(/\s+/g, ' ');
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const args = [...options.projects.flatMap((name) => ['--project', name]), ...options.extra];
  const cores = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'test-stress-'));
  console.log(`test:stress: ${options.runs} runs of \`vitest run ${args.join(' ')}\` with ${cores} CPU burners; output in ${dir}`);

  const results: RunResult[] = [];
  try {
    startBurners(cores);
    for (let index = 1; index <= options.runs; index++) {
      const log = join(dir, `run-${String(index).padStart(String(options.runs).length, '0')}.log`);
      const { code, seconds } = await runVitest(args, log);
      const passed = code === 0;
      results.push({ passed, seconds, log });
      const summary = testsSummary(log);
      console.log(`run ${index}/${options.runs}: ${passed ? 'pass' : 'FAIL'} ${seconds.toFixed(1)} s${summary ? ` (${summary})` : ''}`);
      if (!passed) {
        console.log(`  exit code ${code ?? 'none'}, output: ${log}`);
        const failed = failedTests(log);
        for (const line of failed.slice(0, 40)) console.log(`  ${line}`);
        if (failed.length > 40) console.log(`  ... ${failed.length - 40} more, see the output`);
      }
    }
  } finally {
    cleanUp();
  }

  const walls = results.map((r) => r.seconds);
  const passes = results.filter((r) => r.passed).length;
  console.log(
    `test:stress: ${passes}/${results.length} passed with ${cores} CPU burners ` +
      `(wall p50 ${percentile(walls, 50).toFixed(1)} s, max ${Math.max(...walls).toFixed(1)} s)`,
  );
  if (passes < results.length) process.exitCode = 1;
}

await main();
