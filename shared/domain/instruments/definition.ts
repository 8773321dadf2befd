/**
 * What an instrument is, as data: the shape `GET /v1/instruments` returns. Definitions hold no
 * functions and no thresholds, so they serialize as they are; scoring lives next to each
 * definition and the cut-offs live in thresholds.ts.
 */
import * as z from 'zod';
import { ClinicalFlagSchema, RiskFlagSchema } from './risk-flags.js';

export const INSTRUMENT_IDS = ['phq9', 'gad7', 'pcl5', 'cssrs_screener'] as const;
export type InstrumentId = (typeof INSTRUMENT_IDS)[number];
export const InstrumentIdSchema = z.enum(INSTRUMENT_IDS, {
  error: `Choose an instrument: ${INSTRUMENT_IDS.join(', ')}.`,
});

export const RecallPeriodSchema = z.strictObject({
  /** As the instrument words it, e.g. "Over the last 2 weeks". */
  text: z.string(),
  /** ISO 8601 duration, e.g. P2W (for reminders, and "is this score still current"); null: lifetime. */
  duration: z.string().nullable(),
});
export type RecallPeriod = z.infer<typeof RecallPeriodSchema>;

export const AnswerOptionSchema = z.strictObject({ value: z.union([z.int(), z.boolean()]), label: z.string() });
export type AnswerOption = z.infer<typeof AnswerOptionSchema>;

export const InstrumentItemSchema = z.strictObject({
  /** Stable id. For `answerFormat: object` it is the answer's key. */
  id: z.string(),
  /** As numbered on the form, e.g. "9" or "6 (follow-up)". */
  label: z.string(),
  text: z.string(),
  /** Short name of what the item asks about, where the form gives one. */
  title: z.string().optional(),
  /** Examples or clarifications printed with the item on the form. */
  examples: z.string().optional(),
  /** PCL-5: the DSM-5 symptom cluster (B, C, D or E). */
  cluster: z.string().optional(),
  /** Only when it differs from the instrument's (C-SSRS Q6 asks about a lifetime). */
  recallPeriod: RecallPeriodSchema.optional(),
  /** Skip logic: ask (and accept) this item only when item `item` was answered `answer`. */
  askedWhen: z.strictObject({ item: z.string(), answer: z.boolean() }).optional(),
});
export type InstrumentItem = z.infer<typeof InstrumentItemSchema>;

export const InstrumentDefinitionSchema = z
  .strictObject({
    id: InstrumentIdSchema,
    name: z.string(),
    shortName: z.string(),
    /** Our version of the definition and scoring: bumped when items, options or scoring change. */
    version: z.string(),
    measures: z.string(),
    instructions: z.string(),
    recallPeriod: RecallPeriodSchema,
    /**
     * `array`: `answers` is a list of option values, one per item, in item order.
     * `object`: `answers` maps item ids to option values; skipped items are left out.
     */
    answerFormat: z.enum(['array', 'object']),
    /** The answer options every item shares. */
    options: z.array(AnswerOptionSchema),
    items: z.array(InstrumentItemSchema),
    /** Range of the total score, or null when the instrument has no total (C-SSRS screener). */
    scoreRange: z.strictObject({ min: z.int(), max: z.int() }).nullable(),
    /** Copyright and terms of use, to show with the instrument. */
    attribution: z.string(),
    references: z.array(z.string()),
  })
  .meta({ id: 'InstrumentDefinition' });
export type InstrumentDefinition = z.infer<typeof InstrumentDefinitionSchema>;

export const SeverityBandSchema = z.strictObject({
  id: z.string(),
  label: z.string(),
  /** Inclusive range of totals in this band, under the thresholds used. */
  min: z.int(),
  max: z.int(),
});
export type SeverityBand = z.infer<typeof SeverityBandSchema>;

/** Fields every scoring result carries. */
export const ResultBaseShape = {
  instrumentVersion: z.string(),
  /** `version` of the thresholds used (thresholds.ts). */
  thresholdsVersion: z.string(),
  /** Any entry here starts the risk-escalation workflow. */
  riskFlags: z.array(RiskFlagSchema),
  clinicalFlags: z.array(ClinicalFlagSchema),
};
