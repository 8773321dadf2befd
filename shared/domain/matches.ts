/**
 * The match API's contract (issue 5, items 1 and 3): the intake as a client or clinician sends
 * it and as it is stored, the matches as each audience sees them, accepting, rematching and
 * pinning. The ranking itself is the pure engine in ./matching/.
 *
 * Intake: two versions per client, kept apart.
 * - `draft`: what the client pre-filled themself. Any time; it never drives matching.
 * - `confirmed`: what a clinician recorded (the consultation clinician, usually during the free
 *   consultation, starting from the draft). Matching always uses this one: the concerns and
 *   their severity are a clinical judgement, so a client's later edit of their draft cannot
 *   change who they are offered until a clinician confirms it.
 * The time zone is not sent: the availability windows are read in the zone of the client's
 * profile when the intake is written, and that zone is stored with them.
 *
 * What a client sees of a ranking: every score component but caseload balance, whose points
 * are the therapist's open share of their caseload (utilisation, which is the therapist's
 * business); the total and maximum without it; no pin diagnostics and no directory counts (how
 * many therapists were left out as full says how busy the service is). The "has plenty of room
 * for new clients" reason stays: it is a yes/no about being able to start, not a number.
 */
import * as z from 'zod';
import { PublicClinicianProfileSchema } from './clinicians.js';
import { AvailabilityWindowSchema, IntakeSchema, MatchPreferencesSchema, type Intake } from './matching/input.js';
import { ClientConcernSchema } from './matching/input.js';
import { EXCLUSION_REASONS } from './matching/filters.js';
import { ComponentScoreSchema, MatchReasonSchema, MatchResultSchema, PIN_OUTCOMES, type MatchResult } from './matching/result.js';
import { CLIENT_STAGES, CLIENT_TYPES } from './signup.js';
import { US_STATE_CODES } from './us-states.js';
import type { InstrumentId } from './instruments/definition.js';
import { instrumentById } from './instruments/registry.js';
import type { StoredAssessment } from './monitor/assessments.js';
import { AuthorSchema, type Author } from './monitor/records.js';
import type { PublicClinicianProfile } from './clinicians.js';
import type { LatestMeasures } from './matching/input.js';

export const INTAKE_VERSIONS = ['draft', 'confirmed'] as const;
export type IntakeVersion = (typeof INTAKE_VERSIONS)[number];

/** PUT /v1/clients/{clientId}/intake: the intake without its time zone (the profile's is used). */
export const IntakeRequestSchema = z
  .strictObject({
    concerns: IntakeSchema.shape.concerns,
    goals: IntakeSchema.shape.goals,
    preferences: MatchPreferencesSchema.optional(),
    availability: IntakeSchema.shape.availability,
    clientType: z.enum(CLIENT_TYPES, { error: `Choose one of: ${CLIENT_TYPES.join(', ')}.` }),
    state: z.enum(US_STATE_CODES, { error: 'Use the two-letter code of the US state where the client lives, like OH.' }),
  })
  .meta({ id: 'IntakeRequest' });
export type IntakeRequest = z.infer<typeof IntakeRequestSchema>;

/** One stored version of a client's intake (CLIENT#<id> / INTAKE#DRAFT or INTAKE#CONFIRMED). */
export interface IntakeRecord {
  clientId: string;
  version: IntakeVersion;
  intake: Intake;
  updatedAt: string;
  updatedBy: Author;
}

const StoredIntakeSchema = z
  .strictObject({
    concerns: z.array(ClientConcernSchema),
    goals: z.array(z.string()),
    preferences: MatchPreferencesSchema.optional(),
    availability: z.array(AvailabilityWindowSchema),
    clientType: z.enum(CLIENT_TYPES),
    state: z.enum(US_STATE_CODES),
    timezone: z.string().describe("The client's time zone when the intake was written: the availability windows are wall-clock times there."),
  })
  .meta({ id: 'StoredIntake' });

export const IntakeRecordSchema = z
  .strictObject({
    version: z.enum(INTAKE_VERSIONS),
    intake: StoredIntakeSchema,
    updatedAt: z.string(),
    updatedBy: AuthorSchema,
  })
  .meta({ id: 'IntakeRecord' });

export const IntakeViewSchema = z
  .strictObject({
    clientId: z.string(),
    confirmed: IntakeRecordSchema.nullable().describe('What a clinician recorded: the version matching uses.'),
    draft: IntakeRecordSchema.nullable().describe("The client's own pre-filled version."),
  })
  .meta({ id: 'IntakeView' });
export type IntakeView = z.infer<typeof IntakeViewSchema>;

export function intakeView(clientId: string, records: { draft?: IntakeRecord; confirmed?: IntakeRecord }): IntakeView {
  const shown = (r: IntakeRecord | undefined) => (r ? { version: r.version, intake: r.intake, updatedAt: r.updatedAt, updatedBy: r.updatedBy } : null);
  return { clientId, confirmed: shown(records.confirmed), draft: shown(records.draft) };
}

