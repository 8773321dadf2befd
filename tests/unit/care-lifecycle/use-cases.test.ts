/**
 * The care-lifecycle use cases with in-memory ports: ReviewClient (facts on the lifecycle clock,
 * counters, continue-as-new), DoDueActions (claims, stage re-check, failures, referral),
 * ContinueAsNew, the reconciler, GET /v1/clients/{id} and the discharge (access and audit).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { readCareLifecycleSettings, type CareLifecycleSettings } from '../../../shared/config/care-lifecycle.js';
import { lifecycleKeys } from '../../../shared/domain/care-lifecycle.js';
import { NotFoundError } from '../../../shared/domain/errors.js';
import {
  BOOKING_REMINDER_SUBJECTS,
  CLIENT_INTRODUCTION_SUBJECT,
  DISENGAGEMENT_FLAG_SUBJECT,
  THERAPIST_INTRODUCTION_SUBJECT,
} from '../../../shared/notifications/care-lifecycle-emails.js';
import { dischargeClient, getClientView, type ClientCareDeps } from '../../../shared/use-cases/care-lifecycle/client-care.js';
import type { CareEndedSessions } from '../../../shared/use-cases/sessions/care-ended.js';
import { continueAsNew } from '../../../shared/use-cases/care-lifecycle/continue-as-new.js';
import { doDueActions, DueActionsFailedError, type DoDueActionsDeps } from '../../../shared/use-cases/care-lifecycle/do-due-actions.js';
import { reconcileAll, reconcileClient, type ReconcileDeps } from '../../../shared/use-cases/care-lifecycle/reconcile.js';
import { careLifecycleExecutionName, generationOf, reviewClient } from '../../../shared/use-cases/care-lifecycle/review-client.js';
import { InMemoryAuditLog } from '../access/fakes.js';
import { FakeEmailSender, FakeWorkflowStarter } from '../workflow-tasks/fakes.js';
import { clientProfile, FakeExecutions, InMemoryLifecycleRecords } from './fakes.js';

const T0 = Date.parse('2026-03-02T15:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(T0 + ms).toISOString();
const settings: CareLifecycleSettings = readCareLifecycleSettings({});
const STAFF = new Map([
  ['th-1', { email: 'therapist-1@example.com', firstName: 'Jordan', lastName: 'Okafor' }],
  ['th-2', { email: 'therapist-2@example.com', firstName: 'Sam', lastName: 'Lindqvist' }],
  ['cc-1', { email: 'consult-1@example.com', firstName: 'Alex', lastName: 'Moreau' }],
]);
const staff = { getStaffProfile: async (id: string) => STAFF.get(id) };

let records: InMemoryLifecycleRecords;
let email: FakeEmailSender;
let audit: InMemoryAuditLog;
let now: number;

beforeEach(() => {
  records = new InMemoryLifecycleRecords();
  email = new FakeEmailSender();
  audit = new InMemoryAuditLog();
  now = T0;
});

const state = (clientId: string, extra: Record<string, number> = {}) => ({ lifecycle: { clientId, generation: 1, wakeUps: 0, ...extra } });

function actDeps(): DoDueActionsDeps {
  let n = 0;
  return { records, clients: records, careTeam: records.careTeam, staff, email, auditLog: audit, appBaseUrl: 'https://app.example', now: () => new Date(now), newId: () => `id-${(n += 1)}` };
}

async function inCare(clientId: string, therapistId = 'th-1', startedAt = iso(0)) {
  records.addClient(clientProfile(clientId, 'in_care'));
  await records.careTeam.begin({ clientId, clinicianId: therapistId, kind: 'therapist', startedAt });
}

describe('ReviewClient', () => {
  it('ends for a client who is gone, and for closed care', async () => {
    expect(await reviewClient(state('gone'), { records, settings, now: () => new Date(now) })).toMatchObject({ clientExists: false, end: true, actionCount: 0 });
    records.addClient(clientProfile('c-1', 'discharged'));
    expect(await reviewClient(state('c-1'), { records, settings, now: () => new Date(now) })).toMatchObject({ clientExists: true, stage: 'discharged', end: true });
  });

  it('ends an execution superseded by a newer generation recorded on the profile (an accept woke the lifecycle), with nothing done', async () => {
    await inCare('c-1');
    now = T0 + 3_600_000;
    const review = () => reviewClient(state('c-1'), { records, settings, now: () => new Date(now) });
    // The introductions are due: generation 1 would send them while it is the one recorded.
    records.profiles.get('c-1')!.careLifecycleExecutionArn = 'arn:aws:states:us-east-1:000000000000:execution:moodrx-local-care-lifecycle:client-c-1-1';
    expect((await review()).actionCount).toBeGreaterThan(0);
    records.profiles.get('c-1')!.careLifecycleExecutionArn = 'arn:aws:states:us-east-1:000000000000:execution:moodrx-local-care-lifecycle:client-c-1-2';
    expect(await review()).toMatchObject({ clientExists: true, stage: 'in_care', end: true, actionCount: 0, actions: [], continueAsNew: false });
  });

  it('plans from the table and normalizes the counters (generation 1 starts without sleptSeconds/totalWakeUps)', async () => {
    records.addClient(clientProfile('c-1', 'awaiting_consultation', iso(0)));
    now = T0 + 2 * DAY;
    const review = await reviewClient(state('c-1', { wakeUps: 3 }), { records, settings, now: () => new Date(now) });
    expect(review).toMatchObject({
      stage: 'awaiting_consultation',
      end: false,
      actionCount: 1,
      actions: [{ kind: 'booking_reminder', reminder: 1 }],
      nextWakeInSeconds: 86_400,
      continueAsNew: false,
      lifecycle: { clientId: 'c-1', generation: 1, wakeUps: 3, sleptSeconds: 0, totalWakeUps: 3 },
    });
  });

  it('asks to continue as new at the generation limits, never when ending', async () => {
    records.addClient(clientProfile('c-1', 'awaiting_match'));
    const deps = { records, settings, now: () => new Date(now) };
    expect((await reviewClient(state('c-1', { wakeUps: 499 }), deps)).continueAsNew).toBe(false);
    expect((await reviewClient(state('c-1', { wakeUps: 500, totalWakeUps: 1_700 }), deps)).continueAsNew).toBe(true);
    expect((await reviewClient(state('c-1', { wakeUps: 3, sleptSeconds: 300 * 86_400 - 100 }), deps)).continueAsNew).toBe(true);
    records.profiles.get('c-1')!.stage = 'referred';
    expect((await reviewClient(state('c-1', { wakeUps: 900 }), deps)).continueAsNew).toBe(false);
  });

  it('a claim whose attempt died (older than 3 minutes) is due again; a fresh one is not', async () => {
    records.addClient(clientProfile('c-1', 'awaiting_consultation', iso(0)));
    now = T0 + 2 * DAY;
    await records.claimNotification('c-1', 'lifecycle#booking-reminder#1', 'x', new Date(now - 60_000).toISOString(), iso(-DAY));
    const deps = { records, settings, now: () => new Date(now) };
    expect((await reviewClient(state('c-1'), deps)).actionCount).toBe(0);
    now += 3 * 60_000;
    expect((await reviewClient(state('c-1'), deps)).actionCount).toBe(1);
  });
});

describe('DoDueActions', () => {
  it('sends each email once per key: a second run finds them sent', async () => {
    await inCare('c-1');
    const actions = [
      { kind: 'introduce_client' as const, key: lifecycleKeys.introClient('th-1', iso(0)), therapistId: 'th-1' },
      { kind: 'introduce_therapist' as const, key: lifecycleKeys.introTherapist('th-1', iso(0)), therapistId: 'th-1' },
      { kind: 'request_baseline' as const, key: lifecycleKeys.baseline('th-1', iso(0)) },
    ];
    expect(await doDueActions({ clientId: 'c-1', stage: 'in_care', actions }, actDeps())).toEqual({
      closedCare: false,
      done: [
        { kind: 'introduce_client', outcome: 'sent' },
        { kind: 'introduce_therapist', outcome: 'sent' },
        { kind: 'request_baseline', outcome: 'sent' },
      ],
    });
    expect(email.sent.map((e) => [e.to, e.subject])).toEqual([
      ['c-1@example.com', CLIENT_INTRODUCTION_SUBJECT],
      ['therapist-1@example.com', THERAPIST_INTRODUCTION_SUBJECT],
      ['c-1@example.com', 'A few short questions to start your care'],
    ]);
    expect(email.sent[0]?.text).toContain('Jordan Okafor');
    // Nothing about the client in the therapist's email.
    expect(`${email.sent[1]?.text}${email.sent[1]?.html}`).not.toMatch(/Robin|Example|c-1/);
    const again = await doDueActions({ clientId: 'c-1', stage: 'in_care', actions }, actDeps());
    expect(again.done.map((d) => d.outcome)).toEqual(['already_sent', 'already_sent', 'already_sent']);
    expect(email.sent).toHaveLength(3);
  });

  it('does nothing when the stage changed since the review (a discharge in between)', async () => {
    await inCare('c-1');
    records.profiles.get('c-1')!.stage = 'discharged';
    const result = await doDueActions({ clientId: 'c-1', stage: 'in_care', actions: [{ kind: 'measure_reminder', key: 'k', period: 1 }] }, actDeps());
    expect(result.done).toEqual([{ kind: 'measure_reminder', outcome: 'skipped' }]);
    expect(email.sent).toEqual([]);
  });

  it('a send that fails gives the claim back, tries the other actions, then fails the task (Retry sends it)', async () => {
    records.addClient(clientProfile('c-1', 'awaiting_consultation'));
    email.failNext = Object.assign(new Error('SES down'), { name: 'ServiceUnavailable' });
    const actions = [
      { kind: 'booking_reminder' as const, key: 'lifecycle#booking-reminder#1', reminder: 1 },
      { kind: 'booking_reminder' as const, key: 'lifecycle#booking-reminder#2', reminder: 2 },
    ];
    const error = await doDueActions({ clientId: 'c-1', stage: 'awaiting_consultation', actions }, actDeps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DueActionsFailedError);
    expect((error as DueActionsFailedError).failed).toEqual(['booking_reminder (ServiceUnavailable)']);
    expect(email.sent.map((e) => e.subject)).toEqual([BOOKING_REMINDER_SUBJECTS[1]]);
    expect(records.sentKeys('c-1')).toEqual(['lifecycle#booking-reminder#2']);
    await doDueActions({ clientId: 'c-1', stage: 'awaiting_consultation', actions }, actDeps());
    expect(email.sent.map((e) => e.subject)).toEqual([BOOKING_REMINDER_SUBJECTS[1], BOOKING_REMINDER_SUBJECTS[0]]);
  });

  it('never sends while another attempt holds a fresh claim; takes over a stale one', async () => {
    records.addClient(clientProfile('c-1', 'awaiting_consultation'));
    await records.claimNotification('c-1', 'lifecycle#booking-reminder#1', 'other', new Date(now - 60_000).toISOString(), iso(-DAY));
    const action = { kind: 'booking_reminder' as const, key: 'lifecycle#booking-reminder#1', reminder: 1 };
    expect((await doDueActions({ clientId: 'c-1', stage: 'awaiting_consultation', actions: [action] }, actDeps())).done[0]?.outcome).toBe('in_flight');
    now += 5 * 60_000;
    expect((await doDueActions({ clientId: 'c-1', stage: 'awaiting_consultation', actions: [action] }, actDeps())).done[0]?.outcome).toBe('sent');
    expect(email.sent).toHaveLength(1);
  });

  it('disengagement: outreach to the client, a flag record (audited) and a content-free email to the therapist, once', async () => {
    await inCare('c-1');
    const since = iso(0);
    const actions = [
      { kind: 'disengagement_outreach' as const, key: lifecycleKeys.outreach('th-1', since, since) },
      { kind: 'disengagement_flag' as const, key: lifecycleKeys.disengagementFlag('th-1', since, since), therapistId: 'th-1', since },
    ];
    await doDueActions({ clientId: 'c-1', stage: 'in_care', actions }, actDeps());
    await doDueActions({ clientId: 'c-1', stage: 'in_care', actions }, actDeps());
    expect(email.sent.map((e) => [e.to, e.subject])).toEqual([
      ['c-1@example.com', 'We are here when you are ready'],
      ['therapist-1@example.com', DISENGAGEMENT_FLAG_SUBJECT],
    ]);
    expect(email.sent[0]?.text).toContain('988');
    expect(records.flags.get('c-1')).toEqual([{ since, therapistId: 'th-1', raisedAt: new Date(now).toISOString() }]);
    expect(audit.events('c-1').map((e) => [e.actor.userId, e.action, e.record])).toEqual([['care-lifecycle', 'create', { category: 'care', id: `disengaged:${since}` }]]);
  });

  it('a referral closes care: stage referred, relationships ended (caseload - 1), referral applied, audited; once', async () => {
    await inCare('c-1');
    records.caseloads.set('th-1', 4);
    const actions = [{ kind: 'apply_referral' as const, referralId: 'risk-assessment-9', therapistId: 'th-1' }];
    expect(await doDueActions({ clientId: 'c-1', stage: 'in_care', actions }, actDeps())).toEqual({ closedCare: true, done: [{ kind: 'apply_referral', outcome: 'closed' }] });
    expect(records.profiles.get('c-1')?.stage).toBe('referred');
    expect((await records.careTeam.relationshipsOf('c-1'))[0]).toMatchObject({ endReason: 'referred', endedAt: new Date(now).toISOString() });
    expect(records.caseloads.get('th-1')).toBe(3);
    expect(audit.events('c-1').map((e) => e.record)).toEqual([{ category: 'care', id: 'referral:risk-assessment-9' }]);
  });

  it('a referral retries a concurrent change, then gives up with a retryable error', async () => {
    await inCare('c-1');
    records.conflictsToSimulate = 1;
    const actions = [{ kind: 'apply_referral' as const, referralId: 'r-1' }];
    expect((await doDueActions({ clientId: 'c-1', stage: 'in_care', actions }, actDeps())).closedCare).toBe(true);
    await inCare('c-2');
    records.conflictsToSimulate = 3;
    await expect(doDueActions({ clientId: 'c-2', stage: 'in_care', actions }, actDeps())).rejects.toThrow(/apply_referral \(CareChangedConcurrentlyError\)/);
  });
});

describe('ContinueAsNew', () => {
  it('starts generation + 1 with the carried counters under its name, records it, and a retry is the same start', async () => {
    records.addClient(clientProfile('c-1', 'in_care'));
    const starter = new FakeWorkflowStarter();
    const result = await continueAsNew({ clientId: 'c-1', generation: 1, totalWakeUps: 500 }, { careLifecycle: starter, records });
    expect(result).toMatchObject({ generation: 2, recorded: true });
    expect(JSON.parse(starter.executions.get('client-c-1-2') ?? '')).toEqual({ clientId: 'c-1', generation: 2, wakeUps: 0, sleptSeconds: 0, totalWakeUps: 500 });
    expect(records.profiles.get('c-1')).toMatchObject({ careLifecycleGeneration: 2, careLifecycleExecutionArn: result.executionArn });
    await continueAsNew({ clientId: 'c-1', generation: 1, totalWakeUps: 500 }, { careLifecycle: starter, records });
    expect(starter.executions.size).toBe(1);
  });
});

describe('reconciler', () => {
  let executions: FakeExecutions;
  let starter: FakeWorkflowStarter;
  let deps: ReconcileDeps;

  beforeEach(() => {
    executions = new FakeExecutions();
    starter = new FakeWorkflowStarter();
    const starting = {
      start: async (execution: Parameters<FakeWorkflowStarter['start']>[0]) => {
        const started = await starter.start(execution);
        executions.statuses.set(execution.name, 'RUNNING');
        return started;
      },
    };
    deps = { records, clients: records, executions, careLifecycle: starting };
  });

  const withGeneration = (clientId: string, generation: number) => {
    const profile = clientProfile(clientId, 'in_care');
    profile.careLifecycleExecutionArn = `arn:aws:states:us-east-1:000000000000:execution:moodrx-care-lifecycle:${careLifecycleExecutionName(clientId, generation)}`;
    records.addClient(profile);
  };

  it('starts a missing lifecycle with the same input signup would have used (generation 1)', async () => {
    records.addClient(clientProfile('c-1', 'awaiting_consultation'));
    expect(await reconcileClient('c-1', deps)).toMatchObject({ outcome: 'started', generation: 1, reason: 'missing' });
    expect(JSON.parse(starter.executions.get('client-c-1-1') ?? '')).toEqual({ clientId: 'c-1', generation: 1, wakeUps: 0 });
    expect(records.profiles.get('c-1')?.careLifecycleGeneration).toBe(1);
  });

  it('never starts a second while one runs', async () => {
    withGeneration('c-1', 3);
    executions.statuses.set('client-c-1-3', 'RUNNING');
    expect(await reconcileClient('c-1', deps)).toMatchObject({ outcome: 'running', generation: 3 });
    expect(starter.executions.size).toBe(0);
  });

  it.each([
    ['FAILED', 'failed'],
    ['TIMED_OUT', 'timed_out'],
    ['ABORTED', 'aborted'],
  ] as const)('recorded generation %s -> the next generation', async (status, reason) => {
    withGeneration('c-1', 2);
    executions.statuses.set('client-c-1-2', status);
    expect(await reconcileClient('c-1', deps)).toMatchObject({ outcome: 'started', generation: 3, reason });
  });

  it('follows continued generations to the running one and records it', async () => {
    withGeneration('c-1', 1);
    executions.statuses.set('client-c-1-1', 'SUCCEEDED');
    executions.statuses.set('client-c-1-2', 'SUCCEEDED');
    executions.statuses.set('client-c-1-3', 'RUNNING');
    expect(await reconcileClient('c-1', deps)).toMatchObject({ outcome: 'running', generation: 3 });
    expect(records.profiles.get('c-1')?.careLifecycleGeneration).toBe(3);
    expect(starter.executions.size).toBe(0);
  });

  it('an execution that ended while the client is active -> the next generation', async () => {
    withGeneration('c-1', 4);
    executions.statuses.set('client-c-1-4', 'SUCCEEDED');
    expect(await reconcileClient('c-1', deps)).toMatchObject({ outcome: 'started', generation: 5, reason: 'ended' });
  });

  it('a forgotten execution (the local emulator restarted) is started again under its name', async () => {
    withGeneration('c-1', 2);
    expect(await reconcileClient('c-1', deps)).toMatchObject({ outcome: 'started', generation: 2, reason: 'missing' });
  });

  // Issue 9, finding 4: on 65e63bb the reconciler started a lifecycle (reminder emails) for any
  // active client, an unproven address included.
  it('starts nothing for a client whose email is not verified yet', async () => {
    const { emailVerifiedAt: _, ...unverified } = clientProfile('c-1', 'awaiting_consultation');
    records.addClient(unverified);
    expect(await reconcileClient('c-1', deps)).toEqual({ clientId: 'c-1', outcome: 'skipped_unverified' });
    expect(starter.executions.size).toBe(0);
  });

  it('leaves closed care and removed clients alone', async () => {
    records.addClient(clientProfile('c-1', 'discharged'));
    expect(await reconcileClient('c-1', deps)).toEqual({ clientId: 'c-1', outcome: 'skipped_closed' });
    expect(await reconcileClient('gone', deps)).toEqual({ clientId: 'gone', outcome: 'client_gone' });
  });

  it('reconcileAll: every active stage, a page at a time; one failing client does not stop the others; twice = no second execution', async () => {
    for (let i = 0; i < 7; i += 1) records.addClient(clientProfile(`a-${i}`, (['awaiting_consultation', 'awaiting_match', 'in_care'] as const)[i % 3] ?? 'in_care'));
    records.addClient(clientProfile('closed', 'referred'));
    const failing = { ...deps, clients: { getProfile: async (id: string) => (id === 'a-4' ? Promise.reject(new Error('boom')) : records.getProfile(id)) } };
    const first = await reconcileAll(failing, { pageSize: 2, concurrency: 3 });
    expect(first).toMatchObject({ checked: 7, started: 6, running: 0, failed: 1 });
    const second = await reconcileAll(deps, { pageSize: 2 });
    expect(second).toMatchObject({ checked: 7, started: 1, running: 6, failed: 0 });
    expect(starter.executions.size).toBe(7);
  });

  it('reads generations from names and ARNs', () => {
    expect(generationOf('arn:aws:states:us-east-1:1:execution:m:client-c-1-12', 'c-1')).toBe(12);
    expect(generationOf('client-c-1-0', 'c-1')).toBeUndefined();
    expect(generationOf('client-c-2-3', 'c-1')).toBeUndefined();
  });
});

describe('GET /v1/clients/{clientId} and discharge', () => {
  const deps = (): ClientCareDeps => ({ careTeam: records.careTeam, auditLog: audit, records, staff, settings, now: () => new Date(now) });
  const therapist = { userId: 'th-1', role: 'therapist' as const };

  it('the client sees their stage, therapist and what is next (no disengagement label); audited', async () => {
    await inCare('c-1');
    now = T0 + 22 * DAY;
    const view = await getClientView({ caller: { userId: 'c-1', role: 'client' }, clientId: 'c-1', requestId: 'r-1' }, deps());
    expect(view).toMatchObject({ clientId: 'c-1', stage: 'in_care', therapist: { clinicianId: 'th-1', firstName: 'Jordan', since: iso(0) } });
    expect(view.lifecycle.measures).toEqual(['phq9', 'gad7']);
    expect(view.lifecycle.next[0]).toMatchObject({ kind: 'measure_reminder', at: iso(22 * DAY) });
    expect(view.lifecycle.disengagedSince).toBeUndefined();
    expect(audit.events('c-1')).toMatchObject([{ actor: { userId: 'c-1' }, action: 'read', record: { category: 'care' }, outcome: 'success', basis: 'self', requestId: 'r-1' }]);
    const forTherapist = await getClientView({ caller: therapist, clientId: 'c-1' }, deps());
    expect(forTherapist.lifecycle.disengagedSince).toBe(iso(0));
  });

  it('the consultation clinician before matching; 404 for another client, a coordinator, an admin, a former therapist (each denial audited)', async () => {
    records.addClient(clientProfile('c-1', 'awaiting_match'));
    await records.careTeam.begin({ clientId: 'c-1', clinicianId: 'cc-1', kind: 'consultation', startedAt: iso(0) });
    const view = await getClientView({ caller: { userId: 'cc-1', role: 'coordinator' }, clientId: 'c-1' }, deps());
    expect(view.consultationClinician).toMatchObject({ clinicianId: 'cc-1', lastName: 'Moreau' });
    expect(view.lifecycle.nextReviewAt).toBe(iso(3_600_000));
    await records.careTeam.begin({ clientId: 'c-1', clinicianId: 'th-2', kind: 'therapist', startedAt: iso(DAY) });
    await records.careTeam.end({ clientId: 'c-1', clinicianId: 'th-2', kind: 'therapist', endedAt: iso(2 * DAY), endReason: 'rematch' });
    for (const caller of [
      { userId: 'c-2', role: 'client' as const },
      { userId: 'co-9', role: 'coordinator' as const },
      { userId: 'ad-1', role: 'admin' as const },
      { userId: 'th-2', role: 'therapist' as const },
    ]) {
      await expect(getClientView({ caller, clientId: 'c-1' }, deps())).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(audit.events('c-1').map((e) => e.outcome)).toEqual(['success', 'denied', 'denied', 'denied', 'denied']);
    expect(audit.events('c-1').at(-1)).toMatchObject({ denialReason: 'relationship_ended' });
  });

  it('discharge by the assigned therapist: one close (stage, relationship, caseload, record), audited; then 404 for them', async () => {
    await inCare('c-1');
    records.caseloads.set('th-1', 1);
    now = T0 + 40 * DAY;
    const result = await dischargeClient({ caller: therapist, clientId: 'c-1', request: { reason: 'goals_met', summary: 'Synthetic summary.' } }, deps());
    expect(result).toEqual({ clientId: 'c-1', stage: 'discharged', reason: 'goals_met', dischargedAt: iso(40 * DAY), dischargedBy: 'th-1' });
    expect(records.profiles.get('c-1')?.stage).toBe('discharged');
    expect(records.caseloads.get('th-1')).toBe(0);
    expect(records.discharges).toEqual([{ clientId: 'c-1', therapistId: 'th-1', reason: 'goals_met', summary: 'Synthetic summary.', dischargedBy: 'th-1', dischargedAt: iso(40 * DAY) }]);
    await expect(dischargeClient({ caller: therapist, clientId: 'c-1', request: { reason: 'goals_met' } }, deps())).rejects.toBeInstanceOf(NotFoundError);
    expect(audit.events('c-1').map((e) => [e.action, e.outcome])).toEqual([
      ['update', 'success'],
      ['update', 'denied'],
    ]);
    const view = await getClientView({ caller: { userId: 'c-1', role: 'client' }, clientId: 'c-1' }, deps());
    expect(view).toMatchObject({ stage: 'discharged', discharge: { reason: 'goals_met' }, lifecycle: { next: [], nextReviewAt: null } });
  });

  it('a discharge that failed after its transaction (the session cancellation threw) is finished by a retry with the same Idempotency-Key', async () => {
    await inCare('c-1');
    records.caseloads.set('th-1', 1);
    now = T0 + 40 * DAY;
    const cancelled: string[] = [];
    let failures = 1;
    const sessionsOnCareEnd: CareEndedSessions = {
      async cancelFutureSessions(ended) {
        if (failures-- > 0) throw new Error('Synthetic fault after the close.');
        cancelled.push(`${ended.therapistId}:${ended.basis}`);
        return ['s-1'];
      },
    };
    const withSessions = (): ClientCareDeps => ({ ...deps(), sessionsOnCareEnd });
    const request = { reason: 'goals_met' as const, summary: 'Synthetic summary.' };
    await expect(dischargeClient({ caller: therapist, clientId: 'c-1', request, idempotencyKey: 'k-1' }, withSessions())).rejects.toThrow('Synthetic fault');
    // The close is done (one transaction), the cancellation is not.
    expect(records.profiles.get('c-1')?.stage).toBe('discharged');
    expect(cancelled).toEqual([]);
    now = T0 + 40 * DAY + 5_000;
    // Another key, no key, or another body: not this discharge (404, as before).
    await expect(dischargeClient({ caller: therapist, clientId: 'c-1', request, idempotencyKey: 'k-2' }, withSessions())).rejects.toBeInstanceOf(NotFoundError);
    await expect(dischargeClient({ caller: therapist, clientId: 'c-1', request }, withSessions())).rejects.toBeInstanceOf(NotFoundError);
    await expect(dischargeClient({ caller: therapist, clientId: 'c-1', request: { reason: 'other' }, idempotencyKey: 'k-1' }, withSessions())).rejects.toBeInstanceOf(NotFoundError);
    expect(cancelled).toEqual([]);
    // The same key and body: finished, the same answer (the first attempt's time), one close only.
    const retried = await dischargeClient({ caller: therapist, clientId: 'c-1', request, idempotencyKey: 'k-1' }, withSessions());
    expect(retried).toEqual({ clientId: 'c-1', stage: 'discharged', reason: 'goals_met', dischargedAt: iso(40 * DAY), dischargedBy: 'th-1' });
    expect(cancelled).toEqual(['th-1:former_clinician']);
    expect(records.discharges).toHaveLength(1);
    expect(records.caseloads.get('th-1')).toBe(0);
    expect(audit.events('c-1').map((e) => [e.action, e.outcome, e.basis ?? e.denialReason])).toEqual([
      ['update', 'failure', 'assigned_therapist'],
      ['update', 'denied', 'relationship_ended'],
      ['update', 'denied', 'relationship_ended'],
      ['update', 'denied', 'relationship_ended'],
      ['update', 'success', 'former_clinician'],
    ]);
  });

  it('nobody but the assigned therapist discharges: the client 403/404, another therapist and the consultation clinician 404', async () => {
    await inCare('c-1');
    await expect(dischargeClient({ caller: { userId: 'th-2', role: 'therapist' }, clientId: 'c-1', request: { reason: 'other' } }, deps())).rejects.toBeInstanceOf(NotFoundError);
    await expect(dischargeClient({ caller: { userId: 'c-1', role: 'client' }, clientId: 'c-1', request: { reason: 'other' } }, deps())).rejects.toBeInstanceOf(NotFoundError);
    expect(records.profiles.get('c-1')?.stage).toBe('in_care');
    expect(records.closeCalls).toBe(0);
  });
});
