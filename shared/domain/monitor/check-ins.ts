/**
 * Check-ins: the client's own quick log between sessions (issue 4, item 3): mood, anxiety,
 * sleep, what set things off (tags from a vocabulary, plus their own words), which coping
 * skills they used, a note, and whether they had thoughts of harming themselves. The last one
 * raises a risk flag like a PHQ-9 item 9 (instruments/check-in-risk.ts) and starts the risk
 * escalation.
 *
 * Scales: mood 0 (very low) to 10 (very good); anxiety 0 (none) to 10 (the most intense);
 * sleep in hours (last night), 0 to 24.
 *
 * Trends are rolling windows ending now: the last 7 x 24 h and the last 28 x 24 h, averages of
 * the check-ins in each window (a client who checks in twice a day counts twice), one decimal.
 */
import * as z from 'zod';
import { RiskFlagSchema, type RiskFlag } from '../instruments/risk-flags.js';
import { CrisisResourcesSchema } from './crisis-resources.js';
import { AuthorSchema, NextCursorSchema, PageQueryShape, type Author } from './records.js';

/** What set things off. Stable codes; apps label them. `other` goes with the free text. */
export const TRIGGER_TAGS = [
  'work_or_school',
  'relationships',
  'family',
  'conflict',
  'loneliness',
  'health',
  'sleep',
  'money',
  'news_or_social_media',
  'substance_use',
  'trauma_reminder',
  'grief_or_loss',
  'other',
] as const;
export type TriggerTag = (typeof TRIGGER_TAGS)[number];

/** Skills from the usual CBT/DBT toolbox, as the client would name them. */
export const COPING_SKILL_TAGS = [
  'deep_breathing',
  'mindfulness',
  'grounding',
  'exercise',
  'time_outdoors',
  'talking_to_someone',
  'journaling',
  'thought_challenging',
  'behavioral_activation',
  'music_or_art',
  'rest',
  'problem_solving',
  'other',
] as const;
export type CopingSkillTag = (typeof COPING_SKILL_TAGS)[number];

export const CHECK_IN_TEXT_MAX = 500;
export const CHECK_IN_NOTE_MAX = 2000;

const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;

function tagList<const T extends readonly [string, ...string[]]>(tags: T, what: string) {
  return z
    .array(z.enum(tags, { error: `Choose ${what} from: ${tags.join(', ')}.` }), { error: `Give ${what} as a list of tags.` })
    .max(tags.length)
    .refine(unique, { error: `List each of the ${what} once.` });
}

const scale = (what: string) => z.int({ error: `Give ${what} as a whole number from 0 to 10.` }).min(0, { error: `Give ${what} from 0 to 10.` }).max(10, { error: `Give ${what} from 0 to 10.` });

export const CheckInRequestSchema = z
  .strictObject({
    mood: scale('mood'),
    anxiety: scale('anxiety'),
    sleepHours: z
      .number({ error: 'Give the hours slept as a number from 0 to 24.' })
      .min(0, { error: 'Give the hours slept from 0 to 24.' })
      .max(24, { error: 'Give the hours slept from 0 to 24.' }),
    triggers: z.strictObject({
      tags: tagList(TRIGGER_TAGS, 'triggers'),
      text: z.string().trim().min(1).max(CHECK_IN_TEXT_MAX, { error: `Keep the triggers text under ${CHECK_IN_TEXT_MAX} characters.` }).optional(),
    }),
    copingSkills: tagList(COPING_SKILL_TAGS, 'coping skills'),
    note: z.string().trim().min(1).max(CHECK_IN_NOTE_MAX, { error: `Keep the note under ${CHECK_IN_NOTE_MAX} characters.` }).optional(),
    selfHarmThoughts: z.boolean({ error: 'Answer whether you have had thoughts of harming yourself with true or false.' }),
  })
  .meta({ id: 'CheckInRequest' });
export type CheckInRequest = z.infer<typeof CheckInRequestSchema>;

export interface StoredCheckIn extends CheckInRequest {
  checkInId: string;
  clientId: string;
  /** UTC ISO instant, the server's clock. */
  recordedAt: string;
  recordedBy: Author;
  /** The flag `selfHarmThoughts` raised, if any (checkInSelfHarmFlag). */
  riskFlags: RiskFlag[];
}

