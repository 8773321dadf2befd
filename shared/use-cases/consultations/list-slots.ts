/**
 * GET /v1/consultations/slots: the free 15-minute starts the signed-in client can book.
 *
 * 1. Read the client's profile: their state (licensure) and time zone (how times are shown).
 * 2. Clip the window asked for to [now + notice, now + horizon] (the whole of it by default).
 * 3. List the consultation clinicians licensed in that state (directory: GSI query, no Scan).
 * 4. Per clinician, one consistent Query of their lock cells in the window; free starts are
 *    their open hours minus every start whose cells are locked (booked, or held and unexpired).
 * 5. Merge by start: each slot names the clinicians free then, in UTC and the client's zone.
 */
import type { SlotsResponse } from '../../domain/consultations.js';
import type { UsStateCode } from '../../domain/us-states.js';
import { clientProfileOf, type ConsultationDeps } from './dependencies.js';
import { bookableWindow, cliniciansFor, freeStartsOf, slotView } from './slot-search.js';

export interface ListSlotsInput {
  clientId: string;
  /** UTC ISO strings (validated by the route). */
  from?: string;
  to?: string;
}

export async function listSlots(
  input: ListSlotsInput,
  deps: Pick<ConsultationDeps, 'clients' | 'directory' | 'consultations' | 'settings' | 'now'>,
): Promise<SlotsResponse> {
  const profile = await clientProfileOf(deps.clients, input.clientId);
  const { policy } = deps.settings;
  const now = deps.now().getTime();
  const window = bookableWindow(input.from ? Date.parse(input.from) : undefined, input.to ? Date.parse(input.to) : undefined, now, policy);
  const state = profile.state as UsStateCode;
  const search = { directory: deps.directory, consultations: deps.consultations, policy, now: deps.now };
  const clinicians = window.from < window.to ? await cliniciansFor(state, search) : [];
  const free = await freeStartsOf(clinicians, state, window, search);
  return {
    timezone: profile.timezone,
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    durationMinutes: policy.consultationMinutes,
    slots: free.map((slot) => slotView(slot, profile.timezone)),
  };
}
