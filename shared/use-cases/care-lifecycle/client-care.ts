/**
 * The client's care, through the API:
 *
 * GET /v1/clients/{clientId} (getClientView): profile basics, the stage, the care team and
 *   what the care lifecycle does next, from the same pure rules the workflow runs (so the API
 *   shows what will happen). The client, their assigned therapist, and the consultation
 *   clinician before matching; anyone else 404 (a former clinician too: their read-only access
 *   is to records made during their relationship, not to the client's current care).
 *
 * POST /v1/clients/{clientId}/discharge (dischargeClient): the assigned therapist ends care
 *   with a reason. ONE transaction (care-lifecycle-repository.ts closeCare): stage in_care ->
 *   discharged (leaving the stage index), the therapist relationship ended (`discharged`; the
 *   therapist keeps read access to what was made during it), the caseload counter - 1, the
 *   discharge record. The lifecycle ends at its next wake-up. Anyone but the assigned
 *   therapist: 404. A retry with the same Idempotency-Key gets the same answer (the route's
 *   idempotency records); without one, the former therapist gets 404. A discharge that failed
 *   AFTER its transaction (e.g. cancelling the sessions threw) has no idempotency record (errors
 *   are not stored), so the discharge record keeps the key's hash: the same therapist's retry
 *   with the same key and body finishes it (the session cancellation, idempotent) and answers
 *   the same body, audited as an `update` on the `former_clinician` basis.
 *
 * Both are audited (category `care`): a denial, the success or the failure.
 */
import type { AccessBasis } from '../../domain/access.js';
import type { CareEndedSessions } from '../sessions/care-ended.js';
import type { CareLifecycleSettings } from '../../config/care-lifecycle.js';
import type { ClientView, DischargeRequest, DischargeResponse } from '../../domain/discharge.js';
import { ConcurrentChangeError, NotFoundError } from '../../domain/errors.js';
import type { Role } from '../../domain/roles.js';
import { authorizeClientAccess, buildAuditEvent, storedRecordId, type AllowedAccess, type ClientAccessAttempt, type ClientAccessDeps } from '../access/client-access.js';
import type { CareRelationships } from '../ports.js';
import { requestKeyOf } from '../request-key.js';
import { planFor } from './facts.js';
import type { CareLifecycleRecords } from './ports.js';

const CLOSE_ATTEMPTS = 3;

/** Why the data is touched, fixed by the caller's role: the client for themself, a clinician for treatment. */
function purposeFor(role: Role) {
  return role === 'client' ? ('self_access' as const) : ('treatment' as const);
}

/**
 * withClientAccess (client-access.ts) with the bases this route serves: a decision on any other
 * basis is a denial (audited `denied`, 404), like any refusal of the policy.
 */
async function withCareAccess<T>(
  deps: ClientAccessDeps,
  attempt: ClientAccessAttempt,
  bases: readonly AccessBasis[],
  work: (access: AllowedAccess) => Promise<T>,
): Promise<T> {
  const access = await authorizeClientAccess(deps, attempt);
  const event = (outcome: 'success' | 'failure' | 'denied') =>
    buildAuditEvent(deps, {
      actor: attempt.caller,
      clientId: attempt.clientId,
      purpose: attempt.purpose,
      action: attempt.action,
      category: attempt.category,
      outcome,
      ...(outcome === 'denied' ? { denialReason: access.basis === 'former_clinician' ? ('relationship_ended' as const) : ('purpose_not_allowed' as const) } : { basis: access.basis }),
      ...(attempt.requestId !== undefined ? { requestId: attempt.requestId } : {}),
    });
  if (!bases.includes(access.basis)) {
    await deps.auditLog.record(event('denied'));
    throw new NotFoundError();
  }
  let result: T;
  try {
    result = await work(access);
  } catch (error) {
    await deps.auditLog.record(event('failure'));
    throw error;
  }
  await deps.auditLog.record(event('success'));
  return result;
}

export interface ClientCareDeps extends ClientAccessDeps {
  careTeam: Pick<CareRelationships, 'relationshipsOf' | 'activeFor'>;
  records: Pick<CareLifecycleRecords, 'snapshot' | 'closeCare' | 'latestDischarge'>;
  staff: { getStaffProfile(userId: string): Promise<{ firstName: string; lastName: string } | undefined> };
  settings: CareLifecycleSettings;
  /** The client's future sessions with the discharging therapist are cancelled (shared/use-cases/sessions/care-ended.ts). */
  sessionsOnCareEnd?: CareEndedSessions;
  /** Real time. */
  now: () => Date;
}

interface RouteCaller {
  userId: string;
  role: Role;
}

