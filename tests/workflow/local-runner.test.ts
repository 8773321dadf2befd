/**
 * What aws-local-stepfunctions 3.0.0 does with our runner around it, checked on small
 * definitions: how a thrown error reaches Retry and Catch, timeouts, nested tasks, Fail
 * states, waits (on the stack's clock, or a fixed override), stopping. The workflow tests rely on
 * these facts; local/step-functions/runner.ts documents them.
 */
import type { Context } from 'aws-lambda';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { substitutePlaceholders } from '../../local/step-functions/definition.js';
import type { LambdaHandler } from '../../local/step-functions/lambda-invoke.js';
import { VirtualClock } from '../../local/clock/virtual-clock.js';
import { LocalWorkflow, statesEntered, type LocalWorkflowOptions } from '../../local/step-functions/runner.js';
import type { WorkflowDefinition } from '../../workflows/registry.js';

const root = mkdtempSync(join(tmpdir(), 'moodrx-runner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

class EmailAlreadyRegisteredError extends Error {
  constructor() {
    super('An account with this email already exists.');
    this.name = 'EmailAlreadyRegisteredError';
  }
}

function named(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

const TRANSIENT = { ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 };

let counter = 0;
/** A one-off workflow: its definition file in a temporary folder, one registry task per placeholder. */
async function workflow(
  definition: object,
  handlers: Record<string, LambdaHandler>,
  options: Omit<LocalWorkflowOptions, 'handlers' | 'repositoryRoot'> & { type?: 'EXPRESS' | 'STANDARD' } = {},
): Promise<LocalWorkflow> {
  counter += 1;
  const file = `wf-${counter}.asl.json`;
  writeFileSync(join(root, file), JSON.stringify(definition));
  const placeholders = [...JSON.stringify(definition).matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1] as string);
  const registryEntry: WorkflowDefinition = {
    id: `test-${counter}`,
    type: options.type ?? 'STANDARD',
    definitionFile: file,
    tasks: Object.fromEntries(placeholders.map((p) => [p, { id: `test-${counter}-${p}`, entry: 'unused.ts', capabilities: [] }])),
  };
  return LocalWorkflow.load(registryEntry, { ...options, repositoryRoot: root, handlers });
}

const task = (placeholder: string, extra: object = {}) => ({ Type: 'Task', Resource: `\${${placeholder}}`, TimeoutSeconds: 5, ...extra });

describe('errors, Retry and Catch', () => {
  it('matches Catch on the thrown error name and hands over a Lambda-shaped Cause', async () => {
    const wf = await workflow(
      {
        StartAt: 'CreateThing',
        States: {
          CreateThing: task('A', {
            Catch: [
              { ErrorEquals: ['EmailAlreadyRegisteredError'], ResultPath: '$.failure', Next: 'ReportTaken' },
              { ErrorEquals: ['States.ALL'], Next: 'ReportOther' },
            ],
            End: true,
          }),
          ReportTaken: { Type: 'Pass', End: true },
          ReportOther: { Type: 'Pass', End: true },
        },
      },
      {
        CreateThing: async () => {
          throw new EmailAlreadyRegisteredError();
        },
      },
    );
    const record = await wf.run({ keep: 'me' });
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record)).toEqual(['CreateThing', 'ReportTaken']);
    const output = JSON.parse(record.output ?? '{}') as { keep: string; failure: { Error: string; Cause: string } };
    expect(output.keep).toBe('me');
    expect(output.failure.Error).toBe('EmailAlreadyRegisteredError');
    expect(JSON.parse(output.failure.Cause)).toMatchObject({
      errorType: 'EmailAlreadyRegisteredError',
      errorMessage: 'An account with this email already exists.',
      trace: expect.arrayContaining([expect.stringContaining('EmailAlreadyRegisteredError')]),
    });
  });

  it('retries a listed transient error with the given attempts, and not an unlisted one', async () => {
    let calls = 0;
    const failing = (name: string, times: number) => async () => {
      calls += 1;
      if (calls <= times) throw named(name);
      return { calls };
    };
    const definition = { StartAt: 'DoWork', States: { DoWork: task('A', { Retry: [TRANSIENT], End: true }) } };

    calls = 0;
    const recovered = await (await workflow(definition, { DoWork: failing('Lambda.TooManyRequestsException', 2) })).run({}, { retryIntervalOverrides: { DoWork: 0 } });
    expect(recovered).toMatchObject({ status: 'SUCCEEDED', output: '{"calls":3}' });
    expect(recovered.events.filter((event) => event.type === 'StateRetried')).toHaveLength(2);

    calls = 0;
    const exhausted = await (await workflow(definition, { DoWork: failing('Lambda.TooManyRequestsException', 5) })).run({}, { retryIntervalOverrides: { DoWork: 0 } });
    expect(exhausted).toMatchObject({ status: 'FAILED', error: 'Lambda.TooManyRequestsException' });
    expect(calls).toBe(3);

    calls = 0;
    const business = await (await workflow(definition, { DoWork: failing('EmailAlreadyRegisteredError', 5) })).run({});
    expect(business).toMatchObject({ status: 'FAILED', error: 'EmailAlreadyRegisteredError' });
    expect(calls).toBe(1);
    expect(JSON.parse(business.cause ?? '{}')).toMatchObject({ errorType: 'EmailAlreadyRegisteredError' });
  });

  it('waits IntervalSeconds x BackoffRate^n between retries unless overridden', async () => {
    let calls = 0;
    const times: number[] = [];
    const wf = await workflow(
      { StartAt: 'DoWork', States: { DoWork: task('A', { Retry: [{ ...TRANSIENT, IntervalSeconds: 0.1, BackoffRate: 3 }], End: true }) } },
      {
        DoWork: async () => {
          times.push(Date.now());
          calls += 1;
          if (calls <= 2) throw named('Lambda.TooManyRequestsException');
          return null;
        },
      },
    );
    expect((await wf.run({})).status).toBe('SUCCEEDED');
    const [first = 0, second = 0, third = 0] = times;
    expect(second - first).toBeGreaterThanOrEqual(95);
    expect(third - second).toBeGreaterThanOrEqual(295);
  });

  it('fails a task after TimeoutSeconds with States.Timeout, which States.TaskFailed does not catch and States.ALL does', async () => {
    const slow = async () => new Promise((resolve) => setTimeout(() => resolve('late'), 1_500));
    const wf = await workflow(
      {
        StartAt: 'DoSlowWork',
        States: {
          DoSlowWork: task('A', {
            TimeoutSeconds: 1,
            Catch: [
              { ErrorEquals: ['States.TaskFailed'], Next: 'CaughtAsTaskFailed' },
              { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'CaughtAsAll' },
            ],
            End: true,
          }),
          CaughtAsTaskFailed: { Type: 'Pass', End: true },
          CaughtAsAll: { Type: 'Pass', End: true },
        },
      },
      { DoSlowWork: slow },
    );
    const record = await wf.run({});
    expect(statesEntered(record)).toEqual(['DoSlowWork', 'CaughtAsAll']);
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({ failure: { Error: 'States.Timeout' } });
    await wf.idle();
  });

  it('reports a Fail state’s Error and Cause as the execution’s, and no cause when the state has none', async () => {
    const wf = await workflow(
      {
        StartAt: 'ChoosePath',
        States: {
          ChoosePath: { Type: 'Choice', Choices: [{ Variable: '$.bare', BooleanEquals: true, Next: 'FailBare' }], Default: 'FailExplained' },
          FailExplained: { Type: 'Fail', Error: 'SignupFailed', Cause: 'Nothing was kept.' },
          FailBare: { Type: 'Fail', Error: 'SignupFailed' },
        },
      },
      {},
    );
    expect(await wf.run({ bare: false })).toMatchObject({ status: 'FAILED', error: 'SignupFailed', cause: 'Nothing was kept.' });
    const bare = await wf.run({ bare: true });
    expect(bare).toMatchObject({ status: 'FAILED', error: 'SignupFailed' });
    expect(bare.cause).toBeUndefined();
  });
});

