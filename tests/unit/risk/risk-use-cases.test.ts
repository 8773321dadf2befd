/** The risk-escalation tasks and the risk-task routes over in-memory ports. */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RISK_ESCALATION_SETTINGS } from '../../../shared/config/risk-escalation.js';
import { ForbiddenError, NotFoundError, RiskTaskAcknowledgedByOtherError, RiskTaskClosedError } from '../../../shared/domain/errors.js';
import type { RiskAssessmentRequest } from '../../../shared/domain/risk-tasks.js';
import { acknowledgeRiskTask, assessRiskTask, listRiskTasks } from '../../../shared/use-cases/risk/risk-task-routes.js';
import {
  alertResponsibleClinician,
  checkAcknowledged,
  EscalationDeliveryError,
  escalateToSupervisors,
  markUnresolved,
  NoRecipientError,
  NotificationInFlightError,
  openRiskTask,
  resolveResponsibleClinician,
  RiskSourceNotFoundError,
  sendOnce,
  type RiskTaskDeps,
} from '../../../shared/use-cases/risk/workflow-tasks.js';
import { FakeAuditLog, FakeCareTeam, FakeEmail, FakeRiskTasks, FakeStaff } from './fakes.js';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const CLIENT = 'client-1';
const SOURCE = { type: 'assessment' as const, id: 'a1' };
const TASK_ID = 'risk-assessment-a1';

let clock: Date;
let tasks: FakeRiskTasks;
let staff: FakeStaff;
let careTeam: FakeCareTeam;
let auditLog: FakeAuditLog;
let email: FakeEmail;
let deps: RiskTaskDeps;
let ids = 0;
/** The flagged records by `<clientId>/<type>/<id>`: what OpenRiskTask reads the level and time from. */
let flaggedRecords: Map<string, { riskFlags: { level: 'high' | 'moderate' | 'low' }[]; at: string }>;

function flag(clientId: string, source: { type: 'assessment' | 'check_in'; id: string }, level: 'high' | 'moderate' | 'low', at = NOW.toISOString()): void {
  flaggedRecords.set(`${clientId}/${source.type}/${source.id}`, { riskFlags: [{ level: 'low' }, { level }], at });
}

beforeEach(() => {
  clock = NOW;
  tasks = new FakeRiskTasks();
  staff = new FakeStaff();
  careTeam = new FakeCareTeam();
  auditLog = new FakeAuditLog();
  email = new FakeEmail();
  ids = 0;
  flaggedRecords = new Map();
  deps = {
    tasks,
    sources: { get: (clientId, source) => Promise.resolve(flaggedRecords.get(`${clientId}/${source.type}/${source.id}`)) },
    staff,
    careTeam,
    email,
    auditLog,
    settings: DEFAULT_RISK_ESCALATION_SETTINGS,
    appBaseUrl: 'https://app.example',
    now: () => clock,
    newId: () => `id-${(ids += 1)}`,
  };
  staff.add('t1', 'therapist');
  staff.add('s1', 'supervisor');
  staff.add('s2', 'supervisor');
  staff.add('k1', 'coordinator');
  careTeam.add(CLIENT, 't1', 'therapist');
});

async function opened(level: 'high' | 'moderate' | 'low' = 'high', responsible = { kind: 'therapist' as const, staffId: 't1' }) {
  flag(CLIENT, SOURCE, level);
  return openRiskTask({ clientId: CLIENT, source: SOURCE, responsible }, deps);
}

