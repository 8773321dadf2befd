/**
 * The local-only clock control routes (local/clock/clock-routes.ts), called directly: no
 * server, and no SES emulator (so an advance lists no emails).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLOCK_ADVANCE_PATH, CLOCK_PATH, handleClockRequest, type LocalResponse } from '../../../local/clock/clock-routes.js';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';

const START = new Date('2027-01-04T09:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(START.getTime() + ms).toISOString();

const controlled = (): VirtualClock => new VirtualClock({ mode: 'controlled', start: START });

async function post(clock: VirtualClock, body: string | null, onAdvanced?: (now: Date) => void): Promise<LocalResponse> {
  const response = await handleClockRequest({ clock, ...(onAdvanced ? { onAdvanced } : {}) }, 'POST', CLOCK_ADVANCE_PATH, body);
  if (!response) throw new Error('The advance route did not answer.');
  return response;
}

function expectProblem(response: LocalResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.body).toMatchObject({
    type: `https://moodrx.example/problems/local/${code.replaceAll('_', '-')}`,
    title: code,
    status,
    code,
    detail: expect.any(String),
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('GET /local/clock', () => {
  it('answers the mode, the time, the pending waits and the running executions', async () => {
    const clock = controlled();
    void clock.track('reminder').sleepUntil(new Date(START.getTime() + 2 * DAY), 'WaitTwoDays', new AbortController().signal);
    clock.track('busy');
    const response = await handleClockRequest({ clock }, 'GET', CLOCK_PATH, null);
    expect(response).toEqual({
      status: 200,
      body: {
        mode: 'controlled',
        now: START.toISOString(),
        pending: [{ due: iso(2 * DAY), execution: 'reminder', state: 'WaitTwoDays' }],
        running: ['busy'],
      },
    });
  });

  it('answers a real clock with the system time', async () => {
    const clock = new VirtualClock({ mode: 'real' });
    const before = Date.now();
    const response = await handleClockRequest({ clock }, 'GET', CLOCK_PATH, null);
    const after = Date.now();
    const body = response?.body as { mode: string; now: string; pending: unknown[] };
    expect(response?.status).toBe(200);
    expect(body.mode).toBe('real');
    expect(Date.parse(body.now)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(body.now)).toBeLessThanOrEqual(after);
    expect(body.pending).toEqual([]);
  });

  it('refuses another method with 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await handleClockRequest({ clock: controlled() }, method, CLOCK_PATH, '{"days":1}');
      expectProblem(response as LocalResponse, 405, 'method_not_allowed');
    }
  });
});

describe('POST /local/clock/advance', () => {
  it('moves the clock by {"days": 2} and answers from, to, woken and no emails', async () => {
    const clock = controlled();
    const response = await post(clock, '{"days":2}');
    expect(response).toEqual({ status: 200, body: { from: START.toISOString(), to: iso(2 * DAY), woken: [], emails: [] } });
    expect(clock.now().toISOString()).toBe(iso(2 * DAY));
  });

  it('moves the clock by {"hours": 5, "minutes": 30}', async () => {
    const clock = controlled();
    const response = await post(clock, JSON.stringify({ hours: 5, minutes: 30 }));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ from: START.toISOString(), to: iso(5.5 * HOUR), woken: [], emails: [] });
    expect(clock.now().getTime() - START.getTime()).toBe(5.5 * HOUR);
  });

  it('moves the clock by {"seconds": 90}', async () => {
    const clock = controlled();
    expect((await post(clock, '{"seconds":90}')).status).toBe(200);
    expect(clock.now().toISOString()).toBe(iso(90_000));
  });

  it('moves the clock to {"until": ISO}', async () => {
    const clock = controlled();
    const response = await post(clock, JSON.stringify({ until: '2027-01-10T12:00:00+02:00' }));
    expect(response).toEqual({ status: 200, body: { from: START.toISOString(), to: '2027-01-10T10:00:00.000Z', woken: [], emails: [] } });
    expect(clock.now().toISOString()).toBe('2027-01-10T10:00:00.000Z');
  });

  it('lists the waits that fell due, in order, each at its instant', async () => {
    const clock = controlled();
    const signal = new AbortController().signal;
    const sleepers = [
      { name: 'late', days: 6, state: 'WaitSixDays' },
      { name: 'early', days: 1, state: 'WaitOneDay' },
      { name: 'after', days: 9, state: 'WaitNineDays' },
    ];
    for (const { name, days, state } of sleepers) {
      const activity = clock.track(name);
      void activity.sleepUntil(new Date(START.getTime() + days * DAY), state, signal).then(() => activity.end());
    }
    const response = await post(clock, '{"days":7}');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: START.toISOString(),
      to: iso(7 * DAY),
      woken: [
        { at: iso(1 * DAY), execution: 'early', state: 'WaitOneDay' },
        { at: iso(6 * DAY), execution: 'late', state: 'WaitSixDays' },
      ],
      emails: [],
    });
    expect(clock.pending()).toEqual([{ due: iso(9 * DAY), execution: 'after', state: 'WaitNineDays' }]);
  });

  it('tells onAdvanced the new time after an advance', async () => {
    const clock = controlled();
    const seen: string[] = [];
    await post(clock, '{"days":1}', (now) => seen.push(now.toISOString()));
    expect(seen).toEqual([iso(DAY)]);
    await post(clock, '{"days":-1}', (now) => seen.push(now.toISOString()));
    await post(clock, JSON.stringify({ until: START.toISOString() }), (now) => seen.push(now.toISOString()));
    expect(seen).toEqual([iso(DAY)]);
  });

  it.each([
    ['an unknown field', '{"weeks":1}'],
    ['milliseconds (not offered)', '{"milliseconds":500}'],
    ['a negative amount', '{"days":-1}'],
    ['a string amount', '{"days":"2"}'],
    ['an empty object', '{}'],
    ['both until and days', '{"until":"2027-01-05T09:00:00Z","days":1}'],
    ['an until without an offset', '{"until":"2027-01-05T09:00:00"}'],
    ['an until that is a date only', '{"until":"2027-01-05"}'],
    ['null', 'null'],
    ['an array', '[{"days":1}]'],
    ['a number', '2'],
  ])('refuses %s with 400 validation_failed, leaving the clock alone', async (_case, body) => {
    const clock = controlled();
    const response = await post(clock, body);
    expectProblem(response, 400, 'validation_failed');
    expect((response.body as { errors?: unknown[] }).errors).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.any(String) })]));
    expect(clock.now().toISOString()).toBe(START.toISOString());
  });

  it.each([
    ['malformed JSON', '{"days": 2'],
    ['an empty body', ''],
    ['no body', null],
    ['plain text', 'days=2'],
  ])('refuses %s with 400 malformed_json', async (_case, body) => {
    const clock = controlled();
    expectProblem(await post(clock, body), 400, 'malformed_json');
    expect(clock.now().toISOString()).toBe(START.toISOString());
  });

  it('refuses more than 366 days per call with 400, and accepts exactly 366', async () => {
    const clock = controlled();
    expectProblem(await post(clock, '{"days":367}'), 400, 'validation_failed');
    expectProblem(await post(clock, JSON.stringify({ hours: 366 * 24, seconds: 1 })), 400, 'validation_failed');
    expectProblem(await post(clock, JSON.stringify({ until: iso(366 * DAY + 1) })), 400, 'validation_failed');
    expect((await post(clock, '{"days":367}')).body).toMatchObject({ detail: 'Advance at most 366 days per call.' });
    expect(clock.now().toISOString()).toBe(START.toISOString());
    expect((await post(clock, '{"days":366}')).status).toBe(200);
    expect(clock.now().toISOString()).toBe(iso(366 * DAY));
    expect((await post(clock, JSON.stringify({ until: iso(732 * DAY) }))).status).toBe(200);
  });

  it('answers 409 clock_not_controlled on a real clock, whatever the body', async () => {
    const clock = new VirtualClock({ mode: 'real' });
    const response = await post(clock, '{"days":2}');
    expectProblem(response, 409, 'clock_not_controlled');
    expect((response.body as { detail: string }).detail).toContain('LOCAL_CLOCK=controlled');
    expectProblem(await post(clock, 'not json'), 409, 'clock_not_controlled');
  });

  it('answers 409 clock_cannot_go_back for an until in the past, leaving the clock alone', async () => {
    const clock = controlled();
    await post(clock, '{"days":3}');
    const response = await post(clock, JSON.stringify({ until: iso(DAY) }));
    expectProblem(response, 409, 'clock_cannot_go_back');
    expect((response.body as { detail: string }).detail).toBe(`The clock is at ${iso(3 * DAY)} and cannot go back to ${iso(DAY)}.`);
    expect(clock.now().toISOString()).toBe(iso(3 * DAY));
  });

  it('answers 503 executions_still_running when an execution never reaches a wait', async () => {
    // The route settles with the clock's default deadline (60 s): fake setTimeout to reach it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const clock = controlled();
    clock.track('stuck-execution');
    const answer = post(clock, '{"days":1}');
    await vi.advanceTimersByTimeAsync(60_000);
    const response = await answer;
    expectProblem(response, 503, 'executions_still_running');
    expect((response.body as { detail: string }).detail).toContain('stuck-execution');
  });

  it('refuses another method with 405', async () => {
    for (const method of ['GET', 'PUT', 'PATCH']) {
      const clock = controlled();
      expectProblem((await handleClockRequest({ clock }, method, CLOCK_ADVANCE_PATH, '{"days":1}')) as LocalResponse, 405, 'method_not_allowed');
      expect(clock.now().toISOString()).toBe(START.toISOString());
    }
  });
});

describe('other paths', () => {
  it.each(['/', '/local', '/local/clockwork', '/local/clock/advance/now', '/clinicians', '/local/clock/reset'])('answers undefined for %s', async (path) => {
    const clock = controlled();
    await expect(handleClockRequest({ clock }, 'GET', path, null)).resolves.toBeUndefined();
    await expect(handleClockRequest({ clock }, 'POST', path, '{"days":1}')).resolves.toBeUndefined();
    expect(clock.now().toISOString()).toBe(START.toISOString());
  });
});
