/**
 * In-memory RiskTasks, StaffDirectory, CareRelationships (activeFor/relationshipsOf), AuditLog
 * and EmailSender with the adapters' contracts (conditions, claim states), for the unit tests
 * of the risk-escalation tasks and the risk-task routes.
 */
import type { CareRelationship } from '../../../shared/domain/access.js';
import type { AuditEvent } from '../../../shared/domain/audit.js';
import type { StaffRole } from '../../../shared/domain/roles.js';
import { compareDue, isOpenStatus, type RiskTask } from '../../../shared/domain/risk-tasks.js';
import type { AuditLog, CareRelationships, EmailSender, OutgoingEmail } from '../../../shared/use-cases/ports.js';
import type { EmailClaim, RiskTasks, StaffContact, StaffDirectory } from '../../../shared/use-cases/risk/ports.js';

const clone = <T>(value: T): T => structuredClone(value);

interface StoredEmail {
  state: 'claimed' | 'sent' | 'unknown';
  claimId: string;
  claimedAt: string;
  messageId?: string;
}

export class FakeRiskTasks implements RiskTasks {
  readonly tasks = new Map<string, RiskTask>();
  readonly emails = new Map<string, StoredEmail>();
  readonly referrals = new Map<string, unknown>();
  private readonly lastRound = new Map<string, number>();

  async create(task: RiskTask) {
    const stored = this.tasks.get(task.taskId);
    if (stored) return { outcome: 'exists' as const, task: clone(stored) };
    this.tasks.set(task.taskId, clone(task));
    return { outcome: 'created' as const, task: clone(task) };
  }
  async get(taskId: string) {
    const task = this.tasks.get(taskId);
    return task && clone(task);
  }
  async listOpenAssignedTo(staffId: string) {
    return [...this.tasks.values()].filter((t) => t.responsibleClinicianId === staffId && isOpenStatus(t.status)).sort(compareDue).map(clone);
  }
  async listOpen() {
    return [...this.tasks.values()].filter((t) => isOpenStatus(t.status)).sort(compareDue).map(clone);
  }
  async hasOpenTask(clientId: string) {
    return [...this.tasks.values()].some((t) => t.clientId === clientId && isOpenStatus(t.status));
  }
  async openTaskDeadlines(clientId: string) {
    return [...this.tasks.values()].filter((t) => t.clientId === clientId && isOpenStatus(t.status)).map((t) => t.dueAt);
  }
  async acknowledge(taskId: string, by: string, at: string) {
    const task = this.tasks.get(taskId);
    if (!task) return { outcome: 'not_found' as const };
    if (task.status === 'open' || task.status === 'escalated' || task.status === 'unresolved') {
      Object.assign(task, { status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: by });
      return { outcome: 'acknowledged' as const, task: clone(task) };
    }
    if (task.acknowledgedBy === by) return { outcome: 'already_acknowledged' as const, task: clone(task) };
    return { outcome: task.status === 'assessed' ? ('closed' as const) : ('acknowledged_by_other' as const), task: clone(task) };
  }
  async assess(taskId: string, assessment: NonNullable<RiskTask['assessment']>, referral: unknown) {
    const task = this.tasks.get(taskId);
    if (!task) return { outcome: 'not_found' as const };
    if (task.status === 'assessed') return { outcome: 'closed' as const, task: clone(task) };
    Object.assign(task, { status: 'assessed', assessment: clone(assessment) });
    task.acknowledgedAt ??= assessment.assessedAt;
    task.acknowledgedBy ??= assessment.assessedBy;
    if (referral !== undefined) this.referrals.set(`${task.clientId}/${taskId}`, clone(referral));
    return { outcome: 'assessed' as const, task: clone(task) };
  }
  async recordEscalation(taskId: string, round: { round: number; at: string; notified: number }) {
    const task = this.tasks.get(taskId);
    if (!task) return 'not_found' as const;
    if ((this.lastRound.get(taskId) ?? 0) >= round.round) return 'already_recorded' as const;
    this.lastRound.set(taskId, round.round);
    task.escalations.push(clone(round));
    if (task.status === 'open') task.status = 'escalated';
    return 'recorded' as const;
  }
  async markUnresolved(taskId: string, at: string) {
    const task = this.tasks.get(taskId);
    if (!task) return 'not_found' as const;
    if (task.status === 'unresolved') return 'already_marked' as const;
    if (task.status !== 'open' && task.status !== 'escalated') return 'handled' as const;
    Object.assign(task, { status: 'unresolved', unresolvedAt: at });
    return 'marked' as const;
  }
  async claimEmail(taskId: string, key: string, claimId: string, at: string): Promise<EmailClaim> {
    const id = `${taskId}/${key}`;
    const stored = this.emails.get(id);
    if (!stored) {
      this.emails.set(id, { state: 'claimed', claimId, claimedAt: at });
      return { state: 'claimed' };
    }
    return stored.state === 'claimed' ? { state: 'in_flight', claimedAt: stored.claimedAt } : { state: 'sent' };
  }
  async confirmEmail(taskId: string, key: string, claimId: string, messageId: string) {
    const stored = this.emails.get(`${taskId}/${key}`);
    if (stored?.claimId !== claimId) throw new Error('ConditionalCheckFailedException');
    Object.assign(stored, { state: 'sent', messageId });
  }
  async releaseEmail(taskId: string, key: string, claimId: string) {
    const stored = this.emails.get(`${taskId}/${key}`);
    if (stored?.claimId === claimId && stored.state === 'claimed') this.emails.delete(`${taskId}/${key}`);
  }
  async abandonEmail(taskId: string, key: string) {
    const stored = this.emails.get(`${taskId}/${key}`);
    if (stored?.state === 'claimed') stored.state = 'unknown';
  }
}

