/**
 * What a ranking returns: at most MATCH_COUNT therapists, each with a score broken down by
 * component and reasons that are true of that therapist, plus counts of who was excluded and
 * why, and what became of a pinned recommendation. Every reason carries the data it states, so
 * a reader (or a test) can check it against the therapist without parsing its text.
 */
import * as z from 'zod';
import { GENDERS, MODALITIES, SPECIALTIES } from '../clinicians.js';
import { CLIENT_TYPES } from '../signup.js';
import { US_STATE_CODES } from '../us-states.js';
import { EVIDENCE_TIERS } from './evidence.js';
import { EXCLUSION_REASONS } from './filters.js';
import { SEVERITIES } from './input.js';
import { SEVERITY_SOURCES } from './severity.js';
import { DAY_PARTS, SCORE_COMPONENTS } from './weights.js';

const text = { text: z.string().describe('The reason in plain language, as shown to people.') };
const DayPartSchema = z.enum(DAY_PARTS.map((p) => p.part) as ['morning', 'afternoon', 'evening']);

export const MatchReasonSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('pinned'), ...text }).describe('Recommended by the consultation clinician.'),
    z.strictObject({ kind: z.literal('licensed'), state: z.enum(US_STATE_CODES), ...text }),
    z.strictObject({ kind: z.literal('client_type'), clientType: z.enum(CLIENT_TYPES), ...text }),
    z
      .strictObject({ kind: z.literal('primary_concern'), concern: z.enum(SPECIALTIES), modalities: z.array(z.enum(MODALITIES)), ...text })
      .describe('Specializes in the primary concern; `modalities`: the first-line therapies for it that they use.'),
    z.strictObject({ kind: z.literal('other_concerns'), concerns: z.array(z.enum(SPECIALTIES)), ...text }),
    z
      .strictObject({
        kind: z.literal('evidence'),
        concern: z.enum(SPECIALTIES),
        tier: z.enum(EVIDENCE_TIERS),
        modalities: z.array(z.enum(MODALITIES)),
        ...text,
      })
      .describe('Uses therapies with evidence for the primary concern (when not already said with it).'),
    z.strictObject({ kind: z.literal('language'), languages: z.array(z.string()), ...text }),
    z.strictObject({ kind: z.literal('gender'), gender: z.enum(GENDERS), ...text }),
    z.strictObject({ kind: z.literal('modalities'), modalities: z.array(z.enum(MODALITIES)), ...text }),
    z
      .strictObject({ kind: z.literal('availability'), minutes: z.number(), parts: z.array(DayPartSchema), ...text })
      .describe('Usable shared minutes a week, and the parts of the client\'s day with at least a session\'s worth of them.'),
    z.strictObject({ kind: z.literal('capacity'), ...text }).describe('At least half of the caseload is open.'),
  ])
  .meta({ id: 'MatchReason' });
export type MatchReason = z.infer<typeof MatchReasonSchema>;
export type MatchReasonKind = MatchReason['kind'];

export const ComponentScoreSchema = z.strictObject({
  component: z.enum(SCORE_COMPONENTS),
  points: z.number(),
  /** 0 when the component does not apply to this client (e.g. no preference stated). */
  max: z.number(),
});
export type ComponentScore = z.infer<typeof ComponentScoreSchema>;

export const MatchSchema = z
  .strictObject({
    therapistId: z.string(),
    rank: z.int().min(1),
    pinned: z.boolean(),
    score: z.strictObject({ total: z.number(), max: z.number(), components: z.array(ComponentScoreSchema) }),
    reasons: z.array(MatchReasonSchema),
  })
  .meta({ id: 'TherapistMatch' });
export type Match = z.infer<typeof MatchSchema>;

export const PIN_OUTCOMES = ['shown_first', 'excluded', 'not_in_directory'] as const;
export type PinOutcome = (typeof PIN_OUTCOMES)[number];

export const MatchResultSchema = z
  .strictObject({
    version: z.string().describe('The weights and evidence table that produced this ranking.'),
    onDate: z.string(),
    referenceWeek: z.strictObject({ from: z.string(), to: z.string(), timeZone: z.string() }).describe("The client's week hours were compared over."),
    concerns: z.array(
      z.strictObject({
        concern: z.enum(SPECIALTIES),
        primary: z.boolean(),
        severity: z.enum(SEVERITIES),
        severitySource: z.enum(SEVERITY_SOURCES),
        weight: z.number().describe('Its weight in specialty fit (role x severity).'),
      }),
    ),
    matches: z.array(MatchSchema),
    directorySize: z.int(),
    eligibleCount: z.int(),
    excluded: z.strictObject({
      total: z.int(),
      byReason: z.strictObject(Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, z.int()])) as Record<(typeof EXCLUSION_REASONS)[number], z.ZodInt>),
    }),
    pin: z
      .strictObject({
        therapistId: z.string(),
        outcome: z.enum(PIN_OUTCOMES),
        exclusions: z.array(z.enum(EXCLUSION_REASONS)),
        text: z.string(),
      })
      .optional(),
  })
  .meta({ id: 'MatchResult' });
export type MatchResult = z.infer<typeof MatchResultSchema>;
