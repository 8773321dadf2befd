/**
 * The matching engine: pure, deterministic, explainable. Start at `rankTherapists` (rank.ts);
 * the weights are in weights.ts and the evidence table, with its sources, in evidence.ts.
 */
export { ClientWeek, referenceMonday, type WeeklyOverlap } from './availability.js';
export { bestEvidenceTier, EVIDENCE, EVIDENCE_REFERENCES, EVIDENCE_TIERS, evidenceModalitiesUsed, type EvidenceEntry, type EvidenceTier } from './evidence.js';
export {
  DEFAULT_LANGUAGES,
  EXCLUSION_REASONS,
  EXCLUSION_TEXT,
  exclusionReasons,
  firstExclusion,
  type ExclusionReason,
  type FilterContext,
} from './filters.js';
export {
  AvailabilityWindowSchema,
  ClientConcernSchema,
  IntakeSchema,
  LatestMeasuresSchema,
  MatchInputSchema,
  MatchPreferencesSchema,
  MatchTherapistSchema,
  SEVERITIES,
  type AvailabilityWindow,
  type ClientConcern,
  type Intake,
  type LatestMeasures,
  type MatchInput,
  type MatchPreferences,
  type MatchTherapist,
  type Severity,
} from './input.js';
export { CLIENT_TYPE_LABELS, CONCERN_LABELS, GENDER_LABELS, languageLabel, MODALITY_LABELS } from './labels.js';
export { compareScored, filterContext, rankTherapists } from './rank.js';
export { partsWithSessionTime, reasonsFor } from './reasons.js';
export {
  ComponentScoreSchema,
  MatchReasonSchema,
  MatchResultSchema,
  MatchSchema,
  PIN_OUTCOMES,
  type ComponentScore,
  type Match,
  type MatchReason,
  type MatchReasonKind,
  type MatchResult,
  type PinOutcome,
} from './result.js';
export { maxTotal, prepareClient, scoreTherapist, type PreparedClient, type ScoredTherapist, type TherapistFacts } from './scores.js';
export { concernSeverity, GAD7_BAND_SEVERITY, PHQ9_BAND_SEVERITY, SEVERITY_SOURCES, type ConcernSeverity, type SeveritySource } from './severity.js';
export * from './weights.js';
