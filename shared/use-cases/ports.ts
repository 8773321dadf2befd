/**
 * The ports the signup and care-lifecycle use cases need, implemented by the adapters in
 * shared/adapters/ and by in-memory fakes in the unit tests. Use cases receive them as
 * parameters and never import an adapter.
 */
import type { ClinicianProfile } from '../domain/clinicians.js';
import type { StaffRole } from '../domain/roles.js';
import type { Availability } from '../domain/scheduling.js';
import type { ClientStage } from '../domain/signup.js';
import type { ConsentAcceptance, ConsentContext, SignupAccount } from '../domain/signup-workflow.js';
import type { UsStateCode } from '../domain/us-states.js';

export interface EmailOwner {
  userId: string;
  kind: 'client' | 'staff';
}

/** The client profile as stored (CLIENT#<id> / PROFILE). */
export interface ClientProfile extends SignupAccount {
  clientId: string;
  stage: ClientStage;
  createdAt: string;
  updatedAt: string;
  /** The running care-lifecycle execution, once started. */
  careLifecycleExecutionArn?: string;
}

export interface NewClient {
  clientId: string;
  account: SignupAccount;
  stage: ClientStage;
  consents: readonly ConsentAcceptance[];
  consentContext: ConsentContext;
  /** The signup request that created the client, kept for tracing. */
  requestId: string;
  createdAt: string;
}

/**
 * `created`: everything was written now. `email_taken`: nothing was written because the email
 * record exists (owner as read after the failed write; undefined if it vanished meanwhile).
 * `client_exists`: nothing was written because this client's records already exist while the
 * email record does not name this client.
 */
export type CreateClientResult =
  | { outcome: 'created' }
  | { outcome: 'email_taken'; owner: EmailOwner | undefined }
  | { outcome: 'client_exists' };

export interface SentNotification {
  /** Stable per kind of notification and period, e.g. `welcome`. */
  key: string;
  channel: 'email';
  messageId: string;
  sentAt: string;
}

export interface ClientRecords {
  /** Profile, email owner and consent records in ONE transaction, each only if absent. */
  createClient(client: NewClient): Promise<CreateClientResult>;
  getProfile(clientId: string): Promise<ClientProfile | undefined>;
  getEmailOwner(email: string): Promise<EmailOwner | undefined>;
  /** Throws ClientNotFoundError when the profile is gone (e.g. compensated). */
  setCareLifecycleExecution(clientId: string, executionArn: string, at: string): Promise<void>;
  hasNotification(clientId: string, key: string): Promise<boolean>;
  /** Records a sent notification; a record already there is fine. ClientNotFoundError when the profile is gone. */
  recordNotification(clientId: string, notification: SentNotification): Promise<void>;
  /** Deletes everything of the client and the email record if this client owns it. Idempotent. */
  removeClient(clientId: string, email: string): Promise<{ removedItems: number; emailReleased: boolean }>;
}

export interface NewIdentity {
  email: string;
  firstName: string;
  lastName: string;
  /** The signup request that creates it, stored on the identity: a retry recognises its own user. */
  signupRequestId: string;
}

export interface ExistingIdentity {
  userId: string;
  /** Absent on identities not made by signup (or made before the attribute existed). */
  signupRequestId?: string;
}

/** The client user pool, as an administrator sees it. Users are addressed by their (normalized) email. */
export interface ClientIdentityAdmin {
  /** Creates a confirmed user with a verified email and no invitation; EmailAlreadyRegisteredError if the username exists. */
  createUser(identity: NewIdentity): Promise<{ userId: string }>;
  setPermanentPassword(email: string, password: string): Promise<void>;
  addToGroup(email: string, group: string): Promise<void>;
  /** The user's id (Cognito `sub`) and signup request, or undefined when there is no such user. */
  findUser(email: string): Promise<ExistingIdentity | undefined>;
  /** `not_found` when there was no such user. */
  deleteUser(email: string): Promise<'deleted' | 'not_found'>;
}

export interface EmailAttachment {
  filename: string;
  /** e.g. `text/calendar`; sent with charset UTF-8. */
  contentType: string;
  /** Text content (UTF-8). */
  content: string;
  /** iTIP method of a calendar attachment (`REQUEST`, `CANCEL`): mail clients show it as an invite. */
  method?: string;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** With attachments the email goes as a raw MIME message (SES SendRawEmail). */
  attachments?: readonly EmailAttachment[];
}