export async function getClientView(input: { caller: RouteCaller; clientId: string; requestId?: string }, deps: ClientCareDeps): Promise<ClientView> {
  const attempt: ClientAccessAttempt = {
    caller: input.caller,
    clientId: input.clientId,
    purpose: purposeFor(input.caller.role),
    action: 'read',
    category: 'care',
    ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
  };
  return withCareAccess(deps, attempt, ['self', 'assigned_therapist', 'consultation_clinician'], async (access) => {
    const snapshot = await deps.records.snapshot(input.clientId);
    if (!snapshot) throw new NotFoundError();
    const now = deps.now();
    const plan = planFor(snapshot, deps.settings, now);
    const { profile } = snapshot;
    const summary = async (relationship: { clinicianId: string; startedAt: string } | undefined) => {
      if (!relationship) return undefined;
      const member = await deps.staff.getStaffProfile(relationship.clinicianId);
      return member ? { clinicianId: relationship.clinicianId, firstName: member.firstName, lastName: member.lastName, since: relationship.startedAt } : undefined;
    };
    const active = snapshot.relationships.filter((r) => r.endedAt === undefined);
    const therapist = await summary(active.find((r) => r.kind === 'therapist'));
    const consultationClinician = therapist ? undefined : await summary(active.find((r) => r.kind === 'consultation'));
    const discharge = profile.stage === 'discharged' ? await deps.records.latestDischarge(input.clientId) : undefined;
    const view: ClientView = {
      clientId: profile.clientId,
      firstName: profile.firstName,
      lastName: profile.lastName,
      email: profile.email,
      dateOfBirth: profile.dateOfBirth,
      clientType: profile.clientType,
      state: profile.state,
      timezone: profile.timezone,
      stage: profile.stage,
      createdAt: profile.createdAt,
      lifecycle: {
        measures: plan.stage === 'in_care' ? plan.measures : [],
        next: plan.upcoming.map((item) => ({ kind: item.kind, at: item.at, ...(item.instruments ? { instruments: item.instruments } : {}) })),
        nextReviewAt: plan.end ? null : plan.nextWakeAt,
        // Clinicians only: a flag for the therapist, not a label for the client.
        ...(plan.disengagedSince !== undefined && access.basis !== 'self' ? { disengagedSince: plan.disengagedSince } : {}),
      },
    };
    if (therapist) view.therapist = therapist;
    if (consultationClinician) view.consultationClinician = consultationClinician;
    if (discharge) view.discharge = { reason: discharge.reason, dischargedAt: discharge.dischargedAt };
    // The therapist's work list, not the client's: ids, kinds and times only.
    if (access.basis !== 'self' && snapshot.openPlanReviews !== undefined) {
      view.planReviews = snapshot.openPlanReviews.map(({ reviewId, kind, planId, openedAt }) => ({ reviewId, kind, planId, openedAt }));
    }
    return view;
  });
}

type DischargeInput = { caller: RouteCaller; clientId: string; request: DischargeRequest; requestId?: string; idempotencyKey?: string };

/**
 * The discharge THIS request's key made, if it was this caller's and ended their relationship
 * (the stored reason and summary must match the body): the retry of a discharge that failed
 * after its transaction. Undefined otherwise (the ordinary path then answers as it would).
 */
async function resumeDischarge(input: DischargeInput & { idempotencyKey: string }, deps: ClientCareDeps): Promise<DischargeResponse | undefined> {
  const { caller, clientId, request } = input;
  const mine = (await deps.careTeam.relationshipsOf(clientId)).filter((r) => r.kind === 'therapist' && r.clinicianId === caller.userId);
  const ended = mine.find((r) => r.endReason === 'discharged' && r.endedAt !== undefined);
  if (!ended || mine.some((r) => r.endedAt === undefined)) return undefined;
  const attempt: ClientAccessAttempt = {
    caller,
    clientId,
    purpose: purposeFor(caller.role),
    action: 'read',
    category: 'care',
    ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
  };
  const access = await authorizeClientAccess(deps, attempt);
  if (access.basis !== 'former_clinician') return undefined;
  const discharge = await deps.records.latestDischarge(clientId);
  if (
    !discharge ||
    discharge.dischargedBy !== caller.userId ||
    discharge.requestKey !== requestKeyOf(input.idempotencyKey) ||
    discharge.dischargedAt !== ended.endedAt ||
    discharge.reason !== request.reason ||
    discharge.summary !== request.summary
  ) {
    return undefined;
  }
  const event = (outcome: 'success' | 'failure') =>
    buildAuditEvent(deps, { ...attempt, actor: caller, action: 'update', outcome, basis: access.basis });
  try {
    await deps.sessionsOnCareEnd?.cancelFutureSessions({
      clientId,
      therapistId: caller.userId,
      caller,
      basis: access.basis,
      ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
    });
  } catch (error) {
    await deps.auditLog.record(event('failure'));
    throw error;
  }
  await deps.auditLog.record(event('success'));
  return { clientId, stage: 'discharged', reason: discharge.reason, dischargedAt: discharge.dischargedAt, dischargedBy: caller.userId };
}

