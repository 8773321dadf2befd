/**
 * In-memory fakes of the match ports, with the adapters' contracts: the care team of the
 * access fakes (one active relationship per kind), caseload counters that take a place only
 * below capacity while accepting, and ONE world in which assigning and ending a therapist
 * change counter, relationships and stage together or not at all (match-repository.ts).
 * Everything is synthetic.
 */
import type { CareRelationship } from '../../../shared/domain/access.js';
import type { ClinicianProfile } from '../../../shared/domain/clinicians.js';
import type { IntakeRecord, IntakeRequest, MatchPin, RematchReason } from '../../../shared/domain/matches.js';
import { intakeFrom } from '../../../shared/domain/matches.js';
import type { StoredAssessment } from '../../../shared/domain/monitor/assessments.js';
import type { WeeklyRule } from '../../../shared/domain/scheduling.js';
import type { ClientStage } from '../../../shared/domain/signup.js';
import type { MatchDeps } from '../../../shared/use-cases/matching/dependencies.js';
import type {
  AssignOutcome,
  AssignTherapist,
  DirectoryTherapist,
  EndTherapistCare,
  EndTherapistOutcome,
  MatchRecords,
  TherapistDirectory,
  WriteOutcome,
} from '../../../shared/use-cases/matching/ports.js';
import type { ClientProfile } from '../../../shared/use-cases/ports.js';
import { InMemoryAuditLog, InMemoryCareTeam } from '../access/fakes.js';

export const NOW = new Date('2026-03-04T15:00:00.000Z');
const EXPIRES = '2027-06-30';

export interface Caseload {
  count: number;
  capacity: number;
  accepting: boolean;
}

export interface RematchRecord {
  clientId: string;
  therapistId: string;
  endedAt: string;
  reason: RematchReason;
  note?: string;
  requestKey?: string;
}

/** Monday-Friday evenings in the therapist's zone: they overlap the default client windows. */
export const EVENINGS: WeeklyRule[] = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '17:00', end: '21:00' }));

export function therapistProfile(id: string, overrides: Partial<ClinicianProfile> = {}): ClinicianProfile {
  return {
    clinicianId: id,
    role: 'therapist',
    email: `${id}@example.com`,
    firstName: 'Sam',
    lastName: `Synthetic-${id}`,
    credential: 'lpcc',
    licenses: [{ state: 'OH', number: `TEST-${id}`, expiresOn: EXPIRES }],
    specialties: ['ocd', 'anxiety'],
    modalities: ['erp', 'cbt'],
    clientTypes: ['individual'],
    languages: ['en'],
    bio: 'Synthetic therapist.',
    timezone: 'America/New_York',
    offersConsultations: false,
    acceptingNewClients: true,
    caseloadCapacity: 10,
    videoRoomUrl: 'https://video.example.com/rooms/synthetic',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

export const INTAKE_REQUEST: IntakeRequest = {
  concerns: [{ concern: 'ocd', primary: true }, { concern: 'anxiety' }],
  goals: ['Spend less time on rituals'],
  preferences: { languages: ['en'] },
  availability: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '18:00', end: '21:00' }],
  clientType: 'individual',
  state: 'OH',
};

export class MatchWorld implements MatchRecords, TherapistDirectory {
  readonly careTeam = new InMemoryCareTeam();
  readonly auditLog = new InMemoryAuditLog();
  readonly clients = new Map<string, ClientProfile>();
  readonly profiles = new Map<string, ClinicianProfile>();
  readonly weekly = new Map<string, WeeklyRule[]>();
  readonly caseloads = new Map<string, Caseload>();
  readonly intakes = new Map<string, { draft?: IntakeRecord; confirmed?: IntakeRecord }>();
  readonly pins = new Map<string, MatchPin>();
  readonly rematches: RematchRecord[] = [];
  readonly assessments: StoredAssessment[] = [];
  /** Runs just before an assignment is applied: a concurrent writer's moment. */
  beforeAssign: ((input: AssignTherapist) => void) | undefined;
  now = NOW;

  addClient(clientId: string, stage: ClientStage = 'awaiting_match', overrides: Partial<ClientProfile> = {}): void {
    this.careTeam.clients.add(clientId);
    this.clients.set(clientId, {
      clientId,
      email: `${clientId}@example.com`,
      firstName: 'Avery',
      lastName: 'Testwood',
      dateOfBirth: '1990-04-12',
      clientType: 'individual',
      state: 'OH',
      timezone: 'America/New_York',
      stage,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      ...overrides,
    });
  }

  addTherapist(profile: ClinicianProfile, options: { weekly?: WeeklyRule[]; count?: number } = {}): void {
    this.profiles.set(profile.clinicianId, profile);
    this.weekly.set(profile.clinicianId, options.weekly ?? EVENINGS);
    if (profile.role === 'therapist') {
      this.caseloads.set(profile.clinicianId, { count: options.count ?? 0, capacity: profile.caseloadCapacity, accepting: profile.acceptingNewClients });
    }
  }

  confirmIntake(clientId: string, request: IntakeRequest = INTAKE_REQUEST, by = 'consultant-1'): void {
    const timezone = this.clients.get(clientId)?.timezone ?? 'America/New_York';
    const record: IntakeRecord = {
      clientId,
      version: 'confirmed',
      intake: intakeFrom(request, timezone),
      updatedAt: NOW.toISOString(),
      updatedBy: { userId: by, role: 'coordinator' },
    };
    this.intakes.set(clientId, { ...this.intakes.get(clientId), confirmed: record });
  }

