/**
 * `npm start`: the whole backend on this machine, until Ctrl-C.
 *
 *   PORT=3000            the API port (0: any free port)
 *   LOCAL_IN_MEMORY=1    keep nothing on disk
 *   LOCAL_DATA_DIR=...   where data lives otherwise (default .local-data, git-ignored)
 *   LOCAL_CLOCK=controlled
 *                        time travel: time stands still until POST /local/clock/advance moves it
 *   LOCAL_CLOCK_START=2027-01-04T09:00:00Z
 *                        where a controlled clock starts (default: now)
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLOCK_STATE_FILE, describeClock, readClockSettings, readSavedClock, type ClockSettings } from './clock/clock-settings.js';
import { VirtualClock } from './clock/virtual-clock.js';
import { DEMO_PASSWORD, DEMO_STAFF } from './seed.js';
import { DEFAULT_API_PORT, DEFAULT_DATA_DIR, REPOSITORY_ROOT, startLocalStack, type LocalStack } from './stack.js';

// Before any SDK client exists: Node 20 is what this machine has, the notice is known.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const inMemory = process.env.LOCAL_IN_MEMORY === '1' || process.env.LOCAL_IN_MEMORY === 'true';
const dataDir = process.env.LOCAL_DATA_DIR || DEFAULT_DATA_DIR;
let clockSettings: ClockSettings;
try {
  clockSettings = readClockSettings(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
let starting: Promise<LocalStack> | undefined;
let stopping = false;

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_API_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, not "${raw}"`);
  return port;
}

async function shutdown(signal: string, exitCode: number): Promise<void> {
  if (stopping) {
    // Ctrl-C reaches this process twice: from the terminal (the whole process group) and
    // relayed by tsx. Stopping is bounded (a child that ignores SIGTERM gets SIGKILL after 5 s),
    // so a repeated signal just waits; exiting early would orphan the children mid-stop.
    return;
  }
  stopping = true;
  console.log(`\n${signal}: stopping the local stack...`);
  try {
    // A stack still starting is stopped once it is up (every start step has a deadline).
    const stack = await starting?.catch(() => undefined);
    await stack?.stop();
    console.log('Stopped.');
    process.exit(exitCode);
  } catch (error) {
    console.error('The local stack did not stop cleanly:', error);
    process.exit(1);
  }
}

function banner(stack: LocalStack, seconds: string): string {
  const width = Math.max(...DEMO_STAFF.map((member) => member.email.length));
  const nameWidth = Math.max(...DEMO_STAFF.map((member) => `${member.firstName} ${member.lastName}`.length));
  return [
    '',
    `MoodRx local stack is up (${seconds} s).`,
    '',
    `  API            ${stack.apiUrl}/v1`,
    `  OpenAPI        ${stack.apiUrl}/v1/openapi.json`,
    `  Email inbox    ${stack.inboxUrl}   (every email the API sends lands here)`,
    `  Clock          ${stack.apiUrl}/local/clock   ${describeClock(stack.clock.mode, stack.clock.now())}`,
    '',
    `Demo staff accounts (synthetic), all with the password ${DEMO_PASSWORD}`,
    ...DEMO_STAFF.map((member) => {
      const name = `${member.firstName} ${member.lastName}`.padEnd(nameWidth);
      const states = member.licensedStates.length > 0 ? `licensed in ${member.licensedStates.join(', ')}` : '';
      return `  ${member.email.padEnd(width)}  ${member.role.padEnd(11)}  ${name}  ${states}`.trimEnd();
    }),
    '',
    'Clients sign up with POST /v1/signup and verify with POST /v1/signup/verify {"email","code"} (the code is in the inbox). Sign in: POST /v1/auth/login {"email","password"}.',
    `Data: ${inMemory ? 'in memory, gone when you stop' : `${dataDir}/ (delete it to start afresh)`}.`,
    'Stop with Ctrl-C.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  let stack: LocalStack;
  try {
    console.log(`Starting the MoodRx local stack (${inMemory ? 'in memory' : `data in ${dataDir}`})...`);
    // A controlled clock resumes where it stood with this data (unless LOCAL_CLOCK_START says otherwise).
    const clockStateFile = inMemory ? undefined : join(resolve(REPOSITORY_ROOT, dataDir), CLOCK_STATE_FILE);
    const saved = clockSettings.mode === 'controlled' && !clockSettings.start && clockStateFile ? readSavedClock(clockStateFile) : undefined;
    const clock = new VirtualClock(saved ? { mode: 'controlled', start: saved } : clockSettings);
    starting = startLocalStack({ apiPort: parsePort(process.env.PORT), inMemory, dataDir, seed: true, clock, ...(clockStateFile ? { clockStateFile } : {}) });
    stack = await starting;
  } catch (error) {
    if (stopping) return; // shutdown() has it in hand
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\nThe local stack could not start: ${message}`);
    if (/EADDRINUSE|in use/i.test(message)) {
      console.error('A port is taken, maybe by another `npm start`. Stop it, or choose another API port: PORT=3001 npm start');
    }
    process.exit(1);
  }
  if (!stopping) console.log(banner(stack, ((Date.now() - startedAt) / 1000).toFixed(1)));
}

/** The parent pid of `pid`, from /proc (Linux); undefined elsewhere or when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * `npm start` runs `sh -c tsx ...`, and tsx runs this file in a child node. A SIGTERM sent to npm
 * alone kills `sh`, which does not pass it on: tsx and this process would live on as orphans.
 * So watch the launcher above tsx and stop when it is gone (Ctrl-C reaches everyone anyway).
 */
function stopWhenLauncherExits(): void {
  const launcher = parentOf(process.ppid);
  if (launcher === undefined) return;
  setInterval(() => {
    if (parentOf(process.ppid) !== launcher) void shutdown('launcher exited', 0);
  }, 1_000).unref();
}

process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
process.on('SIGHUP', () => void shutdown('SIGHUP', 0));
stopWhenLauncherExits();
process.on('uncaughtException', (error) => {
  console.error('Unexpected error:', error);
  void shutdown('uncaughtException', 1);
});

void main();
