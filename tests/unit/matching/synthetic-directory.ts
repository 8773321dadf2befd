/**
 * A seeded synthetic therapist directory of any size, for the ranking benchmark (and a test that
 * keeps it working). Invented ids, no real people; shaped like a national directory: licenses in
 * one to five states (some expired), a few specialties and therapies each, English plus
 * sometimes another language, weekday hours (some evenings and weekends) in US zones, caseloads
 * from empty to full.
 */
import { CREDENTIALS, GENDERS, MODALITIES, SPECIALTIES } from '../../../shared/domain/clinicians.js';
import { addDays } from '../../../shared/domain/matching/availability.js';
import type { MatchInput, MatchTherapist } from '../../../shared/domain/matching/index.js';
import { WEEKDAYS, type WeeklyRule } from '../../../shared/domain/scheduling.js';
import { CLIENT_TYPES } from '../../../shared/domain/signup.js';
import { US_STATE_CODES } from '../../../shared/domain/us-states.js';
import { seededRandom } from './arbitraries.js';

const US_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'];
const OTHER_LANGUAGES = ['es', 'zh', 'vi', 'ar', 'fr', 'ko', 'ru', 'pt', 'hi', 'tl'];
const HOURS: [string, string][] = [
  ['08:00', '12:00'],
  ['09:00', '17:00'],
  ['12:00', '18:00'],
  ['13:00', '21:00'],
  ['17:00', '21:00'],
];

export interface SyntheticOptions {
  size: number;
  seed: number;
  onDate: string;
  /** Every therapist holds a valid license in this state (the worst case: everyone reaches scoring). */
  allLicensedIn?: (typeof US_STATE_CODES)[number];
}

export function syntheticDirectory({ size, seed, onDate, allLicensedIn }: SyntheticOptions): MatchTherapist[] {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const some = <T>(items: readonly T[], min: number, max: number): T[] => {
    const chosen = new Set<T>();
    const n = int(min, max);
    while (chosen.size < n) chosen.add(pick(items));
    return [...chosen];
  };
  return Array.from({ length: size }, (_, i) => {
    const states = some(US_STATE_CODES, 1, 5);
    if (allLicensedIn && !states.includes(allLicensedIn)) states[0] = allLicensedIn;
    const weekly: WeeklyRule[] = [];
    for (const day of some(WEEKDAYS.slice(0, random() < 0.2 ? 7 : 5), 2, 5)) {
      const [start, end] = pick(HOURS);
      weekly.push({ day, start, end });
    }
    const capacity = int(10, 40);
    const gender = random() < 0.9 ? pick(GENDERS.slice(0, 3)) : undefined;
    return {
      clinicianId: `syn-${String(i).padStart(6, '0')}`,
      licenses: states.map((state) => ({
        state,
        // Most valid for a year or two; one in ten expired.
        expiresOn: addDays(onDate, state === allLicensedIn ? int(1, 700) : random() < 0.1 ? -int(1, 365) : int(1, 700)),
      })),
      specialties: some(SPECIALTIES, 3, 7),
      modalities: some(MODALITIES, 2, 5),
      clientTypes: random() < 0.6 ? ['individual', 'student'] : some(CLIENT_TYPES, 1, 4),
      languages: random() < 0.3 ? ['en', pick(OTHER_LANGUAGES)] : ['en'],
      ...(gender ? { gender } : {}),
      timezone: pick(US_ZONES),
      acceptingNewClients: random() < 0.8,
      caseloadCapacity: capacity,
      caseloadCount: int(0, capacity),
      weekly,
      // Not read by the engine; here so a directory looks like profiles do.
      credential: pick(CREDENTIALS),
    } as MatchTherapist;
  });
}

/** A client with every preference stated (every score component applies). */
export function syntheticInput(therapists: MatchTherapist[], onDate: string): MatchInput {
  return {
    onDate,
    therapists,
    intake: {
      concerns: [{ concern: 'ocd', primary: true, severity: 'severe' }, { concern: 'depression' }, { concern: 'sleep', severity: 'mild' }],
      goals: ['Fewer hours lost to checking'],
      preferences: { therapistGender: 'woman', languages: ['es', 'en'], modalities: ['erp', 'act'] },
      availability: [
        { days: ['mon', 'tue', 'wed', 'thu'], start: '17:30', end: '21:00' },
        { days: ['sat'], start: '09:00', end: '13:00' },
      ],
      clientType: 'individual',
      state: 'OH',
      timezone: 'America/Los_Angeles',
    },
    latestMeasures: { phq9: 'moderate' },
    leftTherapistIds: ['syn-000001', 'syn-000002'],
    pinnedTherapistId: 'syn-000042',
  };
}
