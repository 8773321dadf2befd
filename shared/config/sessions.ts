/**
 * The session settings a deployment may change (issue 10): lengths by type (individual 50,
 * couple 80, family 80 minutes), buffer, notice, horizon, late-cancellation window. Unset =
 * the default of DEFAULT_SESSION_POLICY; a set but invalid value fails at cold start, naming
 * the variable.
 */
import * as z from 'zod';
import { DEFAULT_SESSION_POLICY, isValidSessionPolicy, type SessionPolicy } from '../domain/sessions/sessions.js';
import { ConfigurationError } from './environment.js';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const SESSION_ENVIRONMENT = {
  SESSION_INDIVIDUAL_MINUTES: int(15, 240),
  SESSION_COUPLE_MINUTES: int(15, 240),
  SESSION_FAMILY_MINUTES: int(15, 240),
  SESSION_BUFFER_MINUTES: int(0, 120),
  SESSION_MIN_NOTICE_MINUTES: int(0, 14 * 24 * 60),
  SESSION_HORIZON_DAYS: int(1, 180),
  SESSION_LATE_CANCEL_HOURS: int(0, 7 * 24),
} as const;
export type SessionEnvironmentName = keyof typeof SESSION_ENVIRONMENT;

export function readSessionPolicy(source: Record<string, string | undefined> = process.env): SessionPolicy {
  const values: Partial<Record<SessionEnvironmentName, number>> = {};
  const bad: string[] = [];
  for (const [name, schema] of Object.entries(SESSION_ENVIRONMENT) as [SessionEnvironmentName, z.ZodType<number>][]) {
    const raw = source[name];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = schema.safeParse(raw.trim());
    if (parsed.success) values[name] = parsed.data;
    else bad.push(name);
  }
  const d = DEFAULT_SESSION_POLICY;
  const policy: SessionPolicy = {
    ...d,
    lengthMinutes: {
      individual: values.SESSION_INDIVIDUAL_MINUTES ?? d.lengthMinutes.individual,
      couple: values.SESSION_COUPLE_MINUTES ?? d.lengthMinutes.couple,
      family: values.SESSION_FAMILY_MINUTES ?? d.lengthMinutes.family,
    },
    bufferMinutes: values.SESSION_BUFFER_MINUTES ?? d.bufferMinutes,
    minimumNoticeMinutes: values.SESSION_MIN_NOTICE_MINUTES ?? d.minimumNoticeMinutes,
    horizonDays: values.SESSION_HORIZON_DAYS ?? d.horizonDays,
    lateCancelHours: values.SESSION_LATE_CANCEL_HOURS ?? d.lateCancelHours,
  };
  // Lengths and buffer must sit on the 5-minute lock grid.
  if (bad.length === 0 && !isValidSessionPolicy(policy)) {
    for (const name of ['SESSION_INDIVIDUAL_MINUTES', 'SESSION_COUPLE_MINUTES', 'SESSION_FAMILY_MINUTES', 'SESSION_BUFFER_MINUTES'] as const) {
      if (values[name] !== undefined && values[name] % 5 !== 0) bad.push(name);
    }
  }
  if (bad.length > 0) throw new ConfigurationError(bad);
  return policy;
}