describe('workflow tasks', () => {
  it('ResolveResponsibleClinician reads coordinators only when the client has no clinician', async () => {
    expect(await resolveResponsibleClinician({ clientId: CLIENT }, deps)).toEqual({ kind: 'therapist', staffId: 't1' });
    expect(await resolveResponsibleClinician({ clientId: 'client-2' }, deps)).toEqual({ kind: 'on_call', staffId: 'k1' });
    expect(await resolveResponsibleClinician({ clientId: 'client-2' }, { ...deps, staff: new FakeStaff() })).toEqual({ kind: 'unassigned' });
  });

  it('OpenRiskTask opens once, with the deadline by level, audited once; a retry returns the stored task', async () => {
    const first = await opened('moderate');
    clock = new Date(NOW.getTime() + 60_000);
    const second = await opened('moderate');
    expect(first).toEqual({ taskId: TASK_ID, dueAt: '2026-11-26T14:00:00.000Z', reEscalationSeconds: 3600, created: true });
    expect(second).toEqual({ ...first, created: false });
    expect(auditLog.events.map((e) => [e.actor.userId, e.action, e.record.id])).toEqual([['risk-escalation', 'create', TASK_ID]]);
    expect(await tasks.get(TASK_ID)).toMatchObject({ status: 'open', responsibility: 'therapist', responsibleClinicianId: 't1', createdAt: NOW.toISOString() });
  });

  it('OpenRiskTask takes the level (highest flag) and the flag time from the flagged record, not from the execution', async () => {
    const flaggedAt = '2026-11-26T09:30:00.000Z';
    flag(CLIENT, SOURCE, 'high', flaggedAt);
    const result = await openRiskTask({ clientId: CLIENT, source: SOURCE, responsible: { kind: 'therapist', staffId: 't1' } }, deps);
    expect(result.dueAt).toBe('2026-11-26T10:30:00.000Z');
    expect(Object.keys(result).sort()).toEqual(['created', 'dueAt', 'reEscalationSeconds', 'taskId']);
    expect(await tasks.get(TASK_ID)).toMatchObject({ level: 'high', flaggedAt, clientId: CLIENT });
  });

  it('OpenRiskTask fails (retried, then the execution fails) when the record is missing, of another client, or unflagged', async () => {
    const open = (clientId: string) => openRiskTask({ clientId, source: SOURCE, responsible: { kind: 'therapist', staffId: 't1' } }, deps);
    await expect(open(CLIENT)).rejects.toBeInstanceOf(RiskSourceNotFoundError);
    flag('client-2', SOURCE, 'high');
    await expect(open(CLIENT)).rejects.toBeInstanceOf(RiskSourceNotFoundError);
    flaggedRecords.set(`${CLIENT}/${SOURCE.type}/${SOURCE.id}`, { riskFlags: [], at: NOW.toISOString() });
    await expect(open(CLIENT)).rejects.toBeInstanceOf(RiskSourceNotFoundError);
    expect(await tasks.get(TASK_ID)).toBeUndefined();
  });

  it('AlertResponsibleClinician sends once, with the link only; a retry sends nothing', async () => {
    await opened();
    expect(await alertResponsibleClinician({ taskId: TASK_ID }, deps)).toEqual({ result: 'sent', handled: false });
    expect(await alertResponsibleClinician({ taskId: TASK_ID }, deps)).toEqual({ result: 'already_sent', handled: false });
    expect(email.sent.map((e) => e.to)).toEqual(['t1@example.com']);
    expect(email.sent[0]!.text).toContain(`https://app.example/risk-tasks/${TASK_ID}`);
  });

  it('AlertResponsibleClinician: nobody to alert -> NoRecipientError (the workflow escalates at once); already acknowledged -> nothing', async () => {
    await opened('high', { kind: 'unassigned' } as never);
    await expect(alertResponsibleClinician({ taskId: TASK_ID }, deps)).rejects.toBeInstanceOf(NoRecipientError);
    await tasks.acknowledge(TASK_ID, 's1', NOW.toISOString());
    expect(await alertResponsibleClinician({ taskId: TASK_ID }, deps)).toEqual({ result: 'already_sent', handled: true });
    expect(email.sent).toEqual([]);
  });

  describe('sendOnce', () => {
    const outgoing = { to: 'x@example.com', subject: 's', html: 'h', text: 't' };

    it('releases the claim when the send fails, so that the retry sends (exactly once)', async () => {
      email.failures.push(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
      await expect(sendOnce(TASK_ID, 'k', outgoing, deps)).rejects.toThrow('down');
      expect(tasks.emails.size).toBe(0);
      expect(await sendOnce(TASK_ID, 'k', outgoing, deps)).toBe('sent');
      expect(await sendOnce(TASK_ID, 'k', outgoing, deps)).toBe('already_sent');
      expect(email.sent).toHaveLength(1);
    });

    it('a recent unconfirmed claim (another attempt may still be sending): NotificationInFlightError, nothing sent', async () => {
      await tasks.claimEmail(TASK_ID, 'k', 'other', NOW.toISOString());
      clock = new Date(NOW.getTime() + (DEFAULT_RISK_ESCALATION_SETTINGS.staleEmailClaimSeconds - 1) * 1000);
      await expect(sendOnce(TASK_ID, 'k', outgoing, deps)).rejects.toBeInstanceOf(NotificationInFlightError);
      expect(email.sent).toEqual([]);
    });

    it('a stale unconfirmed claim (its attempt died): recorded as of unknown outcome, NOT sent again', async () => {
      await tasks.claimEmail(TASK_ID, 'k', 'other', NOW.toISOString());
      clock = new Date(NOW.getTime() + DEFAULT_RISK_ESCALATION_SETTINGS.staleEmailClaimSeconds * 1000);
      expect(await sendOnce(TASK_ID, 'k', outgoing, deps)).toBe('outcome_unknown');
      expect(await sendOnce(TASK_ID, 'k', outgoing, deps)).toBe('already_sent');
      expect(email.sent).toEqual([]);
      expect(tasks.emails.get(`${TASK_ID}/k`)?.state).toBe('unknown');
    });
  });

  it('CheckAcknowledged counts checks and says when every round has run', async () => {
    await opened();
    const rounds = DEFAULT_RISK_ESCALATION_SETTINGS.maxEscalationRounds;
    expect(await checkAcknowledged({ taskId: TASK_ID, checks: 0 }, deps)).toEqual({ handled: false, status: 'open', checks: 1, round: 1, exhausted: false });
    expect(await checkAcknowledged({ taskId: TASK_ID, checks: rounds - 1 }, deps)).toMatchObject({ round: rounds, exhausted: false });
    expect(await checkAcknowledged({ taskId: TASK_ID, checks: rounds }, deps)).toMatchObject({ exhausted: true });
    await tasks.acknowledge(TASK_ID, 't1', NOW.toISOString());
    expect(await checkAcknowledged({ taskId: TASK_ID, checks: rounds }, deps)).toMatchObject({ handled: true, exhausted: false });
  });

  it('EscalateToSupervisors: one email per supervisor per round; a failed one is retried alone; the round recorded once', async () => {
    await opened();
    email.refuse.add('s2@example.com');
    await expect(escalateToSupervisors({ taskId: TASK_ID, round: 1 }, deps)).rejects.toBeInstanceOf(EscalationDeliveryError);
    expect((await tasks.get(TASK_ID))?.escalations).toEqual([]);
    email.refuse.clear();
    expect(await escalateToSupervisors({ taskId: TASK_ID, round: 1 }, deps)).toEqual({ round: 1, notified: 1, alreadyNotified: 1, handled: false });
    expect(await escalateToSupervisors({ taskId: TASK_ID, round: 1 }, deps)).toEqual({ round: 1, notified: 0, alreadyNotified: 2, handled: false });
    expect(email.sent.map((e) => e.to)).toEqual(['s1@example.com', 's2@example.com']);
    const task = await tasks.get(TASK_ID);
    expect(task?.status).toBe('escalated');
    expect(task?.escalations).toEqual([{ round: 1, at: NOW.toISOString(), notified: 2 }]);
    expect(auditLog.events.filter((e) => e.action === 'update')).toHaveLength(1);

    await escalateToSupervisors({ taskId: TASK_ID, round: 2 }, deps);
    expect(email.sent).toHaveLength(4);
    expect((await tasks.get(TASK_ID))?.escalations.map((e) => e.round)).toEqual([1, 2]);
  });

  it('EscalateToSupervisors: no supervisor -> NoRecipientError; acknowledged meanwhile -> nothing sent', async () => {
    await opened();
    await expect(escalateToSupervisors({ taskId: TASK_ID, round: 1 }, { ...deps, staff: new FakeStaff() })).rejects.toBeInstanceOf(NoRecipientError);
    await tasks.acknowledge(TASK_ID, 't1', NOW.toISOString());
    expect(await escalateToSupervisors({ taskId: TASK_ID, round: 1 }, deps)).toMatchObject({ handled: true, notified: 0 });
    expect(email.sent).toEqual([]);
  });

  it('MarkUnresolved marks an unacknowledged task once and leaves a handled one alone', async () => {
    await opened();
    expect(await markUnresolved({ taskId: TASK_ID }, deps)).toEqual({ marked: true });
    expect(await markUnresolved({ taskId: TASK_ID }, deps)).toEqual({ marked: false });
    expect(await tasks.get(TASK_ID)).toMatchObject({ status: 'unresolved', unresolvedAt: NOW.toISOString() });
    expect(auditLog.events.filter((e) => e.action === 'update')).toHaveLength(1);
    // Unresolved is still acknowledgeable; after that, nothing to mark.
    await tasks.acknowledge(TASK_ID, 's1', NOW.toISOString());
    expect(await markUnresolved({ taskId: TASK_ID }, deps)).toEqual({ marked: false });
  });
});

describe('risk-task routes', () => {
  const therapist = { userId: 't1', role: 'therapist' as const };
  const other = { userId: 't2', role: 'therapist' as const };
  const supervisor = { userId: 's1', role: 'supervisor' as const };
  const coordinator = { userId: 'k1', role: 'coordinator' as const };
  const assessment: RiskAssessmentRequest = { level: 'low', rationale: 'r', actions: ['a'] };
  const routeDeps = () => ({ tasks, careTeam, auditLog, now: () => clock, newId: () => `e-${(ids += 1)}` });

  it('lists the caller’s open tasks (supervisors: all), each listed task audited', async () => {
    await opened();
    flag('client-2', { type: 'check_in', id: 'c1' }, 'low');
    await openRiskTask({ clientId: 'client-2', source: { type: 'check_in', id: 'c1' }, responsible: { kind: 'on_call', staffId: 'k1' } }, deps);
    auditLog.events.length = 0;
    expect((await listRiskTasks({ caller: therapist }, routeDeps())).tasks.map((t) => t.taskId)).toEqual([TASK_ID]);
    expect((await listRiskTasks({ caller: coordinator }, routeDeps())).tasks.map((t) => t.taskId)).toEqual(['risk-check_in-c1']);
    expect((await listRiskTasks({ caller: supervisor }, routeDeps())).tasks.map((t) => t.taskId)).toEqual([TASK_ID, 'risk-check_in-c1']);
    expect((await listRiskTasks({ caller: other }, routeDeps())).tasks).toEqual([]);
    expect(auditLog.events.map((e) => `${e.actor.userId}:${e.action}:${e.record.id}`)).toEqual([
      `t1:list:${TASK_ID}`,
      'k1:list:risk-check_in-c1',
      `s1:list:${TASK_ID}`,
      's1:list:risk-check_in-c1',
    ]);
  });

  it('drops a task from a therapist rematched away since the alert', async () => {
    await opened();
    careTeam.relationships.length = 0;
    careTeam.add(CLIENT, 't1', 'therapist', true);
    careTeam.add(CLIENT, 't3', 'therapist');
    expect((await listRiskTasks({ caller: therapist }, routeDeps())).tasks).toEqual([]);
    await expect(acknowledgeRiskTask({ caller: therapist, taskId: TASK_ID }, routeDeps())).rejects.toBeInstanceOf(NotFoundError);
    expect((await acknowledgeRiskTask({ caller: { userId: 't3', role: 'therapist' }, taskId: TASK_ID }, routeDeps())).status).toBe('acknowledged');
  });

  it('acknowledge: 404 (audited as denied) for others; once; idempotent; 409 for someone else after', async () => {
    await opened();
    auditLog.events.length = 0;
    await expect(acknowledgeRiskTask({ caller: other, taskId: TASK_ID }, routeDeps())).rejects.toBeInstanceOf(NotFoundError);
    await expect(acknowledgeRiskTask({ caller: therapist, taskId: 'risk-assessment-none' }, routeDeps())).rejects.toBeInstanceOf(NotFoundError);
    const first = await acknowledgeRiskTask({ caller: therapist, taskId: TASK_ID }, routeDeps());
    const again = await acknowledgeRiskTask({ caller: therapist, taskId: TASK_ID }, routeDeps());
    expect(again).toEqual(first);
    await expect(acknowledgeRiskTask({ caller: supervisor, taskId: TASK_ID }, routeDeps())).rejects.toBeInstanceOf(RiskTaskAcknowledgedByOtherError);
    expect(auditLog.events.map((e) => `${e.actor.userId}:${e.outcome}:${e.denialReason ?? e.basis}`)).toEqual([
      't2:denied:no_care_relationship',
      't1:success:assigned_therapist',
      't1:success:assigned_therapist',
      's1:failure:supervisor',
    ]);
  });

  it('assessment: closes the task with the referral; the on-call coordinator 403; a closed task 409', async () => {
    flag('client-2', SOURCE, 'high');
    await openRiskTask({ clientId: 'client-2', source: SOURCE, responsible: { kind: 'on_call', staffId: 'k1' } }, deps);
    await expect(assessRiskTask({ caller: coordinator, taskId: TASK_ID, assessment }, routeDeps())).rejects.toBeInstanceOf(ForbiddenError);
    const referral = { levelOfCare: 'crisis' as const, to: 'Mobile crisis team', reason: 'r' };
    const assessed = await assessRiskTask({ caller: supervisor, taskId: TASK_ID, assessment: { ...assessment, referral } }, routeDeps());
    expect(assessed).toMatchObject({ status: 'assessed', acknowledgedBy: 's1', assessment: { level: 'low', assessedBy: 's1', assessedAt: NOW.toISOString(), referral } });
    expect(tasks.referrals.get(`client-2/${TASK_ID}`)).toEqual(referral);
    expect(await tasks.hasOpenTask('client-2')).toBe(false);
    // Closed: supervisors lose their risk_review basis with it; the coordinator's acknowledge says closed.
    await expect(assessRiskTask({ caller: supervisor, taskId: TASK_ID, assessment }, routeDeps())).rejects.toBeInstanceOf(NotFoundError);
    await expect(acknowledgeRiskTask({ caller: coordinator, taskId: TASK_ID }, routeDeps())).rejects.toBeInstanceOf(RiskTaskClosedError);
    expect(auditLog.events.some((e) => e.actor.userId === 'k1' && e.outcome === 'denied')).toBe(true);
  });
});
