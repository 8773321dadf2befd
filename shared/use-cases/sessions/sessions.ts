/**
 * The session routes' use cases. Each one: access policy (category `session`, audited) ->
 * pure rule (shared/domain/sessions) -> repository (one transaction per session).
 *
 * Booking (bookSessions):
 *   1. access: the client, or their assigned therapist (anyone else 404);
 *   2. the client's CURRENT therapist (active relationship; none -> 409 no_therapist);
 *   3. every start of the series (same local time of the therapist, weekly or every 2 weeks)
 *      must be one the therapist's hours offer (never trust a start: 400 otherwise);
 *   4. one transaction per session (a transaction holds at most 100 items; 12 sessions x 20
 *      cells do not fit): session, client pointer and every lock cell "if free", the cells
 *      consultations use too; a lost session gives back the ones this request booked and
 *      answers 409 slot_taken with other free times near it. The series is booked whole or not at all.
 */
import { consultationJoinUrl, localIso } from '../../domain/consultations.js';
import { withinScope } from '../../domain/access.js';
import { ChangeTooLateError, NotFoundError, OutcomeTooEarlyError, SessionClosedError, SlotTakenError, ValidationError } from '../../domain/errors.js';
import { freeStartsAmongLocks, isOfferedStart, lockWindow, occupiedCells } from '../../domain/scheduling.js';
import type { AttendanceRequest, BookSessionRequest, SessionList, SessionSlotsQuery, SessionSlotsResponse, SessionView } from '../../domain/sessions/schemas.js';
import {
  attendanceRefusal,
  cancellationStatus,
  defaultSessionType,
  FHIR_APPOINTMENT_STATUS,
  isLateCancellation,
  raisesNoShowTask,
  schedulingPolicyFor,
  seriesStarts,
  sessionEnd,
  shiftedSeriesStarts,
  sessionJoinLinkShown,
  type SessionActor,
  type SessionType,
} from '../../domain/sessions/sessions.js';
import { bookableWindow, clinicianSummary } from '../consultations/slot-search.js';
import type { ConsultationClinician } from '../consultations/ports.js';
import { currentTherapistOf, SCHEDULING_BASES, startSessionWorkflow, withSessionAccess, type Caller, type SessionDeps } from './dependencies.js';
import type { StoredSession } from './ports.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The view of a session for a viewer: times in their zone, the join link while it can be used. */
export function sessionView(session: StoredSession, viewer: 'client' | 'clinician', now: Date): SessionView {
  const timezone = viewer === 'client' ? session.clientTimezone : session.therapistTimezone;
  return {
    id: session.sessionId,
    clientId: session.clientId,
    therapist: session.therapist,
    type: session.type,
    status: session.status,
    fhirStatus: FHIR_APPOINTMENT_STATUS[session.status],
    start: session.start,
    end: session.end,
    startLocal: localIso(Date.parse(session.start), timezone),
    timezone,
    ...(session.seriesId ? { series: { id: session.seriesId, index: session.seriesIndex ?? 1, count: session.seriesCount ?? 1 } } : {}),
    ...(sessionJoinLinkShown(session, now.getTime()) ? { joinUrl: session.joinUrl } : {}),
    scheduleVersion: session.scheduleVersion,
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
    ...(session.cancelledAt ? { cancelledAt: session.cancelledAt } : {}),
    ...(session.cancelledBy ? { cancelledBy: session.cancelledBy } : {}),
    ...(session.attendanceRecordedAt ? { attendanceRecordedAt: session.attendanceRecordedAt } : {}),
  };
}

const viewerOf = (caller: Caller): 'client' | 'clinician' => (caller.role === 'client' ? 'client' : 'clinician');
const actorOf = (caller: Caller): SessionActor => (caller.role === 'client' ? 'client' : 'therapist');

async function clientProfile(deps: SessionDeps, clientId: string) {
  const profile = await deps.clients.getProfile(clientId);
  if (!profile) throw new NotFoundError();
  return profile;
}

