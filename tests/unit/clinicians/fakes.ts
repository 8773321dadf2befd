/**
 * In-memory ports for the clinician use cases, with the adapters' contracts (conditional
 * writes, version-guarded replace, idempotent removal). Faults are injected per call.
 */
import type { ChainVerification } from '../../../shared/domain/audit.js';
import type { ClinicianProfile } from '../../../shared/domain/clinicians.js';
import { EmailAlreadyRegisteredError } from '../../../shared/domain/errors.js';
import type { StaffRole } from '../../../shared/domain/roles.js';
import type { Availability } from '../../../shared/domain/scheduling.js';
import { StaffAuditEventSchema, type StaffAuditEvent } from '../../../shared/domain/staff-audit.js';
import { nextStaffLink, verifyStaffLinks, type StaffAuditChainLink } from '../../../shared/use-cases/clinicians/staff-audit-chain.js';
import { testAuditMac } from '../access/fakes.js';
import type {
  ClinicianRecords,
  CreateClinicianResult,
  EmailOwner,
  EmailSender,
  NewStaffIdentity,
  OutgoingEmail,
  AuditMac,
  StaffAuditLog,
  StaffIdentityAdmin,
  StoredAvailability,
} from '../../../shared/use-cases/ports.js';

export class FakeClinicianRecords implements ClinicianRecords {
  readonly profiles = new Map<string, ClinicianProfile>();
  readonly emailOwners = new Map<string, EmailOwner>();
  readonly availability = new Map<string, StoredAvailability>();
  /** Conflicts to report before replaces succeed (simulates concurrent editors). */
  pendingConflicts = 0;
  failCreate?: Error;
  replaceCalls = 0;

  async createProfile(profile: ClinicianProfile, { claimEmail = true } = {}): Promise<CreateClinicianResult> {
    if (this.failCreate) throw this.failCreate;
    if (claimEmail && this.emailOwners.has(profile.email)) return { outcome: 'email_taken', owner: this.emailOwners.get(profile.email) };
    if (this.profiles.has(profile.clinicianId)) return { outcome: 'exists' };
    this.profiles.set(profile.clinicianId, profile);
    if (claimEmail) this.emailOwners.set(profile.email, { userId: profile.clinicianId, kind: 'staff' });
    return { outcome: 'created' };
  }

  async getProfile(clinicianId: string) {
    return this.profiles.get(clinicianId);
  }

  async getEmailOwner(email: string) {
    return this.emailOwners.get(email);
  }

  async replaceProfile(previous: ClinicianProfile, next: ClinicianProfile) {
    this.replaceCalls += 1;
    if (this.pendingConflicts > 0) {
      this.pendingConflicts -= 1;
      return 'conflict' as const;
    }
    if (this.profiles.get(previous.clinicianId)?.version !== previous.version) return 'conflict' as const;
    this.profiles.set(next.clinicianId, next);
    return 'updated' as const;
  }

  async putAvailability(clinicianId: string, availability: Availability, updatedAt: string, { onlyIfAbsent = false } = {}) {
    if (!this.profiles.has(clinicianId)) return 'not_found' as const;
    if (onlyIfAbsent && this.availability.has(clinicianId)) return 'exists' as const;
    this.availability.set(clinicianId, { availability, updatedAt });
    return 'written' as const;
  }

  async getAvailability(clinicianId: string) {
    return this.availability.get(clinicianId);
  }

  async removeClinician(clinicianId: string, email: string) {
    this.profiles.delete(clinicianId);
    this.availability.delete(clinicianId);
    if (this.emailOwners.get(email)?.userId === clinicianId) this.emailOwners.delete(email);
  }
}

export class FakeStaffIdentities implements StaffIdentityAdmin {
  readonly users = new Map<string, { userId: string; groups: StaffRole[]; temporaryPassword: string }>();
  failAddToGroup?: Error;
  private next = 1;

  async createUser(identity: NewStaffIdentity) {
    if (this.users.has(identity.email)) throw new EmailAlreadyRegisteredError();
    const userId = `staff-${this.next++}`;
    this.users.set(identity.email, { userId, groups: [], temporaryPassword: identity.temporaryPassword });
    return { userId };
  }

  async addToGroup(email: string, group: StaffRole) {
    if (this.failAddToGroup) throw this.failAddToGroup;
    this.users.get(email)!.groups.push(group);
  }

  async findUser(email: string) {
    const user = this.users.get(email);
    return user && { userId: user.userId };
  }

  async deleteUser(email: string) {
    return this.users.delete(email) ? ('deleted' as const) : ('not_found' as const);
  }
}

export class FakeEmailSender implements EmailSender {
  readonly sent: OutgoingEmail[] = [];
  fail?: Error;

  async send(email: OutgoingEmail) {
    if (this.fail) throw this.fail;
    this.sent.push(email);
    return { messageId: `message-${this.sent.length}` };
  }
}

/** The staff audit trail, chained exactly as shared/adapters/dynamodb/staff-audit-log.ts does. */
export class FakeStaffAuditLog implements StaffAuditLog {
  readonly chains = new Map<string, StaffAuditChainLink[]>();
  failWith: Error | undefined;

  constructor(readonly mac: AuditMac = testAuditMac()) {}

  async record(input: StaffAuditEvent): Promise<void> {
    if (this.failWith) throw this.failWith;
    const event = StaffAuditEventSchema.parse(input);
    const chain = this.chains.get(event.staffId) ?? [];
    const last = chain.at(-1);
    chain.push(await nextStaffLink(this.mac, last && { seq: last.seq, hash: last.hash }, structuredClone(event)));
    this.chains.set(event.staffId, chain);
  }

  events(staffId: string): StaffAuditEvent[] {
    return (this.chains.get(staffId) ?? []).map((link) => link.event);
  }

  verifyChain(staffId: string): Promise<ChainVerification> {
    const chain = this.chains.get(staffId) ?? [];
    const last = chain.at(-1);
    return verifyStaffLinks(this.mac, staffId, chain, last && { seq: last.seq, hash: last.hash });
  }
}
