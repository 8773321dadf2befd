/**
 * The workflow files obey the rules that keep them runnable both in AWS and here (DESIGN.md,
 * Workflows): valid ASL (asl-validator), JSONPath only, every Task a Lambda placeholder of the
 * registry with Retry, Catch and TimeoutSeconds, and no retry of business errors in signup.
 */
import aslValidator from 'asl-validator';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localLambdaArn, walkStates, type JsonObject } from '../../local/step-functions/definition.js';
import { REPOSITORY_ROOT } from '../../local/step-functions/runner.js';
import { WORKFLOWS, type WorkflowDefinition } from '../../workflows/registry.js';

const TRANSIENT_LAMBDA_ERRORS = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

function rawText(workflow: WorkflowDefinition): string {
  return readFileSync(resolve(REPOSITORY_ROOT, workflow.definitionFile), 'utf8');
}

function substituted(workflow: WorkflowDefinition): JsonObject {
  const text = rawText(workflow).replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const task = workflow.tasks[name];
    return task ? localLambdaArn(task.id) : `UNKNOWN:${name}`;
  });
  return JSON.parse(text) as JsonObject;
}

describe.each(Object.values(WORKFLOWS) as WorkflowDefinition[])('workflow $id', (workflow) => {
  const definition = substituted(workflow);
  const states = [...walkStates(definition)];
  const tasks = states.filter(({ state }) => state.Type === 'Task');

  it('is valid Amazon States Language (asl-validator, ARNs and paths checked)', () => {
    const { isValid, errorsText } = aslValidator(structuredClone(definition), { checkArn: true, checkPaths: true });
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('uses exactly the placeholders of its registry entry, each task module existing', () => {
    const used = new Set([...rawText(workflow).matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]));
    expect([...used].sort()).toEqual(Object.keys(workflow.tasks).sort());
    for (const task of Object.values(workflow.tasks)) expect(existsSync(resolve(REPOSITORY_ROOT, task.entry)), task.entry).toBe(true);
  });

  it('is JSONPath only: no JSONata, no Assign, no callbacks, no service integrations', () => {
    const text = rawText(workflow);
    expect(text).not.toMatch(/"QueryLanguage"|"Assign"|"Arguments"|"Output"|\{%/);
    for (const { name, state } of tasks) {
      expect(state.Resource, name).toMatch(/^arn:aws:lambda:us-east-1:000000000000:function:moodrx-local-/);
    }
  });

  it('waits only on its main path, never inside a Parallel or Map branch (the local clock runs one sleeping branch per execution)', () => {
    const nested = [...walkStates(definition)].filter(({ state }) => state.Type === 'Parallel' || state.Type === 'Map');
    for (const { name, state } of nested) {
      const inner = state.Type === 'Map' ? [(state.ItemProcessor ?? state.Iterator) as JsonObject] : (state.Branches as JsonObject[]);
      const waits = inner.flatMap((branch) => [...walkStates(branch)].filter(({ state: s }) => s.Type === 'Wait').map(({ name: n }) => n));
      expect(waits, name).toEqual([]);
    }
  });

  it('gives every Task a Retry, a Catch ending in States.ALL, and a TimeoutSeconds', () => {
    expect(tasks.length).toBeGreaterThan(0);
    for (const { name, state } of tasks) {
      expect(state.TimeoutSeconds, name).toEqual(expect.any(Number));
      expect((state.Retry as JsonObject[] | undefined)?.length, name).toBeGreaterThan(0);
      const catchers = state.Catch as { ErrorEquals: string[] }[] | undefined;
      expect(catchers?.at(-1)?.ErrorEquals, name).toContain('States.ALL');
    }
  });

  it('names states as PascalCase phrases (tasks: a verb, then its object)', () => {
    for (const { name } of states) expect(name).toMatch(/^(?:[A-Z][a-z]+){2,}$/);
  });
});

describe('signup workflow rules', () => {
  const definition = substituted(WORKFLOWS.signup);
  const stateOf = (name: string) => (definition.States as Record<string, JsonObject>)[name] as JsonObject;

  it('retries the forward tasks on transient Lambda errors only, never on our business errors', () => {
    for (const name of ['CreateIdentity', 'PersistClient', 'SendVerificationEmail', 'SendSignupNotice']) {
      for (const retrier of stateOf(name).Retry as { ErrorEquals: string[] }[]) {
        expect(TRANSIENT_LAMBDA_ERRORS, name).toEqual(expect.arrayContaining(retrier.ErrorEquals));
      }
    }
  });

  it('is an Express workflow with no Wait state (it answers the API synchronously)', () => {
    expect(WORKFLOWS.signup.type).toBe('EXPRESS');
    expect([...walkStates(definition)].filter(({ state }) => state.Type === 'Wait')).toEqual([]);
  });

  it('never compensates CreateIdentity failures (never someone else’s account): a taken email -> the notice, else Fail', () => {
    const catchers = stateOf('CreateIdentity').Catch as { ErrorEquals: string[]; Next: string }[];
    expect(catchers).toMatchObject([
      { ErrorEquals: ['EmailAlreadyRegisteredError'], Next: 'SendSignupNotice' },
      { ErrorEquals: ['States.ALL'], Next: 'FailSignup' },
    ]);
    expect(stateOf('SendSignupNotice').Next).toBe('ReturnAccountExists');
    expect((stateOf('SendSignupNotice').Catch as { Next: string }[]).map((catcher) => catcher.Next)).toEqual(['FailSignup']);
  });

  // Issue 9, finding 4: on 65e63bb signup welcomed and started the care lifecycle for an unproven address.
  it('sends no email but the code to a new address and starts nothing: welcome and care lifecycle wait for verification', () => {
    const resources = [...walkStates(definition)].map(({ state }) => JSON.stringify(state.Resource ?? ''));
    expect(Object.keys(WORKFLOWS.signup.tasks).sort()).toEqual(
      ['CreateIdentityFunctionArn', 'DeleteIdentityFunctionArn', 'PersistClientFunctionArn', 'RemoveClientRecordsFunctionArn', 'SendSignupNoticeFunctionArn', 'SendVerificationEmailFunctionArn'],
    );
    expect(resources.join()).not.toMatch(/welcome|care-lifecycle/i);
  });

  it('compensates every failure after the identity exists', () => {
    for (const name of ['PersistClient', 'SendVerificationEmail']) {
      expect((stateOf(name).Catch as { Next: string }[]).map((catcher) => catcher.Next), name).toEqual(['RemoveClientRecords']);
    }
    expect(stateOf('RemoveClientRecords').Next).toBe('DeleteIdentity');
  });

  it('ends only with SignupFailed: a taken email succeeds like a new one (the API answers both alike)', () => {
    const errors = new Set([...walkStates(definition)].filter(({ state }) => state.Type === 'Fail').map(({ state }) => state.Error));
    expect([...errors].sort()).toEqual(['SignupFailed']);
  });
});

describe('care-lifecycle workflow rules', () => {
  const definition = substituted(WORKFLOWS.careLifecycle);
  const states = definition.States as Record<string, JsonObject>;

  it('is a Standard workflow that sleeps by the review, counting wake-ups and sleep in the execution state only', () => {
    expect(WORKFLOWS.careLifecycle.type).toBe('STANDARD');
    expect(states.WaitForNextReview).toMatchObject({ Type: 'Wait', SecondsPath: '$.nextWakeInSeconds', Next: 'ReviewClient' });
    expect(states.CountWakeUp?.Parameters).toEqual({
      'clientId.$': '$.review.clientId',
      'generation.$': '$.review.generation',
      'wakeUps.$': 'States.MathAdd($.review.wakeUps, 1)',
      'totalWakeUps.$': 'States.MathAdd($.review.totalWakeUps, 1)',
      'sleptSeconds.$': 'States.MathAdd($.review.sleptSeconds, $.review.nextWakeInSeconds)',
      'nextWakeInSeconds.$': '$.review.nextWakeInSeconds',
    });
    expect(states.ReviewClient?.Parameters).toEqual({ 'lifecycle.$': '$' });
  });

  it('never waits for a human (no task token) and ends only by Succeed, or Fail for the alarm', () => {
    expect(JSON.stringify(definition)).not.toContain('waitForTaskToken');
    const ends = Object.entries(states).filter(([, state]) => state.Type === 'Succeed' || state.Type === 'Fail' || state.End === true);
    expect(ends.map(([name]) => name).sort()).toEqual(['ContinuedAsNew', 'EndCareLifecycle', 'FailCareLifecycle']);
  });

  it('keeps running when due actions keep failing (deferred to the next wake-up), and ends on a closed care', () => {
    expect((states.DoDueActions?.Catch as { Next: string }[]).map((c) => c.Next)).toEqual(['ActionsDeferred']);
    expect(states.ActionsDeferred).toMatchObject({ Type: 'Pass', Next: 'CheckCareStatus', ResultPath: '$.acted' });
    expect(JSON.stringify(states.CheckCareStatus)).toContain('$.acted.closedCare');
  });
});
