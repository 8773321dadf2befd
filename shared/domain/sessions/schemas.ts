/** Requests and views of the session routes (zod, strict). */
import * as z from 'zod';
import { InstantSchema, SlotClinicianSchema } from '../consultations.js';
import { ATTENDANCE_STATUSES, REPEAT_EVERY, SESSION_ACTORS, SESSION_STATUSES, SESSION_TYPES, FHIR_APPOINTMENT_STATUS } from './sessions.js';

export const SessionParamsSchema = z.strictObject({ sessionId: z.uuid({ error: 'Not a session id.' }) });

export const SessionSlotsQuerySchema = z
  .strictObject({
    from: InstantSchema.optional().describe('Default: now (the minimum notice applies).'),
    to: InstantSchema.optional().describe('Default: the end of the booking horizon.'),
    type: z.enum(SESSION_TYPES).optional().describe("Default: from the client's type (couple, family; otherwise individual)."),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { error: '`to` must be after `from`.', path: ['to'] });
export type SessionSlotsQuery = z.output<typeof SessionSlotsQuerySchema>;

export const BookSessionRequestSchema = z
  .strictObject({
    startsAt: InstantSchema.describe('A start from GET /v1/clients/{clientId}/session-slots.'),
    type: z.enum(SESSION_TYPES).optional().describe("Default: from the client's type."),
    repeat: z
      .strictObject({
        every: z.enum(REPEAT_EVERY, { error: 'Use week or 2weeks.' }),
        count: z.number().int().min(2, { error: 'A series has at least 2 sessions.' }).max(12, { error: 'A series has at most 12 sessions.' }),
      })
      .optional()
      .describe('A series at the same local time of the therapist: every week or every 2 weeks, `count` sessions including the first.'),
  })
  .meta({ id: 'BookSessionRequest' });
export type BookSessionRequest = z.output<typeof BookSessionRequestSchema>;

export const RescheduleSessionRequestSchema = z
  .strictObject({
    startsAt: InstantSchema.describe('A free start of the same therapist.'),
    scope: z
      .enum(['one', 'rest'], { error: 'Use one or rest.' })
      .default('one')
      .describe('rest: this session moves to startsAt and every later booked one of its series by the same number of days, to the same new local time; all or nothing.'),
  })
  .meta({ id: 'RescheduleSessionRequest' });
export type RescheduleSessionRequest = z.output<typeof RescheduleSessionRequestSchema>;

export const CancelSessionRequestSchema = z
  .strictObject({
    scope: z.enum(['one', 'rest'], { error: 'Use one or rest.' }).default('one').describe('rest: this session and every later booked one of its series.'),
  })
  .meta({ id: 'CancelSessionRequest' });
export type CancelSessionRequest = z.output<typeof CancelSessionRequestSchema>;

export const AttendanceRequestSchema = z
  .strictObject({ status: z.enum(ATTENDANCE_STATUSES, { error: 'Use attended, late_cancelled, no_show or cancelled_by_therapist.' }) })
  .meta({ id: 'SessionAttendanceRequest' });
export type AttendanceRequest = z.output<typeof AttendanceRequestSchema>;

export const SessionSlotSchema = z.strictObject({ start: z.string(), startLocal: z.string() }).meta({ id: 'SessionSlot' });

export const SessionSlotsResponseSchema = z
  .strictObject({
    therapist: SlotClinicianSchema,
    type: z.enum(SESSION_TYPES),
    durationMinutes: z.number().int(),
    timezone: z.string(),
    from: z.string(),
    to: z.string(),
    slots: z.array(SessionSlotSchema),
  })
  .meta({ id: 'SessionSlots' });
export type SessionSlotsResponse = z.infer<typeof SessionSlotsResponseSchema>;

export const SessionSchema = z
  .strictObject({
    id: z.string(),
    clientId: z.string(),
    therapist: SlotClinicianSchema,
    type: z.enum(SESSION_TYPES),
    status: z.enum(SESSION_STATUSES),
    fhirStatus: z.enum(Object.values(FHIR_APPOINTMENT_STATUS) as [string, ...string[]]).describe('FHIR Appointment.status.'),
    start: z.string(),
    end: z.string(),
    startLocal: z.string().describe("The start in the viewer's time zone."),
    timezone: z.string(),
    series: z.strictObject({ id: z.string(), index: z.number().int(), count: z.number().int() }).optional(),
    joinUrl: z.string().optional().describe("This session's own video room; absent once it is cancelled, recorded or over."),
    scheduleVersion: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    cancelledAt: z.string().optional(),
    cancelledBy: z.enum(SESSION_ACTORS).optional(),
    attendanceRecordedAt: z.string().optional(),
  })
  .meta({ id: 'Session' });
export type SessionView = z.infer<typeof SessionSchema>;

export const SessionListSchema = z.strictObject({ sessions: z.array(SessionSchema) }).meta({ id: 'SessionList' });
export type SessionList = z.infer<typeof SessionListSchema>;

export const ClinicianSessionTasksParamsSchema = z.strictObject({ clinicianId: z.uuid({ error: 'Not a clinician id.' }) });
export const SessionTaskParamsSchema = z.strictObject({
  clinicianId: z.uuid({ error: 'Not a clinician id.' }),
  sessionId: z.uuid({ error: 'Not a session id.' }),
});

export const CloseSessionTaskRequestSchema = z
  .strictObject({
    note: z.string().trim().min(1, { error: 'Say what was done.' }).max(2000, { error: 'Keep the note to 2000 characters.' }).describe('What was done (e.g. reached the client, rebooked).'),
  })
  .meta({ id: 'CloseSessionTaskRequest' });
export type CloseSessionTaskRequest = z.output<typeof CloseSessionTaskRequestSchema>;

export const SessionTaskSchema = z
  .strictObject({
    id: z.string().describe('The session whose no-show raised it.'),
    kind: z.literal('no_shows_in_a_row'),
    clientId: z.string(),
    sessionId: z.string(),
    raisedAt: z.string(),
    status: z.enum(['open', 'closed']),
    closedAt: z.string().optional(),
    closedBy: z.string().optional(),
    note: z.string().optional(),
    reason: z.enum(['care_ended']).optional().describe('Closed by the system (`closedBy` system), not with a note: care with the therapist ended.'),
  })
  .meta({ id: 'SessionTask' });
export type SessionTaskView = z.infer<typeof SessionTaskSchema>;

export const SessionTaskListSchema = z.strictObject({ tasks: z.array(SessionTaskSchema) }).meta({ id: 'SessionTaskList' });
export type SessionTaskList = z.infer<typeof SessionTaskListSchema>;