export class FakeStaff implements StaffDirectory {
  constructor(readonly people: StaffContact[] = []) {}
  add(staffId: string, role: StaffRole, createdAt = '2026-01-01T00:00:00.000Z'): StaffContact {
    const contact = { staffId, role, email: `${staffId}@example.com`, createdAt };
    this.people.push(contact);
    return contact;
  }
  async contact(staffId: string) {
    return this.people.find((p) => p.staffId === staffId);
  }
  async byRole(role: StaffRole) {
    return this.people.filter((p) => p.role === role);
  }
}

export class FakeCareTeam implements Pick<CareRelationships, 'activeFor' | 'relationshipsOf'> {
  readonly relationships: CareRelationship[] = [];
  add(clientId: string, clinicianId: string, kind: CareRelationship['kind'], ended = false): void {
    this.relationships.push({
      clientId,
      clinicianId,
      kind,
      startedAt: '2026-01-01T00:00:00.000Z',
      ...(ended ? { endedAt: '2026-02-01T00:00:00.000Z', endReason: 'rematch' as const } : {}),
    });
  }
  async activeFor(clientId: string) {
    return this.relationships.filter((r) => r.clientId === clientId && r.endedAt === undefined);
  }
  async relationshipsOf(clientId: string) {
    return this.relationships.filter((r) => r.clientId === clientId);
  }
}

export class FakeAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];
  async record(event: AuditEvent) {
    this.events.push(event);
  }
}

/** Sends, or fails: with the queued errors first (one per call), and always to the addresses in `refuse`. */
export class FakeEmail implements EmailSender {
  readonly sent: OutgoingEmail[] = [];
  readonly failures: Error[] = [];
  readonly refuse = new Set<string>();
  async send(email: OutgoingEmail) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (this.refuse.has(email.to)) throw Object.assign(new Error('refused'), { name: 'MessageRejected' });
    this.sent.push(email);
    return { messageId: `m-${this.sent.length}` };
  }
}
