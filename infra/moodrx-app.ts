/**
 * The MoodRx CDK app: stacks by concern, wired in one place, with the cdk-nag AwsSolutions and
 * HIPAA Security packs validating every template at synth. Dependencies run one way:
 *
 *   Data, Auth, Notifications  ->  Workflows  ->  RouteFunctions  ->  Api  ->  Monitoring
 *
 * (RouteFunctions holds the route table's functions apart from the API: CloudFormation allows
 * 500 resources per stack, and the two together passed it at 72 routes.)
 * (Api needs the signup state machine to exist before a signup can start; Monitoring watches
 * what the others created, by name.)
 */
import { Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { WORKFLOWS } from '../workflows/registry.js';
import { STREAM_CONSUMERS } from '../workflows/stream-consumers.js';
import type { StageConfig } from './config.js';
import type { AppBindings } from './constructs/app-function.js';
import { stackName } from './naming.js';
import { ApiStack } from './stacks/api-stack.js';
import { RouteFunctionsStack } from './stacks/route-functions-stack.js';
import { AuthStack } from './stacks/auth-stack.js';
import { DataStack } from './stacks/data-stack.js';
import { MonitoringStack } from './stacks/monitoring-stack.js';
import { NotificationsStack } from './stacks/notifications-stack.js';
import { WorkflowsStack } from './stacks/workflows-stack.js';

export interface MoodRxStacks {
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly notifications: NotificationsStack;
  readonly workflows: WorkflowsStack;
  readonly routeFunctions: RouteFunctionsStack;
  readonly api: ApiStack;
  readonly monitoring: MonitoringStack;
}

export function createMoodRx(app: App, config: StageConfig): MoodRxStacks {
  const env: Environment = { account: config.account, region: config.region };
  const common = { env, config, tags: { application: 'moodrx', stage: config.stage } };
  const name = (concern: string) => ({ stackName: stackName(config.stage, concern) });

  const data = new DataStack(app, stackName(config.stage, 'Data'), { ...common, ...name('Data'), description: 'MoodRx: the table, its key and backups' });
  const auth = new AuthStack(app, stackName(config.stage, 'Auth'), { ...common, ...name('Auth'), description: 'MoodRx: client and staff user pools' });
  const notifications = new NotificationsStack(app, stackName(config.stage, 'Notifications'), {
    ...common,
    ...name('Notifications'),
    description: 'MoodRx: SES identity and configuration set',
  });

  const bindings: AppBindings = {
    config,
    table: { table: data.table, key: data.tableKey },
    auditMacKey: data.auditMacKey,
    psychotherapyNoteKey: data.psychotherapyNoteKey,
    workflowsKey: data.workflowsKey,
    auditArchive: { key: data.auditArchive.key },
    clientPool: auth.clientPool,
    staffPool: auth.staffPool,
    cursorSigningKey: data.cursorSigningKey,
  };
  const workflows = new WorkflowsStack(app, stackName(config.stage, 'Workflows'), {
    ...common,
    ...name('Workflows'),
    bindings,
    description: 'MoodRx: Step Functions workflows and their task functions',
  });
  workflows.addStackDependency(notifications, 'tasks send email through the configuration set');

  const routeFunctions = new RouteFunctionsStack(app, stackName(config.stage, 'RouteFunctions'), {
    ...common,
    ...name('RouteFunctions'),
    bindings,
    description: 'MoodRx: the functions of the route table',
  });
  routeFunctions.addStackDependency(workflows, 'signup starts the signup state machine');
  routeFunctions.addStackDependency(notifications, 'functions may send email');
  const api = new ApiStack(app, stackName(config.stage, 'Api'), { ...common, ...name('Api'), bindings, description: 'MoodRx: REST API and WAF' });
  api.addStackDependency(routeFunctions, 'each method invokes its route function, found by name');

  const monitoring = new MonitoringStack(app, stackName(config.stage, 'Monitoring'), {
    ...common,
    ...name('Monitoring'),
    apiName: api.apiName,
    functions: [...routeFunctions.functions, ...workflows.functions],
    workflowIds: Object.values(WORKFLOWS).map((w) => w.id),
    streamConsumerIds: Object.values(STREAM_CONSUMERS).map((c) => c.id),
    description: 'MoodRx: alarms, alarm topic and dashboard',
  });
  monitoring.addStackDependency(api, 'alarms watch the API');
  monitoring.addStackDependency(routeFunctions, 'alarms watch the route functions');
  monitoring.addStackDependency(workflows, 'alarms watch the state machines and task functions');

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
  return { data, auth, notifications, workflows, routeFunctions, api, monitoring };
}
