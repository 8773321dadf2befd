/**
 * Joint sessions on the REAL workflows/session.asl.json and its task handlers, on the controlled
 * clock (tests/workflow/controlled-time.ts): a couple books a weekly series of 3 with the unit's
 * therapist; each partner gets ONE confirmation listing the 3 dates (one .ics, a VEVENT per
 * session), the therapist one; each partner gets their own reminders at exactly start - 24 h and
 * start - 1 h of every session; a partner who left the unit gets nothing more.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCareUnitRepository } from '../../shared/adapters/dynamodb/care-unit-repository.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { sessionExecutionName } from '../../shared/domain/sessions/workflow.js';
import { formatWhen } from '../../shared/notifications/consultation-emails.js';
import type { JsonValue, WorkflowStarter } from '../../shared/use-cases/ports.js';
import { bookJointSessions, listUnitSessions } from '../../shared/use-cases/sessions/joint-sessions.js';
import type { Json } from '../../local/step-functions/definition.js';
import { statesEntered, type LocalExecution, type LocalWorkflow } from '../../local/step-functions/runner.js';
import { createClient } from '../integration/consultations/support.js';
import { createTherapist } from '../integration/matching/support.js';
import { eveningStart, sessionDeps } from '../integration/sessions/support.js';
import { HOUR_MS, useControlledTime, type SentEmail } from './controlled-time.js';
import { tableClient, tableName } from './support.js';

const time = useControlledTime();
let workflow: LocalWorkflow;

beforeAll(async () => {
  workflow = await time.workflow('session');
});

afterEach(() => {
  expect(time.clock.pending()).toEqual([]);
});

class LocalStarter implements WorkflowStarter {
  readonly runs = new Map<string, LocalExecution>();
  async start({ name, input }: { name: string; input: { [key: string]: JsonValue } }) {
    const existing = this.runs.get(name);
    const run = existing ?? time.started(workflow.start(input as Json, { name }));
    this.runs.set(name, run);
    return { executionArn: run.record.executionArn, alreadyStarted: existing !== undefined };
  }
  run(name: string): LocalExecution {
    const run = this.runs.get(name);
    if (!run) throw new Error(`No run ${name}`);
    return run;
  }
}

const nowIso = () => time.clock.now().toISOString();
const plus = (from: string, ms: number) => new Date(Date.parse(from) + ms).toISOString();
const inbox = async (to: string) => (await time.emailsTo(to)).map((email) => [email.subject, email.sentAt]);
const calendar = (email: SentEmail | undefined) =>
  Buffer.from(email?.attachments.find((a) => a.contentType.startsWith('text/calendar'))?.content ?? '', 'base64').toString('utf8');

async function notificationKeys(sessionId: string): Promise<string[]> {
  const { Items = [] } = await tableClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :notification)',
      ExpressionAttributeValues: { ':pk': keys.sessionPartition(sessionId), ':notification': 'NOTIFICATION#' },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => String(item.key)).sort();
}

/** A couple matched with a therapist, written through the care-unit repository. */
async function matchedCouple() {
  const therapist = await createTherapist({ state: 'NM' });
  const [a, b] = await Promise.all([
    createClient({ state: 'NM', timezone: 'America/Denver', stage: 'in_care', firstName: 'Rowan' }),
    createClient({ state: 'NM', timezone: 'America/Denver', stage: 'in_care', firstName: 'Sage' }),
  ]);
  const units = createCareUnitRepository({ documentClient: tableClient(), tableName: tableName() });
  const unitId = randomUUID();
  const at = nowIso();
  await units.createUnit({ unitId, kind: 'couple', createdBy: a.clientId, createdAt: at, therapistId: therapist.clinicianId, matchedAt: at }, {
    unitId,
    clientId: a.clientId,
    role: 'partner',
    status: 'active',
    invitedBy: a.clientId,
    invitedAt: at,
    consentedAt: at,
  });
  expect(await units.putMembership({ unitId, clientId: b.clientId, role: 'partner', status: 'active', invitedBy: a.clientId, invitedAt: at, consentedAt: at }, 1)).toBe('written');
  return { therapist, a, b, unitId, units };
}

