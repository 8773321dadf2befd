/**
 * Risk and clinical flags as data. A risk flag starts the risk-escalation workflow (its level
 * picks the task deadline there); a clinical flag only informs the clinician. Whatever raises a
 * flag (an instrument item, a screener, a check-in) produces the same shape, so the workflow,
 * the risk task and the API never need to know where it came from.
 */
import * as z from 'zod';

/**
 * Ordered from least to most urgent: the order is used by {@link compareRiskLevels}. The
 * deadlines that go with each level (e.g. high 1 h, moderate 4 h, low 24 h) belong to the
 * risk-escalation workflow's configuration, not to scoring.
 */
export const RISK_LEVELS = ['low', 'moderate', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RiskLevelSchema = z.enum(RISK_LEVELS);

/**
 * Levels that still meet a "same-day" rule (PHQ-9 item 9 > 0, self-harm reported at a
 * check-in). `low` is excluded on purpose: its deadline (a day) is not "same day".
 */
export const SAME_DAY_RISK_LEVELS = ['moderate', 'high'] as const satisfies readonly RiskLevel[];
export type SameDayRiskLevel = (typeof SAME_DAY_RISK_LEVELS)[number];

export const RISK_FLAG_KINDS = ['phq9_item9', 'cssrs_screener', 'check_in_self_harm'] as const;
export type RiskFlagKind = (typeof RISK_FLAG_KINDS)[number];

export const RiskFlagSchema = z
  .strictObject({
    kind: z.enum(RISK_FLAG_KINDS),
    level: RiskLevelSchema,
    /** For the clinician: what was answered. Never put this in an email (minimum necessary). */
    reason: z.string(),
    /** The recommended response, per the source rule. */
    action: z.string(),
  })
  .meta({ id: 'RiskFlag' });
export type RiskFlag = z.infer<typeof RiskFlagSchema>;

export const CLINICAL_FLAG_KINDS = ['gad7_further_evaluation', 'pcl5_probable_ptsd', 'pcl5_dsm5_symptom_pattern'] as const;
export type ClinicalFlagKind = (typeof CLINICAL_FLAG_KINDS)[number];

export const ClinicalFlagSchema = z
  .strictObject({ kind: z.enum(CLINICAL_FLAG_KINDS), reason: z.string(), action: z.string() })
  .meta({ id: 'ClinicalFlag' });
export type ClinicalFlag = z.infer<typeof ClinicalFlagSchema>;

/** Negative when `a` is less urgent than `b`, 0 when equal, positive when more urgent. */
export function compareRiskLevels(a: RiskLevel, b: RiskLevel): number {
  return RISK_LEVELS.indexOf(a) - RISK_LEVELS.indexOf(b);
}

/** The most urgent level among the flags, or `null` when there is none. */
export function highestRiskLevel(flags: readonly Pick<RiskFlag, 'level'>[]): RiskLevel | null {
  let highest: RiskLevel | null = null;
  for (const { level } of flags) if (highest === null || compareRiskLevels(level, highest) > 0) highest = level;
  return highest;
}
