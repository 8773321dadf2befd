/**
 * In-memory implementations of the ports in shared/use-cases/ports.ts, with the same
 * contracts as the adapters (conditional writes, idempotent deletes), for unit tests of the
 * workflow task use cases. Each records what it was asked to do.
 */
import { VERIFICATION_MAX_ATTEMPTS, type EmailVerificationRecord } from '../../../shared/domain/email-verification.js';
import { EmailAlreadyRegisteredError } from '../../../shared/domain/errors.js';
import type {
  ClientIdentityAdmin,
  ClientProfile,
  ClientRecords,
  EmailOwner,
  EmailSender,
  JsonValue,
  NewClient,
  NewIdentity,
  OutgoingEmail,
  SentNotification,
  WorkflowStarter,
} from '../../../shared/use-cases/ports.js';
import { ClientNotFoundError, WorkflowExecutionConflictError } from '../../../shared/use-cases/workflow-errors.js';

export class FakeClientRecords implements ClientRecords {
  readonly profiles = new Map<string, ClientProfile>();
  readonly emailOwners = new Map<string, EmailOwner>();
  readonly consents = new Map<string, NewClient['consents'][number][]>();
  readonly notifications = new Map<string, SentNotification>();
  /** By client id: what the table holds (the hash, never the code). */
  readonly verifications = new Map<string, EmailVerificationRecord>();
  createCalls = 0;

  async createClient(client: NewClient) {
    this.createCalls += 1;
    const email = client.account.email;
    if (this.emailOwners.has(email)) return { outcome: 'email_taken' as const, owner: this.emailOwners.get(email) };
    if (this.profiles.has(client.clientId)) return { outcome: 'client_exists' as const };
    this.profiles.set(client.clientId, {
      ...client.account,
      clientId: client.clientId,
      stage: client.stage,
      createdAt: client.createdAt,
      updatedAt: client.createdAt,
      ...(client.emailVerifiedAt === undefined ? {} : { emailVerifiedAt: client.emailVerifiedAt }),
    });
    this.emailOwners.set(email, { userId: client.clientId, kind: 'client' });
    this.consents.set(client.clientId, [...client.consents]);
    return { outcome: 'created' as const };
  }

  async getProfile(clientId: string) {
    return this.profiles.get(clientId);
  }

  async getEmailOwner(email: string) {
    return this.emailOwners.get(email);
  }

  async setCareLifecycleExecution(clientId: string, executionArn: string, at: string) {
    const profile = this.profiles.get(clientId);
    if (!profile) throw new ClientNotFoundError(clientId);
    this.profiles.set(clientId, { ...profile, careLifecycleExecutionArn: executionArn, updatedAt: at });
  }

  async hasNotification(clientId: string, key: string) {
    return this.notifications.has(`${clientId}/${key}`);
  }

  async recordNotification(clientId: string, notification: SentNotification) {
    if (!this.profiles.has(clientId)) throw new ClientNotFoundError(clientId);
    if (!this.notifications.has(`${clientId}/${notification.key}`)) this.notifications.set(`${clientId}/${notification.key}`, notification);
  }

  async putEmailVerification(clientId: string, record: Pick<EmailVerificationRecord, 'codeHash' | 'createdAt' | 'codeExpiresAt'>) {
    if (!this.profiles.has(clientId)) throw new ClientNotFoundError(clientId);
    this.verifications.set(clientId, { ...record, attempts: 0 });
  }

  async getEmailVerification(clientId: string) {
    const record = this.verifications.get(clientId);
    return record && { ...record };
  }

  async countWrongCode(clientId: string, codeHash: string) {
    const record = this.verifications.get(clientId);
    if (record?.codeHash === codeHash) record.attempts += 1;
  }

  async completeEmailVerification(clientId: string, codeHash: string, at: string) {
    const record = this.verifications.get(clientId);
    const profile = this.profiles.get(clientId);
    if (
      !record ||
      !profile ||
      record.codeHash !== codeHash ||
      record.usedAt !== undefined ||
      record.attempts >= VERIFICATION_MAX_ATTEMPTS ||
      !(record.codeExpiresAt > at)
    ) {
      return 'rejected' as const;
    }
    record.usedAt = at;
    this.profiles.set(clientId, { ...profile, emailVerifiedAt: at, updatedAt: at });
    return 'verified' as const;
  }

