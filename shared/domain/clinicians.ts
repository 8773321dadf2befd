/**
 * Clinician profiles: the controlled vocabularies a profile is written in, the schemas of what
 * an admin creates and what a clinician edits, and the two views of a profile (the full one
 * for the clinician and the staff who run the directory; the public one for clients).
 *
 * Licensure is per US state. A license counts while `expiresOn` (the last valid day) is today
 * or later, "today" being the UTC calendar date: a clinician may be a few hours early or late
 * at the edge of a day, which we accept over making the rule depend on who is asking.
 */
import * as z from 'zod';
import type { Caller } from './roles.js';
import { AvailabilityExceptionSchema, WeeklyRuleSchema } from './scheduling.js';
import { CLIENT_TYPES, EmailSchema, normalizeEmail, TimeZoneSchema } from './signup.js';
import { isCalendarDate } from './time-zone.js';
import { US_STATE_CODES, type UsStateCode } from './us-states.js';

/** Professional credentials we accept for licensed clinicians (US). */
export const CREDENTIALS = [
  'lcsw',
  'licsw',
  'lmft',
  'lpc',
  'lpcc',
  'lmhc',
  'psychologist_phd',
  'psychologist_psyd',
  'psychiatric_np',
  'psychiatrist',
] as const;
export type Credential = (typeof CREDENTIALS)[number];

/** How a credential is written after a name ("Jordan Reyland, LCSW"). */
export const CREDENTIAL_LABELS: Readonly<Record<Credential, string>> = {
  lcsw: 'LCSW',
  licsw: 'LICSW',
  lmft: 'LMFT',
  lpc: 'LPC',
  lpcc: 'LPCC',
  lmhc: 'LMHC',
  psychologist_phd: 'PhD, Psychologist',
  psychologist_psyd: 'PsyD, Psychologist',
  psychiatric_np: 'PMHNP',
  psychiatrist: 'MD, Psychiatrist',
};

/** Concerns a clinician treats; matching compares them with what a client brings. */
export const SPECIALTIES = [
  'anxiety',
  'depression',
  'trauma_ptsd',
  'ocd',
  'panic',
  'phobias',
  'relationships',
  'family_conflict',
  'parenting',
  'grief',
  'stress',
  'work_career',
  'life_transitions',
  'school_academic',
  'self_esteem',
  'self_harm',
  'substance_use',
  'eating',
  'bipolar',
  'adhd',
  'sleep',
  'anger',
  'chronic_illness',
  'perinatal',
  'lgbtq_identity',
] as const;
export type Specialty = (typeof SPECIALTIES)[number];

export const MODALITIES = [
  'cbt',
  'dbt',
  'erp',
  'emdr',
  'act',
  'cpt',
  'pe',
  'ipt',
  'behavioral_activation',
  'cbt_i',
  'tf_cbt',
  'mindfulness_based',
  'motivational_interviewing',
  'psychodynamic',
  'solution_focused',
  'family_systems',
  'couples_therapy',
  'emotionally_focused',
] as const;
export type Modality = (typeof MODALITIES)[number];

/**
 * ISO 639-1 language codes (the two-letter set). Sign languages have no two-letter code; they
 * would need ISO 639-3 and are not offered yet.
 */
export const LANGUAGE_CODES = (
  'aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es ' +
  'et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki ' +
  'kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no ' +
  'nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te ' +
  'tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
).split(' ') as [string, ...string[]];

/** Self-described; optional (absent = not shared). */
export const GENDERS = ['woman', 'man', 'non_binary', 'another_gender'] as const;
export type Gender = (typeof GENDERS)[number];

/** Who an admin creates through the directory; supervisors and admins are provisioned apart. */
export const CLINICIAN_PROFILE_ROLES = ['therapist', 'coordinator'] as const;
export type ClinicianProfileRole = (typeof CLINICIAN_PROFILE_ROLES)[number];

export const MAX_CASELOAD_CAPACITY = 200;
export const MAX_LICENSES = 60;

/** The UTC calendar date of `now` (the reference day of the license rule; see the header). */
export function utcToday(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** True while the license is valid on `onDate` (its `expiresOn` is the last valid day). */
export function licenseValidOn(license: { expiresOn: string }, onDate: string): boolean {
  return license.expiresOn >= onDate;
}

const oneOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: `Use a known ${what}: ${values.join(', ')}.` });

/** An array of vocabulary terms, each at most once. */
function terms<T extends readonly [string, ...string[]]>(values: T, what: string, options: { min: number; max: number }) {
  return z
    .array(oneOf(values, what))
    .min(options.min, { error: `Choose at least ${options.min} ${what}.` })
    .max(options.max)
    .refine((list) => new Set(list).size === list.length, { error: `List each ${what} once.` });
}