export const CheckInViewSchema = CheckInRequestSchema.extend({
  checkInId: z.string(),
  clientId: z.string(),
  recordedAt: z.string(),
  recordedBy: AuthorSchema,
  riskFlags: z.array(RiskFlagSchema),
}).meta({ id: 'CheckIn' });
export type CheckInView = z.infer<typeof CheckInViewSchema>;

export function checkInView(stored: StoredCheckIn): CheckInView {
  return structuredClone(stored);
}

const Average = z.number().nullable().describe('null when there is no check-in in the window.');

export const TrendWindowSchema = z
  .strictObject({
    days: z.int(),
    /** Check-ins in the window. */
    count: z.int(),
    mood: Average,
    anxiety: Average,
    sleepHours: Average,
  })
  .meta({ id: 'CheckInTrendWindow' });
export type TrendWindow = z.infer<typeof TrendWindowSchema>;

export const CheckInTrendsSchema = z
  .strictObject({ asOf: z.string(), last7Days: TrendWindowSchema, last28Days: TrendWindowSchema })
  .meta({ id: 'CheckInTrends' });
export type CheckInTrends = z.infer<typeof CheckInTrendsSchema>;

export const TREND_WINDOWS_DAYS = { short: 7, long: 28 } as const;
const DAY_MS = 86_400_000;

export type TrendPoint = Pick<StoredCheckIn, 'recordedAt' | 'mood' | 'anxiety' | 'sleepHours'>;

/** Mean to one decimal, from the exact sum (no drift from adding rounded values). */
function mean(sum: number, count: number): number | null {
  return count === 0 ? null : Math.round((sum * 10) / count) / 10;
}

/** Averages over the check-ins recorded in (now - days, now]; later (clock skew) ones are left out. */
export function trendWindow(points: readonly TrendPoint[], now: Date, days: number): TrendWindow {
  const end = now.getTime();
  const start = end - days * DAY_MS;
  let count = 0;
  let mood = 0;
  let anxiety = 0;
  let sleep = 0;
  for (const point of points) {
    const at = Date.parse(point.recordedAt);
    if (Number.isNaN(at)) throw new RangeError('A check-in has no valid recordedAt.');
    if (at <= start || at > end) continue;
    count += 1;
    mood += point.mood;
    anxiety += point.anxiety;
    sleep += point.sleepHours;
  }
  return { days, count, mood: mean(mood, count), anxiety: mean(anxiety, count), sleepHours: mean(sleep, count) };
}

/** The 7-day and 28-day averages as of `now` (pure: the caller passes at least the last 28 days). */
export function checkInTrends(points: readonly TrendPoint[], now: Date): CheckInTrends {
  return {
    asOf: now.toISOString(),
    last7Days: trendWindow(points, now, TREND_WINDOWS_DAYS.short),
    last28Days: trendWindow(points, now, TREND_WINDOWS_DAYS.long),
  };
}

/** The first instant the long window needs (exclusive bound of checkInTrends). */
export function trendsStart(now: Date): Date {
  return new Date(now.getTime() - TREND_WINDOWS_DAYS.long * DAY_MS);
}

export const CheckInListQuerySchema = z.strictObject({ ...PageQueryShape });
export type CheckInListQuery = z.infer<typeof CheckInListQuerySchema>;

export const CheckInListSchema = z
  .strictObject({
    /** Newest first. */
    items: z.array(CheckInViewSchema),
    nextCursor: NextCursorSchema,
    /** Over every check-in of the windows, not just this page. */
    trends: CheckInTrendsSchema,
  })
  .meta({ id: 'CheckInList' });
export type CheckInList = z.infer<typeof CheckInListSchema>;

export const RecordCheckInResponseSchema = CheckInViewSchema.extend({
  /** Only when the check-in reported thoughts of self-harm. */
  crisisResources: CrisisResourcesSchema.optional(),
}).meta({ id: 'RecordedCheckIn' });
export type RecordCheckInResponse = z.infer<typeof RecordCheckInResponseSchema>;
