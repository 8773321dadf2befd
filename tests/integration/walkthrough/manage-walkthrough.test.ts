/**
 * The README's walkthrough "from a match to a revised plan" (issue 10), run as a new user runs
 * it, so it cannot drift from the API:
 * 1. `npm start` with the environment of the section's first block (the controlled clock, in
 *    memory), PORT=0 so nothing collides with another stack (the banner says where the API and
 *    the inbox are; the blocks take them from API and INBOX);
 * 2. every other `sh` block of the section, verbatim, in ONE bash (`set -euo pipefail`);
 * 3. each block's answers checked: every `# -> <JSON>` comment of the block must appear among
 *    the JSON lines the block printed, in order, and the clinical outcomes are asserted here
 *    (the review task opened at exactly 8 weeks after care started, the revision's reason and
 *    evidence, CBT stopped with its reason and ERP active, the objectives carried over);
 * 4. Ctrl-C (SIGINT to the process group, as a terminal sends it): the stack stops and no
 *    process of the group is left.
 *
 * It starts its own stack (not the integration tests' one, which runs on real time) with a
 * minimal environment: nothing of the test stack's endpoints leaks into it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../local/emulators/wait.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SECTION = '### Walkthrough: from a match to a revised plan';
const DAY_MS = 86_400_000;

/** The `sh` blocks of the README section, in order. */
function walkthroughBlocks(readme: string): string[] {
  const start = readme.indexOf(`${SECTION}\n`);
  if (start < 0) throw new Error(`README.md has no "${SECTION}"`);
  const rest = readme.slice(start + SECTION.length);
  const end = rest.search(/\n#{2,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

/** `A=1 B=2 npm start` -> { A: '1', B: '2' }. */
function startEnvironment(block: string): Record<string, string> {
  const line = block.split('\n').find((l) => /\bnpm start\b/.test(l));
  if (!line) throw new Error('The first block does not start the stack');
  return Object.fromEntries([...line.matchAll(/\b([A-Z_]+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string]));
}

/** The JSON values a block's comments promise: `# -> X` and its `#    X` continuation lines, where X is JSON. */
function promised(block: string): unknown[] {
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
      // prose ("... {...} ..."): shown to people, checked by the assertions below
    }
  }
  return values;
}

function jsonLines(output: string): unknown[] {
  return output.split('\n').flatMap((line) => {
    try {
      return line.trim() === '' ? [] : [JSON.parse(line) as unknown];
    } catch {
      return [];
    }
  });
}

/** `expected` appears in `actual` as a subsequence (deep equality). */
function expectSubsequence(actual: unknown[], expected: unknown[], block: number): void {
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

async function npmStart(env: Record<string, string>): Promise<{ child: ChildProcess; api: string; inbox: string; output: () => string }> {
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

function runBash(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
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

async function api<T>(base: string, path: string, init: { token?: string; json?: unknown } = {}): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: init.json === undefined ? 'GET' : 'POST',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}

describe('README walkthrough: from a match to a revised plan', () => {
  it('runs as written on npm start with the controlled clock, and Ctrl-C leaves nothing running', { timeout: 420_000 }, async () => {
    const blocks = walkthroughBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(blocks.length).toBe(10);
    const env = startEnvironment(blocks[0] as string);
    expect(env).toMatchObject({ LOCAL_IN_MEMORY: '1', LOCAL_CLOCK: 'controlled' });

    const started = await npmStart(env);
    const steps = blocks.slice(1);
    const script = [
      'set -euo pipefail',
      ...steps.flatMap((block, index) => [`echo "@@block ${index + 1}"`, block]),
      'echo "@@vars"',
      'jq -n -c --arg CLIENT "$CLIENT" --arg PLAN1 "$PLAN1" --arg PLAN2 "$PLAN2" --arg BASELINE "$BASELINE" --arg SESSION1 "$SESSION1" --arg NOTE "$NOTE" \'$ARGS.named\'',
    ].join('\n');
    const run = await runBash(script, { API: started.api, INBOX: started.inbox });
    expect(run.code, `bash failed:\n${run.stderr}\n${run.stdout}`).toBe(0);

    const parts = run.stdout.split(/^@@(?:block \d+|vars)$/m).slice(1);
    expect(parts).toHaveLength(steps.length + 1);
    const outputs = parts.slice(0, steps.length).map(jsonLines);
    steps.forEach((block, index) => expectSubsequence(outputs[index] as unknown[], promised(block), index + 1));
    const vars = JSON.parse((parts.at(-1) as string).trim()) as Record<'CLIENT' | 'PLAN1' | 'PLAN2' | 'BASELINE' | 'SESSION1' | 'NOTE', string>;

    // Care started at the accept (block 3); the review task opened exactly 8 weeks later (block 8).
    const accepted = outputs[2]?.find((o): o is { startedAt: string } => typeof o === 'object' && o !== null && 'startedAt' in o);
    const opened = outputs[7]?.find((o): o is { openedAt: string; kind: string } => typeof o === 'object' && o !== null && 'openedAt' in o);
    expect(accepted && opened).toBeTruthy();
    expect(Date.parse(opened!.openedAt) - Date.parse(accepted!.startedAt)).toBe(56 * DAY_MS);
    expect(outputs[7]?.[0]).toEqual([]); // one minute before: none

    // The end state, read back as the therapist.
    const { accessToken: token } = await api<{ accessToken: string }>(started.api, '/v1/auth/login', { json: { email: 'therapist.oh@example.com', password: 'Demo-Password-2026!' } });
    const base = `/v1/clients/${vars.CLIENT}`;
    const phq9 = await api<{ items: { assessmentId: string }[] }>(started.api, `${base}/assessments?instrument=phq9`, { token });
    expect(phq9.items).toHaveLength(5);
    expect(phq9.items.map((a) => a.assessmentId)).toContain(vars.BASELINE);
    type Plan = {
      planId: string; version: number; status: string; replaces?: { planId: string };
      revision?: { reason: string; text?: string; evidence: { assessmentIds: string[] } };
      interventions: { id: string; modality: string; status: string; stopReason?: string }[];
      objectives: { id: string }[]; strengths: string[];
    };
    const { versions } = await api<{ versions: Plan[] }>(started.api, `${base}/plans`, { token });
    expect(versions.map((v) => [v.planId, v.version, v.status])).toEqual([[vars.PLAN2, 2, 'active'], [vars.PLAN1, 1, 'revised']]);
    const revised = versions[0] as Plan;
    expect(revised.replaces?.planId).toBe(vars.PLAN1);
    expect(revised.revision?.reason).toBe('not_on_track');
    expect([...(revised.revision?.evidence.assessmentIds ?? [])].sort()).toEqual(phq9.items.map((a) => a.assessmentId).sort());
    expect(revised.interventions).toEqual([
      expect.objectContaining({ id: 'i1', modality: 'cbt', status: 'stopped', stopReason: 'No reliable change on the PHQ-9 after 8 weeks' }),
      expect.objectContaining({ id: 'i2', modality: 'erp', status: 'active' }),
    ]);
    expect(revised.objectives.map((o) => o.id)).toEqual(['o1', 'o2']);
    expect(revised.strengths).toEqual((versions[1] as Plan).strengths);
    const reviews = await api<{ reviews: { reviewId: string; status: string; outcome?: string; revisionPlanId?: string }[] }>(started.api, `${base}/plan-reviews?status=all`, { token });
    expect(reviews.reviews).toEqual([expect.objectContaining({ reviewId: `not_on_track:${vars.PLAN1}`, status: 'closed', outcome: 'revised', revisionPlanId: vars.PLAN2 })]);
    const session = await api<{ status: string }>(started.api, `/v1/sessions/${vars.SESSION1}`, { token });
    expect(session.status).toBe('attended');
    const note = await api<{ status: string; format: string; sessionId: string }>(started.api, `/v1/notes/${vars.NOTE}`, { token });
    expect(note).toMatchObject({ status: 'signed', format: 'soap', sessionId: vars.SESSION1 });

    // Ctrl-C: the whole group stops, nothing is left.
    const pid = started.child.pid as number;
    const exited = new Promise<void>((done) => started.child.once('exit', () => done()));
    process.kill(-pid, 'SIGINT');
    await exited;
    await pollUntil('the stack\'s processes to end', async () => {
      if (groupAlive(pid)) throw new Error('a process of the group is still running');
    }, { deadlineMs: 15_000, intervalMs: 100 });
    expect(started.output()).toContain('Stopped.');
  });
});
