/** The care unit's plan routes' adapters, built once per cold start: the care-unit ones and the plan repository made for the unit's partition. */
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createPlanRepository } from '../../shared/adapters/dynamodb/plan-repository.js';
import { createRiskTaskRepository } from '../../shared/adapters/dynamodb/risk-task-repository.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { readPlanSettings } from '../../shared/config/plans.js';
import type { UnitPlanDeps } from '../../shared/use-cases/plans/unit-plans.js';
import { careUnitDependencies } from './care-unit-dependencies.js';

export function unitPlanDependencies(): UnitPlanDeps {
  const { TABLE_NAME: tableName } = readEnvironment(['TABLE_NAME']);
  const documentClient = createDocumentClient();
  return {
    ...careUnitDependencies(),
    plans: createPlanRepository({ documentClient, tableName, holder: 'care_unit' }),
    riskTasks: createRiskTaskRepository({ documentClient, tableName }),
    settings: readPlanSettings(),
  };
}
