/**
 * The psychotherapy-note routes' adapters, built once per cold start: the notes' own area and
 * key (capability `notes:psychotherapy`); the cipher fails at cold start without a key, so no
 * note is ever stored in clear.
 */
import { now } from '../../shared/adapters/clock.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createPsychotherapyNoteRepository } from '../../shared/adapters/dynamodb/psychotherapy-note-repository.js';
import { noteCipherFromEnvironment } from '../../shared/adapters/note-cipher/note-cipher-from-environment.js';
import { readAccessSettings } from '../../shared/config/access.js';
import { readEnvironment } from '../../shared/config/environment.js';
import type { PsychotherapyNotesDeps } from '../../shared/use-cases/notes/ports.js';

export function psychotherapyNoteDependencies(): PsychotherapyNotesDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  return {
    careTeam: createCareTeamRepository({ documentClient, tableName }),
    auditLog: createAuditLog({ documentClient, tableName }),
    formerClinicianAccessDays: readAccessSettings().formerClinicianAccessDays,
    psychotherapyNotes: createPsychotherapyNoteRepository({ documentClient, tableName }),
    cipher: noteCipherFromEnvironment(),
    now,
  };
}
