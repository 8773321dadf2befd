/**
 * In-memory CareLifecycleRecords with the DynamoDB adapter's contracts
 * (shared/adapters/dynamodb/care-lifecycle-repository.ts): claims "if absent or stale",
 * confirm by claim id, closeCare all-or-nothing under its conditions, generations only
 * forward, clients by active stage.
 */
import { isActiveStage, type ActiveClientStage } from '../../../shared/domain/care-lifecycle.js';
import type { ClientStage } from '../../../shared/domain/signup.js';
import type {
  CareLifecycleRecords,
  ClaimResult,
  CloseCare,
  CloseCareResult,
  DischargeRecord,
  ExecutionStatus,
  LifecycleExecutions,
  LifecycleSnapshot,
} from '../../../shared/use-cases/care-lifecycle/ports.js';
import type { ClientProfile } from '../../../shared/use-cases/ports.js';
import { InMemoryCareTeam } from '../access/fakes.js';

export type StoredProfile = ClientProfile & { careLifecycleGeneration?: number };

interface Notification {
  state: 'sending' | 'sent';
  claimId: string;
  claimedAt: string;
  messageId?: string;
}

export function clientProfile(clientId: string, stage: ClientStage, createdAt = '2026-03-02T15:00:00.000Z'): StoredProfile {
  return {
    clientId,
    email: `${clientId}@example.com`,
    firstName: 'Robin',
    lastName: 'Example',
    dateOfBirth: '1990-01-01',
    clientType: 'individual',
    state: 'OH',
    timezone: 'America/New_York',
    stage,
    createdAt,
    updatedAt: createdAt,
    // A lifecycle runs only for a verified email (issue 9): the clients here have verified it.
    emailVerifiedAt: createdAt,
  };
}

export class InMemoryLifecycleRecords implements CareLifecycleRecords {
  readonly profiles = new Map<string, StoredProfile>();
  readonly careTeam = new InMemoryCareTeam();
  /** Per client: what the snapshot adds (measures, referrals, free consultation...). */
  readonly extras = new Map<string, Partial<Omit<LifecycleSnapshot, 'profile' | 'relationships' | 'notifications' | 'flags'>>>();
  readonly notifications = new Map<string, Notification>();
  readonly flags = new Map<string, { since: string; therapistId: string; raisedAt: string }[]>();
  readonly discharges: DischargeRecord[] = [];
  readonly appliedReferrals = new Set<string>();
  /** Therapist id -> caseload count. */
  readonly caseloads = new Map<string, number>();
  closeCalls = 0;
  /** Makes the next closeCare answer `conflict` without writing (a concurrent change). */
  conflictsToSimulate = 0;

  addClient(profile: StoredProfile): void {
    this.profiles.set(profile.clientId, profile);
    this.careTeam.clients.add(profile.clientId);
  }

  async snapshot(clientId: string): Promise<LifecycleSnapshot | undefined> {
    const profile = this.profiles.get(clientId);
    if (!profile) return undefined;
    const extra = this.extras.get(clientId) ?? {};
    const notifications = [...this.notifications.entries()]
      .filter(([id]) => id.startsWith(`${clientId}|`))
      .map(([id, n]) => ({ key: id.slice(clientId.length + 1), state: n.state, claimedAt: n.claimedAt }));
    return {
      profile: { ...profile },
      relationships: await this.careTeam.relationshipsOf(clientId),
      concerns: extra.concerns ?? [],
      lastMeasured: extra.lastMeasured ?? {},
      pendingReferrals: (extra.pendingReferrals ?? []).filter((r) => !this.appliedReferrals.has(`${clientId}|${r.referralId}`)),
      notifications,
      flags: (this.flags.get(clientId) ?? []).map((f) => ({ kind: 'disengaged' as const, ...f })),
      ...(extra.freeConsultation ? { freeConsultation: extra.freeConsultation } : {}),
      ...(extra.lastAssessmentAt ? { lastAssessmentAt: extra.lastAssessmentAt } : {}),
      ...(extra.lastCheckInAt ? { lastCheckInAt: extra.lastCheckInAt } : {}),
    };
  }

  async claimNotification(clientId: string, key: string, claimId: string, at: string, staleBefore: string): Promise<ClaimResult> {
    if (!this.profiles.has(clientId)) return 'client_not_found';
    const id = `${clientId}|${key}`;
    const existing = this.notifications.get(id);
    if (existing && !(existing.state === 'sending' && existing.claimedAt < staleBefore)) return existing.state === 'sending' ? 'in_flight' : 'sent';
    this.notifications.set(id, { state: 'sending', claimId, claimedAt: at });
    return 'claimed';
  }

