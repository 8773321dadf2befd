/**
 * Care-lifecycle task DoDueActions: does what is due now, each action idempotently.
 *
 * 0. (doDueActionsFor, the task) The execution carries the client's id only: the actions due
 *    are planned again here, from the client read afresh (the same pure rules ReviewClient
 *    used), so no stage, action kind or referral ever enters the execution's history.
 * 1. Re-read the profile: gone, or its stage changed since the review (ms ago) -> do nothing;
 *    the next wake-up plans again from the new state.
 * 2. Emails go through sendOnce: claim the action's key (CLIENT#<id> / NOTIFICATION#lifecycle#...,
 *    one per action and period), send, confirm. A claimed key is never sent twice at once; a
 *    claim whose attempt died is taken over after STALE_CLAIM_SECONDS (at-least-once, the usual
 *    email contract: a reminder twice beats none); a send that failed for sure gives the claim back.
 * 3. The disengagement flag is a record "if absent" plus an email to the therapist.
 * 4. A referral closes care in one transaction (stage referred, relationships ended, caseload
 *    - 1, referral applied), audited as the `care-lifecycle` system actor.
 * Every action is tried; if any failed, the task fails after the others (Retry runs it again:
 * done ones are found done).
 */
import { randomUUID } from 'node:crypto';
import type { CareEndedSessions } from '../sessions/care-ended.js';
import * as z from 'zod';
import type { CareLifecycleSettings } from '../../config/care-lifecycle.js';
import { ACTIVE_CLIENT_STAGES, type LifecycleAction } from '../../domain/care-lifecycle.js';
import { CLIENT_STAGES } from '../../domain/signup.js';
import {
  renderBaselineRequest,
  renderBookingReminder,
  renderClientIntroduction,
  renderDisengagementFlag,
  renderMeasureReminder,
  renderOutreach,
  renderTherapistIntroduction,
} from '../../notifications/care-lifecycle-emails.js';
import type { RenderedEmail } from '../../notifications/welcome-email.js';
import { buildAuditEvent } from '../access/client-access.js';
import type { AuditLog, CareRelationships, ClientProfile, ClientRecords, EmailSender } from '../ports.js';
import { planFor, STALE_CLAIM_SECONDS } from './facts.js';
import type { CareLifecycleRecords } from './ports.js';

/** The workflow's actor in audit events. */
export const CARE_LIFECYCLE_ACTOR = { userId: 'care-lifecycle', role: 'system' } as const;

const Key = z.string().min(1).max(400);
export const LifecycleActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('booking_reminder'), key: Key, reminder: z.number().int().min(1) }),
  z.strictObject({ kind: z.literal('introduce_client'), key: Key, therapistId: z.string().min(1) }),
  z.strictObject({ kind: z.literal('introduce_therapist'), key: Key, therapistId: z.string().min(1) }),
  z.strictObject({ kind: z.literal('request_baseline'), key: Key }),
  z.strictObject({ kind: z.literal('measure_reminder'), key: Key, period: z.number().int().min(1) }),
  z.strictObject({ kind: z.literal('disengagement_outreach'), key: Key }),
  z.strictObject({ kind: z.literal('disengagement_flag'), key: Key, therapistId: z.string().min(1), since: z.string().min(1) }),
  z.strictObject({ kind: z.literal('apply_referral'), referralId: z.string().min(1), therapistId: z.string().min(1).optional() }),
]);

export const DoDueActionsInputSchema = z.strictObject({
  clientId: z.string().min(1),
  /** The stage the review planned for: the actions hold only while it still is. */
  stage: z.enum(CLIENT_STAGES),
  actions: z.array(LifecycleActionSchema).max(20),
});
export type DoDueActionsInput = z.infer<typeof DoDueActionsInputSchema>;

/** The task's input (workflows/care-lifecycle.asl.json): the client's id, nothing else. */
export const DoDueActionsTaskInputSchema = z.strictObject({ clientId: z.string().min(1) });
export type DoDueActionsTaskInput = z.infer<typeof DoDueActionsTaskInputSchema>;

export type ActionOutcome = 'sent' | 'already_sent' | 'in_flight' | 'raised' | 'closed' | 'skipped';