describe('task binding', () => {
  it('binds tasks inside Parallel branches and Map processors by state name, with a Lambda context', async () => {
    const seen: string[] = [];
    const handler = (label: string) => async (event: unknown, context: Context) => {
      seen.push(`${label}:${context.functionName}`);
      expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
      return { label, event };
    };
    const wf = await workflow(
      {
        StartAt: 'RunBoth',
        States: {
          RunBoth: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'DoLeft', States: { DoLeft: task('Left', { End: true }) } },
              {
                StartAt: 'MapItems',
                States: {
                  MapItems: {
                    Type: 'Map',
                    ItemsPath: '$.items',
                    ItemProcessor: { StartAt: 'DoItem', States: { DoItem: task('Item', { End: true }) } },
                    End: true,
                  },
                },
              },
            ],
            End: true,
          },
        },
      },
      { DoLeft: handler('left'), DoItem: handler('item') },
    );
    const record = await wf.run({ items: [1, 2] });
    expect(record.status).toBe('SUCCEEDED');
    expect(seen.sort()).toEqual([`item:moodrx-local-test-${counter}-Item`, `item:moodrx-local-test-${counter}-Item`, `left:moodrx-local-test-${counter}-Left`]);
    expect(JSON.parse(record.output ?? '[]')[1]).toEqual([
      { label: 'item', event: 1 },
      { label: 'item', event: 2 },
    ]);
  });

  it('refuses at load, not at the first execution: an unknown placeholder, a task without a handler, a state name used twice', async () => {
    expect(() => substitutePlaceholders({ Resource: '${MissingFunctionArn}' }, {})).toThrow('No substitution for ${MissingFunctionArn}');
    // No handler given, and the registry entry's module does not exist.
    await expect(workflow({ StartAt: 'DoIt', States: { DoIt: task('A', { End: true }) } }, {})).rejects.toThrow(/unused\.ts/);
    await expect(
      workflow(
        {
          StartAt: 'RunBoth',
          States: {
            RunBoth: {
              Type: 'Parallel',
              Branches: [
                { StartAt: 'DoIt', States: { DoIt: task('A', { End: true }) } },
                { StartAt: 'DoIt', States: { DoIt: task('A', { End: true }) } },
              ],
              End: true,
            },
          },
        },
        { DoIt: async () => null },
      ),
    ).rejects.toThrow(/used twice/);
  });
});

