/**
 * The REAL workflows/risk-escalation.asl.json, its real task handlers, DynamoDB Local and the
 * SES emulator, on a compressed time scale (waitTimeScale: an hour in a few seconds, or fixed
 * waitTimeOverrides). Nothing sleeps: every wait for an email or an end polls with a deadline.
 * Emails are told apart by the task id in their link; supervisors are whoever the stack has
 * (the seeded one, and any another test made), read the way the workflow reads them.
 */
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../local/emulators/wait.js';
import { LocalWorkflow, statesEntered, type RunOptions } from '../../local/step-functions/runner.js';
import { DEFAULT_RISK_ESCALATION_SETTINGS } from '../../shared/config/risk-escalation.js';
import { chooseResponsible } from '../../shared/domain/risk-tasks.js';
import { RISK_ALERT_SUBJECT, RISK_ESCALATION_SUBJECT } from '../../shared/notifications/risk-emails.js';
import { acknowledgeRiskTask } from '../../shared/use-cases/risk/risk-task-routes.js';
import { CLIENT_FIRST_NAME, CLIENT_LAST_NAME, createClient, createStaff, emailsAbout, flagged, recipients, relate, repositories } from '../integration/risk/support.js';
import { transientLambdaError } from './support.js';

const workflows: LocalWorkflow[] = [];
afterAll(async () => {
  await Promise.all(workflows.map((workflow) => workflow.idle()));
});

/** An hour of Wait in `secondsPerHour` seconds. */
async function load(options: { secondsPerHour?: number; waitTimeOverrides?: Record<string, number> } = {}): Promise<LocalWorkflow> {
  const workflow = await LocalWorkflow.load('riskEscalation', {
    ...(options.secondsPerHour !== undefined ? { waitTimeScale: options.secondsPerHour / 3600 } : {}),
    ...(options.waitTimeOverrides ? { waitTimeOverrides: options.waitTimeOverrides } : {}),
  });
  workflows.push(workflow);
  return workflow;
}

/** Retries at once (the library would wait the definition's seconds). */
const FAST_RETRIES: RunOptions['retryIntervalOverrides'] = {
  AlertResponsibleClinician: 5,
  EscalateToSupervisors: 5,
  CheckAcknowledged: 5,
  OpenRiskTask: 5,
  ResolveResponsibleClinician: 5,
  MarkUnresolved: 5,
};

async function supervisorEmails(): Promise<string[]> {
  return (await repositories().staff.byRole('supervisor')).map((s) => s.email.toLowerCase()).sort();
}

async function clientWithTherapist() {
  const client = await createClient({ signIn: false });
  const therapist = await createStaff('therapist', { signIn: false });
  await relate(client.id, therapist.id, 'therapist');
  return { client, therapist };
}

const countOf = (list: readonly string[], item: string) => list.filter((x) => x === item).length;