export interface DoDueActionsOutput {
  /** Care was closed by an action (a referral): the lifecycle ends now. */
  closedCare: boolean;
  done: { kind: LifecycleAction['kind']; outcome: ActionOutcome }[];
}

export interface StaffContact {
  email: string;
  firstName: string;
  lastName: string;
}

export interface DoDueActionsDeps {
  records: Pick<CareLifecycleRecords, 'claimNotification' | 'confirmNotification' | 'releaseNotification' | 'raiseDisengagementFlag' | 'closeCare'>;
  clients: Pick<ClientRecords, 'getProfile'>;
  careTeam: Pick<CareRelationships, 'activeFor'>;
  staff: { getStaffProfile(userId: string): Promise<StaffContact | undefined> };
  email: EmailSender;
  auditLog: AuditLog;
  appBaseUrl: string;
  /** A referral ends care: the client's future sessions with their therapist are cancelled (shared/use-cases/sessions/care-ended.ts). */
  sessionsOnCareEnd?: CareEndedSessions;
  /** Real time. */
  now: () => Date;
  newId?: () => string;
}

export class DueActionsFailedError extends Error {
  constructor(readonly failed: string[]) {
    super(`Care lifecycle actions failed: ${failed.join(', ')}`);
    this.name = 'DueActionsFailedError';
  }
}

/** A referral kept meeting concurrent changes to the client's care. */
export class CareChangedConcurrentlyError extends Error {
  constructor() {
    super('The client\'s care kept changing while the referral was applied.');
    this.name = 'CareChangedConcurrentlyError';
  }
}

const CLOSE_ATTEMPTS = 3;

/** DoDueActions as the workflow runs it: plans from the client read now, then does it (step 0). */
export async function doDueActionsFor(
  input: DoDueActionsTaskInput,
  deps: DoDueActionsDeps & { planning: Pick<CareLifecycleRecords, 'snapshot'>; settings: CareLifecycleSettings },
): Promise<DoDueActionsOutput> {
  const snapshot = await deps.planning.snapshot(input.clientId);
  if (!snapshot) return { closedCare: false, done: [] };
  const plan = planFor(snapshot, deps.settings, deps.now());
  if (plan.end || plan.actions.length === 0) return { closedCare: false, done: [] };
  return doDueActions({ clientId: input.clientId, stage: plan.stage, actions: plan.actions }, deps);
}

export async function doDueActions(input: DoDueActionsInput, deps: DoDueActionsDeps): Promise<DoDueActionsOutput> {
  const profile = await deps.clients.getProfile(input.clientId);
  if (!profile || profile.stage !== input.stage) {
    return { closedCare: false, done: input.actions.map((action) => ({ kind: action.kind, outcome: 'skipped' as const })) };
  }
  const done: DoDueActionsOutput['done'] = [];
  const failed: string[] = [];
  let closedCare = false;
  for (const action of input.actions) {
    try {
      const outcome = await perform(action, profile, deps);
      if (outcome === 'closed') closedCare = true;
      done.push({ kind: action.kind, outcome });
    } catch (error) {
      failed.push(`${action.kind} (${error instanceof Error ? error.name : 'Error'})`);
    }
  }
  if (failed.length > 0) throw new DueActionsFailedError(failed);
  return { closedCare, done };
}

