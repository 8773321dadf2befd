/**
 * The tasks of workflows/risk-escalation.asl.json. Each is idempotent: the workflow retries a
 * task after a failure or a timeout, and every wake-up re-reads the task rather than trusting
 * what the execution carried.
 *
 * Emails go through sendOnce: claim (put "if absent"), send, confirm. A retry after a confirmed
 * send sends nothing; after a send that failed for sure (SES answered with an error, or the
 * request failed before leaving) the claim is released and the retry sends. The one uncertain
 * case is an attempt that died between claim and confirm (a crash, a Lambda timeout): while the
 * claim is recent the task fails with NotificationInFlightError (retried later: the first
 * attempt may still finish); once it is stale, the email is recorded as `outcome unknown` and
 * NOT sent again. "Retries never send a duplicate" (issue 4) wins over at-least-once here,
 * because the workflow has a backstop: an unacknowledged task escalates to every supervisor at
 * its deadline, round after round.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { RiskEscalationSettings } from '../../config/risk-escalation.js';
import type { AuditEvent } from '../../domain/audit.js';
import { highestRiskLevel } from '../../domain/instruments/risk-flags.js';
import {
  chooseResponsible,
  isHandledStatus,
  ResponsibilitySchema,
  riskTaskDueAt,
  riskTaskIdFor,
  RiskSourceSchema,
  RiskTaskIdSchema,
  type RiskTask,
} from '../../domain/risk-tasks.js';
import { renderRiskAlert, renderRiskEscalation } from '../../notifications/risk-emails.js';
import { logger } from '../../observability/logger.js';
import { buildAuditEvent } from '../access/client-access.js';
import type { AuditLog, CareRelationships, EmailSender, OutgoingEmail } from '../ports.js';
import type { RiskSources, RiskTasks, StaffDirectory } from './ports.js';

/** The workflow's actor in audit events. */
export const RISK_ESCALATION_ACTOR = { userId: 'risk-escalation', role: 'system' } as const;

export interface RiskTaskDeps {
  tasks: RiskTasks;
  /** The flagged records (OpenRiskTask reads the level and the flag's time there). */
  sources: RiskSources;
  staff: StaffDirectory;
  careTeam: Pick<CareRelationships, 'activeFor'>;
  email: EmailSender;
  auditLog: AuditLog;
  settings: RiskEscalationSettings;
  appBaseUrl: string;
  now: () => Date;
  newId?: () => string;
}

/** The task is gone or was never opened: a defect no retry can fix. */
export class RiskTaskNotFoundError extends Error {
  constructor(readonly taskId: string) {
    super(`No risk task ${taskId}.`);
    this.name = 'RiskTaskNotFoundError';
  }
}

/** Nobody to email (no responsible clinician, or no supervisors, or no staff record with an address). */
export class NoRecipientError extends Error {
  constructor(what: string) {
    super(`No recipient: ${what}.`);
    this.name = 'NoRecipientError';
  }
}

/** Another attempt claimed this email moments ago and has not confirmed it yet: retry later. */
export class NotificationInFlightError extends Error {
  constructor(readonly key: string) {
    super(`The email ${key} is being sent by another attempt.`);
    this.name = 'NotificationInFlightError';
  }
}

/** Some supervisors of a round could not be emailed; the others were (and will not be again). */
export class EscalationDeliveryError extends Error {
  constructor(
    readonly round: number,
    readonly failed: number,
  ) {
    super(`Escalation round ${round}: ${failed} email(s) not sent.`);
    this.name = 'EscalationDeliveryError';
  }
}

/** The flagged record is not there (yet), or raised no risk flag: retried, then the execution fails (alarm). */
export class RiskSourceNotFoundError extends Error {
  constructor(readonly source: { type: string; id: string }) {
    super(`No flagged ${source.type} ${source.id}.`);
    this.name = 'RiskSourceNotFoundError';
  }
}

/**
 * The execution input (shared/adapters/sfn/risk-escalation-starter.ts): ids only. The level and
 * the flag's time are health data linked to the client, and an execution's history is kept for
 * 90 days: the tasks read them from the flagged record and the risk task instead.
 */
export const RiskEscalationInputSchema = z.strictObject({
  clientId: z.string().min(1).max(128),
  source: RiskSourceSchema,
});
export type RiskEscalationInput = z.infer<typeof RiskEscalationInputSchema>;

export const ResolveResponsibleInputSchema = z.strictObject({ clientId: z.string().min(1).max(128) });

/** ResolveResponsibleClinician: the active therapist, else the consultation clinician, else the on-call coordinator. */
export async function resolveResponsibleClinician(
  input: z.infer<typeof ResolveResponsibleInputSchema>,
  deps: Pick<RiskTaskDeps, 'careTeam' | 'staff'>,
): Promise<z.infer<typeof ResponsibilitySchema>> {
  const active = await deps.careTeam.activeFor(input.clientId);
  const needsCoordinator = !active.some((r) => r.kind === 'therapist' || r.kind === 'consultation');
  const coordinators = needsCoordinator ? await deps.staff.byRole('coordinator') : [];
  return chooseResponsible(active, coordinators);
}

