/**
 * The weekly progress review's deployment settings, in ONE place (issue 11).
 *
 * | variable                               | default             | meaning                                                   |
 * |----------------------------------------|---------------------|-----------------------------------------------------------|
 * | PROGRESS_REVIEW_IDENTIFIERS            | none                | what the email may say about a client: `initials` or `none` |
 * | PROGRESS_REVIEW_PATH                   | /progress-reviews   | the review's page in the app: APP_BASE_URL + this + /<id> |
 * | PROGRESS_REVIEW_STALE_CLAIM_SECONDS    | 900                 | an unconfirmed email claim older than this is recorded as of unknown outcome, never resent |
 *
 * `none` by default: minimum necessary (HHS FAQ 570; DESIGN.md "Progress reviews": "counts, at
 * most initials"); a deployment that wants initials says so. Infra sets PROGRESS_REVIEW_IDENTIFIERS
 * from the stage config (infra/config.ts `progressReviewIdentifiers`) on the email task only.
 * Unset = default; a set but invalid value fails at cold start, naming the variable.
 */
import * as z from 'zod';
import { CLIENT_IDENTIFIER_SETTINGS, DEFAULT_REVIEW_RULES } from '../domain/reviews/index.js';
import type { ProgressReviewSettings } from '../use-cases/reviews/progress-reviews.js';
import { ConfigurationError } from './environment.js';

export const DEFAULT_PROGRESS_REVIEW_PATH = '/progress-reviews';
export const DEFAULT_STALE_REVIEW_CLAIM_SECONDS = 900;

export function readProgressReviewSettings(appBaseUrl: string, source: Record<string, string | undefined> = process.env): ProgressReviewSettings {
  const bad: string[] = [];
  const pick = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = source[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      bad.push(name);
      return fallback;
    }
    return parsed.data;
  };
  const identifiers = pick('PROGRESS_REVIEW_IDENTIFIERS', z.enum(CLIENT_IDENTIFIER_SETTINGS), 'none');
  const path = pick('PROGRESS_REVIEW_PATH', z.string().regex(/^\/[A-Za-z0-9/_-]*$/), DEFAULT_PROGRESS_REVIEW_PATH);
  const stale = pick('PROGRESS_REVIEW_STALE_CLAIM_SECONDS', z.coerce.number().int().min(60).max(86_400), DEFAULT_STALE_REVIEW_CLAIM_SECONDS);
  if (bad.length > 0) throw new ConfigurationError(bad);
  return { identifiers, reviewUrlBase: `${appBaseUrl.replace(/\/+$/, '')}${path}`, staleEmailClaimSeconds: stale, rules: DEFAULT_REVIEW_RULES };
}
