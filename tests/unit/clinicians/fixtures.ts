/** Synthetic clinician requests for tests (invented names, @example.com, fake license numbers). */
import { randomUUID } from 'node:crypto';
import type { CreateClinicianRequest } from '../../../shared/domain/clinicians.js';

/** A YYYY-MM-DD `days` from today (UTC). */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export function uniqueClinicianEmail(tag = 'clinician'): string {
  return `${tag}.${randomUUID().slice(0, 12)}@example.com`;
}

/** A valid create request as JSON input (before parsing); override any field. */
export function clinicianInput(overrides: Partial<Record<keyof CreateClinicianRequest, unknown>> = {}): Record<string, unknown> {
  return {
    email: uniqueClinicianEmail(),
    role: 'therapist',
    firstName: 'Rowan',
    lastName: 'Testerly',
    pronouns: 'she/her',
    credential: 'lpcc',
    licenses: [
      { state: 'OH', number: 'TEST-OH-0001', expiresOn: daysFromToday(400) },
      { state: 'PA', number: 'TEST-PA-0002', expiresOn: daysFromToday(200) },
    ],
    specialties: ['anxiety', 'ocd'],
    modalities: ['cbt', 'erp'],
    clientTypes: ['individual', 'student'],
    languages: ['en', 'es'],
    gender: 'woman',
    bio: 'Synthetic test clinician.',
    timezone: 'America/New_York',
    offersConsultations: true,
    acceptingNewClients: true,
    caseloadCapacity: 20,
    videoRoomUrl: 'https://video.example.com/rooms/test',
    ...overrides,
  };
}
