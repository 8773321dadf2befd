/**
 * Reading a treatment plan through the whole local stack (HTTP -> API adapter -> handler ->
 * DynamoDB Local), for a client a year into care: 52 weekly sessions booked in series of 12 and
 * attended, 100 assessments (a PHQ-9 and a GAD-7 most weeks), and 5 plan versions (signed, then
 * revised every 12 weeks). Built on a controlled clock, through the API as the therapist.
 *
 * 1. GET /v1/clients/{id}/plan: the active version with each objective's status from the score
 *    series, and the acknowledgement; audited.
 * 2. GET /v1/clients/{id}/plans: every version, newest first, each with its statuses.
 *
 * p50/p95 over BENCH_PLAN_RUNS requests each, after a warm-up, as the assigned therapist.
 *
 *   npm run bench:plans      # BENCH_PLAN_RUNS=50
 *
 * Synthetic people only (the demo therapist, a bench client @example.com).
 */
import { DAY_MS, openClinic, summary } from './local-clinic.js';

// The handlers' INFO lines would drown the figures; they are created after this line.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const RUNS = Number(process.env.BENCH_PLAN_RUNS ?? 50);
const WARM_UP = 5;
const SESSIONS = 52;
const ASSESSMENTS = 100;
const START = '2027-01-04T06:00:00.000Z'; // a Monday, 01:00 in New York

interface Session {
  id: string;
  start: string;
  end: string;
}

const planBody = (version: number) => ({
  problems: [{ id: 'p1', description: 'Checking rituals up to three hours a day' }, { id: 'p2', description: 'Low mood' }],
  goals: [
    { id: 'g1', problemIds: ['p1'], statement: 'Leave the house on time' },
    { id: 'g2', problemIds: ['p2'], statement: 'Enjoy weekends again' },
  ],
  objectives: [
    { kind: 'measure', id: 'o1', goalId: 'g2', instrument: 'phq9', target: { kind: 'below', value: 10 }, dueDate: '2028-01-31' },
    { kind: 'measure', id: 'o2', goalId: 'g1', instrument: 'gad7', target: { kind: 'reduction_percent', percent: 50 }, dueDate: '2028-01-31' },
    { kind: 'behaviour', id: 'o3', goalId: 'g1', description: 'Checking under 30 minutes a day for a week', dueDate: '2028-01-31' },
  ],
  interventions: [{ id: `i${version}`, modality: version % 2 === 1 ? 'cbt' : 'erp', goalIds: ['g1', 'g2'], frequency: { every: 'week', sessions: 12 } }],
  strengths: ['Motivated', 'A supportive partner'],
  sessionFrequency: { every: 'week' },
  dischargeCriteria: ['PHQ-9 below 10 twice in a row', 'Checking under 30 minutes a day'],
  clinicianNotes: 'Synthetic formulation for the bench.',
});

const clinic = await openClinic(START);
try {
  const setUp = performance.now();
  const clientId = await clinic.clientInCare(0);
  const base = `/v1/clients/${clientId}`;
  const first = await clinic.call<{ planId: string }>('POST', `${base}/plans`, planBody(1));
  let active = (await clinic.call<{ planId: string }>('POST', `${base}/plans/${first.planId}/sign`, {})).planId;

  const queue: Session[] = [];
  let booked = 0;
  let assessments = 0;
  for (let week = 0; week < SESSIONS; week += 1) {
    if (queue.length === 0) {
      // The next series: Thursdays at 10:00 in New York, from the slots the API offers.
      const thursday = new Date(Date.parse(START) + (week * 7 + 3) * DAY_MS).toISOString().slice(0, 10);
      const slots = await clinic.call<{ slots: { start: string; startLocal: string }[] }>('GET', `${base}/session-slots`);
      const slot = slots.slots.find((s) => s.startLocal.startsWith(`${thursday}T10:00`));
      if (!slot) throw new Error(`No 10:00 slot on ${thursday}`);
      const count = Math.min(12, SESSIONS - booked);
      const series = await clinic.call<{ sessions: Session[] }>('POST', `${base}/sessions`, { startsAt: slot.start, repeat: { every: 'week', count } });
      queue.push(...series.sessions);
      booked += count;
    }
    const session = queue.shift() as Session;
    await clinic.advanceUntil(session.end);
    await clinic.call('POST', `/v1/sessions/${session.id}/attendance`, { status: 'attended' });
    const level = Math.max(0, 2 - Math.floor(week / 20)); // slowly better
    for (const [instrument, items] of [['phq9', 9], ['gad7', 7]] as const) {
      if (assessments >= ASSESSMENTS) break;
      const answers = Array.from({ length: items }, (_, k) => (instrument === 'phq9' && k === 8 ? 0 : (level + k + week) % 3 === 0 ? level + 1 : level));
      await clinic.call('POST', `${base}/assessments`, { instrument, answers: answers.map((a) => Math.min(a, 3)) });
      assessments += 1;
    }
    if (week > 0 && week % 12 === 0) {
      const version = week / 12 + 1;
      const draft = await clinic.call<{ planId: string }>('POST', `${base}/plans/${active}/revisions`, {
        revision: { reason: 'other', text: `Quarterly review ${version - 1}` },
        changes: { interventions: planBody(version).interventions },
      });
      active = (await clinic.call<{ planId: string }>('POST', `${base}/plans/${draft.planId}/sign`, {})).planId;
    }
  }
  const sessions = await clinic.call<{ sessions: { status: string }[] }>('GET', `${base}/sessions`);
  const versions = await clinic.call<{ versions: unknown[] }>('GET', `${base}/plans`);
  console.log(
    `Set up in ${((performance.now() - setUp) / 1000).toFixed(1)} s: ${sessions.sessions.filter((s) => s.status === 'attended').length} attended sessions, ` +
      `${assessments} assessments, ${versions.versions.length} plan versions (clock at ${clinic.stack.clock.now().toISOString()})`,
  );

  for (const path of [`${base}/plan`, `${base}/plans`]) {
    const timings: number[] = [];
    for (let i = 0; i < WARM_UP + RUNS; i += 1) {
      const ms = await clinic.timed(path);
      if (i >= WARM_UP) timings.push(ms);
    }
    console.log(`GET ${path.replace(clientId, '{id}')}: ${summary(timings)} (${RUNS} requests, as the therapist)`);
  }
} finally {
  await clinic.stop();
}
