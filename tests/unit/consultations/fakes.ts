/**
 * In-memory ports for the consultation use cases, with the same contracts as the adapters:
 * FakeConsultationRecords applies the repository's conditions (free-consultation record,
 * lock cells "absent or an expired hold or the caller's hold", numbered hold places) all or
 * nothing, as its transactions do. `loseNextRaceOn` makes the next write on a clinician's cells
 * find them taken, as a concurrent booking would.
 */
import { stateAfterNoShow } from '../../../shared/domain/consultations.js';
import type {
  BookingResult,
  ConsultationClinician,
  ConsultationDirectory,
  ConsultationNotes,
  ConsultationRecords,
  FreeConsultationRecord,
  HoldResult,
  NewBooking,
  NewHold,
  OutcomeRecord,
  Reschedule,
  StoredConsultation,
  StoredHold,
} from '../../../shared/use-cases/consultations/ports.js';
import type { SentNotification } from '../../../shared/use-cases/ports.js';
import type { FakeClientRecords } from '../workflow-tasks/fakes.js';

interface Cell {
  kind: 'consultation' | 'hold';
  ownerId: string;
  expiresAt?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class FakeConsultationRecords implements ConsultationRecords {
  readonly consultations = new Map<string, StoredConsultation>();
  readonly free = new Map<string, FreeConsultationRecord>();
  readonly holds = new Map<string, StoredHold>(); // `${clientId}#${place}`
  readonly cells = new Map<string, Cell>(); // `${clinicianId}#${iso}`
  readonly notes = new Map<string, ConsultationNotes>();
  readonly notifications = new Map<string, SentNotification>();
  /** Clinicians whose cells the next write finds taken by someone else (once each). */
  readonly loseNextRaceOn = new Set<string>();

  constructor(private readonly clients?: FakeClientRecords) {}

  private takeable(clinicianId: string, cells: readonly string[], now: Date, ownHoldId?: string): boolean {
    if (this.loseNextRaceOn.delete(clinicianId)) {
      for (const cell of cells) this.cells.set(`${clinicianId}#${cell}`, { kind: 'consultation', ownerId: 'someone-else' });
      return false;
    }
    return cells.every((cell) => {
      const held = this.cells.get(`${clinicianId}#${cell}`);
      return !held || (held.kind === 'hold' && ((held.expiresAt ?? 0) <= now.getTime() || held.ownerId === ownHoldId));
    });
  }

  async lockedCells(clinicianId: string, from: number, to: number, now: Date) {
    const found: number[] = [];
    for (const [key, cell] of this.cells) {
      const [owner, at] = key.split('#') as [string, string];
      const ms = Date.parse(at);
      if (owner !== clinicianId || ms < from || ms >= to) continue;
      if (cell.kind === 'hold' && (cell.expiresAt ?? 0) <= now.getTime()) continue;
      found.push(ms);
    }
    return found.sort((a, b) => a - b);
  }

  async book({ consultation, hold, now }: NewBooking): Promise<BookingResult> {
    const free = this.free.get(consultation.clientId);
    if (free && free.state !== 'available') return { outcome: 'free_consultation_used' };
    if (!this.takeable(consultation.clinicianId, consultation.lockCells, now, hold?.holdId)) return { outcome: 'slot_taken' };
    if (hold) this.holds.delete(`${consultation.clientId}#${hold.place}`);
    this.consultations.set(consultation.consultationId, structuredClone(consultation));
    this.free.set(consultation.clientId, {
      clientId: consultation.clientId,
      state: 'booked',
      consultationId: consultation.consultationId,
      noShows: free?.noShows ?? 0,
      updatedAt: now.toISOString(),
    });
    for (const cell of consultation.lockCells) this.cells.set(`${consultation.clinicianId}#${cell}`, { kind: 'consultation', ownerId: consultation.consultationId });
    return { outcome: 'booked' };
  }

  async hold({ hold, cells, maxHolds, now }: NewHold): Promise<HoldResult> {
    const free = this.free.get(hold.clientId);
    if (free && free.state !== 'available') return { outcome: 'free_consultation_used' };
    const place = Array.from({ length: maxHolds }, (_, i) => i + 1).find((p) => {
      const existing = this.holds.get(`${hold.clientId}#${p}`);
      return !existing || Date.parse(existing.expiresAt) <= now.getTime();
    });
    if (place === undefined) return { outcome: 'hold_limit_reached' };
    const cellIsos = cells.map(iso);
    if (!this.takeable(hold.clinicianId, cellIsos, now)) return { outcome: 'slot_taken' };
    const stored: StoredHold = { ...hold, place };
    this.holds.set(`${hold.clientId}#${place}`, stored);
    for (const cell of cellIsos) this.cells.set(`${hold.clinicianId}#${cell}`, { kind: 'hold', ownerId: hold.holdId, expiresAt: Date.parse(hold.expiresAt) });
    return { outcome: 'held', hold: stored };
  }

  async findHold(clientId: string, holdId: string, now: Date) {
    return [...this.holds.values()].find((h) => h.clientId === clientId && h.holdId === holdId && Date.parse(h.expiresAt) > now.getTime());
  }

  async get(consultationId: string) {
    const found = this.consultations.get(consultationId);
    return found && structuredClone(found);
  }

  async listForClient(clientId: string) {
    return [...this.consultations.values()].filter((c) => c.clientId === clientId).sort((a, b) => a.start.localeCompare(b.start));
  }

  async listForClinician(clinicianId: string, fromIso: string) {
    return [...this.consultations.values()].filter((c) => c.clinicianId === clinicianId && c.start >= fromIso).sort((a, b) => a.start.localeCompare(b.start));
  }

  async getFreeConsultation(clientId: string) {
    const found = this.free.get(clientId);
    return found && { ...found };
  }

  async cancel(consultation: StoredConsultation, by: 'client' | 'clinician', now: Date) {
    const stored = this.consultations.get(consultation.consultationId);
    const free = this.free.get(consultation.clientId);
    if (stored?.status !== 'booked' || stored.scheduleVersion !== consultation.scheduleVersion) return 'conflict' as const;
    if (free?.consultationId !== consultation.consultationId || free.state !== 'booked') return 'conflict' as const;
    const at = now.toISOString();
    this.consultations.set(stored.consultationId, { ...stored, status: 'cancelled', cancelledAt: at, cancelledBy: by, updatedAt: at });
    this.free.set(consultation.clientId, { ...free, state: 'available', updatedAt: at });
    for (const cell of stored.lockCells) this.cells.delete(`${stored.clinicianId}#${cell}`);
    return 'cancelled' as const;
  }

  async reschedule({ consultation, start, end, newCells, now }: Reschedule) {
    const stored = this.consultations.get(consultation.consultationId);
    if (stored?.status !== 'booked' || stored.scheduleVersion !== consultation.scheduleVersion) return 'conflict' as const;
    const next = newCells.map(iso);
    const own = new Set(stored.lockCells);
    if (!this.takeable(stored.clinicianId, next.filter((c) => !own.has(c)), now)) return 'slot_taken' as const;
    for (const cell of stored.lockCells) this.cells.delete(`${stored.clinicianId}#${cell}`);
    for (const cell of next) this.cells.set(`${stored.clinicianId}#${cell}`, { kind: 'consultation', ownerId: stored.consultationId });
    const at = now.toISOString();
    this.consultations.set(stored.consultationId, { ...stored, start, end, scheduleVersion: stored.scheduleVersion + 1, scheduledAt: at, updatedAt: at, lockCells: next });
    return 'rescheduled' as const;
  }

  async recordOutcome({ consultation, outcome, notes, free, now }: OutcomeRecord) {
    const stored = this.consultations.get(consultation.consultationId);
    const current = this.free.get(consultation.clientId);
    if (stored?.status !== 'booked' || stored.scheduleVersion !== consultation.scheduleVersion) return 'conflict' as const;
    if (current?.consultationId !== consultation.consultationId || current.state !== 'booked' || current.noShows !== free.noShows) return 'conflict' as const;
    const at = now.toISOString();
    this.consultations.set(stored.consultationId, { ...stored, status: outcome, outcome, outcomeRecordedAt: at, updatedAt: at });
    this.free.set(
      consultation.clientId,
      outcome === 'completed'
        ? { ...current, state: 'completed', updatedAt: at }
        : { ...current, state: stateAfterNoShow(current.noShows), noShows: current.noShows + 1, updatedAt: at },
    );
    if (outcome === 'completed' && this.clients) {
      const profile = this.clients.profiles.get(consultation.clientId);
      if (profile) this.clients.profiles.set(consultation.clientId, { ...profile, stage: 'awaiting_match', updatedAt: at });
    }
    if (notes) this.notes.set(consultation.consultationId, { notes, recordedAt: at });
    return 'recorded' as const;
  }

  async getNotes(consultationId: string) {
    return this.notes.get(consultationId);
  }

  async closeOutcomeWatch(consultationId: string, scheduleVersion: number) {
    const stored = this.consultations.get(consultationId);
    if (stored?.status === 'booked' && stored.scheduleVersion === scheduleVersion) {
      this.consultations.set(consultationId, { ...stored, outcomeWatch: 'closed' });
      return 'closed' as const;
    }
    const recorded = stored?.scheduleVersion === scheduleVersion && (stored.status === 'completed' || stored.status === 'no_show');
    return recorded ? ('outcome_recorded' as const) : ('not_current' as const);
  }

  async hasNotification(consultationId: string, key: string) {
    return this.notifications.has(`${consultationId}/${key}`);
  }

  async recordNotification(consultationId: string, notification: SentNotification) {
    if (!this.notifications.has(`${consultationId}/${notification.key}`)) this.notifications.set(`${consultationId}/${notification.key}`, notification);
  }
}

export class FakeDirectory implements ConsultationDirectory {
  constructor(readonly clinicians: ConsultationClinician[]) {}

  async listConsultationClinicians(state: string, onDate: string) {
    return this.clinicians.filter((c) => c.offersConsultations && c.licenses.some((l) => l.state === state && l.expiresOn >= onDate));
  }

  async getConsultationClinician(clinicianId: string) {
    return this.clinicians.find((c) => c.clinicianId === clinicianId);
  }
}
