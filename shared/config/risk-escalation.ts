/**
 * The risk-escalation settings, in ONE place (issue 4, item 5; DESIGN.md "Keep thresholds in one
 * configurable place"): how long the responsible clinician has to acknowledge a risk task, by
 * level, how long the supervisors have after each escalation round, and how many rounds run
 * before the task is marked unresolved (and the execution fails, which alarms).
 *
 * Defaults: high 1 h, moderate 4 h, low 24 h (issue 4); re-escalation every 1 h, 3 rounds.
 * `high` is the C-SSRS "immediate evaluation" level; PHQ-9 item 9 > 0 and self-harm at a
 * check-in are at least `moderate`, whose 4 h still meets "same-day risk assessment"
 * (shared/domain/instruments/risk-flags.ts, SAME_DAY_RISK_LEVELS).
 *
 * Each value may be overridden by an environment variable of the functions that read it
 * (OpenRiskTask and CheckAcknowledged): unset = default; a set but invalid value fails at cold
 * start, naming the variable (as readEnvironment does).
 */
import * as z from 'zod';
import type { RiskLevel } from '../domain/instruments/risk-flags.js';
import { ConfigurationError } from './environment.js';

export interface RiskEscalationSettings {
  /** From the flag (the answer's time) to the task's deadline, per level. */
  acknowledgeWithinMinutes: Readonly<Record<RiskLevel, number>>;
  /** After each escalation round, how long until the task is checked (and escalated) again. */
  reEscalationMinutes: number;
  /** Escalation rounds before the task is marked unresolved. */
  maxEscalationRounds: number;
  /**
   * An email claimed (about to be sent) longer ago than this was never confirmed: the attempt
   * that claimed it has died (task timeouts are at most 60 s). It is NOT sent again: whether it
   * left is unknown, and the next escalation round is the backstop (see sendOnce).
   */
  staleEmailClaimSeconds: number;
}

export const DEFAULT_RISK_ESCALATION_SETTINGS: RiskEscalationSettings = {
  acknowledgeWithinMinutes: { high: 60, moderate: 4 * 60, low: 24 * 60 },
  reEscalationMinutes: 60,
  maxEscalationRounds: 3,
  staleEmailClaimSeconds: 180,
};

const whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Variable -> schema; every one optional. */
export const RISK_ESCALATION_ENVIRONMENT = {
  RISK_ACK_MINUTES_HIGH: whole(1, 24 * 60),
  RISK_ACK_MINUTES_MODERATE: whole(1, 3 * 24 * 60),
  RISK_ACK_MINUTES_LOW: whole(1, 7 * 24 * 60),
  RISK_REESCALATION_MINUTES: whole(1, 24 * 60),
  RISK_ESCALATION_ROUNDS: whole(1, 10),
} as const;

export type RiskEscalationEnvironmentName = keyof typeof RISK_ESCALATION_ENVIRONMENT;

export function readRiskEscalationSettings(source: Record<string, string | undefined> = process.env): RiskEscalationSettings {
  const values: Partial<Record<RiskEscalationEnvironmentName, number>> = {};
  const bad: string[] = [];
  for (const [name, schema] of Object.entries(RISK_ESCALATION_ENVIRONMENT) as [RiskEscalationEnvironmentName, z.ZodType<number>][]) {
    const raw = source[name];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = schema.safeParse(raw.trim());
    if (parsed.success) values[name] = parsed.data;
    else bad.push(name);
  }
  if (bad.length > 0) throw new ConfigurationError(bad);
  const defaults = DEFAULT_RISK_ESCALATION_SETTINGS;
  const within = {
    high: values.RISK_ACK_MINUTES_HIGH ?? defaults.acknowledgeWithinMinutes.high,
    moderate: values.RISK_ACK_MINUTES_MODERATE ?? defaults.acknowledgeWithinMinutes.moderate,
    low: values.RISK_ACK_MINUTES_LOW ?? defaults.acknowledgeWithinMinutes.low,
  };
  // A more urgent level never waits longer than a less urgent one.
  if (within.high > within.moderate || within.moderate > within.low) {
    throw new ConfigurationError(['RISK_ACK_MINUTES_HIGH', 'RISK_ACK_MINUTES_MODERATE', 'RISK_ACK_MINUTES_LOW']);
  }
  return {
    acknowledgeWithinMinutes: within,
    reEscalationMinutes: values.RISK_REESCALATION_MINUTES ?? defaults.reEscalationMinutes,
    maxEscalationRounds: values.RISK_ESCALATION_ROUNDS ?? defaults.maxEscalationRounds,
    staleEmailClaimSeconds: defaults.staleEmailClaimSeconds,
  };
}
