/**
 * POST /v1/consultations/holds: keep a start for the client for a few minutes (default 10)
 * while they confirm, so nobody else books it meanwhile.
 *
 * 1. The client must be able to book (free consultation absent or available).
 * 2. The start is validated as for a booking (offered by the clinician's hours, licensed).
 * 3. ONE transaction per attempt (consultation-repository.ts `hold`): a numbered hold place of
 *    the client (1..max, taken only if free or expired: the cap holds under any concurrency)
 *    and the start's lock cells, carrying the hold's expiry. Expired holds free themselves:
 *    slot listings ignore them and bookings may take their cells; TTL removes the items later.
 */
import { type HoldRequest, type HoldResponse, localIso } from '../../domain/consultations.js';
import { HoldLimitReachedError, SlotTakenError } from '../../domain/errors.js';
import { occupiedCells } from '../../domain/scheduling.js';
import type { UsStateCode } from '../../domain/us-states.js';
import { freeConsultationUsed } from './book-consultation.js';
import { verifiedClientProfileOf, type ConsultationDeps } from './dependencies.js';
import { alternativesNear, bookingCandidates, clinicianSummary, type SlotSearchDeps } from './slot-search.js';

const MINUTE = 60_000;

export async function holdSlot(input: HoldRequest & { clientId: string }, deps: ConsultationDeps): Promise<HoldResponse> {
  const { policy, holdMinutes, maxHoldsPerClient } = deps.settings;
  const now = deps.now();
  const start = Date.parse(input.start);
  const profile = await verifiedClientProfileOf(deps.clients, input.clientId);
  const state = profile.state as UsStateCode;
  const search: SlotSearchDeps = { directory: deps.directory, consultations: deps.consultations, policy, now: deps.now };

  const free = await deps.consultations.getFreeConsultation(input.clientId);
  if (free && free.state !== 'available') throw freeConsultationUsed(free);

  const candidates = await bookingCandidates(input.clinicianId, start, state, search);

  const expiresAt = new Date(now.getTime() + holdMinutes * MINUTE).toISOString();
  for (const clinician of candidates) {
    const result = await deps.consultations.hold({
      hold: {
        holdId: deps.newId(),
        clientId: input.clientId,
        clinicianId: clinician.clinicianId,
        start: new Date(start).toISOString(),
        expiresAt,
        createdAt: now.toISOString(),
      },
      cells: occupiedCells(start, policy),
      maxHolds: maxHoldsPerClient,
      now,
    });
    if (result.outcome === 'held') {
      return {
        holdId: result.hold.holdId,
        start: result.hold.start,
        startLocal: localIso(start, profile.timezone),
        clinician: clinicianSummary(clinician),
        expiresAt: result.hold.expiresAt,
      };
    }
    if (result.outcome === 'hold_limit_reached') throw new HoldLimitReachedError(maxHoldsPerClient);
    if (result.outcome === 'free_consultation_used') throw freeConsultationUsed(await deps.consultations.getFreeConsultation(input.clientId));
  }
  throw new SlotTakenError(await alternativesNear(start, state, profile.timezone, search));
}
