/**
 * Joint sessions of a care unit (shared/domain/sessions/joint.ts): booked with the UNIT's
 * therapist, of the unit's kind, on the same lock cells as every session and consultation of
 * that therapist, stored in the unit's record (pattern 90), never in a member's.
 *
 * Booking (bookJointSessions):
 *   1. load the unit and its memberships (unknown: 404);
 *   2. jointBookingRefusal: the unit's therapist or an active ADULT member (anyone else 404,
 *      audited on the caller's chain when a client); no therapist yet -> 409 no_therapist;
 *   3. the members ACTIVE now are invited; every start of the series must be offered by the
 *      therapist's hours (400 otherwise);
 *   4. one transaction per session (session, unit pointer, lock cells "if free"), the series
 *      all or nothing (409 slot_taken with alternatives), exactly as bookSessions;
 *   5. an event on EVERY invited member's chain (category session, action create), then one
 *      workflow run per session: the series' ONE confirmation per member and per-session reminders.
 */
import { consultationJoinUrl, localIso } from '../../domain/consultations.js';
import { isMinor, type CareUnit, type MemberFacts, type Membership } from '../../domain/care-units/units.js';
import type { AccessBasis, RecordAction } from '../../domain/access.js';
import type { AuditOutcome } from '../../domain/audit.js';
import { NoTherapistError, NotFoundError, UnitCareEndedError, OutcomeTooEarlyError, SessionClosedError, SlotTakenError, ValidationError } from '../../domain/errors.js';
import { occupiedCells } from '../../domain/scheduling.js';
import { decideJointSessionAccess, invitedMemberIds, JOINT_SESSION_TYPE, jointBookingRefusal, jointSessionStatus, memberRaisesNoShowTask, memberStatus, type JointSessionAction } from '../../domain/sessions/joint.js';
import type { AttendanceRequest, BookSessionRequest, SessionList, SessionSlotsQuery, SessionSlotsResponse, SessionView } from '../../domain/sessions/schemas.js';
import { attendanceRefusal, cancellationStatus, schedulingPolicyFor, sessionEnd } from '../../domain/sessions/sessions.js';
import { buildAuditEvent } from '../access/client-access.js';
import type { CareUnitRecords } from '../care-units/ports.js';
import { clinicianSummary } from '../consultations/slot-search.js';
import { startSessionWorkflow, type Caller, type SessionDeps } from './dependencies.js';
import type { StoredSession } from './ports.js';
import { cancelSession, freeSessionStarts, getSession, moveBookedSession, offeredSeriesStarts, recordAttendance, rescheduleSession, sessionSlots, sessionView } from './sessions.js';

const DAY = 24 * 60 * 60_000;

export interface JointSessionDeps extends SessionDeps {
  units: Pick<CareUnitRecords, 'getUnit'>;
}

interface JointAttempt {
  caller: Caller;
  unitId: string;
  requestId?: string;
}

/** An event on a member's chain about the unit's joint session (the member's own, or a partner's action on it). */
function memberEvent(deps: JointSessionDeps, attempt: JointAttempt, clientId: string, action: RecordAction, outcome: AuditOutcome, recordId?: string) {
  const basis: AccessBasis = attempt.caller.role === 'client' ? 'self' : 'assigned_therapist';
  return buildAuditEvent(deps, {
    actor: attempt.caller,
    clientId,
    purpose: attempt.caller.role === 'client' ? 'self_access' : 'treatment',
    action,
    category: 'session',
    outcome,
    ...(outcome === 'denied' ? { denialReason: 'not_unit_member' as const } : { basis }),
    ...(recordId === undefined ? {} : { recordId }),
    ...(attempt.requestId === undefined ? {} : { requestId: attempt.requestId }),
  });
}

/** A refused client's attempt is audited on their own chain; a clinician's has no chain of theirs to go to. */
async function deny(deps: JointSessionDeps, attempt: JointAttempt, action: RecordAction): Promise<never> {
  if (attempt.caller.role === 'client') await deps.auditLog.record(memberEvent(deps, attempt, attempt.caller.userId, action, 'denied'));
  throw new NotFoundError();
}

async function factsOf(deps: JointSessionDeps, memberships: readonly Membership[]): Promise<Map<string, MemberFacts & { timezone: string }>> {
  const facts = new Map<string, MemberFacts & { timezone: string }>();
  await Promise.all(
    memberships
      .filter((m) => m.status === 'active')
      .map(async (m) => {
        const profile = await deps.clients.getProfile(m.clientId);
        if (profile) facts.set(m.clientId, { firstName: profile.firstName, lastName: profile.lastName, dateOfBirth: profile.dateOfBirth, timezone: profile.timezone });
      }),
  );
  return facts;
}

