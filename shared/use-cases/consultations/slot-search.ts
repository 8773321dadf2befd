/**
 * Free consultation starts across clinicians, from the lock cells the bookings write (one
 * consistent Query per clinician over the window; no Scan): what GET /v1/consultations/slots
 * lists, what a booking without a chosen clinician picks from, and the alternatives a lost race
 * offers.
 */
import { CREDENTIAL_LABELS, licenseValidOn, utcToday, type Credential } from '../../domain/clinicians.js';
import { clinicianDisplayName, clinicianPreference, localIso, type Slot, type SlotClinician } from '../../domain/consultations.js';
import { ValidationError } from '../../domain/errors.js';
import { freeStartsAmongLocks, isOfferedStart, lockWindow, type SchedulingPolicy } from '../../domain/scheduling.js';
import type { UsStateCode } from '../../domain/us-states.js';
import type { ConsultationClinician, ConsultationDirectory, ConsultationRecords } from './ports.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Lock-cell queries in flight at once for one request. */
const QUERY_CONCURRENCY = 16;
/** Clinicians tried for one booking without a chosen clinician before answering slot_taken. */
const MAX_CANDIDATES = 3;

export interface SlotSearchDeps {
  directory: ConsultationDirectory;
  consultations: Pick<ConsultationRecords, 'lockedCells'>;
  policy: SchedulingPolicy;
  now: () => Date;
}

export interface FreeStart {
  start: number;
  /** Free at that start, in the directory's order. */
  clinicians: ConsultationClinician[];
}

/** [from, to) clipped to [now + notice, now + horizon]; empty when nothing is left. */
export function bookableWindow(from: number | undefined, to: number | undefined, now: number, policy: SchedulingPolicy): { from: number; to: number } {
  const earliest = now + policy.minimumNoticeMinutes * MINUTE;
  const latest = now + policy.horizonDays * DAY;
  const start = Math.max(from ?? earliest, earliest);
  return { from: start, to: Math.max(start, Math.min(to ?? latest, latest)) };
}

/** Licensed in `state` on the (UTC) date of `start`, the rule the directory applies to today. */
export function licensedAt(clinician: ConsultationClinician, state: UsStateCode, start: number): boolean {
  const onDate = utcToday(new Date(start));
  return clinician.licenses.some((license) => license.state === state && licenseValidOn(license, onDate));
}