export const OpenRiskTaskInputSchema = RiskEscalationInputSchema.extend({ responsible: ResponsibilitySchema });

export interface OpenRiskTaskOutput {
  taskId: string;
  dueAt: string;
  reEscalationSeconds: number;
  created: boolean;
}

/**
 * OpenRiskTask: the task, if absent; what the workflow waits on comes from the STORED task.
 * 1. Read the flagged record by id: its highest risk flag is the task's level, its own time the
 *    flag's time (the same on every retry and every start for this record).
 * 2. Put the task "if absent"; audit its creation once.
 * 3. Return ids and the times the workflow waits on, never the level.
 */
export async function openRiskTask(
  input: z.infer<typeof OpenRiskTaskInputSchema>,
  deps: Pick<RiskTaskDeps, 'tasks' | 'sources' | 'auditLog' | 'settings' | 'now' | 'newId'>,
): Promise<OpenRiskTaskOutput> {
  const taskId = riskTaskIdFor(input.source);
  const record = await deps.sources.get(input.clientId, input.source);
  const level = record ? highestRiskLevel(record.riskFlags) : null;
  if (!record || level === null) throw new RiskSourceNotFoundError(input.source);
  const flaggedAt = new Date(record.at).toISOString();
  const createdAt = deps.now().toISOString();
  const task: RiskTask = {
    taskId,
    clientId: input.clientId,
    level,
    source: input.source,
    status: 'open',
    responsibility: input.responsible.kind,
    ...(input.responsible.kind === 'unassigned' ? {} : { responsibleClinicianId: input.responsible.staffId }),
    flaggedAt,
    createdAt,
    dueAt: riskTaskDueAt(level, flaggedAt, deps.settings.acknowledgeWithinMinutes),
    escalations: [],
  };
  const result = await deps.tasks.create(task);
  if (result.outcome === 'created') await deps.auditLog.record(systemEvent(deps, result.task, 'create'));
  return {
    taskId: result.task.taskId,
    dueAt: result.task.dueAt,
    reEscalationSeconds: deps.settings.reEscalationMinutes * 60,
    created: result.outcome === 'created',
  };
}

export const TaskRefInputSchema = z.strictObject({ taskId: RiskTaskIdSchema });

export type SendResult = 'sent' | 'already_sent' | 'outcome_unknown';

/** Claim, send, confirm (see the header). */
export async function sendOnce(
  taskId: string,
  key: string,
  email: OutgoingEmail,
  deps: Pick<RiskTaskDeps, 'tasks' | 'email' | 'settings' | 'now' | 'newId'>,
): Promise<SendResult> {
  const claimId = (deps.newId ?? randomUUID)();
  const claim = await deps.tasks.claimEmail(taskId, key, claimId, deps.now().toISOString());
  if (claim.state === 'sent') return 'already_sent';
  if (claim.state === 'in_flight') {
    const age = deps.now().getTime() - Date.parse(claim.claimedAt);
    if (age < deps.settings.staleEmailClaimSeconds * 1000) throw new NotificationInFlightError(key);
    await deps.tasks.abandonEmail(taskId, key, deps.now().toISOString());
    logger.warn('Risk email of unknown outcome not sent again', { taskId, notificationKey: key });
    return 'outcome_unknown';
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.email.send(email));
  } catch (error) {
    // SES refused, or the request failed: give the claim back so that the retry sends.
    await deps.tasks.releaseEmail(taskId, key, claimId);
    throw error;
  }
  await deps.tasks.confirmEmail(taskId, key, claimId, messageId, deps.now().toISOString());
  return 'sent';
}

export const ALERT_NOTIFICATION_KEY = 'alert';
export const escalationNotificationKey = (round: number, supervisorId: string) => `escalation-${round}-${supervisorId}`;

/** AlertResponsibleClinician: one email, at once, with nothing but a link. */
export async function alertResponsibleClinician(
  input: z.infer<typeof TaskRefInputSchema>,
  deps: Pick<RiskTaskDeps, 'tasks' | 'staff' | 'email' | 'settings' | 'appBaseUrl' | 'now' | 'newId'>,
): Promise<{ result: SendResult; handled: boolean }> {
  const task = await deps.tasks.get(input.taskId);
  if (!task) throw new RiskTaskNotFoundError(input.taskId);
  // Acknowledged already (e.g. a clinician saw it in the app during a retry): no need to alert.
  if (isHandledStatus(task.status)) return { result: 'already_sent', handled: true };
  if (task.responsibleClinicianId === undefined) throw new NoRecipientError('the task has no responsible clinician');
  const contact = await deps.staff.contact(task.responsibleClinicianId);
  if (!contact) throw new NoRecipientError('the responsible clinician has no staff record');
  const rendered = renderRiskAlert({ taskId: task.taskId, appBaseUrl: deps.appBaseUrl });
  const result = await sendOnce(task.taskId, ALERT_NOTIFICATION_KEY, { to: contact.email, ...rendered }, deps);
  return { result, handled: false };
}

