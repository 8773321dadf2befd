/**
 * The whole MoodRx backend on one machine: the emulators, then the environment every handler
 * reads at import, then the Step Functions emulator (which runs the workflow task handlers),
 * then the API-Gateway-shaped server, then the demo data. Used by `npm start` (local/start.ts)
 * and by the integration tests' global setup.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCorsAllowList } from '../shared/config/cors.js';
import { ROUTES } from '../shared/http/routes.js';
import { startApiServer } from './api-server.js';
import { createCognitoAuthorizer } from './authorizer.js';
import { DEFAULT_COGNITO_PORT, startCognito, type LocalUserPool } from './emulators/cognito.js';
import { DEFAULT_DYNAMODB_PORT, LOCAL_TABLE_NAME, startDynamoDb } from './emulators/dynamodb.js';
import { freePort } from './emulators/ports.js';
import { DEFAULT_SES_PORT, startSes } from './emulators/ses.js';
import { localAuditHmacKey } from './audit-key.js';
import { localNoteKey } from './note-key.js';
import { seedDemoData, type SeedResult } from './seed.js';
import { applyStackEnvironment, buildStackEnvironment } from './stack-environment.js';
import { DEFAULT_STEP_FUNCTIONS_PORT, startStepFunctionsEmulator, type StepFunctionsEmulator } from './step-functions/server.js';
import { installClock } from '../shared/adapters/clock.js';
import { reconcileAll } from '../shared/use-cases/care-lifecycle/reconcile.js';
import { handleClockRequest } from './clock/clock-routes.js';
import { saveClock } from './clock/clock-settings.js';
import { VirtualClock } from './clock/virtual-clock.js';
import { installTableGuard, runAsFunction } from './iam/table-guard.js';
import { SCHEDULED_TASKS } from '../workflows/schedules.js';
import { lambdaContext } from './lambda-context.js';
import { startHourlyProgressReviews } from './progress-review-scheduler.js';

export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_API_PORT = 3000;
export const DEFAULT_DATA_DIR = '.local-data';

export interface LocalStackOptions {
  /** Default 3000; 0 = a free port, and then every emulator takes a free port too. */
  apiPort?: number;
  /** Nothing on disk: DynamoDB in memory, cognito-local in a temporary folder. */
  inMemory?: boolean;
  /** Where data lives when not in memory; default `.local-data` (git-ignored), relative to the repository. */
  dataDir?: string;
  /** Seed the demo accounts (default true). */
  seed?: boolean;
  log?: (line: string) => void;
  /**
   * The stack's time (local/clock/virtual-clock.ts): real time by default, or a controlled
   * clock that moves only when advanced (LOCAL_CLOCK=controlled for `npm start`, and
   * `POST /local/clock/advance`). Installed as the process's clock while the stack runs.
   */
  clock?: VirtualClock;
  /** A controlled clock's time is written here after every advance and at stop (npm start: with the data). */
  clockStateFile?: string;
}

export interface LocalStack {
  apiUrl: string;
  /** The web inbox of the SES emulator. */
  inboxUrl: string;
  sesEndpoint: string;
  /** Everything applied to process.env: give it to any other process that must reach the stack. */
  env: Record<string, string>;
  clientPool: LocalUserPool;
  staffPool: LocalUserPool;
  seed: SeedResult | undefined;
  /** Workflow executions so far, newest first (in this process only). */
  executions: StepFunctionsEmulator['executions'];
  /** The time of the handlers, the workflows and the inbox. */
  clock: VirtualClock;
  /** For measurements. */
  pids: { dynamoDb: number | undefined; cognito: number | undefined };
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const free = options.apiPort === 0;
  const port = (fixed: number): number => (free ? 0 : fixed);
  const dataDir = options.inMemory ? undefined : resolve(REPOSITORY_ROOT, options.dataDir ?? DEFAULT_DATA_DIR);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const clock = options.clock ?? new VirtualClock({ mode: 'real' });
  const keepClock = (now: Date) => {
    if (options.clockStateFile && clock.mode === 'controlled') saveClock(options.clockStateFile, now);
  };

  const stoppers: (() => Promise<void>)[] = [];
  // First in, so last out: handlers finishing during the stop still read this clock.
  const uninstallClock = installClock(clock);
  // Every handler and task held to its function's table IAM, as in AWS (local/iam/table-guard.ts).
  const uninstallTableGuard = installTableGuard();
  stoppers.push(async () => {
    uninstallClock();
    uninstallTableGuard();
    keepClock(clock.now());
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      const errors: unknown[] = [];
      // Reverse order: nothing keeps calling an emulator that is already gone.
      for (const stopOne of stoppers.reverse()) {
        try {
          await stopOne();
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length > 0) throw new AggregateError(errors, 'Some parts of the local stack did not stop cleanly');
    })();
    return stopped;
  };