/** The version a write makes: a client's is their draft; a clinician's is the confirmed intake. */
export function intakeVersionFor(role: Author['role']): IntakeVersion {
  return role === 'client' ? 'draft' : 'confirmed';
}

/** The full intake the engine reads: the request plus the client's time zone. */
export function intakeFrom(request: IntakeRequest, timezone: string): Intake {
  return IntakeSchema.parse({ ...request, timezone });
}

export const MatchParamsSchema = z.strictObject({
  clientId: z.uuid({ error: 'Not a client id.' }),
  therapistId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'Use a therapist id from your matches.' }),
});

export const MATCH_AUDIENCES = ['client', 'clinician'] as const;
export type MatchAudience = (typeof MATCH_AUDIENCES)[number];

export const MatchViewSchema = z
  .strictObject({
    therapistId: z.string(),
    rank: z.int().min(1),
    pinned: z.boolean(),
    therapist: PublicClinicianProfileSchema,
    score: z.strictObject({ total: z.number(), max: z.number(), components: z.array(ComponentScoreSchema) }),
    reasons: z.array(MatchReasonSchema),
  })
  .meta({ id: 'MatchView' });
export type MatchView = z.infer<typeof MatchViewSchema>;

export const MatchesViewSchema = z
  .strictObject({
    clientId: z.string(),
    audience: z.enum(MATCH_AUDIENCES),
    version: z.string().describe('The weights and evidence table that produced this ranking.'),
    onDate: z.string(),
    referenceWeek: MatchResultSchema.shape.referenceWeek,
    concerns: MatchResultSchema.shape.concerns,
    matches: z.array(MatchViewSchema).describe('At most 3, best first.'),
    ranking: z.string().describe('How the order was decided, in plain language.'),
    directory: z
      .strictObject({
        size: z.int(),
        eligible: z.int(),
        excluded: z.strictObject(Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, z.int()])) as Record<(typeof EXCLUSION_REASONS)[number], z.ZodInt>),
      })
      .optional()
      .describe('Clinicians only: therapists licensed in the state, and why the others were left out.'),
    pin: z
      .strictObject({
        therapistId: z.string(),
        outcome: z.enum(PIN_OUTCOMES),
        exclusions: z.array(z.enum(EXCLUSION_REASONS)),
        text: z.string(),
      })
      .optional()
      .describe('Clinicians only: what became of the pinned recommendation.'),
  })
  .meta({ id: 'Matches' });
export type MatchesView = z.infer<typeof MatchesViewSchema>;

const CLIENT_RANKING_TEXT =
  'Ranked by how well each therapist fits your concerns, the therapies that work for them, your hours and your preferences; between close matches, therapists with more room come first so that everyone gets timely care.';
const CLINICIAN_RANKING_TEXT = 'Ranked by total score; ties by lower caseload utilisation, then therapist id.';

/** The caseload component's share of a score, hidden from clients (see the header). */
const HIDDEN_FROM_CLIENTS = 'caseload';

const cents = (value: number) => Math.round(value * 100);

/**
 * A ranking as `audience` sees it, each match with the therapist's public profile. Therapists
 * missing from `therapists` (a profile removed between ranking and display) are left out.
 */
export function matchesView(
  clientId: string,
  result: MatchResult,
  therapists: ReadonlyMap<string, PublicClinicianProfile>,
  audience: MatchAudience,
): MatchesView {
  const matches: MatchView[] = [];
  for (const match of result.matches) {
    const therapist = therapists.get(match.therapistId);
    if (!therapist) continue;
    let score = match.score;
    if (audience === 'client') {
      const hidden = match.score.components.find((c) => c.component === HIDDEN_FROM_CLIENTS);
      score = {
        total: (cents(match.score.total) - cents(hidden?.points ?? 0)) / 100,
        max: (cents(match.score.max) - cents(hidden?.max ?? 0)) / 100,
        components: match.score.components.filter((c) => c.component !== HIDDEN_FROM_CLIENTS),
      };
    }
    matches.push({ therapistId: match.therapistId, rank: matches.length + 1, pinned: match.pinned, therapist, score, reasons: match.reasons });
  }
  const view: MatchesView = {
    clientId,
    audience,
    version: result.version,
    onDate: result.onDate,
    referenceWeek: result.referenceWeek,
    concerns: result.concerns,
    matches,
    ranking: audience === 'client' ? CLIENT_RANKING_TEXT : CLINICIAN_RANKING_TEXT,
  };
  if (audience === 'clinician') {
    view.directory = { size: result.directorySize, eligible: result.eligibleCount, excluded: result.excluded.byReason };
    if (result.pin) view.pin = result.pin;
  }
  return view;
}

/**
 * Why a client asks for another therapist: a code, so it can be counted without reading
 * anyone's words. The optional note is the client's own words: stored under the client,
 * never logged, never copied to the relationship or the audit trail.
 */