describe('joint session workflow (controlled clock, exact virtual times)', () => {
  it('confirms a weekly series of 3 once per partner (and once to the therapist) and reminds EACH partner at exactly start - 24 h and start - 1 h of every session', async () => {
    const { therapist, a, b, unitId, units } = await matchedCouple();
    const starter = new LocalStarter();
    const deps = { ...sessionDeps({ now: () => time.clock.now(), workflow: starter }), units };
    const bookedAt = nowIso();
    const { sessions } = await bookJointSessions(
      { caller: { userId: a.clientId, role: 'client' }, unitId, request: { startsAt: eveningStart(3, '18:00', { from: time.clock.now().getTime() }), repeat: { every: 'week', count: 3 } } },
      deps,
    );
    expect(sessions.map((s) => [s.type, s.unitId, s.members?.map((m) => m.clientId).sort()])).toEqual(
      Array.from({ length: 3 }, () => ['couple', unitId, [a.clientId, b.clientId].sort()]),
    );
    expect(sessions.map((s) => Date.parse(s.end) - Date.parse(s.start))).toEqual([80, 80, 80].map((m) => m * 60_000));
    const runs = sessions.map((s) => starter.run(sessionExecutionName({ sessionId: s.id, scheduleVersion: 1, phase: 'schedule' })));
    await time.clock.settled();

    const whens = sessions.map((s) => formatWhen(new Date(s.start), 'America/Denver'));
    for (const partner of [a, b]) {
      expect(await inbox(partner.email)).toEqual([[`Your 3 sessions are booked, from ${whens[0]}`, bookedAt]]);
      const [confirmation] = await time.emailsTo(partner.email);
      for (const when of whens) expect(confirmation?.body.text).toContain(when);
      const ics = calendar(confirmation);
      expect([...ics.matchAll(/^UID:(.*)\r$/gm)].map((m) => m[1])).toEqual(sessions.map((s) => s.id));
      expect(ics).toContain(`mailto:${partner.email}`);
    }
    // The members in the session's order (invitedMemberIds: by client id), first names and last initials.
    const names = [a, b].sort((x, y) => x.clientId.localeCompare(y.clientId)).map((p) => (p === a ? 'Rowan T.' : 'Sage T.'));
    expect(await inbox(therapist.email)).toEqual([[`New series of 3 sessions: ${names.join(' and ')}, from ${whens[0]}`, bookedAt]]);

    // Both partners see the sessions on the unit; nobody else.
    const listed = await listUnitSessions({ caller: { userId: b.clientId, role: 'client' }, unitId }, deps);
    expect(listed.sessions.map((s) => s.id)).toEqual(sessions.map((s) => s.id));

    await time.advance({ until: plus(sessions[2]!.start, 5 * 60_000) });
    const reminders = sessions.flatMap((s, i) => [
      [`Reminder: your session is tomorrow (${whens[i]})`, plus(s.start, -24 * HOUR_MS)],
      [`Reminder: your session is in one hour (${whens[i]})`, plus(s.start, -HOUR_MS)],
    ]);
    for (const partner of [a, b]) expect(await inbox(partner.email)).toEqual([[`Your 3 sessions are booked, from ${whens[0]}`, bookedAt], ...reminders]);
    expect(await inbox(therapist.email)).toHaveLength(1);
    for (const run of runs) expect(statesEntered(await run.done).at(-1)).toBe('RemindersDone');
    expect(await notificationKeys(sessions[1]!.id)).toEqual(
      [`reminder-1h-v1-member-${a.clientId}`, `reminder-1h-v1-member-${b.clientId}`, `reminder-24h-v1-member-${a.clientId}`, `reminder-24h-v1-member-${b.clientId}`].sort(),
    );
  });

  it('stops writing to a partner who left the unit: the remaining partner alone is reminded', async () => {
    const { a, b, unitId, units } = await matchedCouple();
    const starter = new LocalStarter();
    const deps = { ...sessionDeps({ now: () => time.clock.now(), workflow: starter }), units };
    const { sessions } = await bookJointSessions({ caller: { userId: a.clientId, role: 'client' }, unitId, request: { startsAt: eveningStart(3, '18:00', { from: time.clock.now().getTime() }) } }, deps);
    const session = sessions[0]!;
    const run = starter.run(sessionExecutionName({ sessionId: session.id, scheduleVersion: 1, phase: 'schedule' }));
    await time.clock.settled();
    const loaded = await units.getUnit(unitId);
    const own = loaded!.memberships.find((m) => m.clientId === b.clientId)!;
    expect(await units.putMembership({ ...own, status: 'left', endedAt: nowIso() }, loaded!.version)).toBe('written');
    // The partner who left sees no session still to come.
    expect((await listUnitSessions({ caller: { userId: b.clientId, role: 'client' }, unitId }, deps)).sessions).toEqual([]);

    await time.advance({ until: plus(session.start, 5 * 60_000) });
    await run.done;
    const when = formatWhen(new Date(session.start), 'America/Denver');
    expect((await inbox(a.email)).map(([subject]) => subject)).toEqual([
      `Your session is booked: ${when}`,
      `Reminder: your session is tomorrow (${when})`,
      `Reminder: your session is in one hour (${when})`,
    ]);
    expect((await inbox(b.email)).map(([subject]) => subject)).toEqual([`Your session is booked: ${when}`]);
    // Once it has started, it is part of what happened with them: visible again to them, read-only.
    expect((await listUnitSessions({ caller: { userId: b.clientId, role: 'client' }, unitId }, deps)).sessions.map((s) => s.id)).toEqual([session.id]);
  });
});
