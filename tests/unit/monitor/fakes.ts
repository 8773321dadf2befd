/**
 * In-memory fakes of the monitoring ports, with the adapters' contracts: records under their
 * client only while the client exists, ids in creation order (UUIDv7), submission keys that
 * find the record they made, diagnosis versions "if absent" after the previous one, pending
 * escalation markers; plus a risk-escalation starter that can be made to fail.
 */
import type { InstrumentId } from '../../../shared/domain/instruments/definition.js';
import type { StoredAssessment } from '../../../shared/domain/monitor/assessments.js';
import type { StoredCheckIn } from '../../../shared/domain/monitor/check-ins.js';
import type { DiagnosisVersion } from '../../../shared/domain/monitor/diagnoses.js';
import type { MonitorDeps, OperationalLog } from '../../../shared/use-cases/monitor/dependencies.js';
import type {
  AssessmentRecords,
  CheckInRecords,
  DiagnosisRecords,
  Page,
  PageRequest,
  PendingRiskEscalation,
  PendingRiskEscalations,
  RecordDiagnosisResult,
  SaveOptions,
  SaveResult,
} from '../../../shared/use-cases/monitor/ports.js';
import type { RiskEscalationStarter, RiskSource } from '../../../shared/use-cases/ports.js';
import { InMemoryAuditLog, InMemoryCareTeam } from '../access/fakes.js';
import { uuidV7Time } from '../../../shared/use-cases/monitor/record-ids.js';

/** A synthetic cursor key for the unit tests (never a deployed one). */
export const TEST_CURSOR_KEY = 'unit-tests-cursor-signing-key-0123456789';

type Pointer = { recordId: string; version?: number };

/** Newest first, after `after`, `limit` of them. */
/** Like the adapter: with `within`, only ids (UUIDv7: their time) inside a window are read at all. */
function page<T>(all: T[], idOf: (t: T) => string, request: PageRequest): Page<T> {
  const inWindows = (t: T) => {
    const at = uuidV7Time(idOf(t)).getTime();
    return request.within!.some((w) => Date.parse(w.from) <= at && at < Date.parse(w.to));
  };
  const sorted = [...(request.within === undefined ? all : all.filter(inWindows))].sort((a, b) => (idOf(a) < idOf(b) ? 1 : idOf(a) > idOf(b) ? -1 : 0));
  const start = request.after === undefined ? 0 : sorted.findIndex((t) => idOf(t) < request.after!);
  const rest = start < 0 ? [] : sorted.slice(start);
  const items = rest.slice(0, request.limit);
  return { items: structuredClone(items), ...(rest.length > request.limit ? { lastKey: idOf(items.at(-1)!) } : {}) };
}

export class InMemoryPendingEscalations implements PendingRiskEscalations {
  readonly markers = new Map<string, PendingRiskEscalation>();
  static key = (clientId: string, source: RiskSource) => `${clientId}/${source.type}/${source.id}`;
  put(pending: PendingRiskEscalation) {
    this.markers.set(InMemoryPendingEscalations.key(pending.clientId, pending.source), structuredClone(pending));
  }
  async clear(clientId: string, source: RiskSource) {
    this.markers.delete(InMemoryPendingEscalations.key(clientId, source));
  }
  async listPending(limit: number) {
    return [...this.markers.values()].sort((a, b) => a.flaggedAt.localeCompare(b.flaggedAt)).slice(0, limit);
  }
}

class Submissions {
  readonly pointers = new Map<string, Pointer>();
  key = (clientId: string, hash: string) => `${clientId}/${hash}`;
}

export class InMemoryAssessments implements AssessmentRecords {
  readonly records: StoredAssessment[] = [];
  readonly submissions = new Submissions();
  constructor(
    private readonly clients: Set<string>,
    private readonly pending: InMemoryPendingEscalations,
  ) {}

