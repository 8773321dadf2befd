/**
 * The instrument registry: what `GET /v1/instruments` lists, the shape of an assessment
 * submission (`{ instrument, answers }`) and scoring dispatch by instrument id.
 */
import * as z from 'zod';
import { CSSRS_SCREENER, CssrsScreenerAnswersSchema, CssrsScreenerResultSchema, scoreCssrsScreener } from './cssrs-screener.js';
import { deepFreeze } from './deep-freeze.js';
import { type InstrumentDefinition, InstrumentDefinitionSchema, type InstrumentId, INSTRUMENT_IDS } from './definition.js';
import { GAD7, Gad7AnswersSchema, Gad7ResultSchema, scoreGad7 } from './gad7.js';
import { PCL5, Pcl5AnswersSchema, Pcl5ResultSchema, scorePcl5 } from './pcl5.js';
import { PHQ9, Phq9AnswersSchema, Phq9ResultSchema, scorePhq9 } from './phq9.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';

/** In the order clients show them. Frozen: the definitions are shared by every request. */
export const INSTRUMENTS: readonly InstrumentDefinition[] = deepFreeze([PHQ9, GAD7, PCL5, CSSRS_SCREENER]);

export function isInstrumentId(value: unknown): value is InstrumentId {
  return typeof value === 'string' && (INSTRUMENT_IDS as readonly string[]).includes(value);
}

export function instrumentById(id: InstrumentId): InstrumentDefinition {
  const instrument = INSTRUMENTS.find((i) => i.id === id);
  if (!instrument) throw new RangeError(`No instrument ${String(id)}.`);
  return instrument;
}

export const InstrumentListSchema = z.strictObject({ instruments: z.array(InstrumentDefinitionSchema) }).meta({ id: 'InstrumentList' });
export type InstrumentList = z.infer<typeof InstrumentListSchema>;

/** The body of `GET /v1/instruments`. */
export function listInstruments(): InstrumentList {
  return { instruments: [...INSTRUMENTS] };
}

/** Each instrument's `answers` schema, for callers composing their own request shapes. */
export const ANSWER_SCHEMAS = {
  phq9: Phq9AnswersSchema,
  gad7: Gad7AnswersSchema,
  pcl5: Pcl5AnswersSchema,
  cssrs_screener: CssrsScreenerAnswersSchema,
} as const satisfies Record<InstrumentId, z.ZodType>;

export const AssessmentSubmissionSchema = z
  .discriminatedUnion(
    'instrument',
    [
      z.strictObject({ instrument: z.literal('phq9'), answers: Phq9AnswersSchema }),
      z.strictObject({ instrument: z.literal('gad7'), answers: Gad7AnswersSchema }),
      z.strictObject({ instrument: z.literal('pcl5'), answers: Pcl5AnswersSchema }),
      z.strictObject({ instrument: z.literal('cssrs_screener'), answers: CssrsScreenerAnswersSchema }),
    ],
    {
      error: (issue) =>
        // zod types this as a union issue, but a non-object body arrives here as `invalid_type`.
        (issue.code as string) === 'invalid_type'
          ? 'Send an object with the instrument and its answers.'
          : `Choose an instrument: ${INSTRUMENT_IDS.join(', ')}.`,
    },
  )
  .meta({ id: 'AssessmentSubmission' });
export type AssessmentSubmission = z.infer<typeof AssessmentSubmissionSchema>;

export const AssessmentResultSchema = z
  .discriminatedUnion('instrument', [Phq9ResultSchema, Gad7ResultSchema, Pcl5ResultSchema, CssrsScreenerResultSchema])
  .meta({ id: 'AssessmentResult' });
export type AssessmentResult = z.infer<typeof AssessmentResultSchema>;
/** The result type of one instrument, e.g. `ResultOf<'pcl5'>`. */
export type ResultOf<I extends InstrumentId> = Extract<AssessmentResult, { instrument: I }>;

/** Scores a validated submission with the instrument's scoring function. */
export function scoreAssessment(submission: AssessmentSubmission, thresholds: Thresholds = DEFAULT_THRESHOLDS): AssessmentResult {
  switch (submission.instrument) {
    case 'phq9':
      return scorePhq9(submission.answers, thresholds);
    case 'gad7':
      return scoreGad7(submission.answers, thresholds);
    case 'pcl5':
      return scorePcl5(submission.answers, thresholds);
    case 'cssrs_screener':
      return scoreCssrsScreener(submission.answers, thresholds);
  }
}

/**
 * Validates `answers` for the instrument and scores them. Throws a ValidationError (fields
 * under `answers`) when they are wrong, a RangeError for an unknown instrument id.
 */
export function score<I extends InstrumentId>(instrumentId: I, answers: unknown, thresholds: Thresholds = DEFAULT_THRESHOLDS): ResultOf<I> {
  if (!isInstrumentId(instrumentId)) throw new RangeError(`No instrument ${String(instrumentId)}.`);
  // Each scoring function validates its answers itself, so nothing unchecked is scored.
  return scoreAssessment({ instrument: instrumentId, answers } as AssessmentSubmission, thresholds) as ResultOf<I>;
}
