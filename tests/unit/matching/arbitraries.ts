/**
 * fast-check generators of whole matching scenarios: a client, a directory, the therapists the
 * client left, a pin and a date. Small vocabularies (three states, five languages, a handful of
 * concerns) and clones of therapists under other ids make eligible therapists, shared hours and
 * ties common; the zones include US ones,
 * zones on the other side of the date line, a half-hour offset and a half-hour DST shift.
 */
import fc from 'fast-check';
import { GENDERS, MODALITIES, type Specialty } from '../../../shared/domain/clinicians.js';
import { addDays } from '../../../shared/domain/matching/availability.js';
import { SEVERITIES, type AvailabilityWindow, type Intake, type MatchInput, type MatchTherapist } from '../../../shared/domain/matching/index.js';
import { WEEKDAYS, type WeeklyRule } from '../../../shared/domain/scheduling.js';
import { CLIENT_TYPES, type ClientType } from '../../../shared/domain/signup.js';
import { eligibleByRule } from './reference.js';

export const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'Pacific/Guam',
  'Pacific/Pago_Pago',
  'America/Puerto_Rico',
  'Europe/London',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
] as const;
export const STATES = ['OH', 'CA', 'GU'] as const;
export const LANGUAGES = ['en', 'es', 'fr', 'zh', 'ar'] as const;
/** Concerns clients bring here: most have evidence entries, grief and stress do not. */
export const CONCERNS: readonly Specialty[] = ['ocd', 'depression', 'anxiety', 'trauma_ptsd', 'self_harm', 'relationships', 'sleep', 'grief', 'stress'];

