/**
 * The ports the signup and care-lifecycle use cases need, implemented by the adapters in
 * shared/adapters/ and by in-memory fakes in the unit tests. Use cases receive them as
 * parameters and never import an adapter.
 */
import type { CareEndReason, CareRelationship, CareRelationshipKind } from '../domain/access.js';
import type { AuditEvent } from '../domain/audit.js';
import type { ClinicianProfile } from '../domain/clinicians.js';
import type { StaffRole } from '../domain/roles.js';
import type { Availability } from '../domain/scheduling.js';
import type { StaffAuditEvent } from '../domain/staff-audit.js';
import type { ClientStage } from '../domain/signup.js';
import type { EmailVerificationRecord } from '../domain/email-verification.js';
import type { ConsentAcceptance, ConsentContext, SignupAccount } from '../domain/signup-workflow.js';
import type { UsStateCode } from '../domain/us-states.js';
import type { NoteBinding, SealedNote } from '../domain/notes/psychotherapy-notes.js';

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
  /** When the client proved the email (POST /v1/signup/verify); absent until then. */
  emailVerifiedAt?: string;
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
  /**
   * Never set by signup (a new client proves the email later); for records made outside signup,
   * e.g. synthetic clients in tests and benchmarks that stand for already verified people.
   */
  emailVerifiedAt?: string;
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
  /** Stores a new code's record (replacing any earlier one) while the profile exists; ClientNotFoundError otherwise. */
  putEmailVerification(clientId: string, record: Pick<EmailVerificationRecord, 'codeHash' | 'createdAt' | 'codeExpiresAt'>): Promise<void>;
  getEmailVerification(clientId: string): Promise<EmailVerificationRecord | undefined>;
  /** Counts a wrong code against the record, only while it still holds `codeHash` (a newer code resets the count). */
  countWrongCode(clientId: string, codeHash: string): Promise<void>;
  /**
   * ONE transaction: marks the code used and the profile verified, only if the record still holds
   * `codeHash`, unused, under the attempt limit and unexpired at `at`. `rejected` otherwise (a
   * concurrent use, a newer code): nothing was written.
   */
  completeEmailVerification(clientId: string, codeHash: string, at: string): Promise<'verified' | 'rejected'>;
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
  /**
   * Creates a user with an UNVERIFIED email and no invitation; EmailAlreadyRegisteredError if
   * the username exists. The email is marked verified only by markEmailVerified.
   */
  createUser(identity: NewIdentity): Promise<{ userId: string }>;
  /** Sets `email_verified` to true, once the person proved the address (POST /v1/signup/verify). */
  markEmailVerified(email: string): Promise<void>;
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

export interface NewCareRelationship {
  clientId: string;
  clinicianId: string;
  kind: CareRelationshipKind;
  /** UTC ISO instant. */
  startedAt: string;
}

/**
 * `begun`: written now. `already_active`: this clinician already holds this kind of
 * relationship with the client (a retry): nothing written, the stored one is returned.
 * `occupied`: another clinician holds it (one active consultation clinician and one active
 * therapist per client): end theirs first. `client_not_found`: no client profile.
 */
export type BeginCareResult =
  | { outcome: 'begun' | 'already_active'; relationship: CareRelationship }
  | { outcome: 'occupied'; active: CareRelationship }
  | { outcome: 'client_not_found' };

export interface EndCare {
  clientId: string;
  clinicianId: string;
  kind: CareRelationshipKind;
  /** UTC ISO instant. */
  endedAt: string;
  endReason: CareEndReason;
}

/** `not_active`: this clinician holds no active relationship of this kind (e.g. a retry after `ended`). */
export type EndCareResult = { outcome: 'ended'; relationship: CareRelationship } | { outcome: 'not_active' };

/**
 * Clinicians' relationships to clients (shared/adapters/dynamodb/care-team-repository.ts).
 * Reads by client are strongly consistent (access decisions use them); `clientsOf` reads an
 * index and may lag by a moment (listings only, never access).
 */