export const CheckAcknowledgedInputSchema = TaskRefInputSchema.extend({ checks: z.number().int().min(0).max(100) });

export interface CheckOutput {
  handled: boolean;
  status: RiskTask['status'];
  /** Checks done so far, this one included. */
  checks: number;
  /** The escalation round to run if not handled. */
  round: number;
  /** Every round has run: mark unresolved. */
  exhausted: boolean;
}

/** CheckAcknowledged: re-reads the task; the execution carries only how many checks ran. */
export async function checkAcknowledged(
  input: z.infer<typeof CheckAcknowledgedInputSchema>,
  deps: Pick<RiskTaskDeps, 'tasks' | 'settings'>,
): Promise<CheckOutput> {
  const task = await deps.tasks.get(input.taskId);
  if (!task) throw new RiskTaskNotFoundError(input.taskId);
  const handled = isHandledStatus(task.status);
  return {
    handled,
    status: task.status,
    checks: input.checks + 1,
    round: input.checks + 1,
    exhausted: !handled && input.checks >= deps.settings.maxEscalationRounds,
  };
}

export const EscalateInputSchema = TaskRefInputSchema.extend({ round: z.number().int().min(1).max(100) });

/**
 * EscalateToSupervisors: one email per supervisor for this round (each claimed once), then the
 * round on the task. Every supervisor is tried even when one fails; the step then fails and is
 * retried, and only the missing emails go.
 */
export async function escalateToSupervisors(
  input: z.infer<typeof EscalateInputSchema>,
  deps: RiskTaskDeps,
): Promise<{ round: number; notified: number; alreadyNotified: number; handled: boolean }> {
  const task = await deps.tasks.get(input.taskId);
  if (!task) throw new RiskTaskNotFoundError(input.taskId);
  if (isHandledStatus(task.status)) return { round: input.round, notified: 0, alreadyNotified: 0, handled: true };
  const supervisors = await deps.staff.byRole('supervisor');
  if (supervisors.length === 0) throw new NoRecipientError('there is no supervisor');
  const rendered = renderRiskEscalation({ taskId: task.taskId, appBaseUrl: deps.appBaseUrl, round: input.round });
  let notified = 0;
  let alreadyNotified = 0;
  let failed = 0;
  for (const supervisor of supervisors) {
    try {
      const result = await sendOnce(task.taskId, escalationNotificationKey(input.round, supervisor.staffId), { to: supervisor.email, ...rendered }, deps);
      if (result === 'sent') notified += 1;
      else alreadyNotified += 1;
    } catch (error) {
      failed += 1;
      logger.warn('Escalation email failed', { taskId: task.taskId, round: input.round, errorName: error instanceof Error ? error.name : 'Error' });
    }
  }
  if (failed > 0) throw new EscalationDeliveryError(input.round, failed);
  const recorded = await deps.tasks.recordEscalation(task.taskId, { round: input.round, at: deps.now().toISOString(), notified: notified + alreadyNotified });
  if (recorded === 'not_found') throw new RiskTaskNotFoundError(task.taskId);
  if (recorded === 'recorded') await deps.auditLog.record(systemEvent(deps, task, 'update'));
  return { round: input.round, notified, alreadyNotified, handled: false };
}

/** MarkUnresolved: every round ran; the task stays open and flagged for supervisors. */
export async function markUnresolved(
  input: z.infer<typeof TaskRefInputSchema>,
  deps: Pick<RiskTaskDeps, 'tasks' | 'auditLog' | 'now' | 'newId'>,
): Promise<{ marked: boolean }> {
  const task = await deps.tasks.get(input.taskId);
  if (!task) throw new RiskTaskNotFoundError(input.taskId);
  const outcome = await deps.tasks.markUnresolved(input.taskId, deps.now().toISOString());
  if (outcome === 'not_found') throw new RiskTaskNotFoundError(input.taskId);
  if (outcome === 'marked') {
    await deps.auditLog.record(systemEvent(deps, task, 'update'));
    logger.error('Risk task unresolved after every escalation round', { taskId: input.taskId });
  }
  return { marked: outcome === 'marked' };
}

function systemEvent(deps: Pick<RiskTaskDeps, 'now' | 'newId'>, task: RiskTask, action: 'create' | 'update'): AuditEvent {
  return buildAuditEvent(
    { now: deps.now, ...(deps.newId ? { newEventId: deps.newId } : {}) },
    {
      actor: RISK_ESCALATION_ACTOR,
      clientId: task.clientId,
      purpose: 'risk_review',
      action,
      category: 'risk',
      recordId: task.taskId,
      outcome: 'success',
      requestId: task.taskId,
    },
  );
}
