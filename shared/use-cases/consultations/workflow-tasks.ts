/**
 * The tasks of the consultation workflow (workflows/consultation.asl.json). Each one re-reads
 * the consultation first: a run owns ONE schedule version, and once the consultation is
 * cancelled or moved to another version the run sends nothing more (the new version's run
 * owns the new time). Every email is recorded per consultation + version + kind (+ audience)
 * and skipped when already recorded, so a retried task does not send twice, except for a crash
 * between sending and recording (at-least-once, as for the welcome email).
 */
import * as z from 'zod';
import type { ConsultationSettings } from '../../config/scheduling.js';
import { reminderPlan, reminderStale, type ReminderKind } from '../../domain/consultations.js';
import {
  clientShortName,
  renderConsultationCancellation,
  renderConsultationConfirmation,
  renderConsultationReminder,
  renderRebookOffer,
  type Audience,
} from '../../notifications/consultation-emails.js';
import { buildConsultationInvite, ICS_CONTENT_TYPE, type InviteMethod } from '../../notifications/consultation-ics.js';
import type { RenderedEmail } from '../../notifications/welcome-email.js';
import type { ClientProfile, ClientRecords, EmailSender, OutgoingEmail } from '../ports.js';
import type { ConsultationClinician, ConsultationDirectory, ConsultationRecords, StoredConsultation } from './ports.js';

export interface ConsultationTaskDeps {
  consultations: ConsultationRecords;
  clients: Pick<ClientRecords, 'getProfile'>;
  directory: Pick<ConsultationDirectory, 'getConsultationClinician'>;
  email: EmailSender;
  settings: ConsultationSettings;
  appBaseUrl: string;
  /** The sender address: the organizer of the invites. */
  emailFrom: string;
  now: () => Date;
}

export const ConsultationTaskInputSchema = z.strictObject({
  consultationId: z.uuid(),
  scheduleVersion: z.number().int().min(1),
});
export type ConsultationTaskInput = z.infer<typeof ConsultationTaskInputSchema>;

export const ReminderTaskInputSchema = ConsultationTaskInputSchema.extend({ kind: z.enum(['24h', '1h']) });
export const CheckOutcomeInputSchema = ConsultationTaskInputSchema.extend({
  checks: z.number().int().min(0),
  maxChecks: z.number().int().min(1),
});

/** The run's consultation while this run still owns it: booked, at this version. */
async function currentConsultation(input: ConsultationTaskInput, deps: Pick<ConsultationTaskDeps, 'consultations'>): Promise<StoredConsultation | undefined> {
  const consultation = await deps.consultations.get(input.consultationId);
  return consultation?.status === 'booked' && consultation.scheduleVersion === input.scheduleVersion ? consultation : undefined;
}