/** Free starts of the therapist in [from, to) for a session of `type`, from their hours minus every locked cell. */
export async function freeSessionStarts(therapist: ConsultationClinician, type: SessionType, window: { from: number; to: number }, deps: SessionDeps, reach: 'first' | 'series' = 'first'): Promise<number[]> {
  const policy = schedulingPolicyFor(deps.policy, type, reach);
  if (window.from >= window.to) return [];
  const cells = lockWindow(window.from, window.to, policy);
  const now = deps.now();
  const locked = new Set(await deps.locks.lockedCells(therapist.clinicianId, cells.start, cells.end, now));
  return freeStartsAmongLocks({ availability: therapist.availability, timeZone: therapist.timezone, locked, from: window.from, to: window.to, now: now.getTime(), policy });
}

/** GET /v1/clients/{clientId}/session-slots: the current therapist's free starts. */
export async function listSessionSlots(input: { caller: Caller; clientId: string; query: SessionSlotsQuery; requestId?: string }, deps: SessionDeps): Promise<SessionSlotsResponse> {
  return withSessionAccess(deps, { caller: input.caller, clientId: input.clientId, action: 'list', ...(input.requestId ? { requestId: input.requestId } : {}) }, SCHEDULING_BASES, async () => {
    const profile = await clientProfile(deps, input.clientId);
    const therapist = await currentTherapistOf(deps, input.clientId);
    const type = input.query.type ?? defaultSessionType(profile.clientType);
    return sessionSlots(therapist, type, input.query, input.caller.role === 'client' ? profile.timezone : therapist.timezone, deps);
  });
}

/**
 * The therapist's free starts for a session of `type` in the query's window, in UTC and in
 * `timezone` (the viewer's): a client's slot search and a care unit's (joint-sessions.ts) alike.
 */
export async function sessionSlots(therapist: ConsultationClinician, type: SessionType, query: SessionSlotsQuery, timezone: string, deps: SessionDeps): Promise<SessionSlotsResponse> {
  const policy = schedulingPolicyFor(deps.policy, type);
  const window = bookableWindow(query.from ? Date.parse(query.from) : undefined, query.to ? Date.parse(query.to) : undefined, deps.now().getTime(), policy);
  const starts = await freeSessionStarts(therapist, type, window, deps);
  return {
    therapist: clinicianSummary(therapist),
    type,
    durationMinutes: deps.policy.lengthMinutes[type],
    timezone,
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    slots: starts.map((start) => ({ start: new Date(start).toISOString(), startLocal: localIso(start, timezone) })),
  };
}

/** A few free starts of the therapist near `start` (after a lost race). */
async function alternativesNear(therapist: ConsultationClinician, type: SessionType, start: number, timeZone: string, deps: SessionDeps) {
  const free = await freeSessionStarts(therapist, type, { from: Math.max(start - DAY, deps.now().getTime()), to: start + 3 * DAY }, deps, 'series');
  return free
    .sort((a, b) => Math.abs(a - start) - Math.abs(b - start))
    .slice(0, 3)
    .sort((a, b) => a - b)
    .map((s) => ({ start: new Date(s).toISOString(), startLocal: localIso(s, timeZone) }));
}

/**
 * The starts of a requested session or series (weekly or every 2 weeks, at the therapist's
 * wall-clock time), each inside the therapist's hours and the booking notice (the first with the
 * first-session notice): else a 400 naming every start not offered and where to find free ones.
 */
export function offeredSeriesStarts(input: {
  therapist: { availability: Parameters<typeof isOfferedStart>[0]['availability']; timezone: string };
  request: Pick<BookSessionRequest, 'startsAt' | 'repeat'>;
  type: Parameters<typeof schedulingPolicyFor>[1];
  now: Date;
  policy: Parameters<typeof schedulingPolicyFor>[0];
  slotsRoute: string;
}): number[] {
  const { therapist, type, now, policy } = input;
  const starts = seriesStarts(Date.parse(input.request.startsAt), input.request.repeat, therapist.timezone);
  const notOffered = starts.filter(
    (start, i) => !isOfferedStart({ availability: therapist.availability, timeZone: therapist.timezone, start, now: now.getTime(), policy: schedulingPolicyFor(policy, type, i === 0 ? 'first' : 'series') }),
  );
  if (notOffered.length > 0) {
    throw new ValidationError([
      { field: 'startsAt', message: `Not offered by the therapist's hours: ${notOffered.map((s) => new Date(s).toISOString()).join(', ')}. Pick a start from ${input.slotsRoute}.` },
    ]);
  }
  return starts;
}

