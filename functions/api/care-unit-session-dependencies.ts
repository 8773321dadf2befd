/** The joint-session routes' adapters: the session ones plus the care units, built once per cold start. */
import { createCareUnitRepository } from '../../shared/adapters/dynamodb/care-unit-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { readEnvironment } from '../../shared/config/environment.js';
import type { WorkflowStarter } from '../../shared/use-cases/ports.js';
import type { JointSessionDeps } from '../../shared/use-cases/sessions/joint-sessions.js';
import { sessionDependencies } from './session-dependencies.js';

export function careUnitSessionDependencies(options: { workflow?: WorkflowStarter } = {}): JointSessionDeps {
  const { TABLE_NAME } = readEnvironment(['TABLE_NAME']);
  return { ...sessionDependencies(options), units: createCareUnitRepository({ documentClient: createDocumentClient(), tableName: TABLE_NAME }) };
}