/** A Wait state's TimestampPath value: RFC 3339 in UTC, whole seconds (`2026-11-20T15:00:00Z`). */
export function waitTimestamp(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export type ScheduleOutput =
  | { current: false }
  | {
      current: true;
      start: string;
      endsAt: string;
      remindDayBefore: boolean;
      dayBeforeAt: string;
      remindHourBefore: boolean;
      hourBeforeAt: string;
      outcomeCheckSeconds: number;
      maxOutcomeChecks: number;
    };

/**
 * ReadSchedule: the times the run waits for, from the consultation as stored. A reminder whose
 * time came too soon after the booking (or already passed) is not due: its Wait is skipped.
 */
export async function readSchedule(input: ConsultationTaskInput, deps: Pick<ConsultationTaskDeps, 'consultations' | 'settings'>): Promise<ScheduleOutput> {
  const consultation = await currentConsultation(input, deps);
  if (!consultation) return { current: false };
  const plan = reminderPlan(Date.parse(consultation.start), Date.parse(consultation.scheduledAt));
  const { outcomeCheckMinutes, outcomeWaitHours } = deps.settings;
  return {
    current: true,
    start: waitTimestamp(consultation.start),
    endsAt: waitTimestamp(consultation.end),
    remindDayBefore: plan['24h'].due,
    dayBeforeAt: waitTimestamp(plan['24h'].at),
    remindHourBefore: plan['1h'].due,
    hourBeforeAt: waitTimestamp(plan['1h'].at),
    outcomeCheckSeconds: outcomeCheckMinutes * 60,
    maxOutcomeChecks: Math.max(1, Math.ceil((outcomeWaitHours * 60) / outcomeCheckMinutes)),
  };
}

interface Parties {
  client: ClientProfile | undefined;
  clinician: ConsultationClinician | undefined;
}

async function partiesOf(consultation: StoredConsultation, deps: Pick<ConsultationTaskDeps, 'clients' | 'directory'>): Promise<Parties> {
  const [client, clinician] = await Promise.all([
    deps.clients.getProfile(consultation.clientId),
    deps.directory.getConsultationClinician(consultation.clinicianId),
  ]);
  return { client, clinician };
}

interface Recipient {
  audience: Audience;
  email: string;
  firstName: string;
  /** How the other party is named to this reader. */
  withName: string;
  /** How this reader is named as an attendee. */
  attendeeName: string;
  timeZone: string;
}

function recipients(consultation: StoredConsultation, parties: Parties): Recipient[] {
  const list: Recipient[] = [];
  const clientName = parties.client ? clientShortName(parties.client.firstName, parties.client.lastName) : 'your client';
  if (parties.client) {
    list.push({
      audience: 'client',
      email: parties.client.email,
      firstName: parties.client.firstName,
      withName: consultation.clinician.displayName,
      attendeeName: `${parties.client.firstName} ${parties.client.lastName}`,
      // The zone on the profile now: a client who moved sees their own local time.
      timeZone: parties.client.timezone,
    });
  }
  if (parties.clinician) {
    list.push({
      audience: 'clinician',
      email: parties.clinician.email,
      firstName: parties.clinician.firstName,
      withName: clientName,
      attendeeName: consultation.clinician.displayName,
      timeZone: parties.clinician.timezone,
    });
  }
  return list;
}

function invite(consultation: StoredConsultation, recipient: Recipient, method: InviteMethod, sequence: number, deps: Pick<ConsultationTaskDeps, 'appBaseUrl' | 'emailFrom' | 'now'>) {
  const content = buildConsultationInvite({
    method,
    uid: consultation.consultationId,
    sequence,
    start: new Date(consultation.start),
    end: new Date(consultation.end),
    stamp: deps.now(),
    summary: `MoodRx free consultation with ${recipient.withName}`,
    description: `A 15-minute video call. Join: ${consultation.joinUrl}`,
    location: consultation.joinUrl,
    url: new URL(`consultations/${consultation.consultationId}`, deps.appBaseUrl.endsWith('/') ? deps.appBaseUrl : `${deps.appBaseUrl}/`).toString(),
    organizer: { name: 'MoodRx', email: deps.emailFrom.replace(/^.*<([^>]+)>.*$/, '$1') },
    attendees: [{ name: recipient.attendeeName, email: recipient.email }],
  });
  return { filename: 'invite.ics', contentType: ICS_CONTENT_TYPE, content, method };
}

/** Sends unless already recorded under `key`; true when sent now. */
async function sendOnce(consultationId: string, key: string, email: OutgoingEmail, deps: Pick<ConsultationTaskDeps, 'consultations' | 'email' | 'now'>): Promise<boolean> {
  if (await deps.consultations.hasNotification(consultationId, key)) return false;
  const { messageId } = await deps.email.send(email);
  await deps.consultations.recordNotification(consultationId, { key, channel: 'email', messageId, sentAt: deps.now().toISOString() });
  return true;
}

function outgoing(to: string, rendered: RenderedEmail, attachment?: OutgoingEmail['attachments']): OutgoingEmail {
  return { to, ...rendered, ...(attachment ? { attachments: attachment } : {}) };
}

export interface SendOutput {
  current: boolean;
  sent: number;
  /** Why nothing was sent although the run still owns the consultation. */
  skipped?: 'too_late' | 'client_gone';
}

/** SendConfirmation: client and clinician, each with the invite (METHOD:REQUEST, SEQUENCE = version) and the join link. */
export async function sendConfirmation(input: ConsultationTaskInput, deps: ConsultationTaskDeps): Promise<SendOutput> {
  const consultation = await currentConsultation(input, deps);
  if (!consultation) return { current: false, sent: 0 };
  let sent = 0;
  for (const recipient of recipients(consultation, await partiesOf(consultation, deps))) {
    const rendered = renderConsultationConfirmation({
      audience: recipient.audience,
      firstName: recipient.firstName,
      withName: recipient.withName,
      start: new Date(consultation.start),
      timeZone: recipient.timeZone,
      joinUrl: consultation.joinUrl,
      appBaseUrl: deps.appBaseUrl,
      consultationId: consultation.consultationId,
      rescheduled: consultation.scheduleVersion > 1,
      changeCutoffMinutes: deps.settings.policy.changeCutoffMinutes,
    });
    const attachment = invite(consultation, recipient, 'REQUEST', consultation.scheduleVersion, deps);
    const key = `confirmation-v${consultation.scheduleVersion}-${recipient.audience}`;
    if (await sendOnce(consultation.consultationId, key, outgoing(recipient.email, rendered, [attachment]), deps)) sent += 1;
  }
  return { current: true, sent };
}

/** SendDayBeforeReminder / SendHourBeforeReminder: to the client, unless it runs too late to be true. */
export async function sendReminder(input: ConsultationTaskInput & { kind: ReminderKind }, deps: ConsultationTaskDeps): Promise<SendOutput> {
  const consultation = await currentConsultation(input, deps);
  if (!consultation) return { current: false, sent: 0 };
  if (reminderStale(input.kind, Date.parse(consultation.start), deps.now().getTime())) return { current: true, sent: 0, skipped: 'too_late' };
  const client = recipients(consultation, await partiesOf(consultation, deps)).find((r) => r.audience === 'client');
  if (!client) return { current: true, sent: 0, skipped: 'client_gone' };
  const rendered = renderConsultationReminder({
    audience: 'client',
    kind: input.kind,
    firstName: client.firstName,
    withName: client.withName,
    start: new Date(consultation.start),
    timeZone: client.timeZone,
    joinUrl: consultation.joinUrl,
    appBaseUrl: deps.appBaseUrl,
    consultationId: consultation.consultationId,
  });
  const key = `reminder-${input.kind}-v${consultation.scheduleVersion}`;
  return { current: true, sent: (await sendOnce(consultation.consultationId, key, outgoing(client.email, rendered), deps)) ? 1 : 0 };
}

export type OutcomeState = 'pending' | 'completed' | 'no_show' | 'superseded' | 'overdue';

/**
 * CheckOutcome: after the end, what the clinician recorded. Still nothing after `maxChecks`
 * checks -> the run stops waiting (outcomeWatch closed, conditionally: an outcome recorded in
 * the same instant wins and is reported instead).
 */
export async function checkOutcome(
  input: ConsultationTaskInput & { checks: number; maxChecks: number },
  deps: Pick<ConsultationTaskDeps, 'consultations' | 'now'>,
): Promise<{ state: OutcomeState; checks: number }> {
  const read = async (): Promise<OutcomeState | undefined> => {
    const consultation = await deps.consultations.get(input.consultationId);
    if (!consultation || consultation.scheduleVersion !== input.scheduleVersion || consultation.status === 'cancelled') return 'superseded';
    if (consultation.status === 'completed' || consultation.status === 'no_show') return consultation.status;
    return undefined;
  };
  const state = await read();
  if (state) return { state, checks: input.checks };
  if (input.checks + 1 < input.maxChecks) return { state: 'pending', checks: input.checks + 1 };
  const closed = await deps.consultations.closeOutcomeWatch(input.consultationId, input.scheduleVersion, deps.now());
  if (closed === 'closed') return { state: 'overdue', checks: input.checks + 1 };
  return { state: (await read()) ?? 'superseded', checks: input.checks + 1 };
}

/**
 * SendRebookOffer: after a no-show, while the client's free-consultation record allows one
 * more booking (a first no-show); nothing after a second one, or once they booked again.
 */
export async function sendRebookOffer(input: ConsultationTaskInput, deps: ConsultationTaskDeps): Promise<{ sent: boolean; reason?: string }> {
  const consultation = await deps.consultations.get(input.consultationId);
  if (consultation?.status !== 'no_show') return { sent: false, reason: 'not_a_no_show' };
  const free = await deps.consultations.getFreeConsultation(consultation.clientId);
  if (free?.state !== 'available') return { sent: false, reason: 'no_rebook_available' };
  const client = await deps.clients.getProfile(consultation.clientId);
  if (!client) return { sent: false, reason: 'client_gone' };
  const rendered = renderRebookOffer({ firstName: client.firstName, appBaseUrl: deps.appBaseUrl });
  const sent = await sendOnce(consultation.consultationId, 'rebook-offer', outgoing(client.email, rendered), deps);
  return sent ? { sent } : { sent, reason: 'already_sent' };
}

/** SendCancellation: client and clinician, with an invite update (METHOD:CANCEL, SEQUENCE = version + 1). */
export async function sendCancellation(input: ConsultationTaskInput, deps: ConsultationTaskDeps): Promise<{ sent: number }> {
  const consultation = await deps.consultations.get(input.consultationId);
  if (consultation?.status !== 'cancelled') return { sent: 0 };
  let sent = 0;
  for (const recipient of recipients(consultation, await partiesOf(consultation, deps))) {
    const rendered = renderConsultationCancellation({
      audience: recipient.audience,
      firstName: recipient.firstName,
      withName: recipient.withName,
      start: new Date(consultation.start),
      timeZone: recipient.timeZone,
      joinUrl: consultation.joinUrl,
      appBaseUrl: deps.appBaseUrl,
      consultationId: consultation.consultationId,
    });
    const attachment = invite(consultation, recipient, 'CANCEL', consultation.scheduleVersion + 1, deps);
    if (await sendOnce(consultation.consultationId, `cancellation-${recipient.audience}`, outgoing(recipient.email, rendered, [attachment]), deps)) sent += 1;
  }
  return { sent };
}
