/**
 * The ports the signup and care-lifecycle use cases need, implemented by the adapters in
 * shared/adapters/ and by in-memory fakes in the unit tests. Use cases receive them as
 * parameters and never import an adapter.
 */
import type { ClientStage } from '../domain/signup.js';
import type { ConsentAcceptance, ConsentContext, SignupAccount } from '../domain/signup-workflow.js';

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

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface EmailSender {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Starts executions of ONE Standard workflow. Same name + same input again = the same execution. */
export interface WorkflowStarter {
  start(execution: { name: string; input: { [key: string]: JsonValue } }): Promise<{ executionArn: string; alreadyStarted: boolean }>;
}
