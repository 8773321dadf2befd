/**
 * The local Step Functions service: an HTTP server on 127.0.0.1 speaking the Step Functions
 * JSON protocol (awsJson1_0, `X-Amz-Target: AWSStepFunctions.<Operation>`), so
 * `@aws-sdk/client-sfn` works against it through AWS_ENDPOINT_URL_SFN. Every workflow of
 * workflows/registry.ts is a state machine `moodrx-local-<id>`, run by runner.ts.
 *
 * Operations: StartExecution, StartSyncExecution (Express only, answered when the execution
 * ends), DescribeExecution, ListExecutions, StopExecution. Errors have the AWS JSON shape
 * (HTTP 400, `__type`, `message`), so the SDK throws the same exception classes as in AWS.
 * The SDK prefixes StartSyncExecution's host with `sync-`: clients of a custom endpoint set
 * `disableHostPrefix: true` (shared/adapters/sfn/sync-workflow-client.ts).
 *
 * Differences from AWS: executions live in memory (a restart forgets them; a later issue makes
 * the stack resume lifecycles); no execution history API (events are dropped when an execution
 * ends); an Express execution can be described and listed only while it runs (AWS: never).
 * As in AWS, the name of an ended Standard execution cannot be reused.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WORKFLOWS, type WorkflowKey } from '../../workflows/registry.js';
import type { VirtualClock } from '../clock/virtual-clock.js';
import type { Json } from './definition.js';
import { LocalWorkflow, type ExecutionRecord, type ExecutionStatus, type LocalExecution, type LocalWorkflowOptions } from './runner.js';

export const DEFAULT_STEP_FUNCTIONS_PORT = 8083;
const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** Step Functions' limit on an execution's input. */
const MAX_INPUT_BYTES = 256 * 1024;
const STOP_GRACE_MS = 10_000;

export interface StepFunctionsEmulatorOptions {
  /** 0: a free port. Default 8083. */
  port?: number;
  /** The clock every workflow's Waits sleep on (default: real time; see local/clock/). */
  clock?: VirtualClock;
  /** Fixed milliseconds per Wait state name. */
  waitTimeOverrides?: Readonly<Record<string, number>>;
  /** The workflows to serve (default: all of the registry). */
  workflows?: readonly WorkflowKey[];
  repositoryRoot?: string;
  /** One line per execution that ends (default: silent). */
  log?: (line: string) => void;
}

export interface StepFunctionsEmulator {
  endpoint: string;
  /** Every execution so far, newest first (for tests and the stack's status output). */
  executions(): ExecutionRecord[];
  stop(): Promise<void>;
}

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

interface Machine {
  workflow: LocalWorkflow;
  /** Standard executions by name (names are unique per state machine). */
  byName: Map<string, LocalExecution>;
}

const epochSeconds = (date: Date | undefined) => (date === undefined ? undefined : date.getTime() / 1000);

/** AWS: 1-80 characters; no whitespace, brackets, wildcards, special or control characters. */
function isValidName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name.length >= 1 && name.length <= 80 && !/[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/.test(name);
}

function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as Json)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function parseInput(text: unknown): Json {
  const input = text === undefined || text === null ? '{}' : text;
  if (typeof input !== 'string') throw new ServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input: input must be a JSON string');
  if (Buffer.byteLength(input) > MAX_INPUT_BYTES) throw new ServiceError('InvalidExecutionInput', 'Input exceeds the 262144-byte limit');
  try {
    return JSON.parse(input) as Json;
  } catch {
    throw new ServiceError('InvalidExecutionInput', "Invalid State Machine Execution Input: 'input is not valid JSON'");
  }
}

