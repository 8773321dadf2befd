/**
 * Session slot search through the whole local stack: GET /v1/clients/{id}/session-slots with a
 * 12-week window, for the demo therapist (Mon-Fri 09:00-17:00 New York, 40 hours a week) with a
 * full caseload booked: BENCH_SLOT_CLIENTS clients (default 25) each in a weekly series of 12,
 * so ~25 of the 40 weekly hours taken for the whole window (300 sessions, their lock cells
 * in the table). The search reads the therapist's hours and every lock cell of the window,
 * and walks the window in 30-minute steps.
 *
 * The booking horizon (SESSION_HORIZON_DAYS, default 28) clips any window; here it is 84 days so
 * the window really is 12 weeks (the answer's `to` is checked). p50/p95 over
 * BENCH_SLOT_RUNS requests after a warm-up, as the therapist (a client asks the same search).
 *
 *   npm run bench:session-slots      # BENCH_SLOT_CLIENTS=25 BENCH_SLOT_RUNS=50
 *
 * Synthetic people only (the demo therapist, bench clients @example.com).
 */
import { DAY_MS, openClinic, summary } from './local-clinic.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.SESSION_HORIZON_DAYS = '84';

const CLIENTS = Number(process.env.BENCH_SLOT_CLIENTS ?? 25);
const RUNS = Number(process.env.BENCH_SLOT_RUNS ?? 50);
const WARM_UP = 5;
const WEEKS = 12;
const START = '2027-01-04T06:00:00.000Z'; // a Monday, 01:00 in New York (EST, UTC-5)

const clinic = await openClinic(START);
try {
  const setUp = performance.now();
  const clients: string[] = [];
  for (let i = 0; i < CLIENTS; i += 1) {
    const clientId = await clinic.clientInCare(i);
    clients.push(clientId);
    // Each client's hour: day i % 5 of the first week, from 09:00 local, on the hour.
    const day = i % 5;
    const hour = 9 + Math.floor(i / 5) + (Math.floor(i / 5) >= 3 ? 1 : 0); // 09-11, 13-14...: a lunch hour free
    const startsAt = new Date(Date.parse(START) + day * DAY_MS + (hour + 5 - 6) * 3_600_000).toISOString();
    await clinic.call('POST', `/v1/clients/${clientId}/sessions`, { startsAt, repeat: { every: 'week', count: WEEKS } });
  }
  const from = clinic.stack.clock.now().toISOString();
  const to = new Date(Date.parse(from) + WEEKS * 7 * DAY_MS).toISOString();
  const path = `/v1/clients/${clients[0]}/session-slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const answer = await clinic.call<{ from: string; to: string; slots: unknown[] }>('GET', path);
  if (answer.to !== to) throw new Error(`The window was clipped to ${answer.to}`);
  console.log(
    `Set up in ${((performance.now() - setUp) / 1000).toFixed(1)} s: ${CLIENTS * WEEKS} sessions booked over ${WEEKS} weeks; ` +
      `the search answers ${answer.slots.length} free starts from ${answer.from} to ${answer.to}`,
  );
  const timings: number[] = [];
  for (let i = 0; i < WARM_UP + RUNS; i += 1) {
    const ms = await clinic.timed(path);
    if (i >= WARM_UP) timings.push(ms);
  }
  console.log(`GET /v1/clients/{id}/session-slots, 12-week window: ${summary(timings)} (${RUNS} requests, as the therapist)`);
} finally {
  await clinic.stop();
}
