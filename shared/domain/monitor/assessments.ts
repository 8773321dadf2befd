/**
 * Assessments as stored and shown: one submission of an instrument (shared/domain/instruments)
 * with its scoring result, for one client. Stored whole (answers, result with the instrument
 * and thresholds versions, who submitted, when), shown by audience:
 * - clinicians get every flag with its reason and recommended action;
 * - the client gets their answers, total, band and the kind and level of each flag, not the
 *   clinician guidance (the crisis resources come with the submission response instead).
 */
import * as z from 'zod';
import { type AssessmentResult, type AssessmentSubmission } from '../instruments/registry.js';
import { InstrumentIdSchema, INSTRUMENT_IDS, SeverityBandSchema, type InstrumentId } from '../instruments/definition.js';
import { OutcomeSummarySchema } from '../instruments/outcomes.js';
import { CLINICAL_FLAG_KINDS, RISK_FLAG_KINDS, RiskLevelSchema } from '../instruments/risk-flags.js';
import { CrisisResourcesSchema } from './crisis-resources.js';
import { AuthorSchema, NextCursorSchema, PageQueryShape, type Author } from './records.js';

/** An assessment as the repository stores it. */
export interface StoredAssessment {
  assessmentId: string;
  clientId: string;
  instrument: InstrumentId;
  /** As submitted (validated): a list of option values, or the C-SSRS object of yes/no answers. */
  answers: AssessmentSubmission['answers'];
  result: AssessmentResult;
  /** UTC ISO instant. */
  submittedAt: string;
  submittedBy: Author;
}

export type Audience = 'client' | 'clinician';

export function audienceOf(role: Author['role']): Audience {
  return role === 'client' ? 'client' : 'clinician';
}

export const RiskFlagViewSchema = z
  .strictObject({
    kind: z.enum(RISK_FLAG_KINDS),
    level: RiskLevelSchema,
    /** Clinicians only: what was answered. */
    reason: z.string().optional(),
    /** Clinicians only: the recommended response. */
    action: z.string().optional(),
  })
  .meta({ id: 'RiskFlagView' });

export const ClinicalFlagViewSchema = z
  .strictObject({ kind: z.enum(CLINICAL_FLAG_KINDS), reason: z.string().optional(), action: z.string().optional() })
  .meta({ id: 'ClinicalFlagView' });

const AnswersViewSchema = z.union([z.array(z.int()), z.record(z.string(), z.boolean())]);

export const AssessmentViewSchema = z
  .strictObject({
    assessmentId: z.string(),
    clientId: z.string(),
    instrument: InstrumentIdSchema,
    instrumentVersion: z.string(),
    thresholdsVersion: z.string(),
    submittedAt: z.string(),
    submittedBy: AuthorSchema,
    answers: AnswersViewSchema,
    /** null for the C-SSRS screener (it triages). */
    total: z.int().nullable(),
    /** null where the instrument has no bands (PCL-5, C-SSRS screener). */
    band: SeverityBandSchema.nullable(),
    riskFlags: z.array(RiskFlagViewSchema),
    clinicalFlags: z.array(ClinicalFlagViewSchema),
    /**
     * What the instrument adds to total and band: GAD-7 `furtherEvaluation`; PCL-5
     * `clusterScores`, `endorsedSymptoms`, `probablePtsd`, `dsm5SymptomPattern`; C-SSRS
     * `triage`, `positiveAnswers`; nothing for the PHQ-9.
     */
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Assessment' });
export type AssessmentView = z.infer<typeof AssessmentViewSchema>;

export const SubmitAssessmentResponseSchema = AssessmentViewSchema.extend({
  /** Only for a client whose answers raised a risk flag. */
  crisisResources: CrisisResourcesSchema.optional(),
}).meta({ id: 'SubmittedAssessment' });
export type SubmitAssessmentResponse = z.infer<typeof SubmitAssessmentResponseSchema>;

export const AssessmentHistoryQuerySchema = z.strictObject({
  instrument: z.enum(INSTRUMENT_IDS, { error: `Choose an instrument: ${INSTRUMENT_IDS.join(', ')}.` }).optional(),
  ...PageQueryShape,
});
export type AssessmentHistoryQuery = z.infer<typeof AssessmentHistoryQuerySchema>;

export const AssessmentHistorySchema = z
  .strictObject({
    /** Newest first. */
    items: z.array(AssessmentViewSchema),
    nextCursor: NextCursorSchema,
    /**
     * Per instrument with outcome rules (PHQ-9, GAD-7, PCL-5) and at least one score: baseline,
     * latest, change, reliable change, response, remission, caseness, and (with an assigned
     * therapist) not on track. Over the whole series, not just this page.
     */
    outcomes: z.array(OutcomeSummarySchema),
  })
  .meta({ id: 'AssessmentHistory' });
export type AssessmentHistory = z.infer<typeof AssessmentHistorySchema>;

const COMMON_RESULT_KEYS = new Set(['instrument', 'instrumentVersion', 'thresholdsVersion', 'total', 'band', 'riskFlags', 'clinicalFlags']);

/** The stored assessment as `audience` sees it (see the header). */
export function assessmentView(stored: StoredAssessment, audience: Audience): AssessmentView {
  const { result } = stored;
  const details = Object.fromEntries(Object.entries(result).filter(([key]) => !COMMON_RESULT_KEYS.has(key)));
  const clinician = audience === 'clinician';
  return {
    assessmentId: stored.assessmentId,
    clientId: stored.clientId,
    instrument: stored.instrument,
    instrumentVersion: result.instrumentVersion,
    thresholdsVersion: result.thresholdsVersion,
    submittedAt: stored.submittedAt,
    submittedBy: { ...stored.submittedBy },
    answers: structuredClone(stored.answers) as AssessmentView['answers'],
    total: result.total,
    band: result.band === null ? null : { ...result.band },
    riskFlags: result.riskFlags.map((f) => (clinician ? { ...f } : { kind: f.kind, level: f.level })),
    clinicalFlags: result.clinicalFlags.map((f) => (clinician ? { ...f } : { kind: f.kind })),
    details: structuredClone(details),
  };
}