export async function dischargeClient(input: DischargeInput, deps: ClientCareDeps): Promise<DischargeResponse> {
  if (input.idempotencyKey !== undefined) {
    const resumed = await resumeDischarge({ ...input, idempotencyKey: input.idempotencyKey }, deps);
    if (resumed) return resumed;
  }
  const attempt: ClientAccessAttempt = {
    caller: input.caller,
    clientId: input.clientId,
    purpose: purposeFor(input.caller.role),
    action: 'update',
    category: 'care',
    ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
  };
  return withCareAccess(deps, attempt, ['assigned_therapist'], async () => {
    for (let attempt = 1; attempt <= CLOSE_ATTEMPTS; attempt += 1) {
      const relationships = await deps.careTeam.activeFor(input.clientId);
      // The basis was decided on a consistent read just now; a concurrent rematch may still win.
      if (!relationships.some((r) => r.kind === 'therapist' && r.clinicianId === input.caller.userId)) throw new NotFoundError();
      const at = deps.now().toISOString();
      const result = await deps.records.closeCare({
        clientId: input.clientId,
        stage: 'discharged',
        from: ['in_care'],
        at,
        endReason: 'discharged',
        relationships,
        discharge: {
          clientId: input.clientId,
          therapistId: input.caller.userId,
          reason: input.request.reason,
          ...(input.request.summary !== undefined ? { summary: input.request.summary } : {}),
          dischargedBy: input.caller.userId,
          dischargedAt: at,
          ...(input.idempotencyKey !== undefined ? { requestKey: requestKeyOf(input.idempotencyKey) } : {}),
        },
      });
      if (result === 'client_not_found') throw new NotFoundError();
      if (result === 'closed') {
        await deps.sessionsOnCareEnd?.cancelFutureSessions({
          clientId: input.clientId,
          therapistId: input.caller.userId,
          caller: input.caller,
          basis: 'assigned_therapist',
          ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
        });
        return { clientId: input.clientId, stage: 'discharged', reason: input.request.reason, dischargedAt: at, dischargedBy: input.caller.userId };
      }
    }
    throw new ConcurrentChangeError();
  });
}

/**
 * An `Idempotency-Key` replay of a discharge (shared/http/idempotency.ts). The discharge itself
 * ends the therapist's relationship, so the route's write decision would refuse every retry:
 * the replay is a read of the care record for treatment by the assigned therapist, or by the
 * former therapist whose relationship THIS discharge ended (ended `discharged` at the stored
 * `dischargedAt`). Anyone else, e.g. a therapist whose relationship ended otherwise meanwhile,
 * gets 404 (audited `denied`); an allowed replay is audited as a `read`.
 */
export async function authorizeDischargeReplay(
  input: { caller: RouteCaller; clientId: string; requestId?: string },
  stored: unknown,
  deps: ClientCareDeps,
): Promise<void> {
  const attempt: ClientAccessAttempt = {
    caller: input.caller,
    clientId: input.clientId,
    purpose: purposeFor(input.caller.role),
    action: 'read',
    category: 'care',
    ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
  };
  const access = await authorizeClientAccess(deps, attempt);
  const dischargedAt = storedRecordId(stored, 'dischargedAt');
  const endedByThis =
    access.basis === 'former_clinician' &&
    dischargedAt !== undefined &&
    (await deps.careTeam.relationshipsOf(input.clientId)).some(
      (r) => r.kind === 'therapist' && r.clinicianId === input.caller.userId && r.endReason === 'discharged' && r.endedAt === dischargedAt,
    );
  const allowed = access.basis === 'assigned_therapist' || endedByThis;
  await deps.auditLog.record(
    buildAuditEvent(deps, {
      actor: input.caller,
      clientId: input.clientId,
      purpose: attempt.purpose,
      action: 'read',
      category: 'care',
      outcome: allowed ? 'success' : 'denied',
      ...(allowed ? { basis: access.basis } : { denialReason: access.basis === 'former_clinician' ? ('relationship_ended' as const) : ('action_not_allowed' as const) }),
      ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
    }),
  );
  if (!allowed) throw new NotFoundError();
}