const NameSchema = (label: string) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(1, { error: `Enter the ${label}.` })
    .max(100, { error: `Use at most 100 characters for the ${label}.` });

export const LicenseSchema = z
  .strictObject({
    state: z.enum(US_STATE_CODES, { error: 'Use the two-letter code of a US state, like OH.' }),
    number: z
      .string({ error: 'Enter the license number.' })
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]{0,39}$/, { error: 'Use up to 40 letters, digits, spaces, dots, slashes or dashes.' }),
    expiresOn: z
      .string({ error: 'Enter the expiry date as YYYY-MM-DD.' })
      .refine(isCalendarDate, { error: 'Enter the expiry date as a real date, YYYY-MM-DD.' })
      .describe('The last day the license is valid.'),
  })
  .meta({ id: 'License' });
export type License = z.infer<typeof LicenseSchema>;

/**
 * Problems with a set of licenses as of `today` (YYYY-MM-DD, UTC): none given, an expired one,
 * two for one state. Pure, so the schemas and the tests share it.
 */
export function licenseProblems(licenses: readonly License[], today: string): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (licenses.length === 0) problems.push({ path: [], message: 'Add at least one license.' });
  const seen = new Set<UsStateCode>();
  licenses.forEach((license, index) => {
    if (!licenseValidOn(license, today)) {
      problems.push({ path: [index, 'expiresOn'], message: `This license expired on ${license.expiresOn}; add a current one.` });
    }
    if (seen.has(license.state)) {
      problems.push({ path: [index, 'state'], message: `List one license per state; ${license.state} appears twice.` });
    }
    seen.add(license.state);
  });
  return problems;
}

/** Licenses checked against the UTC date of `now()`, read when a request is parsed. */
const licensesSchema = (now: () => Date) =>
  z
    .array(LicenseSchema)
    .max(MAX_LICENSES)
    .superRefine((licenses, ctx) => {
      for (const problem of licenseProblems(licenses, utcToday(now()))) ctx.addIssue({ code: 'custom', ...problem });
    });

/** An https address on a public host name, with no credentials in it. */
export function isVideoRoomUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' && z.regexes.domain.test(url.hostname);
}

const VideoRoomUrlSchema = z
  .string({ error: 'Enter the https:// address of the video room.' })
  .max(500)
  .refine(isVideoRoomUrl, { error: 'Enter the https:// address of the video room, like https://video.example.com/room.' });

/**
 * The fields of a profile that can change after creation (all of them but email and role).
 * Who may change which: SELF_SERVICE_CLINICIAN_FIELDS and ADMIN_ONLY_CLINICIAN_FIELDS.
 * `now` is the clock the license rule reads (the caller's `now` port: the domain has no clock).
 */
const editableShape = (now: () => Date) => ({
  firstName: NameSchema('first name'),
  lastName: NameSchema('last name'),
  pronouns: z.string().trim().min(1).max(40).optional(),
  credential: oneOf(CREDENTIALS, 'credential'),
  licenses: licensesSchema(now),
  specialties: terms(SPECIALTIES, 'specialty', { min: 1, max: SPECIALTIES.length }),
  modalities: terms(MODALITIES, 'modality', { min: 1, max: MODALITIES.length }),
  clientTypes: terms(CLIENT_TYPES, 'client type', { min: 1, max: CLIENT_TYPES.length }),
  languages: terms(LANGUAGE_CODES, 'ISO 639-1 language code', { min: 1, max: 20 }),
  gender: oneOf(GENDERS, 'gender').optional(),
  bio: z.string({ error: 'Write a short bio.' }).trim().min(1, { error: 'Write a short bio.' }).max(2000),
  timezone: TimeZoneSchema,
  offersConsultations: z.boolean().describe('Holds free 15-minute consultations.'),
  acceptingNewClients: z.boolean(),
  caseloadCapacity: z.number().int().min(0).max(MAX_CASELOAD_CAPACITY).describe('How many clients in care at once.'),
  videoRoomUrl: VideoRoomUrlSchema.describe("The clinic's own video room for this clinician."),
});

/**
 * What a clinician may change on their own profile: how they present themselves and how they
 * work (bio, pronouns, gender, languages, specialties, modalities) and the time zone their
 * hours are written in (the hours themselves: PUT .../availability).
 */
export const SELF_SERVICE_CLINICIAN_FIELDS = ['pronouns', 'gender', 'bio', 'languages', 'specialties', 'modalities', 'timezone'] as const;

