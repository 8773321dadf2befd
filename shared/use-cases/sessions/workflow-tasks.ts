/**
 * The tasks of the session workflow (workflows/session.asl.json), built like the consultation
 * ones (shared/use-cases/consultations/workflow-tasks.ts) and sharing their rules: a run owns
 * ONE schedule version of ONE session and re-reads it before every send, so once the session is
 * cancelled or moved to another version the run sends nothing more (the new version's run owns
 * the new time). Every email is recorded per session + version + kind (+ audience) (pattern 63)
 * and skipped when already recorded: a retried task does not send twice (at-least-once only for
 * a crash between sending and recording, as for every email here).
 */
import * as z from 'zod';
import { reminderPlan, reminderStale, type ReminderKind } from '../../domain/consultations.js';
import { CANCELLED_STATUSES, type SessionPolicy } from '../../domain/sessions/sessions.js';
import { clientShortName, type Audience } from '../../notifications/consultation-emails.js';
import { buildCalendar, ICS_CONTENT_TYPE, type CalendarEvent, type InviteMethod } from '../../notifications/consultation-ics.js';
import { renderSessionCancellation, renderSessionConfirmation, renderSessionReminder, renderSessionSeriesConfirmation } from '../../notifications/session-emails.js';
import type { RenderedEmail } from '../../notifications/welcome-email.js';
import { waitTimestamp } from '../consultations/workflow-tasks.js';
import type { ConsultationDirectory } from '../consultations/ports.js';
import type { ClientRecords, EmailSender, OutgoingEmail } from '../ports.js';
import type { CareUnitRecords } from '../care-units/ports.js';
import type { SessionRecords, StoredSession } from './ports.js';

export interface SessionTaskDeps {
  sessions: Pick<SessionRecords, 'get' | 'hasNotification' | 'recordNotification'>;
  clients: Pick<ClientRecords, 'getProfile'>;
  directory: Pick<ConsultationDirectory, 'getConsultationClinician'>;
  /** A joint session's members are written to while their membership is active (their own pointers, pattern 82). */
  units: Pick<CareUnitRecords, 'listUnitsOf'>;
  email: EmailSender;
  policy: SessionPolicy;
  appBaseUrl: string;
  /** The sender address: the organizer of the invites. */
  emailFrom: string;
  now: () => Date;
}

export const SessionTaskInputSchema = z.strictObject({
  sessionId: z.uuid(),
  scheduleVersion: z.number().int().min(1),
});
export type SessionTaskInput = z.infer<typeof SessionTaskInputSchema>;

export const SessionReminderInputSchema = SessionTaskInputSchema.extend({ kind: z.enum(['24h', '1h']) });

/** The run's session while this run still owns it: booked, at this version. */
async function currentSession(input: SessionTaskInput, deps: Pick<SessionTaskDeps, 'sessions'>): Promise<StoredSession | undefined> {
  const session = await deps.sessions.get(input.sessionId);
  return session?.status === 'booked' && session.scheduleVersion === input.scheduleVersion ? session : undefined;
}

export type SessionScheduleOutput =
  | { current: false }
  | { current: true; start: string; remindDayBefore: boolean; dayBeforeAt: string; remindHourBefore: boolean; hourBeforeAt: string };

/** ReadSchedule: the reminder instants of this version; a reminder too close to the booking (or past) is not due. */
export async function readSessionSchedule(input: SessionTaskInput, deps: Pick<SessionTaskDeps, 'sessions'>): Promise<SessionScheduleOutput> {
  const session = await currentSession(input, deps);
  if (!session) return { current: false };
  const plan = reminderPlan(Date.parse(session.start), Date.parse(session.scheduledAt));
  return {
    current: true,
    start: waitTimestamp(session.start),
    remindDayBefore: plan['24h'].due,
    dayBeforeAt: waitTimestamp(plan['24h'].at),
    remindHourBefore: plan['1h'].due,
    hourBeforeAt: waitTimestamp(plan['1h'].at),
  };
}

interface Recipient {
  audience: Audience;
  /** Who, in the notification keys: `client` / `clinician`, or `member-<clientId>` for each member of a joint session. */
  key: string;
  email: string;
  firstName: string;
  withName: string;
  attendeeName: string;
  timeZone: string;
}

/**
 * Who a session's emails go to: the client and the therapist; for a JOINT session, every
 * invited member whose membership is still active (one email each, their own name and zone)
 * and the therapist, who sees the members as first names and last initials. A joint session
 * cancelled because the unit's joint care ended (`cancelled_care_ended`) also goes to the
 * invited members who left or were removed: the cancellation clears the entry their
 * confirmation put in their calendar.
 */