  async confirmNotification(clientId: string, key: string, claimId: string, messageId: string): Promise<void> {
    const n = this.notifications.get(`${clientId}|${key}`);
    if (n && n.claimId === claimId) Object.assign(n, { state: 'sent', messageId });
  }

  async releaseNotification(clientId: string, key: string, claimId: string): Promise<void> {
    const id = `${clientId}|${key}`;
    const n = this.notifications.get(id);
    if (n && n.claimId === claimId && n.state === 'sending') this.notifications.delete(id);
  }

  sentKeys(clientId: string): string[] {
    return [...this.notifications.entries()].filter(([id, n]) => id.startsWith(`${clientId}|`) && n.state === 'sent').map(([id]) => id.slice(clientId.length + 1));
  }

  async raiseDisengagementFlag(clientId: string, flag: { since: string; therapistId: string; raisedAt: string }) {
    if (!this.profiles.has(clientId)) return 'client_not_found' as const;
    const list = this.flags.get(clientId) ?? [];
    if (list.some((f) => f.since === flag.since)) return 'exists' as const;
    list.push(flag);
    this.flags.set(clientId, list);
    return 'raised' as const;
  }

  async closeCare(close: CloseCare): Promise<CloseCareResult> {
    this.closeCalls += 1;
    const profile = this.profiles.get(close.clientId);
    if (!profile) return 'client_not_found';
    if (this.conflictsToSimulate > 0) {
      this.conflictsToSimulate -= 1;
      return 'conflict';
    }
    if (!(close.from as readonly string[]).includes(profile.stage)) return 'conflict';
    const active = await this.careTeam.activeFor(close.clientId);
    for (const r of close.relationships) {
      if (!active.some((a) => a.kind === r.kind && a.clinicianId === r.clinicianId && a.startedAt === r.startedAt)) return 'conflict';
    }
    if (close.referralId !== undefined && this.appliedReferrals.has(`${close.clientId}|${close.referralId}`)) return 'conflict';
    profile.stage = close.stage;
    for (const r of close.relationships) {
      await this.careTeam.end({ clientId: close.clientId, clinicianId: r.clinicianId, kind: r.kind, endedAt: close.at, endReason: close.endReason });
      const count = this.caseloads.get(r.clinicianId);
      if (r.kind === 'therapist' && count !== undefined && count > 0) this.caseloads.set(r.clinicianId, count - 1);
    }
    if (close.referralId !== undefined) this.appliedReferrals.add(`${close.clientId}|${close.referralId}`);
    if (close.discharge) this.discharges.push(close.discharge);
    return 'closed';
  }

  async latestDischarge(clientId: string) {
    return this.discharges.filter((d) => d.clientId === clientId).at(-1);
  }

  async recordExecution(clientId: string, generation: number, executionArn: string) {
    const profile = this.profiles.get(clientId);
    if (!profile) return 'client_not_found' as const;
    if (profile.careLifecycleGeneration !== undefined && profile.careLifecycleGeneration >= generation) return 'stale' as const;
    profile.careLifecycleGeneration = generation;
    profile.careLifecycleExecutionArn = executionArn;
    return 'recorded' as const;
  }

  async clientsInStage(stage: ActiveClientStage, page: { limit: number; cursor?: string }) {
    const all = [...this.profiles.values()].filter((p) => isActiveStage(p.stage) && p.stage === stage).map((p) => p.clientId).sort();
    const start = page.cursor ? Number(page.cursor) : 0;
    const next = start + page.limit < all.length ? String(start + page.limit) : undefined;
    return { clientIds: all.slice(start, start + page.limit), ...(next ? { cursor: next } : {}) };
  }

  async getProfile(clientId: string): Promise<ClientProfile | undefined> {
    const profile = this.profiles.get(clientId);
    return profile && { ...profile };
  }
}

/** Step Functions executions by name, as DescribeExecution sees them. */
export class FakeExecutions implements LifecycleExecutions {
  readonly statuses = new Map<string, ExecutionStatus>();
  readonly described: string[] = [];

  async describe(name: string) {
    this.described.push(name);
    const status = this.statuses.get(name);
    return status ? { executionArn: `arn:aws:states:us-east-1:000000000000:execution:care-lifecycle:${name}`, status } : undefined;
  }
}
