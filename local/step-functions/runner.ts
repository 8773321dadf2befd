/**
 * Runs a registry workflow's real definition file in this process with aws-local-stepfunctions
 * 3.0.0, each Task state bound to its handler module (workflows/registry.ts) and invoked the
 * way Lambda would (lambda-invoke.ts).
 *
 * What the library does, as verified by tests/workflow/local-runner.test.ts:
 * - Retry and Catch match the thrown error's `name` exactly, plus `States.ALL`, and
 *   `States.TaskFailed` for any Task error except a timeout. A caught error becomes
 *   `{Error, Cause}` at the catcher's ResultPath; Cause is our Lambda-shaped JSON.
 * - A Task's TimeoutSeconds races the handler (default 60 s) and fails it with
 *   `States.Timeout`; the handler is NOT cancelled (as in Lambda, it runs on).
 * - Retry intervals follow IntervalSeconds x BackoffRate^n (MaxDelaySeconds, JitterStrategy
 *   FULL); `retryIntervalOverrides` replaces them with fixed milliseconds per state.
 * - The library's Wait sleeps with setTimeout against the system time (`waitTimeOverrides`: fixed
 *   milliseconds per Wait state name), and cannot sleep more than ~24.8 days. So every Wait
 *   state is rewritten into a runner task that sleeps on the stack's clock
 *   (local/clock/virtual-clock.ts; definition.ts, rewriteWaitStates): in real time by default,
 *   or on a controlled clock that moves only when advanced. Waits named in `waitTimeOverrides`
 *   keep the library's fixed override.
 * - Not supported by the library: JSONata (ignored silently), Assign, .waitForTaskToken,
 *   service integrations, `$$.State`/`$$.Task` context fields. Our workflows use none.
 * - A Map's ItemProcessor runs inline whatever its ProcessorConfig: `Mode: DISTRIBUTED`
 *   starts no child executions here (one nested run per item, p-limit(MaxConcurrency), with
 *   the parent's overrides and interceptors); see workflows/progress-reviews.asl.json.
 * - On Node 20 every Task needs Promise.withResolvers: polyfilled below, before the library.
 */
import 'core-js/actual/promise/with-resolvers.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { VirtualClock } from '../clock/virtual-clock.js';
import { WORKFLOWS, type WorkflowDefinition, type WorkflowKey } from '../../workflows/registry.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, localStateMachineArn } from '../stack-environment.js';
import { loadDefinition, localLambdaArn, rewriteWaitStates, type Json, type JsonObject, type TaskStateBinding } from './definition.js';
import { invokeLocally, type LambdaHandler } from './lambda-invoke.js';
import { runAsFunction } from '../iam/table-guard.js';

export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** Wraps (or replaces) the invocation of one Task state: call `invoke` to run the real handler. */
export type TaskInterceptor = (event: Json, invoke: (event: Json) => Promise<Json>) => Promise<Json>;

/** One event of the execution's history (aws-local-stepfunctions' EventLog). */
export interface ExecutionEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  Error?: string;
  Cause?: unknown;
  [other: string]: unknown;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  /** The input as given (JSON text), as DescribeExecution returns it. */
  input: string;
  startDate: Date;
  stopDate?: Date;
  status: ExecutionStatus;
  output?: string;
  error?: string;
  cause?: string;
  events: ExecutionEvent[];
}

export interface RunOptions {
  /** Execution name; a UUID when absent. */
  name?: string;
  taskInterceptors?: Readonly<Record<string, TaskInterceptor>>;
  /** Milliseconds per Wait state name (the library's override). */
  waitTimeOverrides?: Readonly<Record<string, number>>;
  /** Milliseconds per retryable state name, one number or one per retrier. */
  retryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
}

export interface LocalWorkflowOptions {
  repositoryRoot?: string;
  /**
   * The clock every Wait state sleeps on, and executions' start and stop dates read (default:
   * a clock in real time). Give the one installed for the process, so tasks read the same time.
   */
  clock?: VirtualClock;
  /** Default for every execution; RunOptions can add more. */
  waitTimeOverrides?: Readonly<Record<string, number>>;
  /** Handlers by state name instead of the registry's modules (tests of definitions only). */
  handlers?: Readonly<Record<string, LambdaHandler>>;
}