async function recipients(session: StoredSession, deps: Pick<SessionTaskDeps, 'clients' | 'directory' | 'units'>): Promise<Recipient[]> {
  const therapist = await deps.directory.getConsultationClinician(session.therapistId);
  const list: Recipient[] = [];
  let others: string;
  if (session.unitId) {
    const unitId = session.unitId;
    const told: readonly string[] = session.status === 'cancelled_care_ended' ? ['active', 'left', 'removed'] : ['active'];
    const members = await Promise.all(
      (session.invitedMemberIds ?? []).map(async (clientId) => {
        const [profile, units] = await Promise.all([deps.clients.getProfile(clientId), deps.units.listUnitsOf(clientId)]);
        return profile && units.some((u) => u.unitId === unitId && told.includes(u.status)) ? profile : undefined;
      }),
    );
    const active = members.filter((m) => m !== undefined);
    for (const member of active) {
      list.push({
        audience: 'client',
        key: `member-${member.clientId}`,
        email: member.email,
        firstName: member.firstName,
        withName: session.therapist.displayName,
        attendeeName: `${member.firstName} ${member.lastName}`,
        timeZone: member.timezone,
      });
    }
    others = active.length > 0 ? active.map((m) => clientShortName(m.firstName, m.lastName)).join(' and ') : 'your clients';
  } else {
    const client = await deps.clients.getProfile(session.clientId);
    if (client) {
      list.push({
        audience: 'client',
        key: 'client',
        email: client.email,
        firstName: client.firstName,
        withName: session.therapist.displayName,
        attendeeName: `${client.firstName} ${client.lastName}`,
        timeZone: client.timezone,
      });
    }
    others = client ? clientShortName(client.firstName, client.lastName) : 'your client';
  }
  if (therapist) {
    list.push({ audience: 'clinician', key: 'clinician', email: therapist.email, firstName: therapist.firstName, withName: others, attendeeName: session.therapist.displayName, timeZone: therapist.timezone });
  }
  return list;
}

function calendarEvent(session: StoredSession, recipient: Recipient, sequence: number, deps: Pick<SessionTaskDeps, 'appBaseUrl' | 'now'>): CalendarEvent {
  return {
    // UID = the session id, SEQUENCE = its schedule version: a move updates the one calendar entry.
    uid: session.sessionId,
    sequence,
    start: new Date(session.start),
    end: new Date(session.end),
    stamp: deps.now(),
    summary: `MoodRx session with ${recipient.withName}`,
    description: `A video session. Join: ${session.joinUrl}`,
    location: session.joinUrl,
    url: new URL(`sessions/${session.sessionId}`, deps.appBaseUrl.endsWith('/') ? deps.appBaseUrl : `${deps.appBaseUrl}/`).toString(),
    attendees: [{ name: recipient.attendeeName, email: recipient.email }],
  };
}

/** The .ics attachment: one VEVENT per session (one for a session, every booked one for a series' confirmation). */
function invite(sessions: readonly StoredSession[], recipient: Recipient, method: InviteMethod, sequence: (s: StoredSession) => number, deps: Pick<SessionTaskDeps, 'appBaseUrl' | 'emailFrom' | 'now'>) {
  const content = buildCalendar({
    method,
    organizer: { name: 'MoodRx', email: deps.emailFrom.replace(/^.*<([^>]+)>.*$/, '$1') },
    events: sessions.map((session) => calendarEvent(session, recipient, sequence(session), deps)),
  });
  return { filename: 'invite.ics', contentType: ICS_CONTENT_TYPE, content, method };
}

async function sendOnce(sessionId: string, key: string, email: OutgoingEmail, deps: Pick<SessionTaskDeps, 'sessions' | 'email' | 'now'>): Promise<boolean> {
  if (await deps.sessions.hasNotification(sessionId, key)) return false;
  const { messageId } = await deps.email.send(email);
  await deps.sessions.recordNotification(sessionId, { key, channel: 'email', messageId, sentAt: deps.now().toISOString() });
  return true;
}

const outgoing = (to: string, rendered: RenderedEmail, attachments?: OutgoingEmail['attachments']): OutgoingEmail => ({ to, ...rendered, ...(attachments ? { attachments } : {}) });

function emailInput(session: StoredSession, recipient: Recipient, deps: Pick<SessionTaskDeps, 'appBaseUrl'>) {
  return {
    audience: recipient.audience,
    firstName: recipient.firstName,
    withName: recipient.withName,
    start: new Date(session.start),
    durationMinutes: Math.round((Date.parse(session.end) - Date.parse(session.start)) / 60_000),
    timeZone: recipient.timeZone,
    joinUrl: session.joinUrl,
    appBaseUrl: deps.appBaseUrl,
    sessionId: session.sessionId,
  };
}

export interface SessionSendOutput {
  current: boolean;
  sent: number;
  /** in_series_confirmation: this session's confirmation is the series' one, sent by another session's run. */
  skipped?: 'too_late' | 'client_gone' | 'in_series_confirmation';
}

/**
 * The sessions of `session`'s series that its ONE confirmation lists: those still booked at
 * version 1 (a moved one has its own confirmation, a cancelled one none), in series order.
 */