/** Quarter hours: every boundary, in every generated zone, then falls on a 15-minute UTC grid. */
const hhmm = (quarter: number) => `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;

const weeklyRule: fc.Arbitrary<WeeklyRule> = fc
  .record({ day: fc.constantFrom(...WEEKDAYS), start: fc.integer({ min: 0, max: 95 }), length: fc.integer({ min: 1, max: 48 }) })
  .map(({ day, start, length }) => ({ day, start: hhmm(start), end: hhmm(Math.min(96, start + length)) }));

const clientWindow: fc.Arbitrary<AvailabilityWindow> = fc
  .record({
    days: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }),
    start: fc.integer({ min: 0, max: 92 }),
    length: fc.integer({ min: 4, max: 40 }),
  })
  .map(({ days, start, length }) => ({ days, start: hhmm(start), end: hhmm(Math.min(96, start + length)) }));

/** A therapist whose license dates are offsets from the scenario's date (filled in by `scenario`). */
const rawTherapist = fc.record({
  clinicianId: fc.stringMatching(/^t-[0-9a-f]{1,3}$/),
  licenses: fc.uniqueArray(
    fc.record({
      state: fc.constantFrom(...STATES),
      // Around the date (the boundary), well ahead (valid) or long gone (expired).
      offset: fc.oneof(
        { weight: 1, arbitrary: fc.integer({ min: -2, max: 2 }) },
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 800 }) },
        { weight: 1, arbitrary: fc.integer({ min: -400, max: -1 }) },
      ),
    }),
    { selector: (l) => l.state, minLength: 1, maxLength: 3 },
  ),
  specialties: fc.subarray([...CONCERNS, 'parenting', 'eating'] as Specialty[]),
  modalities: fc.subarray([...MODALITIES], { maxLength: 5 }),
  clientTypes: fc.oneof(fc.constant<ClientType[]>([...CLIENT_TYPES]), fc.subarray<ClientType>([...CLIENT_TYPES], { minLength: 1 })),
  languages: fc.oneof(fc.constant<string[]>(['en']), fc.uniqueArray(fc.constantFrom<string>(...LANGUAGES), { minLength: 1, maxLength: 3 })),
  gender: fc.option(fc.constantFrom(...GENDERS), { nil: undefined }),
  timezone: fc.constantFrom(...ZONES),
  acceptingNewClients: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  caseloadCapacity: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: fc.integer({ min: 1, max: 12 }) }),
  caseloadCount: fc.integer({ min: 0, max: 12 }),
  weekly: fc.array(weeklyRule, { maxLength: 6 }),
});

const intakeArb: fc.Arbitrary<Intake> = fc
  .record({
    concerns: fc.uniqueArray(
      fc.record({ concern: fc.constantFrom(...CONCERNS), severity: fc.option(fc.constantFrom(...SEVERITIES), { nil: undefined }) }),
      { selector: (c) => c.concern, minLength: 1, maxLength: 4 },
    ),
    primaryIndex: fc.nat(),
    gender: fc.option(fc.constantFrom(...GENDERS), { nil: undefined }),
    languages: fc.option(fc.uniqueArray(fc.constantFrom(...LANGUAGES), { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 2 }),
    modalities: fc.option(fc.uniqueArray(fc.constantFrom(...MODALITIES), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    availability: fc.array(clientWindow, { minLength: 1, maxLength: 4 }),
    clientType: fc.constantFrom(...CLIENT_TYPES),
    state: fc.constantFrom(...STATES),
    timezone: fc.constantFrom(...ZONES),
  })
  .map(({ concerns, primaryIndex, gender, languages, modalities, ...rest }) => {
    const primary = primaryIndex % concerns.length;
    return {
      ...rest,
      concerns: concerns.map((c, i) => ({ concern: c.concern, ...(i === primary ? { primary: true } : {}), ...(c.severity ? { severity: c.severity } : {}) })),
      goals: [],
      preferences: {
        ...(gender ? { therapistGender: gender } : {}),
        ...(languages ? { languages } : {}),
        ...(modalities ? { modalities } : {}),
      },
    };
  });

/** Dates around US and European clock changes, and any date in 2025-2027. */
const onDate = fc.oneof(
  fc.constantFrom('2026-03-04', '2026-03-08', '2026-03-27', '2026-10-25', '2026-10-28', '2026-11-01', '2026-12-31'),
  fc.integer({ min: 0, max: 3 * 365 }).map((d) => addDays('2025-01-01', d)),
);

export const scenario: fc.Arbitrary<MatchInput> = fc
  .record({
    onDate,
    intake: intakeArb,
    directory: fc.uniqueArray(rawTherapist, { selector: (t) => t.clinicianId, maxLength: 30, size: '+1' }),
    clones: fc.array(fc.record({ of: fc.nat(), caseloadCount: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }) }), { maxLength: 4 }),
    leftPicks: fc.array(fc.nat(), { maxLength: 4 }),
    // A pin on an eligible therapist (when there is one), on anyone, or on someone not in the directory.
    pin: fc.option(fc.oneof(fc.record({ eligible: fc.constant(true), n: fc.nat() }), fc.record({ eligible: fc.constant(false), n: fc.integer({ min: -1 }) })), {
      nil: undefined,
    }),
    measures: fc.record(
      {
        phq9: fc.constantFrom('minimal', 'mild', 'moderate', 'moderately_severe', 'severe' as const),
        gad7: fc.constantFrom('minimal', 'mild', 'moderate', 'severe' as const),
        pcl5Total: fc.integer({ min: 0, max: 80 }),
      },
      { requiredKeys: [] },
    ),
  })
  .map(({ onDate: date, intake, directory, clones, leftPicks, pin, measures }) => {
    const therapists: MatchTherapist[] = directory.map(({ licenses, gender, ...t }) => ({
      ...t,
      ...(gender ? { gender } : {}),
      licenses: licenses.map((l) => ({ state: l.state, expiresOn: addDays(date, l.offset) })),
    }));
    const originals = therapists.length;
    clones.forEach((clone, i) => {
      if (originals === 0) return;
      const source = therapists[clone.of % originals]!;
      therapists.push({ ...structuredClone(source), clinicianId: `${source.clinicianId}-c${i}`, caseloadCount: clone.caseloadCount ?? source.caseloadCount });
    });
    const idAt = (n: number) => (therapists.length === 0 ? 'ghost' : therapists[n % therapists.length]!.clinicianId);
    const left = [...leftPicks.map(idAt), 'ghost-left'];
    const base: MatchInput = { intake, therapists, onDate: date, latestMeasures: measures, leftTherapistIds: left };
    const eligible = therapists.filter((t) => eligibleByRule(t, base));
    if (pin === undefined) return base;
    if (pin.eligible && eligible.length > 0) return { ...base, pinnedTherapistId: eligible[pin.n % eligible.length]!.clinicianId };
    return { ...base, pinnedTherapistId: pin.n < 0 ? 'ghost-pin' : idAt(pin.n) };
  });

/** A deterministic PRNG (mulberry32): the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