export interface LocalExecution {
  /** The live record: its status changes when the execution ends. */
  readonly record: ExecutionRecord;
  /** Resolves when the execution has ended, whatever the outcome; never rejects. */
  readonly done: Promise<ExecutionRecord>;
  /** Aborts a running execution (StopExecution). */
  stop(error?: string, cause?: string): void;
}

const CLOCK_WAIT_TASK = 'clock-wait';

const FAIL_STATE_DEFAULT_CAUSE = 'Execution failed because of a Fail state';

/** Maps the library's rejection to the execution's end as Step Functions reports it. */
function outcomeOf(error: unknown): Pick<ExecutionRecord, 'status' | 'error' | 'cause'> {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (failure.name === 'ExecutionAbortedError') return { status: 'ABORTED' };
  if (failure.name === 'ExecutionTimeoutError') return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out.' };
  if (failure.name === 'ExecutionError' && failure.cause instanceof Error) {
    const cause = failure.cause;
    // A Fail state without Cause: the library fills in its own sentence; AWS reports none.
    const isBareFail = cause.constructor.name === 'FailStateError' && cause.message === FAIL_STATE_DEFAULT_CAUSE;
    return { status: 'FAILED', error: cause.name, ...(isBareFail ? {} : { cause: cause.message }) };
  }
  return { status: 'FAILED', error: failure.name, cause: failure.message };
}

export class LocalWorkflow {
  readonly stateMachineArn: string;
  readonly clock: VirtualClock;
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(
    readonly workflow: WorkflowDefinition,
    /** The definition as run (substituted; Wait states rewritten to sleep on the clock). */
    readonly definition: JsonObject,
    readonly tasks: readonly TaskStateBinding[],
    private readonly handlers: ReadonlyMap<string, LambdaHandler>,
    private readonly clockWaits: ReadonlySet<string>,
    private readonly options: LocalWorkflowOptions,
    /** Validated once: the library validates on construction (50-200 ms), and run() is reentrant. */
    private readonly machine: StateMachine,
  ) {
    this.stateMachineArn = localStateMachineArn(workflow.id);
    this.clock = options.clock ?? new VirtualClock({ mode: 'real' });
  }

  /**
   * Loads the workflow and imports its task handlers. Apply the stack environment first:
   * handler modules read their configuration when imported, as at a Lambda cold start.
   */
  static async load(workflow: WorkflowKey | WorkflowDefinition, options: LocalWorkflowOptions = {}): Promise<LocalWorkflow> {
    const definitionOf: WorkflowDefinition = typeof workflow === 'string' ? WORKFLOWS[workflow] : workflow;
    const root = options.repositoryRoot ?? REPOSITORY_ROOT;
    const loaded = await loadDefinition(definitionOf, root);
    const handlers = new Map<string, LambdaHandler>();
    for (const binding of loaded.tasks) {
      const given = options.handlers?.[binding.stateName];
      if (given) {
        handlers.set(binding.stateName, given);
        continue;
      }
      const module = (await import(pathToFileURL(resolve(root, binding.task.entry)).href)) as { handler?: LambdaHandler };
      if (typeof module.handler !== 'function') throw new Error(`${binding.task.entry} does not export a handler`);
      handlers.set(binding.stateName, module.handler);
    }

    const rewritten = rewriteWaitStates(loaded.definition, localLambdaArn(CLOCK_WAIT_TASK), new Set(Object.keys(options.waitTimeOverrides ?? {})));
    // Fails now on an invalid definition, not at the first execution.
    const machine = new StateMachine(structuredClone(rewritten.definition) as unknown as StateMachineDefinition);
    return new LocalWorkflow(definitionOf, rewritten.definition, loaded.tasks, handlers, new Set(rewritten.rewritten), options, machine);
  }

  executionArnFor(name: string): string {
    const machine = `moodrx-local-${this.workflow.id}`;
    return this.workflow.type === 'STANDARD'
      ? `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:execution:${machine}:${name}`
      : `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:express:${machine}:${name}:${randomUUID()}`;
  }