export interface BookSessionsInput {
  caller: Caller;
  clientId: string;
  request: BookSessionRequest;
  requestId?: string;
}

/** POST /v1/clients/{clientId}/sessions: one session or a series (see the header). */
export async function bookSessions(input: BookSessionsInput, deps: SessionDeps): Promise<SessionList> {
  const firstId = deps.newId();
  return withSessionAccess(deps, { caller: input.caller, clientId: input.clientId, action: 'create', recordId: firstId, ...(input.requestId ? { requestId: input.requestId } : {}) }, SCHEDULING_BASES, async () => {
    const now = deps.now();
    const profile = await clientProfile(deps, input.clientId);
    const therapist = await currentTherapistOf(deps, input.clientId);
    const type = input.request.type ?? defaultSessionType(profile.clientType);
    const starts = offeredSeriesStarts({ therapist, request: input.request, type, now, policy: deps.policy, slotsRoute: 'GET /v1/clients/{clientId}/session-slots' });
    const seriesId = starts.length > 1 ? deps.newId() : undefined;
    const at = now.toISOString();
    const cellsPolicy = schedulingPolicyFor(deps.policy, type);
    const ids = starts.map((_, i) => (i === 0 ? firstId : deps.newId()));
    const sessions: StoredSession[] = starts.map((start, i) => {
      const sessionId = ids[i]!;
      return {
        sessionId,
        clientId: input.clientId,
        therapistId: therapist.clinicianId,
        therapist: clinicianSummary(therapist),
        type,
        start: new Date(start).toISOString(),
        end: new Date(sessionEnd(start, type, deps.policy)).toISOString(),
        status: 'booked',
        ...(seriesId ? { seriesId, seriesIndex: i + 1, seriesCount: starts.length, seriesSessionIds: ids } : {}),
        // A room of its own: the therapist's standing room would let past clients into later sessions.
        joinUrl: consultationJoinUrl(therapist.videoRoomUrl, sessionId),
        therapistTimezone: therapist.timezone,
        clientTimezone: profile.timezone,
        scheduleVersion: 1,
        scheduledAt: at,
        createdAt: at,
        updatedAt: at,
        bookedBy: actorOf(input.caller),
        lockCells: occupiedCells(start, cellsPolicy).map((cell) => new Date(cell).toISOString()),
      };
    });
    const booked: StoredSession[] = [];
    for (const session of sessions) {
      if ((await deps.sessions.book(session, now)) === 'booked') {
        booked.push(session);
        continue;
      }
      // All or nothing: give back what this request booked, newest first.
      for (const done of booked.reverse()) await deps.sessions.unbook(done);
      const lost = Date.parse(session.start);
      throw new SlotTakenError(await alternativesNear(therapist, type, lost, input.caller.role === 'client' ? profile.timezone : therapist.timezone, deps));
    }
    // One run per session (its two reminders); a series has ONE confirmation, sent by the run of its first session (workflow-tasks.ts).
    for (const session of sessions) await startSessionWorkflow(deps.workflow, { sessionId: session.sessionId, scheduleVersion: 1, phase: 'schedule' });
    return { sessions: sessions.map((s) => sessionView(s, viewerOf(input.caller), now)) };
  });
}

/** GET /v1/clients/{clientId}/sessions: the client's own; the care team the client's; a former therapist only those of their time. */
export async function listSessions(input: { caller: Caller; clientId: string; requestId?: string }, deps: SessionDeps): Promise<SessionList> {
  return withSessionAccess(deps, { caller: input.caller, clientId: input.clientId, action: 'list', ...(input.requestId ? { requestId: input.requestId } : {}) }, 'any', async (access) => {
    const sessions = (await deps.sessions.listForClient(input.clientId)).filter((s) => withinScope(access.scope, s.createdAt));
    const now = deps.now();
    return { sessions: sessions.map((s) => sessionView(s, viewerOf(input.caller), now)) };
  });
}

async function loadSession(deps: SessionDeps, sessionId: string): Promise<StoredSession> {
  const session = await deps.sessions.get(sessionId);
  if (!session) throw new NotFoundError();
  return session;
}

