/** Synthetic clients and therapists for the matching tests (invented ids, no real data). */
import type { Intake, MatchInput, MatchTherapist } from '../../../shared/domain/matching/index.js';

/** A Wednesday; the reference week is Monday 2026-03-09 to Sunday 2026-03-15 (US clocks changed on 03-08). */
export const ON_DATE = '2026-03-04';

export function therapist(overrides: Partial<MatchTherapist> = {}): MatchTherapist {
  return {
    clinicianId: 't-default',
    licenses: [{ state: 'OH', expiresOn: '2027-01-31' }],
    specialties: ['anxiety'],
    modalities: ['act'],
    clientTypes: ['individual', 'couple', 'family', 'student'],
    languages: ['en'],
    timezone: 'America/New_York',
    acceptingNewClients: true,
    caseloadCapacity: 10,
    caseloadCount: 5,
    weekly: [],
    ...overrides,
  };
}

export function intake(overrides: Partial<Intake> = {}): Intake {
  return {
    concerns: [{ concern: 'ocd', primary: true }],
    goals: ['Spend less time on rituals'],
    availability: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '18:00', end: '21:00' }],
    clientType: 'individual',
    state: 'OH',
    timezone: 'America/New_York',
    ...overrides,
  };
}

export function input(overrides: Partial<MatchInput> = {}): MatchInput {
  return { intake: intake(), therapists: [], onDate: ON_DATE, ...overrides };
}