  /** Starts an execution in the background. */
  start(input: Json, options: RunOptions = {}): LocalExecution {
    const name = options.name ?? randomUUID();
    const record: ExecutionRecord = {
      executionArn: this.executionArnFor(name),
      stateMachineArn: this.stateMachineArn,
      name,
      input: JSON.stringify(input),
      startDate: this.clock.now(),
      status: 'RUNNING',
      events: [],
    };
    const abort = new AbortController();
    const activity = this.clock.track(name);
    let stopReason: { error?: string; cause?: string } = {};

    const localHandlers: Record<string, (event: Json) => Promise<Json>> = {};
    for (const binding of this.tasks) {
      const handler = this.handlers.get(binding.stateName) as LambdaHandler;
      const invoke = (event: Json) =>
        this.track(
          // As the task's function: its table calls are held to its IAM (local/iam/table-guard.ts).
          runAsFunction(binding.task, () =>
            invokeLocally(handler, event, {
              functionName: `moodrx-local-${binding.task.id}`,
              timeoutMs: (binding.timeoutSeconds ?? 60) * 1000,
            }),
          ),
        );
      const interceptor = options.taskInterceptors?.[binding.stateName];
      localHandlers[binding.stateName] = interceptor ? (event) => interceptor(event, invoke) : invoke;
    }
    const runOverrides = options.waitTimeOverrides ?? {};
    for (const state of this.clockWaits) {
      localHandlers[state] = async (event) => {
        const { input: stateInput, seconds, timestamp } = event as { input: Json; seconds?: number; timestamp?: string };
        const fixedMs = runOverrides[state];
        if (fixedMs !== undefined) {
          // A run's own fixed override (real milliseconds), as the library's waitTimeOverrides.
          await new Promise<void>((resolveWait) => {
            const timer = setTimeout(resolveWait, fixedMs);
            abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolveWait()), { once: true });
          });
          return stateInput;
        }
        const due = seconds !== undefined ? new Date(this.clock.now().getTime() + seconds * 1000) : new Date(timestamp as string);
        if (Number.isNaN(due.getTime())) throw new Error(`Wait ${state}: not a duration or timestamp`);
        await activity.sleepUntil(due, state, abort.signal);
        return stateInput;
      };
    }

    const execution = this.machine.run(input, {
      overrides: {
        taskResourceLocalHandlers: localHandlers,
        waitTimeOverrides: { ...this.options.waitTimeOverrides, ...options.waitTimeOverrides },
        ...(options.retryIntervalOverrides ? { retryIntervalOverrides: { ...options.retryIntervalOverrides } } : {}),
      },
      context: {
        Execution: { Id: record.executionArn, Name: name, RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/moodrx-local-workflows` },
        StateMachine: { Id: this.stateMachineArn, Name: `moodrx-local-${this.workflow.id}` },
      },
    });

    const collecting = (async () => {
      for await (const event of execution.eventLogs) record.events.push(event as unknown as ExecutionEvent);
    })();

    const done = execution.result.then(
      (output) => ({ status: 'SUCCEEDED' as const, output: JSON.stringify(output) }),
      (error: unknown) => outcomeOf(error),
    ).then(async (outcome) => {
      if (outcome.status === 'ABORTED') Object.assign(outcome, stopReason);
      abort.abort();
      await collecting;
      Object.assign(record, outcome, { stopDate: this.clock.now() });
      activity.end();
      return record;
    });

    return {
      record,
      done,
      stop: (error?: string, cause?: string) => {
        if (record.status !== 'RUNNING') return;
        stopReason = { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
        abort.abort();
        execution.abort();
      },
    };
  }

  /** Starts an execution and waits for its end. */
  async run(input: Json, options: RunOptions = {}): Promise<ExecutionRecord> {
    return this.start(input, options).done;
  }

  /** Resolves once no task handler of this workflow is running (stopped executions finish their current task). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const forget = () => this.inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}

/** The names of the states an execution entered, in order (a path through the workflow). */
export function statesEntered(record: Pick<ExecutionRecord, 'events'>): string[] {
  return record.events.filter((event) => event.type === 'StateEntered').map((event) => event.state?.name ?? '?');
}