  async save(assessment: StoredAssessment, options: SaveOptions = {}): Promise<SaveResult<StoredAssessment>> {
    if (!this.clients.has(assessment.clientId)) return { outcome: 'client_not_found' };
    if (options.submissionKey) {
      const earlier = this.submissions.pointers.get(this.submissions.key(assessment.clientId, options.submissionKey));
      if (earlier) return { outcome: 'existing', record: (await this.get(assessment.clientId, earlier.recordId))! };
      this.submissions.pointers.set(this.submissions.key(assessment.clientId, options.submissionKey), { recordId: assessment.assessmentId });
    }
    if (this.records.some((r) => r.assessmentId === assessment.assessmentId)) throw new Error('duplicate id');
    this.records.push(structuredClone(assessment));
    if (options.pendingEscalation) this.pending.put(options.pendingEscalation);
    return { outcome: 'created', record: structuredClone(assessment) };
  }
  async findBySubmissionKey(clientId: string, key: string) {
    return this.submissions.pointers.get(this.submissions.key(clientId, key))?.recordId;
  }
  async get(clientId: string, id: string) {
    const found = this.records.find((r) => r.clientId === clientId && r.assessmentId === id);
    return found && structuredClone(found);
  }
  async existing(clientId: string, ids: readonly string[]) {
    return new Set(ids.filter((id) => this.records.some((r) => r.clientId === clientId && r.assessmentId === id)));
  }
  async list(clientId: string, request: PageRequest & { instrument?: InstrumentId }) {
    const mine = this.records.filter((r) => r.clientId === clientId && (request.instrument === undefined || r.instrument === request.instrument));
    return page(mine, (r) => r.assessmentId, request);
  }
  async series(clientId: string, instrument: InstrumentId) {
    return this.records
      .filter((r) => r.clientId === clientId && r.instrument === instrument && r.result.total !== null)
      .sort((a, b) => a.assessmentId.localeCompare(b.assessmentId))
      .map((r) => ({ assessmentId: r.assessmentId, total: r.result.total!, at: r.submittedAt }));
  }
}

export class InMemoryCheckIns implements CheckInRecords {
  readonly records: StoredCheckIn[] = [];
  readonly submissions = new Submissions();
  constructor(
    private readonly clients: Set<string>,
    private readonly pending: InMemoryPendingEscalations,
  ) {}

  async save(checkIn: StoredCheckIn, options: SaveOptions = {}): Promise<SaveResult<StoredCheckIn>> {
    if (!this.clients.has(checkIn.clientId)) return { outcome: 'client_not_found' };
    if (options.submissionKey) {
      const earlier = this.submissions.pointers.get(this.submissions.key(checkIn.clientId, options.submissionKey));
      if (earlier) return { outcome: 'existing', record: (await this.get(checkIn.clientId, earlier.recordId))! };
      this.submissions.pointers.set(this.submissions.key(checkIn.clientId, options.submissionKey), { recordId: checkIn.checkInId });
    }
    this.records.push(structuredClone(checkIn));
    if (options.pendingEscalation) this.pending.put(options.pendingEscalation);
    return { outcome: 'created', record: structuredClone(checkIn) };
  }
  async findBySubmissionKey(clientId: string, key: string) {
    return this.submissions.pointers.get(this.submissions.key(clientId, key))?.recordId;
  }
  async get(clientId: string, id: string) {
    const found = this.records.find((r) => r.clientId === clientId && r.checkInId === id);
    return found && structuredClone(found);
  }
  async list(clientId: string, request: PageRequest) {
    return page(
      this.records.filter((r) => r.clientId === clientId),
      (r) => r.checkInId,
      request,
    );
  }
  async since(clientId: string, from: string) {
    return structuredClone(
      this.records
        .filter((r) => r.clientId === clientId && Date.parse(r.recordedAt) >= Date.parse(from))
        .sort((a, b) => b.checkInId.localeCompare(a.checkInId)),
    );
  }
}

export class InMemoryDiagnoses implements DiagnosisRecords {
  readonly versions: DiagnosisVersion[] = [];
  readonly submissions = new Submissions();
  constructor(private readonly clients: Set<string>) {}

  private find(clientId: string, diagnosisId: string, version: number) {
    return this.versions.find((v) => v.clientId === clientId && v.diagnosisId === diagnosisId && v.version === version);
  }
  async record(diagnosis: DiagnosisVersion, options: Pick<SaveOptions, 'submissionKey'> = {}): Promise<RecordDiagnosisResult> {
    const { clientId, diagnosisId, version } = diagnosis;
    if (!this.clients.has(clientId)) return { outcome: 'client_not_found' };
    if (options.submissionKey) {
      const earlier = this.submissions.pointers.get(this.submissions.key(clientId, options.submissionKey));
      if (earlier) return { outcome: 'existing', record: structuredClone(this.find(clientId, earlier.recordId, earlier.version!)!) };
    }
    if (version > 1 && !this.find(clientId, diagnosisId, version - 1)) return { outcome: 'revised_not_found' };
    if (this.find(clientId, diagnosisId, version)) return { outcome: 'conflict' };
    if (options.submissionKey) this.submissions.pointers.set(this.submissions.key(clientId, options.submissionKey), { recordId: diagnosisId, version });
    this.versions.push(structuredClone(diagnosis));
    return { outcome: 'created', record: structuredClone(diagnosis) };
  }
  async findBySubmissionKey(clientId: string, key: string) {
    const pointer = this.submissions.pointers.get(this.submissions.key(clientId, key));
    return pointer && { diagnosisId: pointer.recordId, version: pointer.version! };
  }
  async list(clientId: string) {
    return structuredClone(this.versions.filter((v) => v.clientId === clientId));
  }
}