/** GET /v1/sessions/{sessionId}. */
export async function getSession(input: { caller: Caller; sessionId: string; requestId?: string }, deps: SessionDeps): Promise<SessionView> {
  const session = await loadSession(deps, input.sessionId);
  return withSessionAccess(
    deps,
    { caller: input.caller, clientId: session.clientId, action: 'read', recordId: session.sessionId, recordCreatedAt: session.createdAt, ...(input.requestId ? { requestId: input.requestId } : {}) },
    'any',
    async () => sessionView(session, viewerOf(input.caller), deps.now()),
  );
}

/** A therapist changes only their own sessions (a new therapist does not move the former one's). */
function assertOwnSession(caller: Caller, session: StoredSession): void {
  if (caller.role !== 'client' && caller.userId !== session.therapistId) throw new NotFoundError();
}

/**
 * POST /v1/sessions/{sessionId}/cancel: this session, or (scope `rest`) it and every later
 * booked session of its series. A client's cancellation inside the late window (24 h) is
 * recorded as `late_cancelled`; the therapist's as `cancelled_by_therapist`. The same
 * cancellation again answers the same.
 */
export async function cancelSession(input: { caller: Caller; sessionId: string; scope: 'one' | 'rest'; requestId?: string }, deps: SessionDeps): Promise<SessionList> {
  const session = await loadSession(deps, input.sessionId);
  return withSessionAccess(
    deps,
    { caller: input.caller, clientId: session.clientId, action: 'update', recordId: session.sessionId, recordCreatedAt: session.createdAt, ...(input.requestId ? { requestId: input.requestId } : {}) },
    SCHEDULING_BASES,
    async () => {
      assertOwnSession(input.caller, session);
      const by = actorOf(input.caller);
      if (session.status !== 'booked') {
        if (session.cancelledBy === by && input.scope === 'one') {
          // A retry: the notice run again (the same name: found, not started twice), in case the first start failed.
          await startSessionWorkflow(deps.workflow, { sessionId: session.sessionId, scheduleVersion: session.scheduleVersion, phase: 'cancelled' });
          return { sessions: [sessionView(session, viewerOf(input.caller), deps.now())] };
        }
        throw new SessionClosedError(session.status);
      }
      const targets =
        input.scope === 'rest' && session.seriesId
          ? (await deps.sessions.listForClient(session.clientId)).filter((s) => s.seriesId === session.seriesId && s.start >= session.start && s.status === 'booked')
          : [session];
      const now = deps.now();
      const changed: StoredSession[] = [];
      for (const target of targets) {
        const status = cancellationStatus(by, Date.parse(target.start), now.getTime(), deps.policy);
        const result = await deps.sessions.change({ session: target, status, by, now, releaseCells: true });
        if (result === 'conflict') {
          const fresh = await loadSession(deps, target.sessionId);
          if (fresh.status === 'booked') throw new SessionClosedError('changing');
          changed.push(fresh);
          continue;
        }
        changed.push({ ...target, status, cancelledAt: now.toISOString(), cancelledBy: by, updatedAt: now.toISOString() });
        await startSessionWorkflow(deps.workflow, { sessionId: target.sessionId, scheduleVersion: target.scheduleVersion, phase: 'cancelled' });
      }
      return { sessions: changed.map((s) => sessionView(s, viewerOf(input.caller), now)) };
    },
  );
}

/**
 * POST /v1/sessions/{sessionId}/reschedule: another free start of the same therapist, the cells
 * swapped in one transaction. A client moves a session only before the late window (inside it:
 * 409 change_too_late, cancel instead, recorded as late); the therapist until the start.
 *
 * scope `rest`: this session and every later booked one of its series move by the same number
 * of days to the new local time (shiftedSeriesStarts), all or nothing: every session's new cells
 * are reserved first ("if free", one transaction per session), a lost one gives back the
 * reservations taken (409 slot_taken with free times near it), then each session swaps to its
 * reserved cells. Each moved session gets its new version's run (confirmation, reminders).
 */
export async function rescheduleSession(input: { caller: Caller; sessionId: string; startsAt: string; scope?: 'one' | 'rest'; requestId?: string }, deps: SessionDeps): Promise<SessionView> {
  const session = await loadSession(deps, input.sessionId);
  return withSessionAccess(
    deps,
    { caller: input.caller, clientId: session.clientId, action: 'update', recordId: session.sessionId, recordCreatedAt: session.createdAt, ...(input.requestId ? { requestId: input.requestId } : {}) },
    SCHEDULING_BASES,
    async () => {
      assertOwnSession(input.caller, session);
      const moved = await moveBookedSession({ ...input, session }, deps, {
        laterOfSeries: () => deps.sessions.listForClient(session.clientId),
        viewerZone: (therapistZone) => (input.caller.role === 'client' ? session.clientTimezone : therapistZone),
        slotsPath: 'GET /v1/clients/{clientId}/session-slots',
      });
      return sessionView(moved, viewerOf(input.caller), deps.now());
    },
  );
}