/** The view of a joint session for its viewer: the session's, with the unit and each member's attendance. */
export function jointSessionView(session: StoredSession, viewer: 'client' | 'clinician', now: Date, viewerZone?: string): SessionView {
  const base = sessionView(viewerZone && viewer === 'client' ? { ...session, clientTimezone: viewerZone } : session, viewer, now);
  return {
    ...base,
    unitId: session.unitId ?? session.clientId,
    members: (session.invitedMemberIds ?? []).map((clientId) => ({ clientId, status: memberStatus(session, clientId) })),
  };
}

/** POST /v1/care-units/{unitId}/sessions: one joint session or a series (see the header). */
export async function bookJointSessions(input: JointAttempt & { request: BookSessionRequest }, deps: JointSessionDeps): Promise<SessionList> {
  const loaded = await deps.units.getUnit(input.unitId);
  if (!loaded) return deny(deps, input, 'create');
  const unit: CareUnit = loaded.unit;
  const facts = await factsOf(deps, loaded.memberships);
  const now = deps.now();
  const refusal = jointBookingRefusal({ caller: input.caller, unit, memberships: loaded.memberships, facts, today: now.toISOString().slice(0, 10) });
  if (refusal === 'not_unit_member' || refusal === 'minor_cannot_book') return deny(deps, input, 'create');
  if (refusal === 'unit_care_ended') throw new UnitCareEndedError();
  if (refusal) throw new NoTherapistError();
  const therapist = await deps.directory.getConsultationClinician(unit.therapistId!);
  if (!therapist) throw new NoTherapistError();
  const type = JOINT_SESSION_TYPE[unit.kind];
  if (input.request.type !== undefined && input.request.type !== type) {
    throw new ValidationError([{ field: 'type', message: `A ${unit.kind} unit books ${type} sessions.` }]);
  }
  const invited = invitedMemberIds(loaded.memberships);
  const callerZone = input.caller.role === 'client' ? facts.get(input.caller.userId)?.timezone : undefined;
  const viewerZone = callerZone ?? therapist.timezone;
  const starts = offeredSeriesStarts({ therapist, request: input.request, type, now, policy: deps.policy, slotsRoute: 'GET /v1/care-units/{unitId}/session-slots' });
  const ids = starts.map(() => deps.newId());
  const seriesId = starts.length > 1 ? deps.newId() : undefined;
  const at = now.toISOString();
  const cellsPolicy = schedulingPolicyFor(deps.policy, type);
  const sessions: StoredSession[] = starts.map((start, i) => ({
    sessionId: ids[i]!,
    clientId: unit.unitId,
    unitId: unit.unitId,
    invitedMemberIds: invited,
    therapistId: therapist.clinicianId,
    therapist: clinicianSummary(therapist),
    type,
    start: new Date(start).toISOString(),
    end: new Date(sessionEnd(start, type, deps.policy)).toISOString(),
    status: 'booked',
    ...(seriesId ? { seriesId, seriesIndex: i + 1, seriesCount: starts.length, seriesSessionIds: ids } : {}),
    joinUrl: consultationJoinUrl(therapist.videoRoomUrl, ids[i]!),
    therapistTimezone: therapist.timezone,
    // Each member reads times in their own zone; this is the booker's (or the therapist's).
    clientTimezone: viewerZone,
    scheduleVersion: 1,
    scheduledAt: at,
    createdAt: at,
    updatedAt: at,
    bookedBy: input.caller.role === 'client' ? 'client' : 'therapist',
    lockCells: occupiedCells(start, cellsPolicy).map((cell) => new Date(cell).toISOString()),
    // Filled per member by the therapist (recordMemberAttendance sets one key of it).
    memberAttendance: {},
  }));
  const booked: StoredSession[] = [];
  try {
    for (const session of sessions) {
      if ((await deps.sessions.book(session, now)) === 'booked') {
        booked.push(session);
        continue;
      }
      for (const done of booked.reverse()) await deps.sessions.unbook(done);
      const lost = Date.parse(session.start);
      const free = await freeSessionStarts(therapist, type, { from: Math.max(lost - DAY, now.getTime()), to: lost + 3 * DAY }, deps, 'series');
      const near = free
        .sort((a, b) => Math.abs(a - lost) - Math.abs(b - lost))
        .slice(0, 3)
        .sort((a, b) => a - b)
        .map((s) => ({ start: new Date(s).toISOString(), startLocal: localIso(s, viewerZone) }));
      throw new SlotTakenError(near);
    }
  } catch (error) {
    for (const clientId of invited) await deps.auditLog.record(memberEvent(deps, input, clientId, 'create', 'failure', ids[0]));
    throw error;
  }
  for (const clientId of invited) await deps.auditLog.record(memberEvent(deps, input, clientId, 'create', 'success', ids[0]));
  for (const session of sessions) await startSessionWorkflow(deps.workflow, { sessionId: session.sessionId, scheduleVersion: 1, phase: 'schedule' });
  const viewer = input.caller.role === 'client' ? 'client' : 'clinician';
  return { sessions: sessions.map((s) => jointSessionView(s, viewer, now, viewerZone)) };
}