export interface EmailSender {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Starts executions of ONE Standard workflow. Same name + same input again = the same execution. */
export interface WorkflowStarter {
  start(execution: { name: string; input: { [key: string]: JsonValue } }): Promise<{ executionArn: string; alreadyStarted: boolean }>;
}

/**
 * A clinician as consultation scheduling needs them (shared/adapters/dynamodb/clinician-repository.ts).
 * `credential` is a code of CREDENTIALS (shared/domain/clinicians.ts; CREDENTIAL_LABELS writes it).
 * `availability` is empty (no hours) when the clinician has not published any.
 */
export interface ConsultationClinician {
  clinicianId: string;
  firstName: string;
  lastName: string;
  pronouns?: string;
  credential: string;
  email: string;
  timezone: string;
  videoRoomUrl: string;
  availability: Availability;
  /** Whether they hold free consultations now (getConsultationClinician returns them either way). */
  offersConsultations: boolean;
  /** Licensed states with the last valid day of each (no license numbers). */
  licenses: { state: UsStateCode; expiresOn: string }[];
}

export interface ConsultationDirectory {
  /** Clinicians offering free consultations, with a license in `state` valid on `onDate` (YYYY-MM-DD), with their availability. Query GSI1 + BatchGet, no Scan. */
  listConsultationClinicians(state: UsStateCode, onDate: string): Promise<ConsultationClinician[]>;
  /**
   * The clinician by id, whether or not they offer consultations today (an existing booking
   * still needs their details): check `offersConsultations` and `licenses` before a new booking.
   * Undefined when there is no clinician profile with this id.
   */
  getConsultationClinician(clinicianId: string): Promise<ConsultationClinician | undefined>;
}

/**
 * `created`: profile, listing items (and the email record when claimed) were written now.
 * `email_taken`: nothing was written; the email record exists. `exists`: nothing was written;
 * a clinician profile with this id exists.
 */
export type CreateClinicianResult =
  | { outcome: 'created' }
  | { outcome: 'email_taken'; owner: EmailOwner | undefined }
  | { outcome: 'exists' };

export interface StoredAvailability {
  availability: Availability;
  updatedAt: string;
}

/** Clinician profiles and availability (STAFF#<id> / PROFILE, AVAILABILITY, CONSULTS_IN#<state>). */
export interface ClinicianRecords {
  /**
   * Profile, by-state listing items and (unless `claimEmail` is false) the email record in ONE
   * transaction. A bare staff record without clinician fields at this id is upgraded.
   */
  createProfile(profile: ClinicianProfile, options?: { claimEmail?: boolean }): Promise<CreateClinicianResult>;
  getProfile(clinicianId: string): Promise<ClinicianProfile | undefined>;
  getEmailOwner(email: string): Promise<EmailOwner | undefined>;
  /**
   * Replaces `previous` with `next` only if the stored version is still `previous.version`
   * (`conflict` otherwise: re-read and re-apply); stale listing items go in the same transaction.
   */
  replaceProfile(previous: ClinicianProfile, next: ClinicianProfile): Promise<'updated' | 'conflict'>;
  /** Writes availability if the clinician profile exists; with `onlyIfAbsent`, never overwrites. */
  putAvailability(
    clinicianId: string,
    availability: Availability,
    updatedAt: string,
    options?: { onlyIfAbsent?: boolean },
  ): Promise<'written' | 'not_found' | 'exists'>;
  getAvailability(clinicianId: string): Promise<StoredAvailability | undefined>;
  /** Deletes the profile, listings, availability and the email record if this clinician owns it. Idempotent. */
  removeClinician(clinicianId: string, email: string): Promise<void>;
}

export interface NewStaffIdentity {
  email: string;
  firstName: string;
  lastName: string;
  /** Meets the pool's policy; the person must replace it at first sign-in. */
  temporaryPassword: string;
}

/** The staff user pool, as an administrator sees it. Users are addressed by their (normalized) email. */
export interface StaffIdentityAdmin {
  /** Creates the user with a temporary password and no message from Cognito; EmailAlreadyRegisteredError if it exists. */
  createUser(identity: NewStaffIdentity): Promise<{ userId: string }>;
  addToGroup(email: string, group: StaffRole): Promise<void>;
  /** The user's id (Cognito `sub`), or undefined when there is no such user. */
  findUser(email: string): Promise<{ userId: string } | undefined>;
  /** `not_found` when there was no such user. */
  deleteUser(email: string): Promise<'deleted' | 'not_found'>;
}