/**
 * The move of a BOOKED session (with `rest`: and the later booked sessions of its series, the
 * same shift), once the caller may change it; for an individual session and a joint one alike:
 * a client's (a member's) move until 24 h before, the new starts offered by the therapist's
 * hours, the cells swapped (409 slot_taken with alternatives), then each moved session's
 * workflow at its new version (the update to its recipients, reminders at the new time).
 * `laterOfSeries`: the sessions its series is found among (the client's, or the unit's).
 */
export async function moveBookedSession(
  input: { caller: Caller; session: StoredSession; startsAt: string; scope?: 'one' | 'rest' },
  deps: SessionDeps,
  options: { laterOfSeries: () => Promise<StoredSession[]>; viewerZone: (therapistZone: string) => string; slotsPath: string },
): Promise<StoredSession> {
  const { session } = input;
  if (session.status !== 'booked') throw new SessionClosedError(session.status);
  const now = deps.now();
  const current = Date.parse(session.start);
  if (input.caller.role === 'client' && isLateCancellation(current, now.getTime(), deps.policy)) {
    throw new ChangeTooLateError(`Sessions can be moved until ${deps.policy.lateCancelHours} hours before they start; cancel instead (recorded as a late cancellation).`);
  }
  if (now.getTime() >= current) throw new ChangeTooLateError('This session has started.');
  const therapist = await deps.directory.getConsultationClinician(session.therapistId);
  if (!therapist) throw new NotFoundError();
  const start = Date.parse(input.startsAt);
  const policy = schedulingPolicyFor(deps.policy, session.type, 'series');
  const viewerZone = options.viewerZone(therapist.timezone);
  const later =
    input.scope === 'rest' && session.seriesId ? (await options.laterOfSeries()).filter((s) => s.seriesId === session.seriesId && s.start > session.start && s.status === 'booked') : [];
  const moves = [
    { target: session, start },
    ...shiftedSeriesStarts(current, start, later.map((s) => Date.parse(s.start)), therapist.timezone).map((to, i) => ({ target: later[i]!, start: to })),
  ];
  const notOffered = moves.filter((m) => !isOfferedStart({ availability: therapist.availability, timeZone: therapist.timezone, start: m.start, now: now.getTime(), policy }));
  if (notOffered.length > 0) {
    throw new ValidationError([
      {
        field: 'startsAt',
        message: `Not offered by the therapist's hours: ${notOffered.map((m) => new Date(m.start).toISOString()).join(', ')}. Pick a start from ${options.slotsPath}.`,
      },
    ]);
  }
  if (moves.length === 1) {
    const end = new Date(sessionEnd(start, session.type, deps.policy)).toISOString();
    const result = await deps.sessions.reschedule({ session, start: new Date(start).toISOString(), end, newCells: occupiedCells(start, policy), now });
    if (result === 'slot_taken') throw new SlotTakenError(await alternativesNear(therapist, session.type, start, viewerZone, deps));
    if (result === 'conflict') throw new SessionClosedError('changing');
  } else {
    await moveAll(moves, policy, now, deps, async (lost) => new SlotTakenError(await alternativesNear(therapist, session.type, lost, viewerZone, deps)));
  }
  for (const move of moves) {
    const moved = await loadSession(deps, move.target.sessionId);
    if (moved.status === 'booked') await startSessionWorkflow(deps.workflow, { sessionId: moved.sessionId, scheduleVersion: moved.scheduleVersion, phase: 'schedule' });
  }
  // The new version's run sends the update (REQUEST, higher SEQUENCE) and reminds at the new time; the old run stops when it wakes.
  return loadSession(deps, session.sessionId);
}