  async beginCare(clientId: string, clinicianId: string, kind: CareRelationship['kind'], startedAt = new Date(NOW.getTime() - 86_400_000).toISOString()) {
    const result = await this.careTeam.begin({ clientId, clinicianId, kind, startedAt });
    if (result.outcome !== 'begun') throw new Error(`not begun: ${result.outcome}`);
    if (kind === 'therapist') this.caseloads.get(clinicianId)!.count += 1;
  }

  private active(clientId: string, kind: CareRelationship['kind']) {
    return this.careTeam.items.find((r) => r.clientId === clientId && r.kind === kind && r.endedAt === undefined);
  }

  // TherapistDirectory
  async listTherapists(state: string, onDate: string): Promise<DirectoryTherapist[]> {
    return [...this.profiles.values()]
      .filter((p) => p.role === 'therapist' && p.licenses.some((l) => l.state === state && l.expiresOn >= onDate))
      .map((profile) => {
        const caseload = this.caseloads.get(profile.clinicianId);
        return { profile: structuredClone(profile), weekly: this.weekly.get(profile.clinicianId) ?? [], ...(caseload ? { caseload: { ...caseload } } : {}) };
      });
  }

  // MatchRecords
  async getIntakes(clientId: string) {
    return structuredClone(this.intakes.get(clientId) ?? {});
  }

  async putIntake(record: IntakeRecord): Promise<WriteOutcome> {
    if (!this.clients.has(record.clientId)) return 'client_not_found';
    this.intakes.set(record.clientId, { ...this.intakes.get(record.clientId), [record.version]: structuredClone(record) });
    return 'written';
  }

  async getPin(clientId: string) {
    const pin = this.pins.get(clientId);
    return pin && { ...pin };
  }

  async putPin(pin: MatchPin): Promise<WriteOutcome> {
    if (!this.clients.has(pin.clientId)) return 'client_not_found';
    this.pins.set(pin.clientId, { ...pin });
    return 'written';
  }

  async clearPin(clientId: string) {
    this.pins.delete(clientId);
  }

  async assignTherapist(input: AssignTherapist): Promise<AssignOutcome> {
    this.beforeAssign?.(input);
    const client = this.clients.get(input.clientId);
    const caseload = this.caseloads.get(input.therapistId);
    if (this.active(input.clientId, 'therapist')) return 'therapist_active';
    if (client?.stage !== 'awaiting_match') return 'stage_changed';
    if (!caseload || !caseload.accepting || caseload.count >= caseload.capacity) return 'therapist_full';
    if (input.consultation) {
      const current = this.active(input.clientId, 'consultation');
      if (!current || current.clinicianId !== input.consultation.clinicianId || current.startedAt !== input.consultation.startedAt) return 'conflict';
      current.endedAt = input.startedAt;
      current.endReason = 'matched';
    }
    caseload.count += 1;
    this.careTeam.items.push({ clientId: input.clientId, clinicianId: input.therapistId, kind: 'therapist', startedAt: input.startedAt });
    client.stage = 'in_care';
    return 'assigned';
  }

  async endTherapistCare(input: EndTherapistCare): Promise<EndTherapistOutcome> {
    const current = this.active(input.clientId, 'therapist');
    const client = this.clients.get(input.clientId);
    if (!current || current.clinicianId !== input.relationship.clinicianId || current.startedAt !== input.relationship.startedAt) return 'not_active';
    if (client?.stage !== input.stage.from) return 'stage_changed';
    current.endedAt = input.endedAt;
    current.endReason = input.endReason;
    client.stage = input.stage.to;
    const caseload = this.caseloads.get(current.clinicianId);
    if (caseload && caseload.count > 0) caseload.count -= 1;
    if (input.rematch) {
      this.rematches.push({
        clientId: input.clientId,
        therapistId: current.clinicianId,
        endedAt: input.endedAt,
        reason: input.rematch.reason,
        ...(input.rematch.note !== undefined ? { note: input.rematch.note } : {}),
        ...(input.rematch.requestKey !== undefined ? { requestKey: input.rematch.requestKey } : {}),
      });
    }
    return 'ended';
  }

  async latestRematch(clientId: string) {
    const latest = this.rematches.filter((r) => r.clientId === clientId).at(-1);
    if (!latest) return undefined;
    const { clientId: _clientId, ...stored } = latest;
    return stored;
  }

  deps(): MatchDeps {
    return {
      careTeam: this.careTeam,
      auditLog: this.auditLog,
      clients: { getProfile: async (id) => structuredClone(this.clients.get(id)) },
      clinicians: { getProfile: async (id) => structuredClone(this.profiles.get(id)) },
      directory: this,
      matches: this,
      assessments: {
        list: async (clientId, page) => ({
          items: this.assessments
            .filter((a) => a.clientId === clientId && (page.instrument === undefined || a.instrument === page.instrument))
            .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))
            .slice(0, page.limit),
        }),
      },
      now: () => this.now,
      newEventId: (() => {
        let n = 0;
        return () => `event-${(n += 1)}`;
      })(),
    };
  }
}