/**
 * Credentialing: what decides which clients a clinician is shown to and may then read (issue 9,
 * finding 1). Licenses feed the by-state listings of slots and matching; the credential and
 * the client types (couples and family work is a scope-of-practice question) are verified
 * against the license; the names are the name on the license; offering consultations,
 * accepting new clients and the caseload capacity put the clinician in front of clients; the
 * video room is where clients are sent. Only an admin changes them, and every change is audited
 * (shared/domain/staff-audit.ts).
 */
export const ADMIN_ONLY_CLINICIAN_FIELDS = [
  'firstName',
  'lastName',
  'credential',
  'licenses',
  'clientTypes',
  'offersConsultations',
  'acceptingNewClients',
  'caseloadCapacity',
  'videoRoomUrl',
] as const;
export type AdminOnlyClinicianField = (typeof ADMIN_ONLY_CLINICIAN_FIELDS)[number];

/** The admin-only fields a patch sends (present, whatever their value), in the list's order. */
export function adminOnlyFieldsIn(patch: Readonly<Record<string, unknown>>): AdminOnlyClinicianField[] {
  return ADMIN_ONLY_CLINICIAN_FIELDS.filter((field) => Object.hasOwn(patch, field) && patch[field] !== undefined);
}

/** What an admin sends to create a profile; licenses are checked against `now()` at parse time. */
export function createClinicianRequestSchema(now: () => Date) {
  return z
    .strictObject({
      email: EmailSchema.transform(normalizeEmail),
      role: oneOf(CLINICIAN_PROFILE_ROLES, 'role'),
      ...editableShape(now),
    })
    .meta({ id: 'CreateClinicianRequest' });
}
export type CreateClinicianRequest = z.output<ReturnType<typeof createClinicianRequestSchema>>;

/**
 * PATCH: any editable field; `null` clears an optional one (pronouns, gender). Licenses as on
 * create. Who may send which field is the use case's check (403 `admin_only_fields`).
 */
export function updateClinicianRequestSchema(now: () => Date) {
  const editable = editableShape(now);
  return z
    .strictObject({
      ...z.object(editable).partial().shape,
      pronouns: editable.pronouns.unwrap().nullable().optional(),
      gender: editable.gender.unwrap().nullable().optional(),
    })
    .refine((patch) => Object.keys(patch).length > 0, { error: 'Send at least one field to change.' })
    .meta({ id: 'UpdateClinicianRequest' });
}
export type UpdateClinicianRequest = z.output<ReturnType<typeof updateClinicianRequestSchema>>;

/** What the clinician themself, admins, coordinators and supervisors see. */
export const ClinicianProfileSchema = z
  .strictObject({
    clinicianId: z.string(),
    role: z.enum(CLINICIAN_PROFILE_ROLES),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    pronouns: z.string().optional(),
    credential: z.enum(CREDENTIALS),
    licenses: z.array(LicenseSchema),
    specialties: z.array(z.enum(SPECIALTIES)),
    modalities: z.array(z.enum(MODALITIES)),
    clientTypes: z.array(z.enum(CLIENT_TYPES)),
    languages: z.array(z.string()),
    gender: z.enum(GENDERS).optional(),
    bio: z.string(),
    timezone: z.string(),
    offersConsultations: z.boolean(),
    acceptingNewClients: z.boolean(),
    caseloadCapacity: z.number().int(),
    videoRoomUrl: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int().describe('Increases with every change.'),
  })
  .meta({ id: 'ClinicianProfile' });
export type ClinicianProfile = z.infer<typeof ClinicianProfileSchema>;

/**
 * What clients see: no license numbers or expiry dates (only the states where a license is
 * valid today), no email, no caseload capacity, no video room (a client gets a join link
 * with a booking, not a standing address).
 */
export const PublicClinicianProfileSchema = z
  .strictObject({
    clinicianId: z.string(),
    role: z.enum(CLINICIAN_PROFILE_ROLES),
    firstName: z.string(),
    lastName: z.string(),
    pronouns: z.string().optional(),
    credential: z.enum(CREDENTIALS),
    credentialLabel: z.string(),
    licensedStates: z.array(z.enum(US_STATE_CODES)),
    specialties: z.array(z.enum(SPECIALTIES)),
    modalities: z.array(z.enum(MODALITIES)),
    clientTypes: z.array(z.enum(CLIENT_TYPES)),
    languages: z.array(z.string()),
    gender: z.enum(GENDERS).optional(),
    bio: z.string(),
    timezone: z.string(),
    offersConsultations: z.boolean(),
    acceptingNewClients: z.boolean(),
  })
  .meta({ id: 'PublicClinicianProfile' });
