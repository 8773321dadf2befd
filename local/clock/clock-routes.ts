/**
 * The local-only clock control of the local API server (never deployed: these routes are not in
 * shared/http/routes.ts, and a CDK test proves no deployed route or function carries them).
 *
 *   GET  /local/clock            {mode, now, pending: [{due, execution, state}], running}
 *   POST /local/clock/advance    {"days": 14} | {"hours": 5} | {"minutes": 30} (combinable)
 *                                | {"until": "2027-01-04T12:00:00Z"}
 *                                -> {from, to, woken: [{at, execution, state}], emails: [{to, subject, date}]}
 *
 * An advance moves a controlled clock (LOCAL_CLOCK=controlled) and answers once every Wait due
 * on the way has run, in order (local/clock/virtual-clock.ts). In real time it answers 409.
 */
import * as z from 'zod';
import { fetchInbox } from '../emulators/ses.js';
import { ClockCannotGoBackError, ClockNotControlledError, ClockSettleTimeoutError, durationMs, type VirtualClock } from './virtual-clock.js';

export const CLOCK_PATH = '/local/clock';
export const CLOCK_ADVANCE_PATH = '/local/clock/advance';
/** A year at most per call: a jump is a demo or a test step, not a way to age data by decades. */
const MAX_ADVANCE_MS = 366 * 86_400_000;

const amount = z.number().finite().min(0);
export const AdvanceRequestSchema = z.union([
  z.strictObject({ until: z.iso.datetime({ offset: true }) }),
  z
    .strictObject({ days: amount.optional(), hours: amount.optional(), minutes: amount.optional(), seconds: amount.optional() })
    .refine((by) => Object.keys(by).length > 0, { error: 'Give days, hours, minutes or seconds, or until.' }),
]);

export interface LocalResponse {
  status: number;
  body: unknown;
}

function localProblem(status: number, code: string, detail: string, errors?: unknown): LocalResponse {
  return { status, body: { type: `https://moodrx.example/problems/local/${code.replaceAll('_', '-')}`, title: code, status, code, detail, ...(errors ? { errors } : {}) } };
}

export interface ClockRoutesOptions {
  clock: VirtualClock;
  /** The SES emulator, to list the emails an advance made send. */
  sesEndpoint?: string;
  /** Called after every advance (the stack keeps the time with its data). */
  onAdvanced?: (now: Date) => void;
}

/**
 * Answers a request for /local/clock*, or undefined when the path is not one of these routes.
 * `body` is the raw request body.
 */
export async function handleClockRequest(options: ClockRoutesOptions, method: string, path: string, body: string | null): Promise<LocalResponse | undefined> {
  const { clock } = options;
  if (path === CLOCK_PATH) {
    if (method !== 'GET') return localProblem(405, 'method_not_allowed', 'Use GET on /local/clock.');
    return { status: 200, body: { mode: clock.mode, now: clock.now().toISOString(), pending: clock.pending(), running: clock.running() } };
  }
  if (path !== CLOCK_ADVANCE_PATH) return undefined;
  if (method !== 'POST') return localProblem(405, 'method_not_allowed', 'Use POST on /local/clock/advance.');
  if (clock.mode !== 'controlled') return localProblem(409, 'clock_not_controlled', new ClockNotControlledError().message);

  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    return localProblem(400, 'malformed_json', 'Send a JSON body such as {"days": 14} or {"until": "2027-01-04T12:00:00Z"}.');
  }
  const parsed = AdvanceRequestSchema.safeParse(json);
  if (!parsed.success) {
    return localProblem(400, 'validation_failed', 'Send {"days"|"hours"|"minutes"|"seconds": number >= 0} or {"until": ISO 8601 instant}.', parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
  }
  const by = parsed.data;
  const span = 'until' in by ? Date.parse(by.until) - clock.now().getTime() : durationMs(by);
  if (span > MAX_ADVANCE_MS) return localProblem(400, 'validation_failed', 'Advance at most 366 days per call.');

  try {
    // What was already running finishes first, so its emails (a booking's confirmations) are
    // counted before the advance, not as the advance's; runAdvance settles again, harmlessly.
    await clock.settled();
    const inboxBefore = options.sesEndpoint ? (await fetchInbox(options.sesEndpoint)).length : 0;
    const report = await clock.advance(by);
    options.onAdvanced?.(clock.now());
    const emails = options.sesEndpoint
      ? (await fetchInbox(options.sesEndpoint)).slice(inboxBefore).map((email) => ({ to: email.destination.to, subject: email.subject, date: new Date(email.at * 1000).toISOString() }))
      : [];
    return { status: 200, body: { ...report, emails } };
  } catch (error) {
    if (error instanceof ClockCannotGoBackError) return localProblem(409, 'clock_cannot_go_back', error.message);
    if (error instanceof ClockSettleTimeoutError) return localProblem(503, 'executions_still_running', error.message);
    throw error;
  }
}
