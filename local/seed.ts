/**
 * Synthetic demo data, safe to run on every start: staff accounts in the staff user pool and
 * their profiles in the table; the coordinator and the therapists get full clinician profiles
 * (licenses in their states, consultations offered by the coordinator and two therapists) and
 * weekly hours, Monday to Friday 09:00-17:00 in their own zone. Every name, license number and
 * address is invented; every email is @example.com. An account, profile or set of hours that
 * already exists is left as it is (someone may have changed it).
 *
 * Runs with the stack environment applied: the SDK clients find the emulators through
 * AWS_ENDPOINT_URL_*, like the application's own adapters.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createClinicianRepository } from '../shared/adapters/dynamodb/clinician-repository.js';
import { keys } from '../shared/adapters/dynamodb/keys.js';
import {
  newClinicianProfile,
  type ClinicianProfileRole,
  type CreateClinicianRequest,
  type Credential,
  type Modality,
  type Specialty,
} from '../shared/domain/clinicians.js';
import { passwordProblems } from '../shared/domain/password-policy.js';
import type { Availability } from '../shared/domain/scheduling.js';
import type { StaffRole } from '../shared/domain/roles.js';
import { normalizeEmail } from '../shared/domain/signup.js';

/** The one password of every demo account (printed by `npm start`; synthetic data only). */
export const DEMO_PASSWORD = 'Demo-Password-2026!';

export interface DemoStaffMember {
  email: string;
  role: StaffRole;
  firstName: string;
  lastName: string;
  /** US states where the clinician may practise (two-letter codes). */
  licensedStates: string[];
  timezone: string;
  /** Therapists and the coordinator: what their clinician profile says beyond the above. */
  clinician?: DemoClinician;
}

export interface DemoClinician {
  credential: Credential;
  pronouns?: string;
  specialties: Specialty[];
  modalities: Modality[];
  languages: string[];
  offersConsultations: boolean;
  bio: string;
}

/** Everybody's demo hours, in their own time zone. */
export const DEMO_WEEKLY_HOURS: Availability = {
  weekly: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '09:00', end: '17:00' })),
  exceptions: [],
};

export const DEMO_STAFF: readonly DemoStaffMember[] = [
  { email: 'admin@example.com', role: 'admin', firstName: 'Morgan', lastName: 'Ellery', licensedStates: [], timezone: 'America/New_York' },
  {
    email: 'coordinator@example.com',
    role: 'coordinator',
    firstName: 'Jordan',
    lastName: 'Reyland',
    licensedStates: ['OH', 'CA', 'NY', 'TX', 'FL'],
    timezone: 'America/New_York',
    clinician: {
      credential: 'lpcc',
      pronouns: 'they/them',
      specialties: ['anxiety', 'depression', 'stress', 'life_transitions'],
      modalities: ['cbt', 'motivational_interviewing', 'solution_focused'],
      languages: ['en', 'es'],
      offersConsultations: true,
      bio: 'Demo coordinator (synthetic). Holds free 15-minute consultations and helps people find the right therapist.',
    },
  },
  { email: 'supervisor@example.com', role: 'supervisor', firstName: 'Dana', lastName: 'Whitcombe', licensedStates: ['OH', 'CA', 'NY', 'TX', 'FL'], timezone: 'America/Chicago' },
  {
    email: 'therapist.oh@example.com',
    role: 'therapist',
    firstName: 'Priya',
    lastName: 'Natarell',
    licensedStates: ['OH'],
    timezone: 'America/New_York',
    clinician: {
      credential: 'lpcc',
      pronouns: 'she/her',
      specialties: ['anxiety', 'ocd', 'panic', 'school_academic'],
      modalities: ['cbt', 'erp', 'act'],
      languages: ['en', 'hi'],
      offersConsultations: true,
      bio: 'Demo therapist (synthetic). Works with anxiety and OCD using CBT and exposure and response prevention.',
    },
  },
  {
    email: 'therapist.ca@example.com',
    role: 'therapist',
    firstName: 'Samuel',
    lastName: 'Okaford',
    licensedStates: ['CA'],
    timezone: 'America/Los_Angeles',
    clinician: {
      credential: 'lmft',
      pronouns: 'he/him',
      specialties: ['relationships', 'family_conflict', 'parenting'],
      modalities: ['couples_therapy', 'family_systems', 'emotionally_focused'],
      languages: ['en'],
      offersConsultations: false,
      bio: 'Demo therapist (synthetic). Sees couples and families.',
    },
  },
  {
    email: 'therapist.ny@example.com',
    role: 'therapist',
    firstName: 'Elena',
    lastName: 'Marvell',
    licensedStates: ['NY', 'FL'],
    timezone: 'America/New_York',
    clinician: {
      credential: 'psychologist_psyd',
      pronouns: 'she/her',
      specialties: ['trauma_ptsd', 'grief', 'depression'],
      modalities: ['cpt', 'pe', 'emdr'],
      languages: ['en', 'ru'],
      offersConsultations: false,
      bio: 'Demo psychologist (synthetic). Trauma-focused care with CPT, PE and EMDR.',
    },
  },
  {
    email: 'therapist.tx@example.com',
    role: 'therapist',
    firstName: 'Thomas',
    lastName: 'Bergstrand',
    licensedStates: ['TX'],
    timezone: 'America/Chicago',
    clinician: {
      credential: 'lcsw',
      specialties: ['substance_use', 'depression', 'anger'],
      modalities: ['motivational_interviewing', 'cbt', 'behavioral_activation'],
      languages: ['en'],
      offersConsultations: false,
      bio: 'Demo social worker (synthetic). Substance use and depression.',
    },
  },
  {
    email: 'therapist.fl@example.com',
    role: 'therapist',
    firstName: 'Aisha',
    lastName: 'Rahmani',
    licensedStates: ['FL', 'OH'],
    timezone: 'America/New_York',
    clinician: {
      credential: 'lmhc',
      pronouns: 'she/her',
      specialties: ['depression', 'self_harm', 'eating', 'bipolar'],
      modalities: ['dbt', 'ipt', 'cbt'],
      languages: ['en', 'ar', 'fr'],
      offersConsultations: true,
      bio: 'Demo counselor (synthetic). DBT for emotion regulation; depression and bipolar disorder.',
    },
  },
];

