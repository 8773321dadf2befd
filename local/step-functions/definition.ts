/**
 * A registry workflow's definition, made runnable here: placeholders substituted with local
 * Lambda ARNs (as infra substitutes the real ones), and every Task state found, nested
 * Parallel branches and Map processors included, so its handler can be bound by STATE NAME
 * (aws-local-stepfunctions keys `taskResourceLocalHandlers` by state name, not by resource).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { WorkflowDefinition, WorkflowTask } from '../../workflows/registry.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../stack-environment.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The local stand-in for a task function's ARN (never invoked: the handler runs in-process). */
export function localLambdaArn(taskId: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:moodrx-local-${taskId}`;
}

export interface TaskStateBinding {
  stateName: string;
  /** The Task's Resource after substitution. */
  resource: string;
  task: WorkflowTask;
  /** The state's TimeoutSeconds, for the Lambda context's remaining time. */
  timeoutSeconds: number | undefined;
}

export interface LoadedDefinition {
  definition: JsonObject;
  tasks: TaskStateBinding[];
}

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** Replaces `${Name}` in every string of the document, as CloudFormation's definitionSubstitutions do. */
export function substitutePlaceholders(value: Json, substitutions: Readonly<Record<string, string>>): Json {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (match, name: string) => {
      const replacement = substitutions[name];
      if (replacement === undefined) throw new Error(`No substitution for ${match}`);
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitutePlaceholders(item, substitutions));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitutePlaceholders(item, substitutions)]));
  }
  return value;
}

export interface StateVisit {
  name: string;
  state: JsonObject;
}

/** Every state of the machine, depth first into Parallel `Branches` and Map `Iterator`/`ItemProcessor`. */
export function* walkStates(machine: JsonObject): Generator<StateVisit> {
  const states = machine.States as Record<string, JsonObject> | undefined;
  for (const [name, state] of Object.entries(states ?? {})) {
    yield { name, state };
    if (state.Type === 'Parallel') {
      for (const branch of (state.Branches as JsonObject[] | undefined) ?? []) yield* walkStates(branch);
    }
    if (state.Type === 'Map') {
      const processor = (state.ItemProcessor ?? state.Iterator) as JsonObject | undefined;
      if (processor) yield* walkStates(processor);
    }
  }
}

/** Loads and substitutes the definition file of `workflow`, and binds each Task state to its registry task. */
export async function loadDefinition(workflow: WorkflowDefinition, repositoryRoot: string): Promise<LoadedDefinition> {
  const raw = JSON.parse(await readFile(resolve(repositoryRoot, workflow.definitionFile), 'utf8')) as JsonObject;
  const substitutions = Object.fromEntries(Object.entries(workflow.tasks).map(([placeholder, task]) => [placeholder, localLambdaArn(task.id)]));
  const definition = substitutePlaceholders(raw, substitutions) as JsonObject;
  const taskByArn = new Map(Object.values(workflow.tasks).map((task) => [localLambdaArn(task.id), task]));

  const tasks: TaskStateBinding[] = [];
  const seen = new Set<string>();
  for (const { name, state } of walkStates(definition)) {
    // Handlers are bound by name across the whole machine, so a name must be unique in it (ASL requires it too).
    if (seen.has(name)) throw new Error(`${workflow.definitionFile}: state name ${name} is used twice`);
    seen.add(name);
    if (state.Type !== 'Task') continue;
    const resource = state.Resource as string;
    const task = taskByArn.get(resource);
    if (!task) throw new Error(`${workflow.definitionFile}: Task ${name} uses ${resource}, which is not a task of workflow ${workflow.id}`);
    tasks.push({ stateName: name, resource, task, timeoutSeconds: state.TimeoutSeconds as number | undefined });
  }
  return { definition, tasks };
}

/** What a rewritten Wait state waits on (see rewriteWaitStates). */
export interface ClockWaitEvent {
  input: Json;
  seconds?: number;
  timestamp?: string;
}

/**
 * The library's Wait sleeps with setTimeout against the system time (`waitTimeOverrides` is a
 * fixed number of milliseconds per state name), and a Wait with SecondsPath/TimestampPath reads
 * its duration from the state at run time. To run waits on the stack's clock, each Wait state
 * becomes a Task state of the same name whose Parameters hand the runner the effective input and
 * the duration (the same paths, evaluated by the library), and whose handler sleeps on the clock
 * and returns the input unchanged. The execution's path and data are the same; its event log
 * shows a Task where the file has a Wait. Wait states named in `keep` are left alone (e.g. they
 * have a fixed override).
 */
export function rewriteWaitStates(machine: JsonObject, resource: string, keep: ReadonlySet<string>): { definition: JsonObject; rewritten: string[] } {
  const rewritten: string[] = [];
  const rewrite = (scope: JsonObject): JsonObject => {
    const states = scope.States as Record<string, JsonObject>;
    const next: Record<string, JsonObject> = {};
    for (const [name, state] of Object.entries(states)) {
      let copy: JsonObject = { ...state };
      if (state.Type === 'Parallel') copy.Branches = (state.Branches as JsonObject[]).map(rewrite);
      if (state.Type === 'Map') {
        if (state.ItemProcessor) copy.ItemProcessor = rewrite(state.ItemProcessor as JsonObject);
        if (state.Iterator) copy.Iterator = rewrite(state.Iterator as JsonObject);
      }
      if (state.Type === 'Wait' && !keep.has(name)) {
        const duration: JsonObject =
          state.Seconds !== undefined
            ? { seconds: state.Seconds }
            : state.SecondsPath !== undefined
              ? { 'seconds.$': state.SecondsPath }
              : state.Timestamp !== undefined
                ? { timestamp: state.Timestamp }
                : { 'timestamp.$': state.TimestampPath as string };
        copy = {
          Type: 'Task',
          Comment: `Wait ${name}, on the local clock`,
          Resource: resource,
          ...(state.InputPath !== undefined ? { InputPath: state.InputPath } : {}),
          Parameters: { 'input.$': '$', ...duration },
          ...(state.OutputPath !== undefined ? { OutputPath: state.OutputPath } : {}),
          // Real seconds (the library's timer), under setTimeout's limit (2^31-1 ms): a wait on a
          // controlled clock may stay pending for days of a demo.
          TimeoutSeconds: 2_000_000,
          ...(state.End === true ? { End: true } : { Next: state.Next as string }),
        };
        rewritten.push(name);
      }
      next[name] = copy;
    }
    return { ...scope, States: next };
  };
  return { definition: rewrite(machine), rewritten };
}