describe('risk escalation workflow', () => {
  it('alerts the therapist at once with nothing but a link; acknowledged before the deadline -> no escalation', async () => {
    const { client, therapist } = await clientWithTherapist();
    const { input, taskId } = flagged(client.id, 'high');
    // The high deadline (1 h) in 4 s.
    const execution = (await load({ secondsPerHour: 4 })).start(input, { name: taskId });

    const alert = await pollUntil(
      'the alert email',
      async () => {
        const found = (await emailsAbout(taskId)).find((email) => email.subject === RISK_ALERT_SUBJECT);
        if (!found) throw new Error('not yet');
        return found;
      },
      { deadlineMs: 10_000 },
    );
    expect(alert.destination.to).toEqual([therapist.email]);
    // Minimum necessary: no client name, no instrument, no answers, no score, no level.
    const content = `${alert.subject}\n${alert.body.text ?? ''}\n${alert.body.html ?? ''}`;
    for (const forbidden of [CLIENT_FIRST_NAME, CLIENT_LAST_NAME, client.id, 'PHQ', 'C-SSRS', 'item 9', 'score', 'high', 'answer', 'suicid']) {
      expect(content.toLowerCase()).not.toContain(forbidden.toLowerCase());
    }
    expect(alert.body.text).toContain(`/risk-tasks/${taskId}`);

    expect(execution.record.status).toBe('RUNNING');
    await acknowledgeRiskTask({ caller: { userId: therapist.id, role: 'therapist' }, taskId }, { ...repositories(), now: () => new Date() });
    const record = await execution.done;

    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record)).toEqual([
      'ResolveResponsibleClinician',
      'OpenRiskTask',
      'AlertResponsibleClinician',
      'StartWatch',
      'WaitUntilDue',
      'CheckAcknowledged',
      'IsHandled',
      'RiskTaskHandled',
    ]);
    const emails = await emailsAbout(taskId);
    expect(emails.map((e) => e.subject)).toEqual([RISK_ALERT_SUBJECT]);
    const task = await repositories().tasks.get(taskId);
    expect(task).toMatchObject({ status: 'acknowledged', acknowledgedBy: therapist.id, responsibility: 'therapist', escalations: [] });
    expect(Date.parse(task!.dueAt) - Date.parse(input.flaggedAt)).toBe(DEFAULT_RISK_ESCALATION_SETTINGS.acknowledgeWithinMinutes.high * 60_000);
  });

  it('not acknowledged: every supervisor gets exactly one escalation email for the first round', async () => {
    const { client } = await clientWithTherapist();
    const { input, taskId } = flagged(client.id, 'moderate', 'check_in');
    const supervisors = await supervisorEmails();
    expect(supervisors.length).toBeGreaterThan(0);
    // Deadline at once; the next round far away, so round 1 can be looked at alone.
    const execution = (await load({ waitTimeOverrides: { WaitUntilDue: 0, WaitBeforeReEscalation: 60_000 } })).start(input, { name: taskId });

    const task = await pollUntil(
      'escalation round 1 on the task',
      async () => {
        const stored = await repositories().tasks.get(taskId);
        if (stored?.escalations.length !== 1) throw new Error('not yet');
        return stored;
      },
      { deadlineMs: 10_000 },
    );
    execution.stop();
    await execution.done;

    expect(task.status).toBe('escalated');
    expect(task.escalations[0]).toMatchObject({ round: 1, notified: supervisors.length });
    const escalations = (await emailsAbout(taskId)).filter((e) => e.subject === RISK_ESCALATION_SUBJECT);
    const to = recipients(escalations);
    for (const supervisor of supervisors) expect(countOf(to, supervisor), supervisor).toBe(1);
    expect(to).toHaveLength(supervisors.length);
  });

  it('a failing email step is retried without duplicates (lost responses after the send, for the alert and a round)', async () => {
    const { client, therapist } = await clientWithTherapist();
    const { input, taskId } = flagged(client.id, 'high');
    const supervisors = await supervisorEmails();
    const calls = { alert: 0, escalate: 0 };
    // The round is recorded during the first (lost) attempt: wait for the retry to finish too.
    let escalationRetried = false;
    const workflow = await load({ waitTimeOverrides: { WaitUntilDue: 0, WaitBeforeReEscalation: 60_000 } });
    const execution = workflow.start(input, {
      name: taskId,
      retryIntervalOverrides: FAST_RETRIES,
      taskInterceptors: {
        // The email goes, then the answer is lost (a Lambda timeout or throttling after the send).
        AlertResponsibleClinician: async (event, invoke) => {
          calls.alert += 1;
          const result = await invoke(event);
          if (calls.alert <= 2) throw transientLambdaError();
          return result;
        },
        EscalateToSupervisors: async (event, invoke) => {
          calls.escalate += 1;
          const result = await invoke(event);
          if (calls.escalate === 1) throw transientLambdaError();
          escalationRetried = true;
          return result;
        },
      },
    });
    await pollUntil(
      'escalation round 1 on the task, and its retried step done',
      async () => {
        if (!escalationRetried) throw new Error('the retry has not finished');
        if ((await repositories().tasks.get(taskId))?.escalations.length !== 1) throw new Error('not yet');
      },
      { deadlineMs: 10_000 },
    );
    execution.stop();
    await execution.done;

    expect(calls).toEqual({ alert: 3, escalate: 2 });
    const emails = await emailsAbout(taskId);
    expect(recipients(emails.filter((e) => e.subject === RISK_ALERT_SUBJECT))).toEqual([therapist.email]);
    const to = recipients(emails.filter((e) => e.subject === RISK_ESCALATION_SUBJECT));
    for (const supervisor of supervisors) expect(countOf(to, supervisor), supervisor).toBe(1);
    expect(to).toHaveLength(supervisors.length);
  });

  it('an SES failure releases the claim and the retry sends exactly once', async () => {
    const { client, therapist } = await clientWithTherapist();
    const { input, taskId } = flagged(client.id, 'high');
    // SES refuses the first send (aws-sdk-client-mock on this process's SES clients), then the
    // real emulator answers again.
    const ses = mockClient(SESClient);
    let refused = 0;
    let attempts = 0;
    ses.on(SendEmailCommand).callsFakeOnce(() => {
      refused += 1;
      ses.restore();
      const error = new Error('Simulated SES refusal');
      error.name = 'ServiceUnavailable';
      throw error;
    });
    try {
      const execution = (await load({ waitTimeOverrides: { WaitUntilDue: 60_000 } })).start(input, {
        name: taskId,
        retryIntervalOverrides: FAST_RETRIES,
        taskInterceptors: {
          AlertResponsibleClinician: (event, invoke) => {
            attempts += 1;
            return invoke(event);
          },
        },
      });
      await pollUntil(
        'the alert email',
        async () => {
          if (!(await emailsAbout(taskId)).some((e) => e.subject === RISK_ALERT_SUBJECT)) throw new Error('not yet');
        },
        { deadlineMs: 10_000 },
      );
      execution.stop();
      await execution.done;
    } finally {
      ses.restore();
    }
    expect({ refused, attempts }).toEqual({ refused: 1, attempts: 2 });
    expect(recipients(await emailsAbout(taskId))).toEqual([therapist.email]);
  });

  it('keeps escalating each interval, a bounded number of rounds, then marks the task unresolved and fails (alarm)', async () => {
    const { client } = await clientWithTherapist();
    const { input, taskId } = flagged(client.id, 'low');
    const supervisors = await supervisorEmails();
    const record = await (await load({ waitTimeOverrides: { WaitUntilDue: 0, WaitBeforeReEscalation: 20 } })).run(input, { name: taskId });

    expect(record.status).toBe('FAILED');
    expect(record.error).toBe('RiskTaskUnresolved');
    const rounds = DEFAULT_RISK_ESCALATION_SETTINGS.maxEscalationRounds;
    expect(statesEntered(record).filter((s) => s === 'EscalateToSupervisors')).toHaveLength(rounds);
    expect(statesEntered(record).slice(-2)).toEqual(['MarkUnresolved', 'RiskTaskUnresolved']);
    const task = await repositories().tasks.get(taskId);
    expect(task?.status).toBe('unresolved');
    expect(task?.escalations.map((e) => e.round)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
    expect(await repositories().tasks.hasOpenTask(client.id)).toBe(true);
    const to = recipients((await emailsAbout(taskId)).filter((e) => e.subject === RISK_ESCALATION_SUBJECT));
    for (const supervisor of supervisors) expect(countOf(to, supervisor), supervisor).toBe(rounds);
  });

  it('no clinician for the client: the on-call coordinator gets the alert', async () => {
    const client = await createClient({ signIn: false });
    const { input, taskId } = flagged(client.id, 'high');
    const expected = chooseResponsible([], await repositories().staff.byRole('coordinator'));
    expect(expected.kind).toBe('on_call');
    const coordinator = (await repositories().staff.contact(expected.kind === 'on_call' ? expected.staffId : ''))!;
    // The longest-serving coordinator: the seeded demo account on this stack.
    expect(coordinator.email).toBe('coordinator@example.com');

    const execution = (await load({ waitTimeOverrides: { WaitUntilDue: 60_000 } })).start(input, { name: taskId });
    await pollUntil(
      'the alert email',
      async () => {
        if (!(await emailsAbout(taskId)).some((e) => e.subject === RISK_ALERT_SUBJECT)) throw new Error('not yet');
      },
      { deadlineMs: 10_000 },
    );
    execution.stop();
    await execution.done;
    expect(recipients(await emailsAbout(taskId))).toEqual([coordinator.email]);
    expect(await repositories().tasks.get(taskId)).toMatchObject({ responsibility: 'on_call', responsibleClinicianId: coordinator.staffId, status: 'open' });
  });

  it('nobody to alert (no clinician, no coordinator): the supervisors are escalated to at once, without waiting for the deadline', async () => {
    const client = await createClient({ signIn: false });
    const { input, taskId } = flagged(client.id, 'low');
    const supervisors = await supervisorEmails();
    // The shared stack always has a coordinator: the resolver's answer is stood in for.
    const workflow = await LocalWorkflow.load('riskEscalation', {
      handlers: { ResolveResponsibleClinician: () => Promise.resolve({ kind: 'unassigned' }) },
      waitTimeOverrides: { WaitUntilDue: 600_000, WaitBeforeReEscalation: 600_000 },
    });
    workflows.push(workflow);
    const execution = workflow.start(input, { name: taskId });
    await pollUntil(
      'escalation round 1',
      async () => {
        if ((await repositories().tasks.get(taskId))?.escalations.length !== 1) throw new Error('not yet');
      },
      { deadlineMs: 10_000 },
    );
    execution.stop();
    await execution.done;
    const path = statesEntered(execution.record);
    expect(path.slice(0, 6)).toEqual(['ResolveResponsibleClinician', 'OpenRiskTask', 'AlertResponsibleClinician', 'EscalateAfterFailedAlert', 'CheckAcknowledged', 'IsHandled']);
    expect(path).not.toContain('WaitUntilDue');
    expect(await repositories().tasks.get(taskId)).toMatchObject({ responsibility: 'unassigned', status: 'escalated' });
    expect(recipients(await emailsAbout(taskId)).sort()).toEqual(supervisors);
  });

  it('a second start for the same source opens no second task and sends no second alert', async () => {
    const { client, therapist } = await clientWithTherapist();
    const { input, taskId } = flagged(client.id, 'high');
    const workflow = await load({ waitTimeOverrides: { WaitUntilDue: 60_000 } });
    // Two runs of the same input (Step Functions would refuse the second name; a replay could still reach the tasks).
    const first = workflow.start(input, { name: taskId });
    await pollUntil('the alert', async () => {
      if ((await emailsAbout(taskId)).length === 0) throw new Error('not yet');
    }, { deadlineMs: 10_000 });
    const second = workflow.start(input);
    await pollUntil('the second run at its wait', async () => {
      if (!statesEntered(second.record).includes('WaitUntilDue')) throw new Error('not yet');
    }, { deadlineMs: 10_000 });
    first.stop();
    second.stop();
    await Promise.all([first.done, second.done]);
    expect(recipients(await emailsAbout(taskId))).toEqual([therapist.email]);
    expect((await repositories().tasks.get(taskId))?.createdAt).toBeDefined();
  });
});