function describe(record: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    stopDate: epochSeconds(record.stopDate),
    input: record.input,
    inputDetails: { included: true },
    ...(record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(record.cause !== undefined ? { cause: record.cause } : {}),
  };
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ServiceError('ValidationException', 'Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startStepFunctionsEmulator(options: StepFunctionsEmulatorOptions = {}): Promise<StepFunctionsEmulator> {
  const log = options.log ?? (() => undefined);
  const workflowOptions: LocalWorkflowOptions = {
    ...(options.repositoryRoot !== undefined ? { repositoryRoot: options.repositoryRoot } : {}),
    ...(options.waitTimeOverrides !== undefined ? { waitTimeOverrides: options.waitTimeOverrides } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  };
  const machines = new Map<string, Machine>();
  for (const key of options.workflows ?? (Object.keys(WORKFLOWS) as WorkflowKey[])) {
    const workflow = await LocalWorkflow.load(key, workflowOptions);
    machines.set(workflow.stateMachineArn, { workflow, byName: new Map() });
  }
  const nowOf = (machine: Machine) => machine.workflow.clock.now();
  const executions = new Map<string, LocalExecution>();
  let stopping: Promise<void> | undefined;

  function machineFor(stateMachineArn: unknown): Machine {
    if (typeof stateMachineArn !== 'string' || !stateMachineArn.startsWith('arn:')) {
      throw new ServiceError('InvalidArn', `Invalid Arn: '${String(stateMachineArn)}'`);
    }
    const machine = machines.get(stateMachineArn);
    if (!machine) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    return machine;
  }

  function executionFor(executionArn: unknown): LocalExecution {
    if (typeof executionArn !== 'string' || !executionArn.startsWith('arn:')) {
      throw new ServiceError('InvalidArn', `Invalid Arn: '${String(executionArn)}'`);
    }
    const execution = executions.get(executionArn);
    if (!execution) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  function launch(machine: Machine, name: string, input: Json): LocalExecution {
    const execution = machine.workflow.start(input, { name });
    executions.set(execution.record.executionArn, execution);
    void execution.done.then((record) => {
      // No history API here: the events (every state's input and output) are not kept.
      record.events = [];
      // Like AWS, which keeps no Express execution to describe; and the signup input holds a password.
      if (machine.workflow.workflow.type === 'EXPRESS') executions.delete(record.executionArn);
      if (!stopping) log(`${record.status} ${record.executionArn}${record.error ? ` (${record.error})` : ''}`);
    });
    return execution;
  }

  function nameOf(body: Record<string, unknown>): string {
    const name = body.name ?? randomUUID();
    if (typeof name !== 'string' || !isValidName(name)) throw new ServiceError('InvalidName', `Invalid Name: '${String(name)}'`);
    return name;
  }

  const operations: Record<string, (body: Record<string, unknown>) => Promise<Record<string, unknown>>> = {
    async StartExecution(body) {
      const machine = machineFor(body.stateMachineArn);
      const name = nameOf(body);
      const input = parseInput(body.input);
      if (machine.workflow.workflow.type === 'STANDARD') {
        const existing = machine.byName.get(name);
        if (existing) {
          // AWS: idempotent for the same name and input while RUNNING; otherwise a conflict.
          const same = existing.record.status === 'RUNNING' && canonicalJson(JSON.parse(existing.record.input) as Json) === canonicalJson(input);
          if (!same) throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.record.executionArn}'`);
          return { executionArn: existing.record.executionArn, startDate: epochSeconds(existing.record.startDate) };
        }
      }
      const execution = launch(machine, name, input);
      if (machine.workflow.workflow.type === 'STANDARD') machine.byName.set(name, execution);
      return { executionArn: execution.record.executionArn, startDate: epochSeconds(execution.record.startDate) };
    },

    async StartSyncExecution(body) {
      const machine = machineFor(body.stateMachineArn);
      if (machine.workflow.workflow.type !== 'EXPRESS') {
        throw new ServiceError('StateMachineTypeNotSupported', 'This operation is only supported by EXPRESS state machines');
      }
      const name = nameOf(body);
      const input = parseInput(body.input);
      const record = await launch(machine, name, input).done;
      const durationMs = (record.stopDate ?? nowOf(machine)).getTime() - record.startDate.getTime();
      return {
        ...describe(record),
        billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(durationMs / 100) * 100) },
      };
    },

    async DescribeExecution(body) {
      return describe(executionFor(body.executionArn).record);
    },

    async ListExecutions(body) {
      const machine = machineFor(body.stateMachineArn);
      const filter = body.statusFilter as ExecutionStatus | undefined;
      const maxResults = typeof body.maxResults === 'number' && body.maxResults > 0 ? Math.min(body.maxResults, 1000) : 100;
      const offset = typeof body.nextToken === 'string' ? Number.parseInt(Buffer.from(body.nextToken, 'base64url').toString('utf8'), 10) || 0 : 0;
      const matching = [...executions.values()]
        .map((execution) => execution.record)
        .filter((record) => record.stateMachineArn === machine.workflow.stateMachineArn && (!filter || record.status === filter))
        .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
      const page = matching.slice(offset, offset + maxResults);
      const next = offset + maxResults < matching.length ? Buffer.from(String(offset + maxResults)).toString('base64url') : undefined;
      return {
        executions: page.map((record) => ({
          executionArn: record.executionArn,
          stateMachineArn: record.stateMachineArn,
          name: record.name,
          status: record.status,
          startDate: epochSeconds(record.startDate),
          stopDate: epochSeconds(record.stopDate),
        })),
        ...(next ? { nextToken: next } : {}),
      };
    },

    async StopExecution(body) {
      const execution = executionFor(body.executionArn);
      if (execution.record.status === 'RUNNING') {
        execution.stop(body.error as string | undefined, body.cause as string | undefined);
        await execution.done;
      }
      return { stopDate: epochSeconds(execution.record.stopDate ?? execution.record.startDate) };
    },
  };

  function send(response: ServerResponse, status: number, body: Record<string, unknown>): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': randomUUID(),
      ...(status >= 400 ? { 'x-amzn-ErrorType': String(body.__type) } : {}),
    });
    response.end(text);
  }

  const server = createServer((request, response) => {
    void (async () => {
      try {
        const target = request.headers['x-amz-target'];
        if (request.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
          throw new ServiceError('UnknownOperationException', 'Expected POST with X-Amz-Target: AWSStepFunctions.<Operation>');
        }
        const operation = operations[target.slice(TARGET_PREFIX.length)];
        if (!operation) throw new ServiceError('UnknownOperationException', `Operation not supported locally: ${target}`);
        const text = await readBody(request, 2 * MAX_INPUT_BYTES);
        let body: unknown;
        try {
          body = text === '' ? {} : JSON.parse(text);
        } catch {
          throw new ServiceError('SerializationException', 'The request body is not valid JSON');
        }
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ServiceError('SerializationException', 'Expected a JSON object');
        send(response, 200, await operation(body as Record<string, unknown>));
      } catch (error) {
        if (error instanceof ServiceError) {
          send(response, 400, { __type: `com.amazonaws.swf.service.v2.model#${error.type}`, message: error.message });
        } else {
          log(`Step Functions emulator error: ${error instanceof Error ? error.message : String(error)}`);
          send(response, 500, { __type: 'InternalFailure', message: 'Internal error in the local Step Functions emulator' });
        }
      }
    })();
  });

  const requestedPort = options.port ?? DEFAULT_STEP_FUNCTIONS_PORT;
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(requestedPort, '127.0.0.1', () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    executions: () => [...executions.values()].map((execution) => execution.record).sort((a, b) => b.startDate.getTime() - a.startDate.getTime()),
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
        server.closeAllConnections();
        const running = [...executions.values()].filter((execution) => execution.record.status === 'RUNNING');
        for (const execution of running) execution.stop('States.Aborted', 'The local Step Functions emulator stopped.');
        // Aborted executions finish the task they are in (as in AWS): wait for it, within reason.
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all([...running.map((execution) => execution.done), ...[...machines.values()].map((machine) => machine.workflow.idle())]),
          new Promise<void>((resolveGrace) => (grace = setTimeout(resolveGrace, STOP_GRACE_MS))),
        ]);
        clearTimeout(grace);
        await closed;
      })();
      return stopping;
    },
  };
}
