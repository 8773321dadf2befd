/**
 * AttendedSessionLookup over the sessions repository (session-repository.ts, keys.ts pattern
 * 60): the facts the notes area needs about a session, in the notes' words. A session's
 * status maps onto the note's attendance: only `attended` lets a progress note be written.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SessionStatus } from '../../domain/sessions/sessions.js';
import type { AttendedSessionLookup, SessionAttendance } from '../../use-cases/ports.js';
import { createSessionRepository } from './session-repository.js';

const ATTENDANCE_OF: Record<SessionStatus, SessionAttendance> = {
  booked: 'scheduled',
  attended: 'attended',
  no_show: 'no_show',
  late_cancelled: 'late_cancel',
  cancelled: 'cancelled',
  cancelled_by_therapist: 'cancelled',
  cancelled_care_ended: 'cancelled',
};

export function createAttendedSessionLookup(options: { documentClient: DynamoDBDocumentClient; tableName: string }): AttendedSessionLookup {
  const sessions = createSessionRepository(options);
  return {
    async find(sessionId) {
      const session = await sessions.get(sessionId);
      if (!session || session.sessionId !== sessionId) return undefined;
      return {
        sessionId,
        clientId: session.clientId,
        clinicianId: session.therapistId,
        startsAt: session.start,
        attendance: ATTENDANCE_OF[session.status],
        ...(session.unitId === undefined ? {} : { unitId: session.unitId, invitedMemberIds: [...(session.invitedMemberIds ?? [])] }),
      };
    },
  };
}