export const REMATCH_REASONS = [
  'not_a_good_fit',
  'approach_not_helping',
  'communication_style',
  'needs_other_specialty',
  'scheduling',
  'language',
  'identity_or_background',
  'therapist_unavailable',
  'other',
] as const;
export type RematchReason = (typeof REMATCH_REASONS)[number];

export const RematchRequestSchema = z
  .strictObject({
    reason: z.enum(REMATCH_REASONS, { error: `Choose a reason: ${REMATCH_REASONS.join(', ')}.` }),
    note: z.string().trim().min(1).max(1000, { error: 'Use at most 1000 characters.' }).optional(),
  })
  .meta({ id: 'RematchRequest' });
export type RematchRequest = z.infer<typeof RematchRequestSchema>;

export const RematchResponseSchema = z
  .strictObject({
    clientId: z.string(),
    stage: z.enum(CLIENT_STAGES),
    ended: z.strictObject({ therapistId: z.string(), startedAt: z.string(), endedAt: z.string(), reason: z.enum(REMATCH_REASONS) }),
    matches: MatchesViewSchema.nullable().describe('New matches, without the therapist just left (nor any left before); null if no intake was ever confirmed.'),
  })
  .meta({ id: 'RematchResponse' });
export type RematchResponse = z.infer<typeof RematchResponseSchema>;

export const AcceptMatchResponseSchema = z
  .strictObject({
    clientId: z.string(),
    stage: z.enum(CLIENT_STAGES),
    therapistId: z.string(),
    startedAt: z.string().describe('When the care relationship began: the therapist has access from here on.'),
    therapist: PublicClinicianProfileSchema,
    match: MatchViewSchema.optional().describe('The match as it stood when accepted (absent when the same acceptance is repeated).'),
  })
  .meta({ id: 'AcceptMatchResponse' });
export type AcceptMatchResponse = z.infer<typeof AcceptMatchResponseSchema>;

export const PinRequestSchema = z
  .strictObject({
    therapistId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'Use a therapist id from the directory.' })
      .nullable()
      .describe('The therapist to recommend; null removes the pin.'),
  })
  .meta({ id: 'PinRequest' });
export type PinRequest = z.infer<typeof PinRequestSchema>;

/** CLIENT#<id> / MATCH_PIN. */
export interface MatchPin {
  clientId: string;
  therapistId: string;
  pinnedBy: string;
  pinnedAt: string;
}

export const PinViewSchema = z
  .strictObject({
    clientId: z.string(),
    therapistId: z.string().nullable(),
    pinnedBy: z.string().optional(),
    pinnedAt: z.string().optional(),
  })
  .meta({ id: 'MatchPin' });
export type PinView = z.infer<typeof PinViewSchema>;

/** Instruments whose latest result informs severity in matching (matching/severity.ts). */
export const SEVERITY_INSTRUMENTS = ['phq9', 'gad7', 'pcl5'] as const satisfies readonly InstrumentId[];
export type SeverityInstrument = (typeof SEVERITY_INSTRUMENTS)[number];

/** The instant `duration` (an ISO 8601 P<n>D, P<n>W or P<n>M) before `now`; months are calendar months. */
export function recallStart(duration: string, now: Date): Date {
  const match = /^P(\d+)([DWM])$/.exec(duration);
  if (!match) throw new RangeError(`Unsupported recall period: ${duration}`);
  const n = Number(match[1]);
  const start = new Date(now.getTime());
  if (match[2] === 'M') start.setUTCMonth(start.getUTCMonth() - n);
  else start.setUTCDate(start.getUTCDate() - n * (match[2] === 'W' ? 7 : 1));
  return start;
}

/**
 * The measures the engine may use: each instrument's latest result, only while it is still
 * current, i.e. submitted within the instrument's own recall period (PHQ-9 and GAD-7: 2 weeks;
 * PCL-5: a month). An older score describes a past state; the clinician's severity in the
 * intake, or the default, is better than a stale number.
 */
export function currentMeasures(latest: Partial<Record<SeverityInstrument, StoredAssessment>>, now: Date): LatestMeasures {
  const measures: LatestMeasures = {};
  const current = (a: StoredAssessment) => {
    const duration = instrumentById(a.instrument).recallPeriod?.duration;
    return typeof duration === 'string' && Date.parse(a.submittedAt) >= recallStart(duration, now).getTime() && Date.parse(a.submittedAt) <= now.getTime();
  };
  const phq9 = latest.phq9;
  if (phq9 && current(phq9) && phq9.result.instrument === 'phq9') measures.phq9 = phq9.result.band.id;
  const gad7 = latest.gad7;
  if (gad7 && current(gad7) && gad7.result.instrument === 'gad7') measures.gad7 = gad7.result.band.id;
  const pcl5 = latest.pcl5;
  if (pcl5 && current(pcl5) && pcl5.result.instrument === 'pcl5') measures.pcl5Total = pcl5.result.total;
  return measures;
}