export type PublicClinicianProfile = z.infer<typeof PublicClinicianProfileSchema>;

/** GET /v1/clinicians/{id} answers one or the other, by who asks. */
export const ClinicianViewSchema = z.union([ClinicianProfileSchema, PublicClinicianProfileSchema]).meta({ id: 'ClinicianView' });

/** States where the clinician holds a license valid on `onDate`, sorted. */
export function licensedStatesOn(licenses: readonly License[], onDate: string): UsStateCode[] {
  return [...new Set(licenses.filter((l) => licenseValidOn(l, onDate)).map((l) => l.state))].sort();
}

/** The public view as of `today` (YYYY-MM-DD, UTC: `utcToday(now)`). */
export function publicView(profile: ClinicianProfile, today: string): PublicClinicianProfile {
  return {
    clinicianId: profile.clinicianId,
    role: profile.role,
    firstName: profile.firstName,
    lastName: profile.lastName,
    ...(profile.pronouns !== undefined ? { pronouns: profile.pronouns } : {}),
    credential: profile.credential,
    credentialLabel: CREDENTIAL_LABELS[profile.credential],
    licensedStates: licensedStatesOn(profile.licenses, today),
    specialties: profile.specialties,
    modalities: profile.modalities,
    clientTypes: profile.clientTypes,
    languages: profile.languages,
    ...(profile.gender !== undefined ? { gender: profile.gender } : {}),
    bio: profile.bio,
    timezone: profile.timezone,
    offersConsultations: profile.offersConsultations,
    acceptingNewClients: profile.acceptingNewClients,
  };
}

/** A new profile from an admin's request (version 1). */
export function newClinicianProfile(clinicianId: string, request: CreateClinicianRequest, at: string): ClinicianProfile {
  const { email, role, ...editable } = request;
  return ClinicianProfileSchema.parse({ clinicianId, email, role, ...editable, createdAt: at, updatedAt: at, version: 1 });
}

/** The profile after a PATCH: given fields replace, `null` clears, the version moves on. */
export function applyClinicianUpdate(profile: ClinicianProfile, patch: UpdateClinicianRequest, at: string): ClinicianProfile {
  const next: Record<string, unknown> = { ...profile };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return { ...(next as ClinicianProfile), updatedAt: at, version: profile.version + 1 };
}

/** A clinician's published hours, in their own time zone (`timezone`, from the profile). */
export const ClinicianAvailabilitySchema = z
  .strictObject({
    clinicianId: z.string(),
    timezone: z.string().describe("The clinician's IANA time zone: every time here is wall-clock time there."),
    weekly: z.array(WeeklyRuleSchema),
    exceptions: z.array(AvailabilityExceptionSchema),
    updatedAt: z.string().optional().describe('Absent until hours are published.'),
  })
  .meta({ id: 'ClinicianAvailability' });
export type ClinicianAvailability = z.infer<typeof ClinicianAvailabilitySchema>;

export const ClinicianIdParamsSchema = z.strictObject({
  clinicianId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'Use a clinician id from the directory.' }),
});

/**
 * Who may do what with a clinician's records (OWASP API1: checked on every id).
 * - view-profile: the clinician themself, admins, coordinators and supervisors see the full
 *   profile; everyone else signed in (clients, other therapists) the public view.
 * - edit-profile, edit-availability: the clinician themself or an admin; the clinician only
 *   SELF_SERVICE_CLINICIAN_FIELDS of the profile (the use case checks the fields).
 * - view-availability: the clinician themself, admins and coordinators (who run consultations).
 * Refusals: a client is told `not_found` (a client never learns what exists behind a staff
 * route); other staff are told `forbidden`, since they can see the directory anyway and a 403
 * tells them plainly that it is not theirs to change.
 */
export type ClinicianAction = 'view-profile' | 'edit-profile' | 'view-availability' | 'edit-availability';
export type ClinicianAccess = 'full' | 'public' | 'allowed' | 'not_found' | 'forbidden';

export function clinicianAccess(caller: Caller, clinicianId: string, action: ClinicianAction): ClinicianAccess {
  const self = caller.userId === clinicianId;
  if (action === 'view-profile') {
    return self || caller.role === 'admin' || caller.role === 'coordinator' || caller.role === 'supervisor' ? 'full' : 'public';
  }
  const allowed = self || caller.role === 'admin' || (action === 'view-availability' && caller.role === 'coordinator');
  if (allowed) return 'allowed';
  return caller.role === 'client' ? 'not_found' : 'forbidden';
}
