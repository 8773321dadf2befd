import { describe, expect, it } from 'vitest';
import { now } from '../../../shared/adapters/clock.js';
import {
  applyClinicianUpdate,
  createClinicianRequestSchema,
  CREDENTIAL_LABELS,
  CREDENTIALS,
  LANGUAGE_CODES,
  licensedStatesOn,
  licenseProblems,
  MODALITIES,
  newClinicianProfile,
  publicView,
  PublicClinicianProfileSchema,
  SPECIALTIES,
  updateClinicianRequestSchema,
  utcToday,
  type ClinicianProfile,
} from '../../../shared/domain/clinicians.js';
import { clinicianInput, daysFromToday } from './fixtures.js';

// The fixtures date licenses from today, so these read the clock in force (the system clock).
const CreateClinicianRequestSchema = createClinicianRequestSchema(now);
const UpdateClinicianRequestSchema = updateClinicianRequestSchema(now);

function issuesOf(input: unknown, schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } } = CreateClinicianRequestSchema) {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

function profile(overrides: Partial<ClinicianProfile> = {}): ClinicianProfile {
  const request = CreateClinicianRequestSchema.parse(clinicianInput());
  return { ...newClinicianProfile('clinician-1', request, '2026-11-20T10:00:00.000Z'), ...overrides };
}

describe('vocabularies', () => {
  it('name the concerns, modalities and credentials of the issue', () => {
    for (const concern of ['anxiety', 'depression', 'trauma_ptsd', 'ocd', 'relationships', 'family_conflict', 'grief', 'stress', 'school_academic']) {
      expect(SPECIALTIES).toContain(concern);
    }
    for (const modality of ['cbt', 'dbt', 'erp', 'emdr', 'act', 'cpt', 'pe', 'ipt', 'family_systems', 'couples_therapy']) {
      expect(MODALITIES).toContain(modality);
    }
    for (const credential of ['lcsw', 'lmft', 'lpc', 'lpcc', 'psychologist_phd', 'psychologist_psyd', 'psychiatric_np']) {
      expect(CREDENTIALS).toContain(credential);
    }
    expect(Object.keys(CREDENTIAL_LABELS).sort()).toEqual([...CREDENTIALS].sort());
  });

  it('lists the ISO 639-1 codes once each, and the runtime knows every one of them', () => {
    expect(LANGUAGE_CODES).toHaveLength(183);
    expect(new Set(LANGUAGE_CODES).size).toBe(LANGUAGE_CODES.length);
    const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    const unknown = LANGUAGE_CODES.filter((code) => names.of(code) === undefined);
    expect(unknown).toEqual([]);
  });

  it('rejects terms outside the vocabularies and duplicates', () => {
    const issues = issuesOf(
      clinicianInput({ specialties: ['anxiety', 'astrology'], modalities: ['cbt', 'cbt'], languages: ['en', 'english'], credential: 'guru', clientTypes: [] }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(['clientTypes', 'credential', 'languages.1', 'modalities', 'specialties.1']);
  });
});

describe('create request', () => {
  it('accepts a complete request and normalizes the email', () => {
    const parsed = CreateClinicianRequestSchema.parse(clinicianInput({ email: 'Rowan.T@Example.COM' }));
    expect(parsed.email).toBe('rowan.t@example.com');
  });

  it('rejects unknown fields, bad zones, states and video room URLs', () => {
    const issues = issuesOf(
      clinicianInput({
        timezone: 'Mars/Olympus',
        videoRoomUrl: 'http://video.example.com/room',
        licenses: [{ state: 'XX', number: 'A1', expiresOn: daysFromToday(10) }],
        nickname: 'Ro',
      } as Record<string, unknown>),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(['', 'licenses.0.state', 'timezone', 'videoRoomUrl']);
  });

  it('accepts only https video rooms on a real host name', () => {
    for (const url of ['javascript:alert(1)', 'https://localhost/room', 'ftp://video.example.com/r', 'https://', 'https://user:pw@video.example.com/r']) {
      expect(issuesOf(clinicianInput({ videoRoomUrl: url })).map((i) => i.path), url).toEqual(['videoRoomUrl']);
    }
    expect(issuesOf(clinicianInput({ videoRoomUrl: 'https://meet.clinic.example/r/abc?x=1' }))).toEqual([]);
  });

  it('only creates therapists and coordinators', () => {
    expect(issuesOf(clinicianInput({ role: 'admin' })).map((i) => i.path)).toEqual(['role']);
    expect(issuesOf(clinicianInput({ role: 'coordinator' }))).toEqual([]);
  });
});

describe('licenses', () => {
  const license = (state: 'OH' | 'NY', expiresOn: string) => ({ state, number: `N-${state}`, expiresOn });

  it('need at least one, each state once, none expired (UTC today)', () => {
    expect(licenseProblems([], '2026-11-26')).toEqual([{ path: [], message: 'Add at least one license.' }]);
    expect(licenseProblems([license('OH', '2026-11-26')], '2026-11-26')).toEqual([]);
    expect(licenseProblems([license('OH', '2026-11-25')], '2026-11-26')).toEqual([
      { path: [0, 'expiresOn'], message: 'This license expired on 2026-11-25; add a current one.' },
    ]);
    expect(licenseProblems([license('OH', '2027-01-01'), license('NY', '2027-01-01'), license('OH', '2028-01-01')], '2026-11-26')).toEqual([
      { path: [2, 'state'], message: 'List one license per state; OH appears twice.' },
    ]);
  });

  it('are checked against the UTC date when the request is parsed', () => {
    let at = new Date('2026-11-26T23:30:00Z');
    const schema = createClinicianRequestSchema(() => at);
    expect(utcToday(at)).toBe('2026-11-26');
    const input = clinicianInput({ licenses: [{ state: 'OH', number: 'A-1', expiresOn: '2026-11-26' }] });
    expect(issuesOf(input, schema)).toEqual([]);
    at = new Date('2026-11-27T00:00:01Z');
    expect(issuesOf(input, schema).map((i) => i.path)).toEqual(['licenses.0.expiresOn']);
  });

  it('reject impossible dates and odd license numbers', () => {
    const issues = issuesOf(clinicianInput({ licenses: [{ state: 'OH', number: '<script>', expiresOn: '2027-02-30' }] }));
    expect(issues.map((i) => i.path).sort()).toEqual(['licenses.0.expiresOn', 'licenses.0.number']);
  });

  it('give the licensed states valid on a date', () => {
    const licenses = [license('OH', '2027-01-01'), license('NY', '2026-06-30')];
    expect(licensedStatesOn(licenses, '2026-06-30')).toEqual(['NY', 'OH']);
    expect(licensedStatesOn(licenses, '2026-07-01')).toEqual(['OH']);
  });
});

describe('public view', () => {
  it('hides license numbers and dates, email, capacity and the video room', () => {
    const full = profile();
    const view = publicView(full, '2026-11-26');
    const text = JSON.stringify(view);
    expect(text).not.toContain('TEST-OH-0001');
    expect(text).not.toContain(full.email);
    expect(text).not.toContain('video.example.com');
    expect(view).not.toHaveProperty('licenses');
    expect(view).not.toHaveProperty('caseloadCapacity');
    expect(view).not.toHaveProperty('version');
    expect(view).toMatchObject({ clinicianId: 'clinician-1', licensedStates: ['OH', 'PA'], credentialLabel: 'LPCC', acceptingNewClients: true });
    expect(PublicClinicianProfileSchema.safeParse(view).success).toBe(true);
  });

  it('lists only states whose license is valid that day', () => {
    const full = profile({ licenses: [{ state: 'OH', number: 'X', expiresOn: '2026-11-25' }, { state: 'NY', number: 'Y', expiresOn: '2027-01-01' }] });
    expect(publicView(full, '2026-11-26').licensedStates).toEqual(['NY']);
  });
});

describe('update', () => {
  it('needs at least one field and never email or role', () => {
    expect(issuesOf({}, UpdateClinicianRequestSchema).map((i) => i.message)).toEqual(['Send at least one field to change.']);
    expect(issuesOf({ email: 'x@example.com' }, UpdateClinicianRequestSchema).map((i) => i.message)).toContain('Unrecognized key: "email"');
    expect(issuesOf({ role: 'coordinator', bio: 'b' }, UpdateClinicianRequestSchema).map((i) => i.message)).toEqual(['Unrecognized key: "role"']);
    expect(issuesOf({ licenses: [] }, UpdateClinicianRequestSchema).map((i) => i.path)).toEqual(['licenses']);
  });

  it('replaces given fields, clears with null, and moves the version on', () => {
    const before = profile();
    const patch = UpdateClinicianRequestSchema.parse({ bio: 'New bio.', pronouns: null, offersConsultations: false });
    const after = applyClinicianUpdate(before, patch, '2026-11-21T10:00:00.000Z');
    expect(after).toEqual({
      ...before,
      bio: 'New bio.',
      offersConsultations: false,
      pronouns: undefined,
      updatedAt: '2026-11-21T10:00:00.000Z',
      version: 2,
    });
    expect(after).not.toHaveProperty('pronouns');
    expect(before.pronouns).toBe('she/her');
  });
});
