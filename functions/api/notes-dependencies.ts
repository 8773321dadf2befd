/**
 * The progress-note routes' adapters, built once per cold start. No psychotherapy-note
 * repository or key here: those functions are apart (psychotherapy-note-dependencies.ts).
 */
import { now } from '../../shared/adapters/clock.js';
import { createAttendedSessionLookup } from '../../shared/adapters/dynamodb/attended-session-lookup.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createCareUnitRepository } from '../../shared/adapters/dynamodb/care-unit-repository.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createProgressNoteRepository } from '../../shared/adapters/dynamodb/progress-note-repository.js';
import { createRiskTaskRepository } from '../../shared/adapters/dynamodb/risk-task-repository.js';
import { readAccessSettings } from '../../shared/config/access.js';
import { readEnvironment } from '../../shared/config/environment.js';
import type { NotesDeps } from '../../shared/use-cases/notes/ports.js';

export function notesDependencies(): NotesDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  return {
    careTeam: createCareTeamRepository({ documentClient, tableName }),
    auditLog: createAuditLog({ documentClient, tableName }),
    formerClinicianAccessDays: readAccessSettings().formerClinicianAccessDays,
    notes: createProgressNoteRepository({ documentClient, tableName }),
    // Joint notes: the same repository, made for the care unit's record (shared/domain/notes/joint-notes.ts).
    unitNotes: createProgressNoteRepository({ documentClient, tableName, holder: 'care_unit' }),
    units: createCareUnitRepository({ documentClient, tableName }),
    sessions: createAttendedSessionLookup({ documentClient, tableName }),
    riskTasks: createRiskTaskRepository({ documentClient, tableName }),
    now,
  };
}