/** The instant the clinician's license in `state` stops counting (the UTC day after its last valid day), as licensedAt decides. */
function licensedUntil(clinician: ConsultationClinician, state: UsStateCode): number {
  const ends = clinician.licenses.filter((license) => license.state === state).map((license) => Date.parse(`${license.expiresOn}T00:00:00Z`) + DAY);
  return ends.length > 0 ? Math.max(...ends) : -Infinity;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await run(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Free starts of each clinician in the window, from their hours minus their locked cells. */
export async function freeStartsOf(
  clinicians: readonly ConsultationClinician[],
  state: UsStateCode,
  window: { from: number; to: number },
  deps: SlotSearchDeps,
): Promise<FreeStart[]> {
  const now = deps.now();
  if (window.from >= window.to || clinicians.length === 0) return [];
  const cells = lockWindow(window.from, window.to, deps.policy);
  const perClinician = await mapLimited(clinicians, QUERY_CONCURRENCY, async (clinician) => {
    const locked = new Set(await deps.consultations.lockedCells(clinician.clinicianId, cells.start, cells.end, now));
    const starts = freeStartsAmongLocks({
      availability: clinician.availability,
      timeZone: clinician.timezone,
      locked,
      from: window.from,
      to: window.to,
      now: now.getTime(),
      policy: deps.policy,
    });
    const until = licensedUntil(clinician, state);
    return starts.filter((start) => start < until).map((start) => ({ start, clinician }));
  });
  const byStart = new Map<number, ConsultationClinician[]>();
  for (const { start, clinician } of perClinician.flat()) {
    const list = byStart.get(start) ?? [];
    list.push(clinician);
    byStart.set(start, list);
  }
  return [...byStart.entries()].sort(([a], [b]) => a - b).map(([start, list]) => ({ start, clinicians: list }));
}

/** The consultation clinicians of a state (licenses valid today; each start re-checks its own date). */
export async function cliniciansFor(state: UsStateCode, deps: Pick<SlotSearchDeps, 'directory' | 'now'>): Promise<ConsultationClinician[]> {
  return deps.directory.listConsultationClinicians(state, utcToday(deps.now()));
}

/** True when `start` is a start the clinician's hours offer now, licensed then (booked or not). */
export function offers(clinician: ConsultationClinician, state: UsStateCode, start: number, now: number, policy: SchedulingPolicy): boolean {
  return (
    clinician.offersConsultations &&
    licensedAt(clinician, state, start) &&
    isOfferedStart({ availability: clinician.availability, timeZone: clinician.timezone, start, now, policy })
  );
}

/**
 * A few free times near `start` (the nearest first, then in time order), to offer after a lost
 * race: from the given clinicians, or everyone licensed in the state.
 */
export async function alternativesNear(
  start: number,
  state: UsStateCode,
  timeZone: string,
  deps: SlotSearchDeps,
  options: { clinicians?: readonly ConsultationClinician[]; count?: number } = {},
): Promise<Slot[]> {
  const clinicians = options.clinicians ?? (await cliniciansFor(state, deps));
  const window = bookableWindow(start - 6 * 60 * MINUTE, start + 3 * DAY, deps.now().getTime(), deps.policy);
  const free = await freeStartsOf(clinicians, state, window, deps);
  const nearest = [...free].sort((a, b) => Math.abs(a.start - start) - Math.abs(b.start - start)).slice(0, options.count ?? 3);
  return nearest.sort((a, b) => a.start - b.start).map((slot) => slotView(slot, timeZone));
}

export function clinicianSummary(clinician: Pick<ConsultationClinician, 'clinicianId' | 'firstName' | 'lastName' | 'credential' | 'pronouns'>): SlotClinician {
  const credential = CREDENTIAL_LABELS[clinician.credential as Credential] ?? clinician.credential;
  return {
    id: clinician.clinicianId,
    displayName: clinicianDisplayName(clinician.firstName, clinician.lastName, credential),
    credential,
    ...(clinician.pronouns ? { pronouns: clinician.pronouns } : {}),
  };
}

/** One summary per clinician object, however many slots list them (a busy state lists each hundreds of times). */
const summaries = new WeakMap<ConsultationClinician, SlotClinician>();

function summaryOf(clinician: ConsultationClinician): SlotClinician {
  let summary = summaries.get(clinician);
  if (!summary) {
    summary = clinicianSummary(clinician);
    summaries.set(clinician, summary);
  }
  return summary;
}

export function slotView(slot: FreeStart, timeZone: string): Slot {
  return {
    start: new Date(slot.start).toISOString(),
    startLocal: localIso(slot.start, timeZone),
    clinicians: slot.clinicians.map(summaryOf),
  };
}

export function notOfferedError(): ValidationError {
  return new ValidationError([{ field: 'start', message: 'This time is not offered. Pick a start from GET /v1/consultations/slots.' }]);
}

/**
 * Who may take `start` for a client of `state`: the chosen clinician if their hours offer it
 * (else 400: never trust a start the client sends); without a choice, the clinicians free then,
 * in the deterministic preference order, at most MAX_CANDIDATES. Empty when every clinician
 * who offers it is taken (the caller answers slot_taken).
 */
export async function bookingCandidates(
  chosen: string | undefined,
  start: number,
  state: UsStateCode,
  search: SlotSearchDeps,
): Promise<ConsultationClinician[]> {
  const now = search.now().getTime();
  if (chosen !== undefined) {
    const clinician = await search.directory.getConsultationClinician(chosen);
    if (!clinician || !offers(clinician, state, start, now, search.policy)) throw notOfferedError();
    return [clinician];
  }
  const offering = (await cliniciansFor(state, search)).filter((c) => offers(c, state, start, now, search.policy));
  if (offering.length === 0) throw notOfferedError();
  const freeThen = (await freeStartsOf(offering, state, { from: start, to: start + 1 }, search))[0]?.clinicians ?? [];
  const byId = new Map(freeThen.map((c) => [c.clinicianId, c]));
  return clinicianPreference(start, [...byId.keys()])
    .slice(0, MAX_CANDIDATES)
    .map((id) => byId.get(id) as ConsultationClinician);
}
