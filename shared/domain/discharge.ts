/**
 * Ending care, and the client as GET /v1/clients/{clientId} shows them.
 *
 * Discharge (issue 5 item 4): the assigned therapist ends care with a reason from a closed
 * vocabulary and, optionally, a discharge summary (clinical text: stored under the client,
 * never emailed, never copied to an index). A referral to a higher level of care is not a
 * discharge reason: it is recorded with a risk assessment (POST /v1/risk-tasks/{id}/assessment)
 * and the care lifecycle moves the client to `referred`.
 */
import * as z from 'zod';
import { REVIEW_TRIGGER_KINDS } from './plans/progress.js';
import { INSTRUMENT_IDS } from './instruments/definition.js';
import { CLIENT_STAGES, CLIENT_TYPES } from './signup.js';

export const DISCHARGE_REASONS = [
  /** The treatment goals were met. */
  'goals_met',
  /** The client asked to end care. */
  'client_request',
  /** The client stopped taking part (e.g. after the disengagement outreach). */
  'disengaged',
  /** Continuing elsewhere at the same level of care (another provider or program). */
  'transferred',
  /** Moved where the service holds no license. */
  'moved_out_of_area',
  'other',
] as const;
export type DischargeReason = (typeof DISCHARGE_REASONS)[number];

export const DischargeRequestSchema = z
  .strictObject({
    reason: z.enum(DISCHARGE_REASONS, { error: `Choose a reason: ${DISCHARGE_REASONS.join(', ')}.` }),
    summary: z.string().trim().min(1).max(4000, { error: 'Keep the summary to 4000 characters.' }).optional(),
  })
  .meta({ id: 'DischargeRequest' });
export type DischargeRequest = z.infer<typeof DischargeRequestSchema>;

export const DischargeResponseSchema = z
  .strictObject({
    clientId: z.string(),
    stage: z.literal('discharged'),
    reason: z.enum(DISCHARGE_REASONS),
    dischargedAt: z.string(),
    dischargedBy: z.string(),
  })
  .meta({ id: 'Discharge' });
export type DischargeResponse = z.infer<typeof DischargeResponseSchema>;

export const UPCOMING_KINDS = ['booking_reminder', 'introductions', 'baseline_measures', 'measure_reminder', 'engagement_check', 'referral'] as const;

const Instant = z.string().describe('UTC ISO 8601 instant.');

const ClinicianSummarySchema = z.strictObject({
  clinicianId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  since: Instant,
});

export const ClientViewSchema = z
  .strictObject({
    clientId: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    dateOfBirth: z.string(),
    clientType: z.enum(CLIENT_TYPES),
    state: z.string(),
    timezone: z.string(),
    stage: z.enum(CLIENT_STAGES),
    createdAt: Instant,
    therapist: ClinicianSummarySchema.optional().describe('The assigned therapist, once matched.'),
    consultationClinician: ClinicianSummarySchema.optional().describe('Before matching: who held (or holds) the free consultation.'),
    lifecycle: z.strictObject({
      measures: z.array(z.enum(INSTRUMENT_IDS)).describe('The measures asked of this client in care (by the intake concerns).'),
      next: z
        .array(z.strictObject({ kind: z.enum(UPCOMING_KINDS), at: Instant, instruments: z.array(z.enum(INSTRUMENT_IDS)).optional() }))
        .describe('What the care lifecycle does next, soonest first (`at` now: due at its next wake-up).'),
      nextReviewAt: Instant.nullable().describe('When the care lifecycle looks at this client again; null once care is closed.'),
      disengagedSince: Instant.optional().describe('Clinicians only: no assessment or check-in since this instant, for the disengagement period.'),
    }),
    discharge: z
      .strictObject({ reason: z.enum(DISCHARGE_REASONS), dischargedAt: Instant })
      .optional()
      .describe('Once discharged.'),
    planReviews: z
      .array(z.strictObject({ reviewId: z.string(), kind: z.enum(REVIEW_TRIGGER_KINDS), planId: z.string(), openedAt: Instant }))
      .optional()
      .describe('The care team only, in care: the open plan review tasks ("not working" checks, issue 10), oldest first; details at GET .../plan-reviews.'),
  })
  .meta({ id: 'Client' });
export type ClientView = z.infer<typeof ClientViewSchema>;