export interface CareRelationships {
  /** Starts a relationship; idempotent per (client, kind, clinician) while it is active. */
  begin(relationship: NewCareRelationship): Promise<BeginCareResult>;
  /** Sets `endedAt` and `endReason`; the item stays as history. */
  end(end: EndCare): Promise<EndCareResult>;
  /** The client's active relationships (at most one per kind). */
  activeFor(clientId: string): Promise<CareRelationship[]>;
  /** All of the client's relationships, ended ones included, oldest first: the input of decideClientAccess. */
  relationshipsOf(clientId: string): Promise<CareRelationship[]>;
  /** Every relationship between this client and this clinician (both kinds, ended included), oldest first. */
  relationship(clientId: string, clinicianId: string): Promise<CareRelationship[]>;
  /** "My clients": the clinician's active relationships (newest first) or ended ones (most recently ended first). */
  clientsOf(clinicianId: string, status: 'active' | 'ended'): Promise<CareRelationship[]>;
}

/** Appends audit events to the client's tamper-evident chain (shared/adapters/dynamodb/audit-log.ts). */
export interface AuditLog {
  /** Resolves once the event is durably appended; throws otherwise (callers fail closed). */
  record(event: AuditEvent): Promise<void>;
}

/** The staff audit trail (credentialing changes; shared/domain/staff-audit.ts): one chain per staff member. */
export interface StaffAuditLog {
  /** Resolves once the event is durably appended to `event.staffId`'s chain; throws otherwise. */
  record(event: StaffAuditEvent): Promise<void>;
}

/**
 * The keyed MAC (HMAC-SHA-256) that links the audit chain (shared/use-cases/access/audit-chain.ts).
 * In AWS a KMS HMAC key that only the audit writers and the verifier may use; locally and in
 * tests an HMAC with a random key from the environment (shared/adapters/audit-mac/).
 */
export interface AuditMac {
  /** The MAC of `data` (UTF-8), lowercase hex. */
  mac(data: string): Promise<string>;
  /** Whether `mac` is the MAC of `data`; false for anything malformed, never a throw for a wrong MAC. */
  verify(data: string, mac: string): Promise<boolean>;
}

/**
 * Write-once storage of the audit events outside the table (S3 with Object Lock in COMPLIANCE
 * mode: shared/adapters/s3/audit-archive.ts). Each link is put once under its own key; putting
 * the same key again with the same body (a redelivered stream record) is harmless.
 */
export interface AuditArchive {
  /** Stores `body` (JSON) under `key`; resolves once stored, throws otherwise. */
  put(key: string, body: string): Promise<void>;
}

/** What raised a risk flag: one assessment or one check-in (its id names the risk task and the workflow run). */
export interface RiskSource {
  type: 'assessment' | 'check_in';
  id: string;
}

/** Starts the risk-escalation workflow (shared/adapters/sfn/risk-escalation-starter.ts). */
export interface RiskEscalationStarter {
  /**
   * Starts (idempotently, per source record) the risk escalation workflow. Ids only: the
   * workflow reads the level and the flag's time from the record (it was saved first).
   */
  start(input: { clientId: string; source: RiskSource }): Promise<void>;
}

/** Attendance statuses of a therapy session (DESIGN.md "Sessions"; FHIR Appointment fulfilled / cancelled / noshow). */
export type SessionAttendance = 'attended' | 'late_cancel' | 'no_show' | 'cancelled' | 'scheduled';

/** What the notes area needs to know of a therapy session. */
export interface SessionFacts {
  sessionId: string;
  clientId: string;
  /** The clinician who held it. */
  clinicianId: string;
  /** UTC ISO instant. */
  startsAt: string;
  /** Absent or `scheduled` until attendance is recorded. */
  attendance?: SessionAttendance;
  /** A joint session: its care unit (then `clientId` is the unit's id) and the members it invited. */
  unitId?: string;
  invitedMemberIds?: string[];
}

/**
 * Looks a therapy session up by id (shared/adapters/dynamodb/attended-session-lookup.ts): a
 * progress note is written for an ATTENDED session only. Owned by the sessions area; this port
 * keeps the notes area independent of how sessions are stored.
 */
export interface AttendedSessionLookup {
  /** The session, or undefined when there is no session with this id. */
  find(sessionId: string): Promise<SessionFacts | undefined>;
}

/**
 * Envelope encryption of psychotherapy notes (shared/adapters/note-cipher/): in AWS a data key
 * from the dedicated KMS key per note, locally an AES-256-GCM key per data folder. Every sealed
 * note is bound to its author and note id (KMS encryption context and AES-GCM additional data).
 */
export interface NoteCipher {
  encrypt(plaintext: string, binding: NoteBinding): Promise<SealedNote>;
  /** Throws when the sealed note does not open under this binding (moved, changed, another key). */
  decrypt(sealed: SealedNote, binding: NoteBinding): Promise<string>;
}