async function seriesToConfirm(ids: readonly string[], deps: Pick<SessionTaskDeps, 'sessions'>): Promise<StoredSession[]> {
  const siblings = await Promise.all(ids.map((id) => deps.sessions.get(id)));
  return siblings.filter((s): s is StoredSession => s?.status === 'booked' && s.scheduleVersion === 1);
}

/**
 * SendConfirmation: client and therapist, each with the invite (METHOD:REQUEST, SEQUENCE = version).
 *
 * A series at its booking (version 1) gets ONE confirmation per person, not one per session:
 * the run of the first session still booked at version 1 sends it, listing every such session
 * of the series with one .ics holding a VEVENT per session (UID = its session id, so a later
 * move or cancellation of one session updates that entry alone); the other runs skip it and
 * keep their reminders. Recorded under the series' first session id
 * (`series-confirmation-v1-<audience>`): whichever run sends, a retry or a second run finds it.
 * A session moved later gets its own confirmation at its new version, as a single session does.
 */
export async function sendSessionConfirmation(input: SessionTaskInput, deps: SessionTaskDeps): Promise<SessionSendOutput> {
  const session = await currentSession(input, deps);
  if (!session) return { current: false, sent: 0 };
  const seriesIds = session.scheduleVersion === 1 ? session.seriesSessionIds : undefined;
  if (seriesIds && seriesIds.length > 1) {
    const listed = await seriesToConfirm(seriesIds, deps);
    if (listed[0]?.sessionId !== session.sessionId) return { current: true, sent: 0, skipped: 'in_series_confirmation' };
    let sent = 0;
    for (const recipient of await recipients(session, deps)) {
      const { start: _start, joinUrl: _joinUrl, sessionId: _sessionId, ...common } = emailInput(session, recipient, deps);
      const rendered = renderSessionSeriesConfirmation({
        ...common,
        occurrences: listed.map((s) => ({ sessionId: s.sessionId, start: new Date(s.start), joinUrl: s.joinUrl })),
        lateCancelHours: deps.policy.lateCancelHours,
      });
      const attachment = invite(listed, recipient, 'REQUEST', (s) => s.scheduleVersion, deps);
      if (await sendOnce(seriesIds[0]!, `series-confirmation-v1-${recipient.key}`, outgoing(recipient.email, rendered, [attachment]), deps)) sent += 1;
    }
    return { current: true, sent };
  }
  let sent = 0;
  for (const recipient of await recipients(session, deps)) {
    const rendered = renderSessionConfirmation({ ...emailInput(session, recipient, deps), rescheduled: session.scheduleVersion > 1, lateCancelHours: deps.policy.lateCancelHours });
    const key = `confirmation-v${session.scheduleVersion}-${recipient.key}`;
    if (await sendOnce(session.sessionId, key, outgoing(recipient.email, rendered, [invite([session], recipient, 'REQUEST', (s) => s.scheduleVersion, deps)]), deps)) sent += 1;
  }
  return { current: true, sent };
}

/**
 * SendDayBeforeReminder / SendHourBeforeReminder: to the client (each active invited member of a
 * joint session, one email each), once per version, kind and person, unless it runs too late to be true.
 */
export async function sendSessionReminder(input: SessionTaskInput & { kind: ReminderKind }, deps: SessionTaskDeps): Promise<SessionSendOutput> {
  const session = await currentSession(input, deps);
  if (!session) return { current: false, sent: 0 };
  if (reminderStale(input.kind, Date.parse(session.start), deps.now().getTime())) return { current: true, sent: 0, skipped: 'too_late' };
  const clients = (await recipients(session, deps)).filter((r) => r.audience === 'client');
  if (clients.length === 0) return { current: true, sent: 0, skipped: 'client_gone' };
  let sent = 0;
  for (const client of clients) {
    const rendered = renderSessionReminder({ ...emailInput(session, client, deps), kind: input.kind });
    // An individual session keeps its key of before (reminder-<kind>-v<n>); a joint one adds the member.
    const key = `reminder-${input.kind}-v${session.scheduleVersion}${session.unitId ? `-${client.key}` : ''}`;
    if (await sendOnce(session.sessionId, key, outgoing(client.email, rendered), deps)) sent += 1;
  }
  return { current: true, sent };
}

/** SendCancellation: client and therapist, with the invite update (METHOD:CANCEL, SEQUENCE = version + 1). */
export async function sendSessionCancellation(input: SessionTaskInput, deps: SessionTaskDeps): Promise<{ sent: number }> {
  const session = await deps.sessions.get(input.sessionId);
  if (!session || !CANCELLED_STATUSES.includes(session.status)) return { sent: 0 };
  let sent = 0;
  for (const recipient of await recipients(session, deps)) {
    const rendered = renderSessionCancellation(emailInput(session, recipient, deps));
    if (await sendOnce(session.sessionId, `cancellation-${recipient.key}`, outgoing(recipient.email, rendered, [invite([session], recipient, 'CANCEL', (s) => s.scheduleVersion + 1, deps)]), deps)) sent += 1;
  }
  return { sent };
}