/**
 * GET /v1/care-units/{unitId}/session-slots: the free starts of the UNIT's therapist for a
 * session of the unit's kind (couple/family length), by the code of a client's slot search
 * (sessionSlots). The unit's therapist or an active member (audited as a list of the unit's
 * sessions on each member's chain; a member: their own); anyone else 404; no therapist yet 409.
 */
export async function listUnitSessionSlots(input: JointAttempt & { query: SessionSlotsQuery }, deps: JointSessionDeps): Promise<SessionSlotsResponse> {
  const loaded = await deps.units.getUnit(input.unitId);
  if (!loaded) return deny(deps, input, 'list');
  const isTherapist = input.caller.role !== 'client' && loaded.unit.therapistId === input.caller.userId;
  const own = loaded.memberships.find((m) => m.clientId === input.caller.userId && m.status === 'active');
  if (!isTherapist && !(input.caller.role === 'client' && own)) return deny(deps, input, 'list');
  if (loaded.unit.therapistId === undefined) throw new NoTherapistError();
  const therapist = await deps.directory.getConsultationClinician(loaded.unit.therapistId);
  if (!therapist) throw new NoTherapistError();
  const type = JOINT_SESSION_TYPE[loaded.unit.kind];
  if (input.query.type !== undefined && input.query.type !== type) throw new ValidationError([{ field: 'type', message: `A ${loaded.unit.kind} unit books ${type} sessions.` }]);
  const zone = input.caller.role === 'client' ? (await deps.clients.getProfile(input.caller.userId))?.timezone : undefined;
  const slots = await sessionSlots(therapist, type, input.query, zone ?? therapist.timezone, deps);
  const audited = isTherapist ? invitedMemberIds(loaded.memberships) : [input.caller.userId];
  for (const clientId of audited) await deps.auditLog.record(memberEvent(deps, input, clientId, 'list', 'success'));
  return slots;
}

/**
 * GET /v1/care-units/{unitId}/sessions: the unit's joint sessions a caller may see
 * (decideJointSessionAccess, action view): the unit's therapist all of theirs; an active
 * member those they were invited to; a member who left only those already started.
 * Audited on the caller's chain (a client) or on each invited member's (the therapist).
 */
export async function listUnitSessions(input: JointAttempt, deps: JointSessionDeps): Promise<SessionList> {
  const loaded = await deps.units.getUnit(input.unitId);
  if (!loaded) return deny(deps, input, 'list');
  const membership = loaded.memberships.find((m) => m.clientId === input.caller.userId);
  const isTherapist = input.caller.role !== 'client' && loaded.unit.therapistId === input.caller.userId;
  if (!isTherapist && !(input.caller.role === 'client' && membership && ['active', 'left', 'removed'].includes(membership.status))) return deny(deps, input, 'list');
  const now = deps.now();
  const all = await deps.sessions.listForUnit(input.unitId);
  const visible = all.filter(
    (s) =>
      decideJointSessionAccess({
        caller: input.caller,
        session: { therapistId: s.therapistId, start: s.start, invitedMemberIds: s.invitedMemberIds ?? [] },
        unit: loaded.unit,
        ...(membership ? { membership } : {}),
        action: 'view',
        now: now.getTime(),
      }).allowed,
  );
  const audited = isTherapist ? invitedMemberIds(loaded.memberships) : [input.caller.userId];
  for (const clientId of audited) await deps.auditLog.record(memberEvent(deps, input, clientId, 'list', 'success'));
  const zone = input.caller.role === 'client' ? (await deps.clients.getProfile(input.caller.userId))?.timezone : undefined;
  const viewer = input.caller.role === 'client' ? 'client' : 'clinician';
  return { sessions: visible.map((s) => jointSessionView(s, viewer, now, zone)) };
}

/**
 * An Idempotency-Key replay of a joint booking: the booking decision for the caller NOW (a
 * member who left meanwhile: 404, audited), then a `read` event of the first session shown.
 */