/**
 * The series move: reserve every session's new cells, give all back on a lost one, then swap each.
 *
 * The series may move onto its own times (e.g. every session one week later: each lands on the
 * next one's time). A cell held now by ANOTHER session of the move is not reserved (it is the
 * series' own, freed by that session's swap), and the swaps run in an order where each session's
 * new cells are no longer held by a session still to move (for a move later in time, the latest
 * session first). A cell held by anyone else is a real conflict: 409 slot_taken as before.
 */
async function moveAll(
  moves: readonly { target: StoredSession; start: number }[],
  policy: ReturnType<typeof schedulingPolicyFor>,
  now: Date,
  deps: SessionDeps,
  lostError: (lost: number) => Promise<Error>,
): Promise<void> {
  const heldBy = (move: { target: StoredSession }) => new Set(move.target.lockCells.map((cell) => Date.parse(cell)));
  const planned = moves.map((move) => ({ ...move, cells: occupiedCells(move.start, policy), held: heldBy(move) }));
  const reserved: { target: StoredSession; cells: number[] }[] = [];
  for (const move of planned) {
    const siblings = planned.filter((other) => other !== move);
    const toReserve = move.cells.filter((cell) => !siblings.some((other) => other.held.has(cell)));
    if ((await deps.sessions.reserveCells({ session: move.target, start: new Date(move.start).toISOString(), newCells: toReserve, now })) === 'reserved') {
      reserved.push({ target: move.target, cells: toReserve });
      continue;
    }
    for (const done of reserved.reverse()) await deps.sessions.releaseReservedCells({ session: done.target, newCells: done.cells });
    throw await lostError(move.start);
  }
  const pending = planned.map((move, i) => ({ ...move, reservedCells: reserved[i]!.cells }));
  while (pending.length > 0) {
    // The first whose new cells no other pending session holds (a uniform shift always has one).
    const index = Math.max(
      0,
      pending.findIndex((move) => !pending.some((other) => other !== move && move.cells.some((cell) => other.held.has(cell)))),
    );
    const [move] = pending.splice(index, 1);
    const end = new Date(sessionEnd(move!.start, move!.target.type, deps.policy)).toISOString();
    const result = await deps.sessions.reschedule({ session: move!.target, start: new Date(move!.start).toISOString(), end, newCells: move!.cells, now, reserved: true });
    // Changed meanwhile (cancelled by the other party): it keeps its state; its reservation is given back.
    if (result !== 'rescheduled') await deps.sessions.releaseReservedCells({ session: move!.target, newCells: move!.reservedCells });
  }
}

/**
 * POST /v1/sessions/{sessionId}/attendance: the session's own therapist, while assigned, from
 * the start on. A no-show that makes two in a row (shared/domain/sessions raisesNoShowTask)
 * raises a task in the same transaction.
 */
export async function recordAttendance(input: { caller: Caller; sessionId: string; request: AttendanceRequest; requestId?: string }, deps: SessionDeps): Promise<SessionView> {
  const session = await loadSession(deps, input.sessionId);
  return withSessionAccess(
    deps,
    { caller: input.caller, clientId: session.clientId, action: 'update', recordId: session.sessionId, recordCreatedAt: session.createdAt, ...(input.requestId ? { requestId: input.requestId } : {}) },
    ['assigned_therapist'],
    async () => {
      assertOwnSession(input.caller, session);
      const now = deps.now();
      const { status } = input.request;
      if (session.status === status && session.attendanceRecordedAt) return sessionView(session, 'clinician', now);
      if (session.status !== 'booked') throw new SessionClosedError(session.status);
      const refusal = attendanceRefusal(Date.parse(session.start), now.getTime());
      if (refusal) throw new OutcomeTooEarlyError(refusal);
      const history = (await deps.sessions.listForClient(session.clientId))
        .filter((s) => s.therapistId === session.therapistId)
        .map((s) => (s.sessionId === session.sessionId ? { start: s.start, status } : { start: s.start, status: s.status }));
      const noShowTask = status === 'no_show' && raisesNoShowTask(history) ? { raisedAt: now.toISOString() } : undefined;
      const result = await deps.sessions.change({ session, status, by: 'therapist', now, releaseCells: false, ...(noShowTask ? { noShowTask } : {}) });
      if (result === 'conflict') throw new SessionClosedError('changing');
      return sessionView({ ...session, status, attendanceRecordedAt: now.toISOString(), updatedAt: now.toISOString() }, 'clinician', now);
    },
  );
}
