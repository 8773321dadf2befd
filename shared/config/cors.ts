/**
 * The origins browser apps may call the API from (shared/http/cors.ts), as a comma-separated
 * list in CORS_ALLOWED_ORIGINS: set per stage by infra (infra/config.ts `corsOrigins`) and by
 * the local stack (local/stack-environment.ts). Unset or empty = no origin is allowed (fails
 * closed); a malformed entry fails at cold start, naming the variable.
 */
import * as z from 'zod';
import { CorsOriginPatternSchema, type CorsAllowList } from '../http/cors.js';
import { ConfigurationError } from './environment.js';

export const CORS_ALLOWED_ORIGINS = 'CORS_ALLOWED_ORIGINS';

const AllowListSchema = z.array(CorsOriginPatternSchema);

export function formatCorsAllowList(origins: CorsAllowList): string {
  return origins.join(',');
}

export function readCorsAllowList(source: Record<string, string | undefined> = process.env): CorsAllowList {
  const raw = source[CORS_ALLOWED_ORIGINS]?.trim() ?? '';
  if (raw === '') return [];
  const parsed = AllowListSchema.safeParse(raw.split(',').map((entry) => entry.trim()));
  if (!parsed.success) throw new ConfigurationError([CORS_ALLOWED_ORIGINS]);
  return parsed.data;
}
