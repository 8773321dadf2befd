/**
 * Check-ins map onto the same risk flag as the instruments: a check-in that reports thoughts of
 * self-harm raises a flag "like a PHQ-9 item 9" [DESIGN, issue 4], so it starts the same
 * risk-escalation workflow with a same-day level.
 */
import type { RiskFlag } from './risk-flags.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';

/** The risk flag for a check-in's self-harm answer, or `null` when none was reported. */
export function checkInSelfHarmFlag(reportsSelfHarmThoughts: boolean, thresholds: Thresholds = DEFAULT_THRESHOLDS): RiskFlag | null {
  if (!reportsSelfHarmThoughts) return null;
  const level = thresholds.checkIn.selfHarmThoughtsLevel;
  return {
    kind: 'check_in_self_harm',
    level,
    reason: 'A check-in reported thoughts of self-harm.',
    action: `${level === 'high' ? 'Immediate' : 'Same-day'} suicide risk assessment (e.g. C-SSRS).`,
  };
}
