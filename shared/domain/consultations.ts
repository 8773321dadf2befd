/**
 * The free 15-minute consultation: what a client and a clinician send and get back, and the
 * rules around a booking that are not slot math (shared/domain/scheduling.ts holds that).
 *
 * One free consultation per client (issue 3). The client's free-consultation record moves:
 *
 *   (none) --book--> booked --cancel--> available --book--> booked ...
 *                    booked --completed--> completed                 (no more free bookings)
 *                    booked --no-show (first)--> available           (one rebook offered)
 *                    booked --no-show (again)--> forfeited           (no more free bookings)
 *
 * A client may book while the record is absent or `available`; the booking transaction checks
 * that with a condition, so two concurrent bookings of one client cannot both succeed.
 */
import { TZDate } from '@date-fns/tz';
import * as z from 'zod';
import { CLIENT_STAGES } from './signup.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const CONSULTATION_STATUSES = ['booked', 'cancelled', 'completed', 'no_show'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

export const CONSULTATION_OUTCOMES = ['completed', 'no_show'] as const;
export type ConsultationOutcome = (typeof CONSULTATION_OUTCOMES)[number];

export const FREE_CONSULTATION_STATES = ['booked', 'available', 'completed', 'forfeited'] as const;
export type FreeConsultationState = (typeof FREE_CONSULTATION_STATES)[number];

/** How many no-shows are forgiven with a new free booking (issue 3: "offering to rebook once"). */
export const NO_SHOW_REBOOKS = 1;

/** The free-consultation state after a no-show, given the no-shows before this one. */
export function stateAfterNoShow(noShowsBefore: number): FreeConsultationState {
  return noShowsBefore < NO_SHOW_REBOOKS ? 'available' : 'forfeited';
}

/** Who changed a consultation. */
export const CONSULTATION_ACTORS = ['client', 'clinician'] as const;
export type ConsultationActor = (typeof CONSULTATION_ACTORS)[number];

/** An instant as ISO 8601 with an offset (`Z` or `-05:00`), normalized to UTC (`...Z`). */
export const InstantSchema = z
  .iso.datetime({ offset: true, error: 'Use an ISO 8601 date-time with an offset, like 2026-11-20T15:00:00Z.' })
  .transform((value) => new Date(value).toISOString());

const IdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, { error: 'Use an id as returned by the API.' });

