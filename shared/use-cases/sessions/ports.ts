/**
 * The ports of the session use cases: the session records (shared/adapters/dynamodb/session-repository.ts),
 * the lock cells they share with consultations (ConsultationRecords.lockedCells) and the
 * clinician directory. Unit tests pass in-memory fakes (tests/unit/sessions/fakes.ts).
 */
import type { SlotClinician } from '../../domain/consultations.js';
import type { SessionActor, SessionStatus, SessionType } from '../../domain/sessions/sessions.js';
import type { SentNotification } from '../ports.js';

/** A session as stored (SESSION#<id> / SESSION). Instants are UTC ISO strings. */
export interface StoredSession {
  sessionId: string;
  clientId: string;
  therapistId: string;
  /** The therapist's public bits at booking (no client data). */
  therapist: SlotClinician;
  type: SessionType;
  start: string;
  end: string;
  status: SessionStatus;
  seriesId?: string;
  /** 1-based place in the series, and the series' size at booking. */
  seriesIndex?: number;
  seriesCount?: number;
  /** This session's own video room (never the therapist's standing room). */
  joinUrl: string;
  therapistTimezone: string;
  clientTimezone: string;
  /** 1 at booking, +1 at each reschedule. */
  scheduleVersion: number;
  scheduledAt: string;
  createdAt: string;
  updatedAt: string;
  bookedBy: SessionActor;
  /** The lock cells (UTC ISO) this session holds, as written: released from this list. */
  lockCells: string[];
  cancelledAt?: string;
  cancelledBy?: SessionActor;
  attendanceRecordedAt?: string;
}

/** A therapist's task about a client's sessions (pattern 64): two no-shows in a row. */
export interface StoredSessionTask {
  kind: 'no_shows_in_a_row';
  clientId: string;
  therapistId: string;
  /** The session whose no-show raised it (the task's id). */
  sessionId: string;
  raisedAt: string;
  status: 'open' | 'closed';
  closedAt?: string;
  closedBy?: string;
  closeNote?: string;
  /** Why the system closed it (no note then): care with the therapist ended. */
  closeReason?: SessionTaskCloseReason;
}

/** A task closed by the system, not by its therapist's note. */
export type SessionTaskCloseReason = 'care_ended';

export interface SessionChange {
  session: StoredSession;
  status: SessionStatus;
  by: SessionActor;
  now: Date;
  /** Release the lock cells (a cancellation before the time; not an attendance after it). */
  releaseCells: boolean;
  /** A no-show task to raise with it ("if absent"). */
  noShowTask?: { raisedAt: string };
}

export interface SessionRecords {
  /** Session, client pointer and every lock cell (absent, or a hold that expired) in ONE transaction. */
  book(session: StoredSession, now: Date): Promise<'booked' | 'slot_taken'>;
  /** Removes sessions this request booked and must give back (a series that could not be booked whole). */
  unbook(session: StoredSession): Promise<void>;
  get(sessionId: string): Promise<StoredSession | undefined>;
  listForClient(clientId: string): Promise<StoredSession[]>;
  /** Status change (cancel, attendance), conditional on `booked` at this version; pointer too; cells released when asked. */
  change(change: SessionChange): Promise<'changed' | 'conflict'>;
  /** Old cells released and new ones taken atomically, the version incremented. */
  reschedule(change: { session: StoredSession; start: string; end: string; newCells: readonly number[]; now: Date; reserved?: boolean }): Promise<'rescheduled' | 'slot_taken' | 'conflict'>;
  /**
   * Moving the rest of a series, all or nothing: the new cells of one session (those it does not
   * hold already) are taken first as a short hold owned by the session, in one transaction ("if
   * free"); a hold left behind by a crash expires on its own within RESERVATION_SECONDS. Then
   * `reschedule` with `reserved` turns them into the session's cells.
   */
  reserveCells(reservation: { session: StoredSession; start: string; newCells: readonly number[]; now: Date }): Promise<'reserved' | 'slot_taken'>;
  /** Gives back what reserveCells took (a later session of the series was lost). */
  releaseReservedCells(reservation: { session: StoredSession; newCells: readonly number[] }): Promise<void>;
  /** Sessions of the client with status `attended`, starting at or after `since` (UTC ISO) when given: pointers only. */
  attendedSessions(clientId: string, since?: string): Promise<number>;
  /** Pattern 65: the therapist's open tasks, oldest first. */
  openTasksOf(therapistId: string): Promise<StoredSessionTask[]>;
  getTask(clientId: string, sessionId: string): Promise<StoredSessionTask | undefined>;
  /** Pattern 64: the client's open tasks (any therapist), read in the client's partition. */
  openTasksOfClient(clientId: string): Promise<StoredSessionTask[]>;
  /**
   * Open -> closed, out of the open index; conditional on open and this therapist. By the
   * therapist with what was done (`note`), or by `system` with a `reason` (care ended).
   */
  closeTask(close: { task: StoredSessionTask; by: string; now: Date } & ({ note: string; reason?: never } | { reason: SessionTaskCloseReason; note?: never })): Promise<'closed' | 'not_open'>;
  /** Pattern 63: whether a notification (session + version + kind + audience) was already sent. */
  hasNotification(sessionId: string, key: string): Promise<boolean>;
  /** A record already there is fine. */
  recordNotification(sessionId: string, notification: SentNotification): Promise<void>;
}