async function perform(action: LifecycleAction, profile: ClientProfile, deps: DoDueActionsDeps): Promise<ActionOutcome> {
  const client = { firstName: profile.firstName, appBaseUrl: deps.appBaseUrl };
  const toClient = (rendered: RenderedEmail) => ({ to: profile.email, ...rendered });
  switch (action.kind) {
    case 'booking_reminder':
      return sendOnce(profile.clientId, action.key, () => toClient(renderBookingReminder({ ...client, reminder: action.reminder })), deps);
    case 'introduce_client': {
      const therapist = await staffMember(action.therapistId, deps);
      return sendOnce(profile.clientId, action.key, () => toClient(renderClientIntroduction({ ...client, therapistName: `${therapist.firstName} ${therapist.lastName}` })), deps);
    }
    case 'introduce_therapist': {
      const therapist = await staffMember(action.therapistId, deps);
      return sendOnce(profile.clientId, action.key, () => ({ to: therapist.email, ...renderTherapistIntroduction({ appBaseUrl: deps.appBaseUrl }) }), deps);
    }
    case 'request_baseline':
      return sendOnce(profile.clientId, action.key, () => toClient(renderBaselineRequest(client)), deps);
    case 'measure_reminder':
      return sendOnce(profile.clientId, action.key, () => toClient(renderMeasureReminder(client)), deps);
    case 'disengagement_outreach':
      return sendOnce(profile.clientId, action.key, () => toClient(renderOutreach(client)), deps);
    case 'disengagement_flag': {
      const raisedAt = deps.now().toISOString();
      const raised = await deps.records.raiseDisengagementFlag(profile.clientId, { since: action.since, therapistId: action.therapistId, raisedAt });
      if (raised === 'client_not_found') return 'skipped';
      if (raised === 'raised') await audit(deps, profile.clientId, 'create', `disengaged:${action.since}`);
      const therapist = await staffMember(action.therapistId, deps);
      const sent = await sendOnce(profile.clientId, action.key, () => ({ to: therapist.email, ...renderDisengagementFlag({ appBaseUrl: deps.appBaseUrl }) }), deps);
      return raised === 'raised' ? 'raised' : sent;
    }
    case 'apply_referral':
      return applyReferral(profile.clientId, action.referralId, deps);
  }
}

async function staffMember(userId: string, deps: DoDueActionsDeps): Promise<StaffContact> {
  const member = await deps.staff.getStaffProfile(userId);
  if (!member) throw new Error('The therapist has no staff profile.');
  return member;
}

/** Claim, send, confirm (see the header). */
async function sendOnce(
  clientId: string,
  key: string,
  build: () => { to: string } & RenderedEmail,
  deps: DoDueActionsDeps,
): Promise<ActionOutcome> {
  const now = deps.now();
  const claimId = (deps.newId ?? randomUUID)();
  const staleBefore = new Date(now.getTime() - STALE_CLAIM_SECONDS * 1000).toISOString();
  const claim = await deps.records.claimNotification(clientId, key, claimId, now.toISOString(), staleBefore);
  if (claim === 'sent') return 'already_sent';
  if (claim === 'in_flight') return 'in_flight';
  if (claim === 'client_not_found') return 'skipped';
  let messageId: string;
  try {
    ({ messageId } = await deps.email.send(build()));
  } catch (error) {
    await deps.records.releaseNotification(clientId, key, claimId);
    throw error;
  }
  await deps.records.confirmNotification(clientId, key, claimId, messageId, deps.now().toISOString());
  return 'sent';
}

async function applyReferral(clientId: string, referralId: string, deps: DoDueActionsDeps): Promise<ActionOutcome> {
  for (let attempt = 1; attempt <= CLOSE_ATTEMPTS; attempt += 1) {
    const profile = await deps.clients.getProfile(clientId);
    if (!profile) return 'skipped';
    const from = ACTIVE_CLIENT_STAGES.filter((stage) => stage === profile.stage);
    // Closed already (a discharge came first, or a retry after our own close).
    if (from.length === 0) return 'skipped';
    const relationships = await deps.careTeam.activeFor(clientId);
    const result = await deps.records.closeCare({
      clientId,
      stage: 'referred',
      from,
      at: deps.now().toISOString(),
      endReason: 'referred',
      relationships,
      referralId,
    });
    if (result === 'client_not_found') return 'skipped';
    if (result === 'closed') {
      await audit(deps, clientId, 'update', `referral:${referralId}`);
      for (const therapist of relationships.filter((r) => r.kind === 'therapist')) {
        await deps.sessionsOnCareEnd?.cancelFutureSessions({ clientId, therapistId: therapist.clinicianId, caller: CARE_LIFECYCLE_ACTOR });
      }
      return 'closed';
    }
  }
  throw new CareChangedConcurrentlyError();
}

async function audit(deps: DoDueActionsDeps, clientId: string, action: 'create' | 'update', recordId: string): Promise<void> {
  await deps.auditLog.record(
    buildAuditEvent(
      { now: deps.now, ...(deps.newId ? { newEventId: deps.newId } : {}) },
      { actor: CARE_LIFECYCLE_ACTOR, clientId, purpose: 'treatment', action, category: 'care', recordId, outcome: 'success' },
    ),
  );
}