export const SlotsQuerySchema = z
  .strictObject({
    from: InstantSchema.optional().describe('Default: now (the minimum notice applies).'),
    to: InstantSchema.optional().describe('Default: the end of the booking horizon.'),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { error: '`to` must be after `from`.', path: ['to'] });
export type SlotsQuery = z.output<typeof SlotsQuerySchema>;

export const BookConsultationRequestSchema = z
  .strictObject({
    start: InstantSchema.describe('A start from GET /v1/consultations/slots.'),
    clinicianId: IdSchema.optional().describe('One of the clinicians free then; absent: we choose one of them.'),
    holdId: z.uuid().optional().describe('Your hold on this start (POST /v1/consultations/holds).'),
  })
  .meta({ id: 'BookConsultationRequest' });
export type BookConsultationRequest = z.output<typeof BookConsultationRequestSchema>;

export const HoldRequestSchema = z
  .strictObject({
    start: InstantSchema.describe('A start from GET /v1/consultations/slots.'),
    clinicianId: IdSchema.optional(),
  })
  .meta({ id: 'ConsultationHoldRequest' });
export type HoldRequest = z.output<typeof HoldRequestSchema>;

export const RescheduleRequestSchema = z
  .strictObject({ start: InstantSchema.describe('A free start of the same clinician.') })
  .meta({ id: 'RescheduleConsultationRequest' });

export const OutcomeRequestSchema = z
  .strictObject({
    outcome: z.enum(CONSULTATION_OUTCOMES, { error: 'Use completed or no_show.' }),
    notes: z
      .string()
      .trim()
      .max(10_000, { error: 'Use at most 10000 characters.' })
      .optional()
      .describe('Clinical notes: stored apart, shown to the clinician only, never emailed or logged.'),
  })
  .meta({ id: 'ConsultationOutcomeRequest' });
export type OutcomeRequest = z.output<typeof OutcomeRequestSchema>;

export const ConsultationParamsSchema = z.strictObject({ id: z.uuid({ error: 'Not a consultation id.' }) });

export const SlotClinicianSchema = z
  .strictObject({
    id: z.string(),
    displayName: z.string().describe('"First Last, CREDENTIAL"'),
    credential: z.string(),
    pronouns: z.string().optional(),
  })
  .meta({ id: 'SlotClinician' });
export type SlotClinician = z.infer<typeof SlotClinicianSchema>;

export const SlotSchema = z
  .strictObject({
    start: z.string().describe('UTC, ISO 8601.'),
    startLocal: z.string().describe("The same instant in the client's time zone, with its offset."),
    clinicians: z.array(SlotClinicianSchema).min(1),
  })
  .meta({ id: 'ConsultationSlot' });
export type Slot = z.infer<typeof SlotSchema>;

export const SlotsResponseSchema = z
  .strictObject({
    timezone: z.string(),
    from: z.string(),
    to: z.string(),
    durationMinutes: z.number().int(),
    slots: z.array(SlotSchema),
  })
  .meta({ id: 'ConsultationSlots' });
export type SlotsResponse = z.infer<typeof SlotsResponseSchema>;

export const HoldResponseSchema = z
  .strictObject({
    holdId: z.string(),
    start: z.string(),
    startLocal: z.string(),
    clinician: SlotClinicianSchema,
    expiresAt: z.string(),
  })
  .meta({ id: 'ConsultationHold' });
export type HoldResponse = z.infer<typeof HoldResponseSchema>;

export const ConsultationSchema = z
  .strictObject({
    id: z.string(),
    status: z.enum(CONSULTATION_STATUSES),
    start: z.string(),
    end: z.string(),
    startLocal: z.string().describe("The start in the viewer's time zone."),
    timezone: z.string(),
    clinician: SlotClinicianSchema,
    client: z
      .strictObject({ id: z.string(), firstName: z.string(), lastName: z.string(), stage: z.enum(CLIENT_STAGES).optional() })
      .optional()
      .describe('For the clinician only.'),
    joinUrl: z.string().optional().describe("This consultation's own video room; absent once it was cancelled or has ended."),
    scheduleVersion: z.number().int().describe('1 at booking, +1 at each reschedule.'),
    createdAt: z.string(),
    updatedAt: z.string(),
    cancelledAt: z.string().optional(),
    cancelledBy: z.enum(CONSULTATION_ACTORS).optional(),
    outcome: z
      .strictObject({
        outcome: z.enum(CONSULTATION_OUTCOMES),
        recordedAt: z.string(),
        notes: z.string().optional().describe('For the clinician only, on GET by id.'),
      })
      .optional(),
  })
  .meta({ id: 'Consultation' });
export type ConsultationView = z.infer<typeof ConsultationSchema>;

export const ConsultationListSchema = z.strictObject({ consultations: z.array(ConsultationSchema) }).meta({ id: 'ConsultationList' });

/**
 * The video room of one consultation: `<origin of the clinician's video service>/rooms/<id>`.
 * Never the clinician's standing room: a link in a past client's mailbox must not open the
 * room of later sessions. The id is a random UUID, so the room is not guessable.
 */
export function consultationJoinUrl(videoRoomUrl: string, consultationId: string): string {
  return new URL(`/rooms/${encodeURIComponent(consultationId)}`, new URL(videoRoomUrl).origin).toString();
}

/** Whether the join link is still shown: not once the consultation was cancelled or has ended (epoch ms). */
export function joinLinkShown(consultation: { status: ConsultationStatus; end: string }, now: number): boolean {
  return consultation.status !== 'cancelled' && now < Date.parse(consultation.end);
}

/** The end of a consultation starting at `start` (epoch ms). */
export function consultationEnd(start: number, consultationMinutes: number): number {
  return start + consultationMinutes * MINUTE;
}

/** The instant in `timeZone` as ISO 8601 with that zone's offset then (`2026-11-20T10:00:00.000-05:00`). */
export function localIso(instant: number, timeZone: string): string {
  return new TZDate(instant, timeZone).toISOString();
}

/** "Jordan Reyland, LCSW". */
export function clinicianDisplayName(firstName: string, lastName: string, credentialLabel: string): string {
  return `${firstName} ${lastName}, ${credentialLabel}`;
}

/**
 * FNV-1a over the text, then MurmurHash3's 32-bit finalizer so that near-identical inputs
 * (starts 15 minutes apart) spread evenly: stable and dependency-free, for ranking only (not
 * for security).
 */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * The order in which to offer a booking without a chosen clinician to those free at `start`:
 * highest-random-weight (rendezvous) hashing of start and clinician. Deterministic (every
 * request for one start tries the same clinician first, so concurrent requests compete for the
 * same cells rather than spreading into double work) yet spread across clinicians from one
 * start to the next, so nobody gets every booking by sorting first.
 */
export function clinicianPreference(start: number, clinicianIds: readonly string[]): string[] {
  const weight = (id: string) => stableHash(`${start}|${id}`);
  return [...clinicianIds].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A reminder is sent only when it falls at least this long after the consultation was booked
 * or moved: a booking 20 hours ahead gets its confirmation, not a "tomorrow" reminder minutes
 * later.
 */
export const REMINDER_MIN_GAP_MINUTES = 30;

export const REMINDER_KINDS = ['24h', '1h'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];
export const REMINDER_LEAD_HOURS: Readonly<Record<ReminderKind, number>> = { '24h': 24, '1h': 1 };

export interface ReminderPlan {
  at: string;
  due: boolean;
}

/** When each reminder of a consultation falls, and whether it is sent at all (see REMINDER_MIN_GAP_MINUTES). */
export function reminderPlan(start: number, scheduledAt: number): Record<ReminderKind, ReminderPlan> {
  const plan = (kind: ReminderKind): ReminderPlan => {
    const at = start - REMINDER_LEAD_HOURS[kind] * HOUR;
    return { at: new Date(at).toISOString(), due: at - scheduledAt >= REMINDER_MIN_GAP_MINUTES * MINUTE };
  };
  return { '24h': plan('24h'), '1h': plan('1h') };
}

/**
 * A reminder that runs this late is not sent: "tomorrow" half a day before, or "in one hour"
 * when the consultation is about to start, would mislead (a run delayed by an outage, or one
 * started late, reaches its reminders after their time).
 */
export const REMINDER_STALE_AFTER_MINUTES: Readonly<Record<ReminderKind, number>> = { '24h': 12 * 60, '1h': 50 };

/** True when the reminder's moment has passed by more than REMINDER_STALE_AFTER_MINUTES. */
export function reminderStale(kind: ReminderKind, start: number, now: number): boolean {
  return now > start - REMINDER_LEAD_HOURS[kind] * HOUR + REMINDER_STALE_AFTER_MINUTES[kind] * MINUTE;
}

/** Why an outcome cannot be recorded yet, or undefined when it can (from the start on). */
export function outcomeRefusal(start: number, now: number): string | undefined {
  return now < start ? 'The outcome can be recorded once the consultation has started.' : undefined;
}

/**
 * Inputs of the consultation workflow (workflows/consultation.asl.json). `schedule` runs one
 * version of the booking: confirmation, reminders, outcome. `cancelled` and `noShowFollowUp`
 * are short runs started by the API for a cancellation notice and for a no-show recorded after
 * the schedule run stopped waiting.
 */
export const CONSULTATION_WORKFLOW_PHASES = ['schedule', 'cancelled', 'noShowFollowUp'] as const;
export type ConsultationWorkflowPhase = (typeof CONSULTATION_WORKFLOW_PHASES)[number];

export interface ConsultationWorkflowInput {
  [key: string]: string | number;
  consultationId: string;
  scheduleVersion: number;
  phase: ConsultationWorkflowPhase;
}

/**
 * Execution names: unique per consultation and version (Step Functions keeps a Standard
 * execution's name for 90 days, so a retried start finds its execution and a new version gets
 * its own). At most 80 characters: a UUID and a short suffix.
 */
export function consultationExecutionName(input: ConsultationWorkflowInput): string {
  const suffix = input.phase === 'schedule' ? `v${input.scheduleVersion}` : input.phase === 'cancelled' ? 'cancelled' : 'no-show';
  return `consultation-${input.consultationId}-${suffix}`;
}