/** Records every start; fails the first `failures` calls (or all, with Infinity). */
export class FakeRiskEscalation implements RiskEscalationStarter {
  readonly calls: Parameters<RiskEscalationStarter['start']>[0][] = [];
  /** What was started, once per source (the adapter's idempotency). */
  readonly started = new Map<string, Parameters<RiskEscalationStarter['start']>[0]>();
  failures = 0;
  /** Runs at each call before it succeeds or fails, e.g. to check the record is stored. */
  onStart: ((input: Parameters<RiskEscalationStarter['start']>[0]) => void) | undefined;

  async start(input: Parameters<RiskEscalationStarter['start']>[0]): Promise<void> {
    this.calls.push(structuredClone(input));
    this.onStart?.(input);
    if (this.failures > 0) {
      this.failures -= 1;
      const error = new Error('Step Functions unavailable');
      error.name = 'ServiceUnavailable';
      throw error;
    }
    const key = `${input.source.type}/${input.source.id}`;
    const earlier = this.started.get(key);
    if (earlier && JSON.stringify(earlier) !== JSON.stringify(input)) throw new Error('WorkflowExecutionConflictError');
    this.started.set(key, structuredClone(input));
  }
}

export class RecordingLog implements OperationalLog {
  readonly lines: { level: 'warn' | 'error'; message: string; fields: Record<string, unknown> }[] = [];
  warn(message: string, fields: Record<string, unknown>) {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields: Record<string, unknown>) {
    this.lines.push({ level: 'error', message, fields });
  }
}

export interface MonitorWorld {
  deps: MonitorDeps;
  clock: { now: Date; advance(ms: number): void };
  clients: Set<string>;
  careTeam: InMemoryCareTeam;
  auditLog: InMemoryAuditLog;
  assessments: InMemoryAssessments;
  checkIns: InMemoryCheckIns;
  diagnoses: InMemoryDiagnoses;
  pending: InMemoryPendingEscalations;
  escalation: FakeRiskEscalation;
  log: RecordingLog;
  pauses: number[];
  /** Clients with an open risk task. */
  openRiskTasks: Set<string>;
}

/** A world of fakes with a settable clock (starts at `start`), for the given client ids. */
export function monitorWorld(clientIds: string[], start = new Date('2026-03-02T15:00:00.000Z')): MonitorWorld {
  const clients = new Set(clientIds);
  const careTeam = new InMemoryCareTeam(clientIds);
  const auditLog = new InMemoryAuditLog();
  const pending = new InMemoryPendingEscalations();
  const assessments = new InMemoryAssessments(clients, pending);
  const checkIns = new InMemoryCheckIns(clients, pending);
  const diagnoses = new InMemoryDiagnoses(clients);
  const escalation = new FakeRiskEscalation();
  const log = new RecordingLog();
  const pauses: number[] = [];
  const openRiskTasks = new Set<string>();
  const clock = {
    now: new Date(start),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const deps: MonitorDeps = {
    careTeam,
    auditLog,
    assessments,
    checkIns,
    diagnoses,
    pendingEscalations: pending,
    // An open task is due an hour from now: well inside a supervisor's access window.
    riskTasks: { openTaskDeadlines: async (clientId: string) => (openRiskTasks.has(clientId) ? [new Date(clock.now.getTime() + 3_600_000).toISOString()] : []) },
    riskEscalation: escalation,
    log,
    now: () => new Date(clock.now),
    cursorSigningKey: TEST_CURSOR_KEY,
    pause: async (ms) => {
      pauses.push(ms);
    },
  };
  return { deps, clock, clients, careTeam, auditLog, assessments, checkIns, diagnoses, pending, escalation, log, pauses, openRiskTasks };
}
