/**
 * The consultation settings a deployment may change, from environment variables with the
 * product's defaults (issue 3): minimum notice 2 h, horizon 14 days, buffer 5 min, change
 * cutoff 2 h, holds of 10 min, at most 2 holds per client, the clinician's outcome awaited
 * every 15 min for up to 72 h after the end. Unset = default; a set but invalid value fails at
 * cold start, naming the variable (as readEnvironment does).
 *
 * The length (15 min) and the step between offered starts are the product, not configuration.
 */
import * as z from 'zod';
import { DEFAULT_SCHEDULING_POLICY, GRID_MINUTES, type SchedulingPolicy } from '../domain/scheduling.js';
import { ConfigurationError } from './environment.js';

export interface ConsultationSettings {
  policy: SchedulingPolicy;
  /** How long a hold keeps a slot for its client. */
  holdMinutes: number;
  /** Unexpired holds one client may have at once. */
  maxHoldsPerClient: number;
  /** After the end, the workflow re-reads the consultation this often for the outcome... */
  outcomeCheckMinutes: number;
  /** ...for at most this long. */
  outcomeWaitHours: number;
}

export const DEFAULT_CONSULTATION_SETTINGS: ConsultationSettings = {
  policy: DEFAULT_SCHEDULING_POLICY,
  holdMinutes: 10,
  maxHoldsPerClient: 2,
  outcomeCheckMinutes: 15,
  outcomeWaitHours: 72,
};

const minutes = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Variable -> schema; every one optional. */
export const CONSULTATION_ENVIRONMENT = {
  CONSULTATION_MIN_NOTICE_MINUTES: minutes(0, 14 * 24 * 60),
  CONSULTATION_HORIZON_DAYS: minutes(1, 90),
  CONSULTATION_BUFFER_MINUTES: minutes(0, 120).refine((m) => m % GRID_MINUTES === 0, { error: `a multiple of ${GRID_MINUTES}` }),
  CONSULTATION_CHANGE_CUTOFF_MINUTES: minutes(0, 7 * 24 * 60),
  CONSULTATION_HOLD_MINUTES: minutes(1, 60),
  CONSULTATION_MAX_HOLDS: minutes(1, 5),
  CONSULTATION_OUTCOME_CHECK_MINUTES: minutes(1, 24 * 60),
  CONSULTATION_OUTCOME_WAIT_HOURS: minutes(1, 30 * 24),
} as const;

export type ConsultationEnvironmentName = keyof typeof CONSULTATION_ENVIRONMENT;

export function readConsultationSettings(source: Record<string, string | undefined> = process.env): ConsultationSettings {
  const values: Partial<Record<ConsultationEnvironmentName, number>> = {};
  const bad: string[] = [];
  for (const [name, schema] of Object.entries(CONSULTATION_ENVIRONMENT) as [ConsultationEnvironmentName, z.ZodType<number>][]) {
    const raw = source[name];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = schema.safeParse(raw.trim());
    if (parsed.success) values[name] = parsed.data;
    else bad.push(name);
  }
  if (bad.length > 0) throw new ConfigurationError(bad);
  const defaults = DEFAULT_CONSULTATION_SETTINGS;
  return {
    policy: {
      ...defaults.policy,
      minimumNoticeMinutes: values.CONSULTATION_MIN_NOTICE_MINUTES ?? defaults.policy.minimumNoticeMinutes,
      horizonDays: values.CONSULTATION_HORIZON_DAYS ?? defaults.policy.horizonDays,
      bufferMinutes: values.CONSULTATION_BUFFER_MINUTES ?? defaults.policy.bufferMinutes,
      changeCutoffMinutes: values.CONSULTATION_CHANGE_CUTOFF_MINUTES ?? defaults.policy.changeCutoffMinutes,
    },
    holdMinutes: values.CONSULTATION_HOLD_MINUTES ?? defaults.holdMinutes,
    maxHoldsPerClient: values.CONSULTATION_MAX_HOLDS ?? defaults.maxHoldsPerClient,
    outcomeCheckMinutes: values.CONSULTATION_OUTCOME_CHECK_MINUTES ?? defaults.outcomeCheckMinutes,
    outcomeWaitHours: values.CONSULTATION_OUTCOME_WAIT_HOURS ?? defaults.outcomeWaitHours,
  };
}