describe('waits', () => {
  const waiting = (wait: object) => ({
    StartAt: 'WaitAWhile',
    States: { WaitAWhile: { Type: 'Wait', ...wait, Next: 'CheckAfter' }, CheckAfter: { Type: 'Pass', End: true } },
  });

  const controlled = () => new VirtualClock({ mode: 'controlled', start: new Date('2027-03-01T08:00:00.000Z') });

  it('a SecondsPath wait sleeps on the clock, keeping the path and the data: nothing moves until the clock reaches its instant', async () => {
    const clock = controlled();
    const wf = await workflow(waiting({ SecondsPath: '$.review.nextWakeInSeconds' }), {}, { clock });
    const execution = wf.start({ review: { nextWakeInSeconds: 3_600 }, keep: true });
    await clock.settled();
    expect(clock.pending()).toEqual([{ due: '2027-03-01T09:00:00.000Z', execution: execution.record.name, state: 'WaitAWhile' }]);
    // A minute short: still waiting.
    await clock.advance({ minutes: 59 });
    expect(execution.record.status).toBe('RUNNING');
    const report = await clock.advance({ minutes: 1 });
    expect(report.woken).toEqual([{ at: '2027-03-01T09:00:00.000Z', execution: execution.record.name, state: 'WaitAWhile' }]);
    const record = await execution.done;
    expect(record).toMatchObject({ status: 'SUCCEEDED', output: '{"review":{"nextWakeInSeconds":3600},"keep":true}' });
    expect(statesEntered(record)).toEqual(['WaitAWhile', 'CheckAfter']);
    expect(record.startDate.toISOString()).toBe('2027-03-01T08:00:00.000Z');
    expect(record.stopDate?.toISOString()).toBe('2027-03-01T09:00:00.000Z');
  });

  it('a TimestampPath wait wakes at its timestamp; a timestamp already past goes on at once', async () => {
    const clock = controlled();
    const wf = await workflow(waiting({ TimestampPath: '$.until' }), {}, { clock });
    const later = wf.start({ until: '2027-03-03T10:30:00Z' });
    expect((await wf.run({ until: '2027-02-01T00:00:00Z' })).stopDate?.toISOString()).toBe('2027-03-01T08:00:00.000Z');
    await clock.advance({ days: 3 });
    expect((await later.done).stopDate?.toISOString()).toBe('2027-03-03T10:30:00.000Z');
  });

  it('in real time (the default clock) a short wait passes by itself', async () => {
    const wf = await workflow(waiting({ Seconds: 0 }), {});
    expect((await wf.run({})).status).toBe('SUCCEEDED');
  });

  it('uses a fixed waitTimeOverrides value (milliseconds) for a named Wait state', async () => {
    const wf = await workflow(waiting({ Seconds: 86_400 }), {});
    const started = Date.now();
    expect((await wf.run({}, { waitTimeOverrides: { WaitAWhile: 50 } })).status).toBe('SUCCEEDED');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stops a waiting execution at once: ABORTED with the given error and cause', async () => {
    const wf = await workflow(waiting({ Seconds: 86_400 }), {});
    const execution = wf.start({});
    expect(execution.record.status).toBe('RUNNING');
    execution.stop('Operator.Stopped', 'Stopped by a test');
    expect(await execution.done).toMatchObject({ status: 'ABORTED', error: 'Operator.Stopped', cause: 'Stopped by a test' });
    expect(execution.record.stopDate).toBeInstanceOf(Date);
  });
});