  try {
    // The three emulators are independent: start them together (DynamoDB's JVM is the slow one),
    // and wait for all of them even if one fails, so that none is left running.
    const started = await Promise.allSettled([
      startDynamoDb({ port: port(DEFAULT_DYNAMODB_PORT), dataDir: dataDir && join(dataDir, 'dynamodb') }),
      startSes({ port: port(DEFAULT_SES_PORT), clock }),
      startCognito({ port: port(DEFAULT_COGNITO_PORT), dataDir: dataDir && join(dataDir, 'cognito') }),
    ] as const);
    for (const outcome of started) if (outcome.status === 'fulfilled') stoppers.push(outcome.value.stop);
    const dynamoDb = valueOf(started[0]);
    const ses = valueOf(started[1]);
    const cognito = valueOf(started[2]);

    // Both ports are needed in the environment before anything that reads it is imported.
    const apiPort = options.apiPort === 0 ? await freePort() : (options.apiPort ?? DEFAULT_API_PORT);
    const stepFunctionsPort = free ? await freePort() : DEFAULT_STEP_FUNCTIONS_PORT;
    const env = buildStackEnvironment({
      tableName: LOCAL_TABLE_NAME,
      clientPool: cognito.clientPool,
      staffPool: cognito.staffPool,
      endpoints: {
        dynamodb: dynamoDb.endpoint,
        ses: ses.endpoint,
        stepFunctions: `http://127.0.0.1:${stepFunctionsPort}`,
        cognito: cognito.endpoint,
      },
      appBaseUrl: `http://127.0.0.1:${apiPort}`,
      auditHmacKey: localAuditHmacKey(dataDir),
      noteKey: localNoteKey(dataDir),
    });
    applyStackEnvironment(env);

    // After applyStackEnvironment: its task handlers read the environment when they load.
    const stepFunctions = await startStepFunctionsEmulator({
      port: stepFunctionsPort,
      repositoryRoot: REPOSITORY_ROOT,
      log,
      clock,
    });
    stoppers.push(() => stepFunctions.stop());
    if (stepFunctions.endpoint !== env.AWS_ENDPOINT_URL_SFN) {
      throw new Error(`The Step Functions emulator listens on ${stepFunctions.endpoint}, not ${env.AWS_ENDPOINT_URL_SFN}`);
    }

    const api = await startApiServer({
      port: apiPort,
      routes: ROUTES,
      verifyAccessToken: createCognitoAuthorizer([cognito.clientPool, cognito.staffPool]),
      repositoryRoot: REPOSITORY_ROOT,
      log,
      now: () => clock.now(),
      corsAllowList: readCorsAllowList(env),
      localRoutes: (method, path, body) => handleClockRequest({ clock, sesEndpoint: ses.endpoint, onAdvanced: keepClock }, method, path, body),
    });
    stoppers.push(api.stop);

    const seed =
      options.seed === false ? undefined : await seedDemoData({ staffUserPoolId: cognito.staffPool.userPoolId, tableName: LOCAL_TABLE_NAME, now: () => clock.now() });

    // Executions live in this process's memory: resume every active client's care lifecycle
    // (in AWS the same reconciler runs daily). Imported now: it reads the environment applied above.
    const { reconcilerDependencies } = await import('../functions/scheduled/reconcile-care-lifecycles.js');
    const reconciled = await runAsFunction(SCHEDULED_TASKS.reconcileCareLifecycles, () =>
      reconcileAll({ ...reconcilerDependencies(), log: (message, fields) => log(`${message} ${JSON.stringify(fields)}`) }),
    );
    if (reconciled.checked > 0) log(`Care lifecycles: ${reconciled.checked} active clients, ${reconciled.started} lifecycles (re)started.`);

    // The hourly schedule of the progress reviews (EventBridge Scheduler in AWS), on the stack's clock.
    const { handler: startProgressReviews } = await import('../functions/scheduled/start-progress-reviews.js');
    const ticker = startHourlyProgressReviews({
      clock,
      log,
      start: (scheduledTime) =>
        runAsFunction(SCHEDULED_TASKS.startProgressReviews, () =>
          startProgressReviews(
            { source: 'local-schedule', scheduledTime },
            lambdaContext({ functionName: `moodrx-local-${SCHEDULED_TASKS.startProgressReviews.id}`, requestId: `progress-reviews-${scheduledTime}`, deadline: Date.now() + SCHEDULED_TASKS.startProgressReviews.timeoutSeconds * 1000 }),
          ),
        ),
    });
    // Before the Step Functions emulator stops (stoppers run in reverse).
    stoppers.push(() => ticker.stop());

    return {
      apiUrl: api.url,
      inboxUrl: ses.inboxUrl,
      sesEndpoint: ses.endpoint,
      env,
      clientPool: cognito.clientPool,
      staffPool: cognito.staffPool,
      seed,
      executions: () => stepFunctions.executions(),
      clock,
      pids: { dynamoDb: dynamoDb.pid, cognito: cognito.pid },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

function valueOf<T>(outcome: PromiseSettledResult<T>): T {
  if (outcome.status === 'rejected') throw outcome.reason;
  return outcome.value;
}
