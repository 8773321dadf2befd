/**
 * The access policy's one setting a deployment may change: how long a former clinician keeps
 * read access to the records of their time after the relationship ended
 * (`FORMER_CLINICIAN_ACCESS_DAYS`, default 90; shared/domain/access.ts). Unset = default; a
 * set but invalid value fails at cold start, naming the variable.
 */
import * as z from 'zod';
import { DEFAULT_FORMER_CLINICIAN_ACCESS_DAYS } from '../domain/access.js';
import { ConfigurationError } from './environment.js';

export interface AccessSettings {
  formerClinicianAccessDays: number;
}

const DaysSchema = z.coerce.number().int().min(0).max(3650);

export function readAccessSettings(source: Record<string, string | undefined> = process.env): AccessSettings {
  const raw = source.FORMER_CLINICIAN_ACCESS_DAYS;
  if (raw === undefined || raw.trim() === '') return { formerClinicianAccessDays: DEFAULT_FORMER_CLINICIAN_ACCESS_DAYS };
  const parsed = DaysSchema.safeParse(raw.trim());
  if (!parsed.success) throw new ConfigurationError(['FORMER_CLINICIAN_ACCESS_DAYS']);
  return { formerClinicianAccessDays: parsed.data };
}
