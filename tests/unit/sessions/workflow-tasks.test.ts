/**
 * The session workflow's tasks on in-memory fakes (shared/use-cases/sessions/workflow-tasks.ts):
 * each email once per session + version + kind (a retried task sends nothing more), a run of an
 * old version or of a cancelled session sends nothing, a reminder that runs too late is skipped,
 * and the emails carry the minimum necessary (no client surname to the therapist, nothing
 * clinical, the crisis lines to the client).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_POLICY } from '../../../shared/domain/sessions/sessions.js';
import type { ClientProfile, OutgoingEmail, SentNotification } from '../../../shared/use-cases/ports.js';
import type { StoredSession } from '../../../shared/use-cases/sessions/ports.js';
import { readSessionSchedule, sendSessionCancellation, sendSessionConfirmation, sendSessionReminder, type SessionTaskDeps } from '../../../shared/use-cases/sessions/workflow-tasks.js';

const HOUR = 3_600_000;
const SESSION_ID = '0b0f5a4e-6c1d-4b8e-9f3a-2d7c1e5a9b01';
const START = '2027-03-10T01:00:00.000Z';

function session(overrides: Partial<StoredSession> = {}): StoredSession {
  return {
    sessionId: SESSION_ID,
    clientId: 'client-1',
    therapistId: 'therapist-1',
    therapist: { id: 'therapist-1', displayName: 'Casey Moor, LPCC', credential: 'LPCC' },
    type: 'individual',
    start: START,
    end: '2027-03-10T01:50:00.000Z',
    status: 'booked',
    joinUrl: `https://video.example.com/rooms/${SESSION_ID}`,
    therapistTimezone: 'America/Denver',
    clientTimezone: 'America/Denver',
    scheduleVersion: 1,
    scheduledAt: '2027-03-01T12:00:00.000Z',
    createdAt: '2027-03-01T12:00:00.000Z',
    updatedAt: '2027-03-01T12:00:00.000Z',
    bookedBy: 'client',
    lockCells: [],
    ...overrides,
  };
}

function world(stored: StoredSession, nowIso: string) {
  const sent: OutgoingEmail[] = [];
  const notes = new Map<string, SentNotification>();
  let current = stored;
  const deps: SessionTaskDeps = {
    sessions: {
      get: (id) => Promise.resolve(id === current.sessionId ? current : undefined),
      hasNotification: (_id, key) => Promise.resolve(notes.has(key)),
      recordNotification: (_id, n) => {
        if (!notes.has(n.key)) notes.set(n.key, n);
        return Promise.resolve();
      },
    },
    clients: { getProfile: () => Promise.resolve({ clientId: 'client-1', email: 'avery@example.com', firstName: 'Avery', lastName: 'Testwood', timezone: 'America/Denver' } as ClientProfile) },
    directory: { getConsultationClinician: () => Promise.resolve({ clinicianId: 'therapist-1', firstName: 'Casey', lastName: 'Moor', email: 'casey@example.com', timezone: 'America/Denver' } as never) },
    units: { listUnitsOf: () => Promise.resolve([]) },
    email: {
      send: (email) => {
        sent.push(email);
        return Promise.resolve({ messageId: `m-${sent.length}` });
      },
    },
    policy: DEFAULT_SESSION_POLICY,
    appBaseUrl: 'https://app.example.com',
    emailFrom: 'MoodRx <care@example.com>',
    now: () => new Date(nowIso),
  };
  return { deps, sent, notes, set: (s: StoredSession) => (current = s) };
}

const input = { sessionId: SESSION_ID, scheduleVersion: 1 };

describe('session workflow tasks', () => {
  it('plans the reminders at exactly start - 24 h and start - 1 h (whole seconds, for the Wait states)', async () => {
    const { deps } = world(session(), '2027-03-01T12:00:00.000Z');
    expect(await readSessionSchedule(input, deps)).toEqual({
      current: true,
      start: '2027-03-10T01:00:00Z',
      remindDayBefore: true,
      dayBeforeAt: '2027-03-09T01:00:00Z',
      remindHourBefore: true,
      hourBeforeAt: '2027-03-10T00:00:00Z',
    });
    expect(await readSessionSchedule({ ...input, scheduleVersion: 2 }, deps)).toEqual({ current: false });
  });

  it('sends each confirmation and reminder once: a retried task sends nothing more', async () => {
    const { deps, sent, notes } = world(session(), '2027-03-01T12:00:00.000Z');
    expect(await sendSessionConfirmation(input, deps)).toEqual({ current: true, sent: 2 });
    expect(await sendSessionConfirmation(input, deps)).toEqual({ current: true, sent: 0 });
    deps.now = () => new Date(Date.parse(START) - 24 * HOUR);
    expect(await sendSessionReminder({ ...input, kind: '24h' }, deps)).toEqual({ current: true, sent: 1 });
    expect(await sendSessionReminder({ ...input, kind: '24h' }, deps)).toEqual({ current: true, sent: 0 });
    expect(sent).toHaveLength(3);
    expect([...notes.keys()]).toEqual(['confirmation-v1-client', 'confirmation-v1-clinician', 'reminder-24h-v1']);
  });

  it('sends nothing for an old version or a cancelled session, and skips a reminder that runs too late', async () => {
    const w = world(session({ scheduleVersion: 2 }), '2027-03-09T01:00:00.000Z');
    expect(await sendSessionReminder({ ...input, kind: '24h' }, w.deps)).toEqual({ current: false, sent: 0 });
    w.set(session({ status: 'cancelled' }));
    expect(await sendSessionReminder({ ...input, kind: '24h' }, w.deps)).toEqual({ current: false, sent: 0 });
    w.set(session());
    // 55 minutes after the 1-hour reminder's time (it is stale 50 minutes after it).
    w.deps.now = () => new Date(Date.parse(START) - 5 * 60_000);
    expect(await sendSessionReminder({ ...input, kind: '1h' }, w.deps)).toEqual({ current: true, sent: 0, skipped: 'too_late' });
    expect(w.sent).toEqual([]);
  });

  it('carries the minimum necessary: a first name and last initial to the therapist, the time, the links; the crisis lines to the client', async () => {
    const { deps, sent } = world(session(), '2027-03-01T12:00:00.000Z');
    await sendSessionConfirmation(input, deps);
    const [toClient, toTherapist] = sent;
    expect(toTherapist!.subject).toContain('Avery T.');
    const therapistText = `${toTherapist!.subject}${toTherapist!.text}${toTherapist!.html}`;
    expect(therapistText).not.toContain('Testwood');
    expect(therapistText).not.toContain('client-1');
    expect(toClient!.text).toContain('988');
    expect(toClient!.text).toContain(`https://app.example.com/sessions/${SESSION_ID}`);
    for (const email of sent) expect(`${email.subject}${email.text}`).not.toMatch(/individual|diagnos|no.show|plan|therapy/i);
    const ics = Buffer.from(toClient!.attachments![0]!.content).toString('utf8');
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:${SESSION_ID}`);
    expect(ics).toContain('SEQUENCE:1');
  });

  it('sends the cancellation (METHOD:CANCEL, SEQUENCE = version + 1) once, only for a cancelled session', async () => {
    const w = world(session(), '2027-03-05T12:00:00.000Z');
    expect(await sendSessionCancellation(input, w.deps)).toEqual({ sent: 0 });
    w.set(session({ status: 'cancelled_care_ended', scheduleVersion: 3 }));
    expect(await sendSessionCancellation({ ...input, scheduleVersion: 3 }, w.deps)).toEqual({ sent: 2 });
    expect(await sendSessionCancellation({ ...input, scheduleVersion: 3 }, w.deps)).toEqual({ sent: 0 });
    const ics = Buffer.from(w.sent[0]!.attachments![0]!.content).toString('utf8');
    expect(ics).toMatch(/METHOD:CANCEL[\s\S]*SEQUENCE:4[\s\S]*STATUS:CANCELLED/);
  });

  describe('one confirmation per series', () => {
    const IDS = ['0b0f5a4e-6c1d-4b8e-9f3a-2d7c1e5a9b01', '0b0f5a4e-6c1d-4b8e-9f3a-2d7c1e5a9b02', '0b0f5a4e-6c1d-4b8e-9f3a-2d7c1e5a9b03'];
    const WEEK = 7 * 24 * HOUR;
    const starts = IDS.map((_, i) => new Date(Date.parse(START) + i * WEEK).toISOString());
    const series = () =>
      IDS.map((id, i) =>
        session({
          sessionId: id,
          start: starts[i]!,
          end: new Date(Date.parse(starts[i]!) + 50 * 60_000).toISOString(),
          joinUrl: `https://video.example.com/rooms/${id}`,
          seriesId: 'series-1',
          seriesIndex: i + 1,
          seriesCount: 3,
          seriesSessionIds: IDS,
        }),
      );

    /** The series in a map, with notifications recorded per session id (pattern 63). */
    function seriesWorld(stored: StoredSession[]) {
      const w = world(stored[0]!, '2027-03-01T12:00:00.000Z');
      const byId = new Map(stored.map((s) => [s.sessionId, s]));
      const records = new Map<string, SentNotification>();
      w.deps.sessions = {
        get: (id) => Promise.resolve(byId.get(id)),
        hasNotification: (id, key) => Promise.resolve(records.has(`${id}/${key}`)),
        recordNotification: (id, n) => {
          if (!records.has(`${id}/${n.key}`)) records.set(`${id}/${n.key}`, n);
          return Promise.resolve();
        },
      };
      return { ...w, byId, records };
    }
    const calendarOf = (email: OutgoingEmail | undefined) => Buffer.from(email?.attachments?.[0]?.content ?? '').toString('utf8');

    it('sends ONE email per person listing every date, with ONE .ics holding a VEVENT per session (its own UID); the other runs send nothing', async () => {
      const w = seriesWorld(series());
      expect(await sendSessionConfirmation({ sessionId: IDS[1]!, scheduleVersion: 1 }, w.deps)).toEqual({ current: true, sent: 0, skipped: 'in_series_confirmation' });
      expect(await sendSessionConfirmation({ sessionId: IDS[0]!, scheduleVersion: 1 }, w.deps)).toEqual({ current: true, sent: 2 });
      expect(await sendSessionConfirmation({ sessionId: IDS[2]!, scheduleVersion: 1 }, w.deps)).toEqual({ current: true, sent: 0, skipped: 'in_series_confirmation' });
      // A retried first run sends nothing more.
      expect(await sendSessionConfirmation({ sessionId: IDS[0]!, scheduleVersion: 1 }, w.deps)).toEqual({ current: true, sent: 0 });
      expect(w.sent.map((e) => [e.to, e.subject])).toEqual([
        ['avery@example.com', 'Your 3 sessions are booked, from Tuesday, March 9, 2027 at 6:00 PM MST'],
        ['casey@example.com', 'New series of 3 sessions: Avery T., from Tuesday, March 9, 2027 at 6:00 PM MST'],
      ]);
      expect([...w.records.keys()]).toEqual([`${IDS[0]}/series-confirmation-v1-client`, `${IDS[0]}/series-confirmation-v1-clinician`]);
      const [toClient] = w.sent;
      expect(toClient!.text).toContain('1. Tuesday, March 9, 2027 at 6:00 PM MST');
      expect(toClient!.text).toContain('2. Tuesday, March 16, 2027 at 7:00 PM MDT');
      expect(toClient!.text).toContain('3. Tuesday, March 23, 2027 at 7:00 PM MDT');
      for (const id of IDS) expect(toClient!.text).toContain(`https://video.example.com/rooms/${id}`);
      for (const email of w.sent) {
        expect(email.attachments).toHaveLength(1);
        const ics = calendarOf(email);
        expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(3);
        expect(ics.match(/METHOD:REQUEST/g)).toHaveLength(1);
        expect([...ics.matchAll(/^UID:(.*)\r$/gm)].map((m) => m[1])).toEqual(IDS);
        expect([...ics.matchAll(/^DTSTART:(.*)\r$/gm)].map((m) => m[1])).toEqual(['20270310T010000Z', '20270317T010000Z', '20270324T010000Z']);
        expect(ics.match(/SEQUENCE:1\r/g)).toHaveLength(3);
      }
    });

    it('lists only the sessions still booked at version 1, and a later first session sends it when the first was cancelled before its run', async () => {
      const stored = series();
      stored[0] = { ...stored[0]!, status: 'cancelled' };
      stored[2] = { ...stored[2]!, scheduleVersion: 2 };
      const w = seriesWorld(stored);
      expect(await sendSessionConfirmation({ sessionId: IDS[1]!, scheduleVersion: 1 }, w.deps)).toEqual({ current: true, sent: 2 });
      // Recorded under the series' first id, whichever run sent it.
      expect([...w.records.keys()]).toEqual([`${IDS[0]}/series-confirmation-v1-client`, `${IDS[0]}/series-confirmation-v1-clinician`]);
      expect(w.sent[0]!.subject).toBe('Your 1 session is booked, from Tuesday, March 16, 2027 at 7:00 PM MDT');
      expect([...calendarOf(w.sent[0]).matchAll(/^UID:(.*)\r$/gm)].map((m) => m[1])).toEqual([IDS[1]]);
      // The moved session's own run confirms its new version alone, as a single session.
      expect(await sendSessionConfirmation({ sessionId: IDS[2]!, scheduleVersion: 2 }, w.deps)).toEqual({ current: true, sent: 2 });
      expect(w.sent[2]!.subject).toMatch(/^Your session was moved to /);
    });

    it('keeps the reminders per session', async () => {
      const w = seriesWorld(series());
      w.deps.now = () => new Date(Date.parse(starts[1]!) - 24 * HOUR);
      expect(await sendSessionReminder({ sessionId: IDS[1]!, scheduleVersion: 1, kind: '24h' }, w.deps)).toEqual({ current: true, sent: 1 });
      expect(w.sent.map((e) => e.subject)).toEqual(['Reminder: your session is tomorrow (Tuesday, March 16, 2027 at 7:00 PM MDT)']);
    });
  });
});
