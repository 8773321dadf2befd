/**
 * Workflow tests on the controlled clock (local/clock/virtual-clock.ts): time stands still until
 * the test advances it, and an advance runs every Wait due on the way, in order, each execution
 * to its next Wait, before it returns. So a test asserts EXACT virtual times (the first measure
 * reminder at day 14, the supervisor escalation at the 4-hour deadline) and never polls against
 * wall-clock time, whatever the load on the machine.
 *
 * What this file's process gets, before any task handler loads:
 * - the controlled clock, installed as the backend's clock (shared/adapters/clock.ts): the task
 *   handlers of this process read it;
 * - its own SES emulator, stamping each message with the clock's time (`sentAt` below);
 * - its own Step Functions emulator on the same clock, for executions that tasks start (a
 *   continue-as-new, a follow-up run): AWS_ENDPOINT_URL_SES/SFN point at them. DynamoDB Local
 *   and cognito-local are the suite's (tests/support/global-setup.ts).
 *
 * Call `useControlledTime()` at the top of a test file (module level), then load workflows with
 * `workflow(key)`.
 */
import { afterAll } from 'vitest';
import { startSes, fetchInbox, type InboxEmail } from '../../local/emulators/ses.js';
import { VirtualClock, type AdvanceBy, type AdvanceReport } from '../../local/clock/virtual-clock.js';
import { LocalWorkflow, type LocalExecution, type LocalWorkflowOptions } from '../../local/step-functions/runner.js';
import { startStepFunctionsEmulator, type StepFunctionsEmulator } from '../../local/step-functions/server.js';
import { installClock } from '../../shared/adapters/clock.js';
import { denials, installTableGuard } from '../../local/iam/table-guard.js';
import type { WorkflowKey } from '../../workflows/registry.js';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** An inbox message with the virtual instant it was sent. */
export type SentEmail = InboxEmail & { sentAt: string };

export interface ControlledTime {
  clock: VirtualClock;
  /** The instant the clock started at (ISO). */
  start: string;
  /** `start` + a duration, as ISO (for exact expectations). */
  at(offset: { days?: number; hours?: number; minutes?: number; seconds?: number }): string;
  advance(by: AdvanceBy): Promise<AdvanceReport>;
  /** The real workflow definition with its real task handlers, its Waits on this clock. */
  workflow(key: WorkflowKey, options?: Omit<LocalWorkflowOptions, 'clock'>): Promise<LocalWorkflow>;
  /** Starts an execution that is stopped (and awaited) after the file if still running. */
  started(execution: LocalExecution): LocalExecution;
  /** Messages to `to` (any letter case), oldest first, each with its virtual send time. */
  emailsTo(to: string): Promise<SentEmail[]>;
  /** The Step Functions emulator of this file (executions started by tasks run there). */
  stepFunctions(): StepFunctionsEmulator;
}

/**
 * The controlled clock for this test file, starting at `start` (ISO; default a fixed Monday
 * 09:00 UTC). Emulators start on first use of `ready()`; everything stops after the file.
 */
export function useControlledTime(options: { start?: string; stepFunctionsWorkflows?: readonly WorkflowKey[] } = {}): ControlledTime & { ready(): Promise<void> } {
  const start = options.start ?? '2027-01-04T09:00:00.000Z';
  const clock = new VirtualClock({ mode: 'controlled', start: new Date(start) });
  const uninstall = installClock(clock);
  // Tasks held to their functions' table IAM, as in the local stack (local/iam/table-guard.ts).
  const uninstallTableGuard = installTableGuard();
  const deniedBefore = denials().length;
  const running: LocalExecution[] = [];
  const workflows: LocalWorkflow[] = [];
  let ses: Awaited<ReturnType<typeof startSes>> | undefined;
  let sfn: StepFunctionsEmulator | undefined;
  let starting: Promise<void> | undefined;

  const ready = (): Promise<void> => {
    starting ??= (async () => {
      ses = await startSes({ port: 0, clock });
      process.env.AWS_ENDPOINT_URL_SES = ses.endpoint;
      sfn = await startStepFunctionsEmulator({ port: 0, clock, workflows: options.stepFunctionsWorkflows ?? [] });
      process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;
    })();
    return starting;
  };

  afterAll(async () => {
    for (const execution of running) execution.stop();
    await Promise.all(running.map((execution) => execution.done));
    await Promise.all(workflows.map((workflow) => workflow.idle()));
    await sfn?.stop();
    await ses?.stop();
    uninstall();
    uninstallTableGuard();
    const refused = denials().slice(deniedBefore);
    if (refused.length > 0) {
      throw new Error(`The local table guard refused calls the tasks' IAM would refuse in AWS: ${JSON.stringify(refused)}`);
    }
  });

  return {
    clock,
    start,
    ready,
    at: (offset) =>
      new Date(Date.parse(start) + (offset.days ?? 0) * DAY_MS + (offset.hours ?? 0) * HOUR_MS + (offset.minutes ?? 0) * 60_000 + (offset.seconds ?? 0) * 1_000).toISOString(),
    advance: (by) => clock.advance(by),
    async workflow(key, workflowOptions = {}) {
      await ready();
      const loaded = await LocalWorkflow.load(key, { ...workflowOptions, clock });
      workflows.push(loaded);
      return loaded;
    },
    started(execution) {
      running.push(execution);
      return execution;
    },
    async emailsTo(to) {
      await ready();
      const wanted = to.toLowerCase();
      const emails = await fetchInbox((ses as NonNullable<typeof ses>).endpoint);
      return emails
        .filter((email) => email.destination.to.some((address) => address.toLowerCase().includes(wanted)))
        .map((email) => ({ ...email, sentAt: new Date(email.at * 1000).toISOString() }));
    },
    stepFunctions() {
      if (!sfn) throw new Error('await ready() first');
      return sfn;
    },
  };
}