export async function authorizeJointSessionReplay(input: JointAttempt, stored: unknown, deps: JointSessionDeps): Promise<void> {
  const loaded = await deps.units.getUnit(input.unitId);
  if (!loaded) return deny(deps, input, 'create');
  const facts = await factsOf(deps, loaded.memberships);
  const refusal = jointBookingRefusal({ caller: input.caller, unit: loaded.unit, memberships: loaded.memberships, facts, today: deps.now().toISOString().slice(0, 10) });
  if (refusal === 'not_unit_member' || refusal === 'minor_cannot_book') return deny(deps, input, 'create');
  const sessions = (stored as { sessions?: { id?: unknown }[] } | null)?.sessions;
  const first = Array.isArray(sessions) && typeof sessions[0]?.id === 'string' ? sessions[0].id : undefined;
  const audited = input.caller.role === 'client' ? [input.caller.userId] : invitedMemberIds(loaded.memberships);
  for (const clientId of audited) await deps.auditLog.record(memberEvent(deps, input, clientId, 'read', 'success', first));
}

/** A joint session with the caller's decision on it (404, audited for a client, when not allowed). */
async function withJointSession<T>(
  deps: JointSessionDeps,
  input: { caller: Caller; session: StoredSession; requestId?: string },
  action: JointSessionAction,
  work: (zone: string | undefined) => Promise<T>,
): Promise<T> {
  const attempt: JointAttempt = { caller: input.caller, unitId: input.session.unitId!, ...(input.requestId ? { requestId: input.requestId } : {}) };
  const recordAction: RecordAction = action === 'view' ? 'read' : 'update';
  const loaded = await deps.units.getUnit(attempt.unitId);
  const membership = loaded?.memberships.find((m) => m.clientId === input.caller.userId);
  const decision = loaded
    ? decideJointSessionAccess({
        caller: input.caller,
        session: { therapistId: input.session.therapistId, start: input.session.start, invitedMemberIds: input.session.invitedMemberIds ?? [] },
        unit: loaded.unit,
        ...(membership ? { membership } : {}),
        action,
        now: deps.now().getTime(),
      })
    : ({ allowed: false } as const);
  if (!decision.allowed) return deny(deps, attempt, recordAction);
  const audited = input.caller.role === 'client' ? [input.caller.userId] : (input.session.invitedMemberIds ?? []);
  const zone = input.caller.role === 'client' ? (await deps.clients.getProfile(input.caller.userId))?.timezone : undefined;
  let result: T;
  try {
    result = await work(zone);
  } catch (error) {
    for (const clientId of audited) await deps.auditLog.record(memberEvent(deps, attempt, clientId, recordAction, 'failure', input.session.sessionId));
    throw error;
  }
  for (const clientId of audited) await deps.auditLog.record(memberEvent(deps, attempt, clientId, recordAction, 'success', input.session.sessionId));
  return result;
}

/** GET /v1/sessions/{sessionId}: an individual session as before; a joint one by the joint rules. */
export async function getAnySession(input: { caller: Caller; sessionId: string; requestId?: string }, deps: JointSessionDeps): Promise<SessionView> {
  const session = await deps.sessions.get(input.sessionId);
  if (!session?.unitId) return getSession(input, deps);
  return withJointSession(deps, { ...input, session }, 'view', async (zone) => jointSessionView(session, input.caller.role === 'client' ? 'client' : 'clinician', deps.now(), zone));
}

/**
 * POST /v1/sessions/{sessionId}/cancel: an individual session as before; a joint one by an
 * invited active member or the unit's therapist, with the same rules (a member's inside 24 h is
 * late; `rest`: this and every later booked session of its series), the notice to every member.
 */
export async function cancelAnySession(input: { caller: Caller; sessionId: string; scope: 'one' | 'rest'; requestId?: string }, deps: JointSessionDeps): Promise<SessionList> {
  const session = await deps.sessions.get(input.sessionId);
  if (!session?.unitId) return cancelSession(input, deps);
  return withJointSession(deps, { ...input, session }, 'change', async (zone) => {
    if (session.status !== 'booked') throw new SessionClosedError(session.status);
    const by = input.caller.role === 'client' ? 'client' : 'therapist';
    const targets =
      input.scope === 'rest' && session.seriesId
        ? (await deps.sessions.listForUnit(session.unitId!)).filter((s) => s.seriesId === session.seriesId && s.start >= session.start && s.status === 'booked')
        : [session];
    const now = deps.now();
    const changed: StoredSession[] = [];
    for (const target of targets) {
      const status = cancellationStatus(by, Date.parse(target.start), now.getTime(), deps.policy);
      if ((await deps.sessions.change({ session: target, status, by, now, releaseCells: true })) === 'conflict') throw new SessionClosedError('changing');
      changed.push({ ...target, status, cancelledAt: now.toISOString(), cancelledBy: by, updatedAt: now.toISOString() });
      await startSessionWorkflow(deps.workflow, { sessionId: target.sessionId, scheduleVersion: target.scheduleVersion, phase: 'cancelled' });
    }
    return { sessions: changed.map((s) => jointSessionView(s, by === 'client' ? 'client' : 'clinician', now, zone)) };
  });
}