export interface SeedResult {
  /** Identities created by this run (0 on a re-run). */
  createdUsers: number;
  /** Table items written by this run (0 on a re-run). */
  createdItems: number;
}

export async function seedDemoData(options: { staffUserPoolId: string; tableName: string; now?: () => Date }): Promise<SeedResult> {
  if (passwordProblems(DEMO_PASSWORD).length > 0) throw new Error('The demo password must meet the password policy');
  const now = options.now ?? (() => new Date());
  const cognito = new CognitoIdentityProviderClient({});
  const table = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  const clinicians = createClinicianRepository({ documentClient: table, tableName: options.tableName });
  const result: SeedResult = { createdUsers: 0, createdItems: 0 };
  try {
    for (const member of DEMO_STAFF) {
      const email = normalizeEmail(member.email);
      const { userId, created } = await ensureStaffIdentity(cognito, options.staffUserPoolId, email, member);
      if (created) result.createdUsers += 1;
      const createdAt = now().toISOString();
      const emailOwner = { ...keys.emailOwner(email), entityType: 'email', email, owner: { userId, kind: 'staff' }, createdAt };
      if (await putIfAbsent(table, options.tableName, emailOwner)) result.createdItems += 1;
      if (member.clinician) {
        result.createdItems += await ensureClinician(clinicians, userId, email, member, member.clinician, now());
        continue;
      }
      const profile = {
        ...keys.staffProfile(userId),
        ...keys.staffByRole(member.role, member.lastName, userId),
        entityType: 'staff',
        userId,
        role: member.role,
        email,
        firstName: member.firstName,
        lastName: member.lastName,
        licensedStates: member.licensedStates,
        timezone: member.timezone,
        createdAt,
      };
      if (await putIfAbsent(table, options.tableName, profile)) result.createdItems += 1;
    }
  } finally {
    cognito.destroy();
    table.destroy();
  }
  return result;
}

async function ensureStaffIdentity(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  email: string,
  member: DemoStaffMember,
): Promise<{ userId: string; created: boolean }> {
  let created = false;
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'given_name', Value: member.firstName },
          { Name: 'family_name', Value: member.lastName },
        ],
      }),
    );
    created = true;
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
  }
  if (created) {
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: email, Password: DEMO_PASSWORD, Permanent: true }));
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: member.role }));
  }
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
  const userId = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!userId) throw new Error(`Demo account ${email} has no sub`);
  return { userId, created };
}

/** True when written; false when the item was already there (never overwritten). */
async function putIfAbsent(table: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>): Promise<boolean> {
  try {
    await table.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Demo licenses stay valid two years past the seeding year. */
function demoLicenseExpiry(now: Date): string {
  return `${now.getUTCFullYear() + 2}-12-31`;
}

/** The clinician profile (with its listings) and weekly hours, each only if absent; returns items written. */
async function ensureClinician(
  clinicians: ReturnType<typeof createClinicianRepository>,
  userId: string,
  email: string,
  member: DemoStaffMember,
  clinician: DemoClinician,
  now: Date,
): Promise<number> {
  let written = 0;
  const request: CreateClinicianRequest = {
    email,
    role: member.role as ClinicianProfileRole,
    firstName: member.firstName,
    lastName: member.lastName,
    ...(clinician.pronouns ? { pronouns: clinician.pronouns } : {}),
    credential: clinician.credential,
    licenses: member.licensedStates.map((state, index) => ({
      state: state as CreateClinicianRequest['licenses'][number]['state'],
      number: `DEMO-${state}-${String(1000 + DEMO_STAFF.indexOf(member) * 10 + index)}`,
      expiresOn: demoLicenseExpiry(now),
    })),
    specialties: clinician.specialties,
    modalities: clinician.modalities,
    clientTypes: member.role === 'coordinator' ? ['individual', 'couple', 'family', 'student'] : ['individual', 'student'],
    languages: clinician.languages,
    bio: clinician.bio,
    timezone: member.timezone,
    offersConsultations: clinician.offersConsultations,
    // Coordinators hold consultations and matching, not a caseload.
    acceptingNewClients: member.role !== 'coordinator',
    caseloadCapacity: member.role === 'coordinator' ? 0 : 25,
    videoRoomUrl: `https://video.example.com/rooms/${userId}`,
  };
  const profile = newClinicianProfile(userId, request, now.toISOString());
  // The email record is written above, like every staff member's.
  const created = await clinicians.createProfile(profile, { claimEmail: false });
  if (created.outcome === 'created') written += 1 + (profile.offersConsultations ? profile.licenses.length : 0);
  const hours = await clinicians.putAvailability(userId, DEMO_WEEKLY_HOURS, now.toISOString(), { onlyIfAbsent: true });
  if (hours === 'written') written += 1;
  if (hours === 'not_found') throw new Error(`Demo clinician ${email} has no profile`);
  return written;
}
