/**
 * What the matching engine ranks from: the client's intake (recorded by the consultation
 * clinician, or pre-filled by the client), the latest measures from monitoring, the therapist
 * directory with current caseloads, the therapists the client has left, an optional pin by the
 * consultation clinician, and the date licenses are checked on.
 *
 * Goals and free-text notes are part of the intake but never scored: free text is read by the
 * clinician, not matched by keyword.
 */
import * as z from 'zod';
import { GENDERS, LANGUAGE_CODES, MODALITIES, SPECIALTIES } from '../clinicians.js';
import { GAD7_BAND_IDS, PHQ9_BAND_IDS } from '../instruments/thresholds.js';
import { minutesOf, WEEKDAYS, WeeklyRuleSchema } from '../scheduling.js';
import { CalendarDateSchema, CLIENT_TYPES, TimeZoneSchema } from '../signup.js';
import { US_STATE_CODES } from '../us-states.js';
import { SESSION_MINUTES } from './weights.js';

export const SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A window shorter than a session could never hold one. */
const MIN_WINDOW_MINUTES = SESSION_MINUTES;

const unique = <T>(list: readonly T[]) => new Set(list).size === list.length;

const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'Use a 24-hour time like 18:00 (24:00 is midnight at the end of the day).' });

export const ClientConcernSchema = z.strictObject({
  concern: z.enum(SPECIALTIES, { error: `Use a known concern: ${SPECIALTIES.join(', ')}.` }),
  /** Exactly one concern of an intake is the primary one. */
  primary: z.boolean().optional(),
  /** The clinician's judgement; when absent, the latest measure for the concern decides (severity.ts). */
  severity: z.enum(SEVERITIES, { error: `Use ${SEVERITIES.join(', ')}.` }).optional(),
});
export type ClientConcern = z.infer<typeof ClientConcernSchema>;

/** When the client can meet, as wall-clock time in the client's own zone (e.g. weekday evenings). */
export const AvailabilityWindowSchema = z
  .strictObject({
    days: z
      .array(z.enum(WEEKDAYS, { error: 'Use mon, tue, wed, thu, fri, sat or sun.' }))
      .min(1, { error: 'Choose at least one day.' })
      .max(7)
      .refine(unique, { error: 'List each day once.' }),
    start: TimeOfDaySchema,
    end: TimeOfDaySchema,
  })
  .refine((w) => minutesOf(w.end) - minutesOf(w.start) >= MIN_WINDOW_MINUTES, {
    error: `Give at least ${MIN_WINDOW_MINUTES} minutes, the length of a session, with the end after the start.`,
    path: ['end'],
  });
export type AvailabilityWindow = z.infer<typeof AvailabilityWindowSchema>;

export const MatchPreferencesSchema = z.strictObject({
  therapistGender: z.enum(GENDERS, { error: `Use ${GENDERS.join(', ')}.` }).optional(),
  /**
   * Languages the client can have therapy in, most preferred first. A therapist must share one
   * (a hard filter); speaking the first scores best. Absent: English.
   */
  languages: z
    .array(z.enum(LANGUAGE_CODES, { error: 'Use ISO 639-1 language codes, like en or es.' }))
    .min(1)
    .max(10)
    .refine(unique, { error: 'List each language once.' })
    .optional(),
  modalities: z
    .array(z.enum(MODALITIES, { error: `Use a known therapy: ${MODALITIES.join(', ')}.` }))
    .min(1)
    .max(MODALITIES.length)
    .refine(unique, { error: 'List each therapy once.' })
    .optional(),
  notes: z.string().trim().max(1000).optional(),
});
export type MatchPreferences = z.infer<typeof MatchPreferencesSchema>;

export const IntakeSchema = z
  .strictObject({
    concerns: z
      .array(ClientConcernSchema)
      .min(1, { error: 'Choose at least one concern.' })
      .max(10)
      .superRefine((concerns, ctx) => {
        if (!unique(concerns.map((c) => c.concern))) ctx.addIssue({ code: 'custom', message: 'List each concern once.' });
        if (concerns.filter((c) => c.primary === true).length !== 1) {
          ctx.addIssue({ code: 'custom', message: 'Mark exactly one concern as the primary one.' });
        }
      }),
    goals: z.array(z.string().trim().min(1).max(500)).max(10),
    preferences: MatchPreferencesSchema.optional(),
    availability: z.array(AvailabilityWindowSchema).min(1, { error: 'Give at least one time you could meet.' }).max(21),
    clientType: z.enum(CLIENT_TYPES, { error: `Choose one of: ${CLIENT_TYPES.join(', ')}.` }),
    state: z.enum(US_STATE_CODES, { error: 'Use the two-letter code of the US state where the client lives, like OH.' }),
    timezone: TimeZoneSchema,
  })
  .meta({ id: 'Intake' });
export type Intake = z.infer<typeof IntakeSchema>;

/**
 * The latest scores from monitoring, for concerns whose severity the intake leaves open. The
 * caller passes only measures still current (within the instrument's recall period).
 */
export const LatestMeasuresSchema = z.strictObject({
  phq9: z.enum(PHQ9_BAND_IDS).optional(),
  gad7: z.enum(GAD7_BAND_IDS).optional(),
  /** The PCL-5 has no bands: its total is compared with the probable-PTSD cut-off. */
  pcl5Total: z.int().min(0).max(80).optional(),
});
export type LatestMeasures = z.infer<typeof LatestMeasuresSchema>;

/**
 * One therapist as the engine sees them: a clinician profile (extra fields are ignored, so a
 * `ClinicianProfile` can be passed as it is) with its weekly hours and current caseload.
 */
export const MatchTherapistSchema = z.object({
  clinicianId: z.string().min(1),
  licenses: z.array(z.object({ state: z.enum(US_STATE_CODES), expiresOn: CalendarDateSchema })),
  specialties: z.array(z.enum(SPECIALTIES)),
  modalities: z.array(z.enum(MODALITIES)),
  clientTypes: z.array(z.enum(CLIENT_TYPES)),
  languages: z.array(z.string()),
  gender: z.enum(GENDERS).optional(),
  timezone: TimeZoneSchema,
  acceptingNewClients: z.boolean(),
  caseloadCapacity: z.int().min(0),
  /** Clients in care with this therapist now. */
  caseloadCount: z.int().min(0),
  /**
   * Regular weekly hours in the therapist's zone (`Availability.weekly`). Dated exceptions are
   * left out on purpose: a match is for months of care, not for next week's time off.
   */
  weekly: z.array(WeeklyRuleSchema),
});
export type MatchTherapist = z.infer<typeof MatchTherapistSchema>;

export const MatchInputSchema = z
  .strictObject({
    intake: IntakeSchema,
    latestMeasures: LatestMeasuresSchema.optional(),
    therapists: z.array(MatchTherapistSchema).refine((list) => unique(list.map((t) => t.clinicianId)), {
      error: 'Each therapist appears once.',
    }),
    /** Therapists the client has left (rematched away from): never offered again. */
    leftTherapistIds: z.array(z.string()).optional(),
    /** A therapist the consultation clinician recommends: shown first when eligible. */
    pinnedTherapistId: z.string().optional(),
    /** The day licenses must be valid on (YYYY-MM-DD, UTC, as clinicians.ts reads licenses); also anchors the reference week. */
    onDate: CalendarDateSchema,
  })
  .meta({ id: 'MatchInput' });
export type MatchInput = z.infer<typeof MatchInputSchema>;