/**
 * POST /v1/sessions/{sessionId}/reschedule: an individual session as before; a joint one by the
 * unit's therapist or an invited active ADULT member (a minor member does not move the family's
 * session: 404, as for booking), with the rules of a client's move (a member's until 24 h
 * before; `rest`: this and the later booked sessions of its series, found in the unit's list),
 * the same cells swap, and each moved session's workflow sending the update to every invited
 * active member (workflow-tasks.ts recipients).
 */
export async function rescheduleAnySession(
  input: { caller: Caller; sessionId: string; startsAt: string; scope?: 'one' | 'rest'; requestId?: string },
  deps: JointSessionDeps,
): Promise<SessionView> {
  const session = await deps.sessions.get(input.sessionId);
  if (!session?.unitId) return rescheduleSession(input, deps);
  if (input.caller.role === 'client') {
    const profile = await deps.clients.getProfile(input.caller.userId);
    if (isMinor(profile?.dateOfBirth, deps.now().toISOString().slice(0, 10))) {
      return deny(deps, { caller: input.caller, unitId: session.unitId, ...(input.requestId ? { requestId: input.requestId } : {}) }, 'update');
    }
  }
  return withJointSession(deps, { ...input, session }, 'change', async (zone) => {
    const moved = await moveBookedSession({ ...input, session }, deps, {
      laterOfSeries: () => deps.sessions.listForUnit(session.unitId!),
      viewerZone: (therapistZone) => zone ?? therapistZone,
      slotsPath: 'GET /v1/care-units/{unitId}/session-slots',
    });
    return jointSessionView(moved, input.caller.role === 'client' ? 'client' : 'clinician', deps.now(), zone);
  });
}

/**
 * POST /v1/sessions/{sessionId}/attendance: an individual session as before; a joint one per
 * invited member (`clientId`), by the unit's therapist from the start on, each member's once.
 * The session's own status follows once every member has one (jointSessionStatus); a member's
 * second no-show in a row of their joint sessions raises a task about THAT member.
 */
export async function recordAnyAttendance(input: { caller: Caller; sessionId: string; request: AttendanceRequest; requestId?: string }, deps: JointSessionDeps): Promise<SessionView> {
  const session = await deps.sessions.get(input.sessionId);
  if (!session?.unitId) return recordAttendance(input, deps);
  return withJointSession(deps, { ...input, session }, 'attendance', async () => {
    const { status, clientId } = input.request;
    const invited = session.invitedMemberIds ?? [];
    if (clientId === undefined || !invited.includes(clientId)) throw new ValidationError([{ field: 'clientId', message: 'Name the invited member this attendance is for.' }]);
    const now = deps.now();
    if (session.memberAttendance?.[clientId] === status) return jointSessionView(session, 'clinician', now);
    if (session.status !== 'booked' || session.memberAttendance?.[clientId] !== undefined) throw new SessionClosedError(session.status === 'booked' ? 'recorded' : session.status);
    const refusal = attendanceRefusal(Date.parse(session.start), now.getTime());
    if (refusal) throw new OutcomeTooEarlyError(refusal);
    const attendance = { ...(session.memberAttendance ?? {}), [clientId]: status };
    const overall = jointSessionStatus(invited, attendance);
    const history = (await deps.sessions.listForUnit(session.unitId!))
      .filter((s) => s.therapistId === session.therapistId && (s.invitedMemberIds ?? []).includes(clientId))
      .map((s) => ({ start: s.start, status: s.sessionId === session.sessionId ? status : memberStatus(s, clientId) }));
    const noShowTask = status === 'no_show' && memberRaisesNoShowTask(history) ? { raisedAt: now.toISOString() } : undefined;
    const result = await deps.sessions.recordMemberAttendance({ session, clientId, status, now, ...(overall ? { overall } : {}), ...(noShowTask ? { noShowTask } : {}) });
    if (result === 'conflict') throw new SessionClosedError('changing');
    const recorded: StoredSession = { ...session, memberAttendance: attendance, updatedAt: now.toISOString(), ...(overall ? { status: overall, attendanceRecordedAt: now.toISOString() } : {}) };
    return jointSessionView(recorded, 'clinician', now);
  });
}