  async removeClient(clientId: string, email: string) {
    let removedItems = 0;
    if (this.verifications.delete(clientId)) removedItems += 1;
    if (this.profiles.delete(clientId)) removedItems += 1;
    removedItems += this.consents.get(clientId)?.length ?? 0;
    this.consents.delete(clientId);
    for (const key of [...this.notifications.keys()].filter((k) => k.startsWith(`${clientId}/`))) {
      this.notifications.delete(key);
      removedItems += 1;
    }
    const owner = this.emailOwners.get(email);
    const emailReleased = owner?.userId === clientId;
    if (emailReleased) this.emailOwners.delete(email);
    return { removedItems, emailReleased };
  }
}

interface FakeUser {
  userId: string;
  signupRequestId: string;
  firstName: string;
  lastName: string;
  password?: string;
  groups: string[];
  emailVerified?: boolean;
}

export class FakeIdentityAdmin implements ClientIdentityAdmin {
  readonly users = new Map<string, FakeUser>();
  readonly calls: string[] = [];
  /** Makes the named operation fail once. */
  failNext: Partial<Record<'setPermanentPassword' | 'addToGroup' | 'deleteUser', Error>> = {};
  private nextId = 1;

  private maybeFail(operation: keyof FakeIdentityAdmin['failNext']): void {
    const error = this.failNext[operation];
    if (error) {
      delete this.failNext[operation];
      throw error;
    }
  }

  async createUser(identity: NewIdentity) {
    this.calls.push(`createUser ${identity.email}`);
    if (this.users.has(identity.email)) throw new EmailAlreadyRegisteredError();
    const userId = `user-${this.nextId++}`;
    this.users.set(identity.email, { ...identity, userId, groups: [] });
    return { userId };
  }

  async markEmailVerified(email: string) {
    this.calls.push(`markEmailVerified ${email}`);
    const user = this.users.get(email);
    if (!user) throw Object.assign(new Error('no user'), { name: 'UserNotFoundException' });
    user.emailVerified = true;
  }

  async setPermanentPassword(email: string, password: string) {
    this.calls.push(`setPermanentPassword ${email}`);
    this.maybeFail('setPermanentPassword');
    const user = this.users.get(email);
    if (!user) throw Object.assign(new Error('no user'), { name: 'UserNotFoundException' });
    user.password = password;
  }

  async addToGroup(email: string, group: string) {
    this.calls.push(`addToGroup ${email} ${group}`);
    this.maybeFail('addToGroup');
    const user = this.users.get(email);
    if (user && !user.groups.includes(group)) user.groups.push(group);
  }

  async findUser(email: string) {
    const user = this.users.get(email);
    return user && { userId: user.userId, signupRequestId: user.signupRequestId };
  }

  async deleteUser(email: string) {
    this.calls.push(`deleteUser ${email}`);
    this.maybeFail('deleteUser');
    return this.users.delete(email) ? ('deleted' as const) : ('not_found' as const);
  }
}

export class FakeEmailSender implements EmailSender {
  readonly sent: OutgoingEmail[] = [];
  failNext: Error | undefined;

  async send(email: OutgoingEmail) {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    this.sent.push(email);
    return { messageId: `message-${this.sent.length}` };
  }
}

/** Step Functions' rules for Standard executions: same name + same input = the same execution. */
export class FakeWorkflowStarter implements WorkflowStarter {
  readonly executions = new Map<string, string>();

  async start({ name, input }: { name: string; input: { [key: string]: JsonValue } }) {
    const existing = this.executions.get(name);
    const text = JSON.stringify(input);
    if (existing !== undefined && existing !== text) throw new WorkflowExecutionConflictError(name);
    this.executions.set(name, text);
    return { executionArn: `arn:aws:states:us-east-1:000000000000:execution:care-lifecycle:${name}`, alreadyStarted: existing !== undefined };
  }
}

export const fixedNow = () => new Date('2026-11-20T15:00:00.000Z');
