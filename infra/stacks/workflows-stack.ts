/**
 * The workflows of workflows/registry.ts: per workflow, one AppFunction per Lambda task and a
 * state machine loaded from the same ASL file the local stack runs, with each
 * `${...FunctionArn}` placeholder substituted by its function's ARN. Each state machine's role
 * may invoke its own task functions and nothing else. And the scheduled functions of
 * workflows/schedules.ts (the care-lifecycle reconciler, daily), each with an EventBridge
 * Scheduler schedule whose role may invoke that one function. Every state machine is encrypted
 * with the workflows' customer-managed key (DataStack.workflowsKey), its log group with the
 * stack's logs key.
 * And the stream consumers of workflows/stream-consumers.ts (the audit archiver), each behind an
 * event source mapping on the table's stream with its filter, partial batch responses,
 * bisection, bounded retries and a failure queue.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping, FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { CustomerManagedEncryptionConfiguration, DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { WORKFLOWS, type WorkflowDefinition } from '../../workflows/registry.js';
import { SCHEDULED_TASKS, type ScheduledTask } from '../../workflows/schedules.js';
import { STREAM_CONSUMERS, type StreamConsumer } from '../../workflows/stream-consumers.js';
import type { StageConfig } from '../config.js';
import { AppFunction, REPO_ROOT, type AppBindings } from '../constructs/app-function.js';
import { encryptedLogGroup } from '../constructs/logs-key.js';
import { ManagedPolicyRole } from '../constructs/managed-policy-role.js';
import { iam5ResourceFinding } from '../nag.js';
import { pascal, resourceName, streamFailureQueueName } from '../naming.js';

export interface WorkflowsStackProps extends StackProps {
  readonly config: StageConfig;
  readonly bindings: AppBindings;
}

export interface DeployedWorkflow {
  readonly definition: WorkflowDefinition;
  readonly stateMachine: StateMachine;
  readonly stateMachineName: string;
  readonly functions: readonly AppFunction[];
}

/** A task's Lambda stops this much before its state's TimeoutSeconds, so the error is the function's own. */
const TIMEOUT_MARGIN_SECONDS = 2;
/** For a Task without TimeoutSeconds (Step Functions would wait a year). */
const DEFAULT_TASK_TIMEOUT_SECONDS = 30;
/** How long Step Functions reuses a data key of the workflows' key before asking KMS again (60-900 s). */
const DATA_KEY_REUSE = Duration.minutes(5);

export interface DeployedSchedule {
  readonly task: ScheduledTask;
  readonly function: AppFunction;
  readonly schedule: CfnSchedule;
}

export interface DeployedStreamConsumer {
  readonly consumer: StreamConsumer;
  readonly function: AppFunction;
  readonly mapping: EventSourceMapping;
  readonly failures: Queue;
}

export class WorkflowsStack extends Stack {
  readonly workflows: readonly DeployedWorkflow[];
  readonly schedules: readonly DeployedSchedule[];
  readonly streamConsumers: readonly DeployedStreamConsumer[];

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id, props);
    this.workflows = Object.values(WORKFLOWS).map((definition) => this.workflow(definition, props));
    this.schedules = Object.values(SCHEDULED_TASKS).map((task) => this.scheduled(task, props));
    this.streamConsumers = Object.values(STREAM_CONSUMERS).map((consumer) => this.streamConsumer(consumer, props));
  }

  get functions(): AppFunction[] {
    return [...this.workflows.flatMap((w) => w.functions), ...this.schedules.map((s) => s.function), ...this.streamConsumers.map((c) => c.function)];
  }

  /**
   * A stream consumer (workflows/stream-consumers.ts) behind an event source mapping on the
   * table's stream. The mapping reads with the function's role (capability table:stream) and:
   * - filters records before invoking (the consumer's patterns), so nothing else reaches it;
   * - takes partial batch responses (ReportBatchItemFailures): a failed record is retried from
   *   itself, the records stored before it are not replayed;
   * - bisects a failing batch, retries a bounded number of times, then sends the batch's
   *   position (shard, sequence numbers; never the records) to the failure queue, which the
   *   monitoring stack alarms on.
   */
  private streamConsumer(consumer: StreamConsumer, props: WorkflowsStackProps): DeployedStreamConsumer {
    const { config, bindings } = props;
    const construct = pascal(consumer.id);
    const streamArn = bindings.table?.table.tableStreamArn;
    if (!streamArn) throw new Error(`${consumer.id}: the table has no stream (infra/stacks/data-stack.ts).`);
    const fn = new AppFunction(this, construct, {
      id: consumer.id,
      entry: consumer.entry,
      capabilities: consumer.capabilities,
      bindings,
      description: consumer.description,
      timeout: Duration.seconds(consumer.timeoutSeconds),
      invokedBy: 'stream',
    });
    // Failure records name a shard and a range of sequence numbers, never an item: SQS-managed
    // encryption suffices, and needs no key grant on the sending role.
    const failures = new Queue(this, `${construct}Failures`, {
      queueName: streamFailureQueueName(config.stage, consumer.id),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue IS a dead-letter queue: the on-failure destination of the stream consumer\'s event source mapping (cdk-nag recognizes only redrive-policy DLQs). Nothing consumes it; the monitoring stack alarms when it holds a message.',
    });
    const mapping = new EventSourceMapping(this, `${construct}EventSource`, {
      target: fn.function,
      eventSourceArn: streamArn,
      // Everything still in the stream (24 h) when the mapping is created, not only what comes after.
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: consumer.batchSize,
      maxBatchingWindow: Duration.seconds(1),
      parallelizationFactor: 1,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: consumer.retryAttempts,
      // Records live 24 h in the stream; a record older than that is gone from it anyway.
      maxRecordAge: Duration.hours(24),
      onFailure: new SqsDlq(failures),
      filters: consumer.filterPatterns.map((pattern) => FilterCriteria.filter(pattern as Record<string, unknown>)),
    });
    // Lambda checks the role's stream permissions when it creates the mapping.
    mapping.node.addDependency(fn.role);
    return { consumer, function: fn, mapping, failures };
  }

  /**
   * A scheduled function (workflows/schedules.ts) and its EventBridge Scheduler schedule, whose
   * role may invoke that function and nothing else (and only for schedules of this account).
   */
  private scheduled(task: ScheduledTask, props: WorkflowsStackProps): DeployedSchedule {
    const { config, bindings } = props;
    const construct = pascal(task.id);
    const fn = new AppFunction(this, construct, {
      id: task.id,
      entry: task.entry,
      capabilities: task.capabilities,
      bindings,
      description: task.description,
      timeout: Duration.seconds(task.timeoutSeconds),
      invokedBy: 'schedule',
    });
    const role = new ManagedPolicyRole(this, `${construct}ScheduleRole`, {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      description: `Lets EventBridge Scheduler invoke ${fn.functionName}`,
    });
    role.addToPrincipalPolicy(new PolicyStatement({ sid: 'InvokeScheduledFunction', actions: ['lambda:InvokeFunction'], resources: [fn.function.functionArn] }));
    const schedule = new CfnSchedule(this, `${construct}Schedule`, {
      name: resourceName(config.stage, task.id),
      description: task.description,
      scheduleExpression: task.scheduleExpression,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: fn.function.functionArn,
        roleArn: role.roleArn,
        input: JSON.stringify({ source: 'schedule', task: task.id, ...('withScheduledTime' in task && task.withScheduledTime ? { scheduledTime: '<aws.scheduler.scheduled-time>' } : {}) }),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3_600 },
      },
    });
    return { task, function: fn, schedule };
  }

  private workflow(definition: WorkflowDefinition, props: WorkflowsStackProps): DeployedWorkflow {
    const { config, bindings } = props;
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const stateMachineName = resourceName(config.stage, definition.id);
    const definitionPath = path.join(REPO_ROOT, definition.definitionFile);
    const asl = JSON.parse(readFileSync(definitionPath, 'utf8')) as AslNode;
    checkPlaceholders(definition, readFileSync(definitionPath, 'utf8'));
    const timeouts = taskTimeouts(asl);

    const functions: AppFunction[] = [];
    const substitutions: Record<string, string> = {};
    for (const [placeholder, task] of Object.entries(definition.tasks)) {
      const stateTimeout = timeouts.get(`\${${placeholder}}`) ?? DEFAULT_TASK_TIMEOUT_SECONDS;
      const fn = new AppFunction(this, pascal(task.id), {
        id: task.id,
        entry: task.entry,
        capabilities: task.capabilities,
        bindings,
        description: `${definition.id} workflow task (${placeholder})`,
        timeout: Duration.seconds(Math.max(3, stateTimeout - TIMEOUT_MARGIN_SECONDS)),
        invokedBy: 'state-machine',
        ...(task.id === WORKFLOWS.progressReviews.tasks.SendReviewEmailFunctionArn.id
          ? { environment: { PROGRESS_REVIEW_IDENTIFIERS: config.progressReviewIdentifiers } }
          : {}),
      });
      functions.push(fn);
      substitutions[placeholder] = fn.function.functionArn;
    }

    const construct = pascal(definition.id);
    const role = new ManagedPolicyRole(this, `${construct}StateMachineRole`, {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `Runs the ${stateMachineName} state machine`,
    });
    // The unqualified ARNs the definition names: no `:*` (versions, aliases) is needed.
    role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'InvokeOwnTasks', actions: ['lambda:InvokeFunction'], resources: functions.map((f) => f.function.functionArn) }),
    );

    if (usesDistributedMap(asl)) {
      // A Distributed Map runs each item as a child execution of this state machine: its role
      // starts them and watches (describes, stops) them, on this state machine only.
      const machineArn = Stack.of(this).formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      const executionsArn = Stack.of(this).formatArn({ service: 'states', resource: 'execution', resourceName: `${stateMachineName}/*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      role.addToPrincipalPolicy(new PolicyStatement({ sid: 'RunOwnMapChildren', actions: ['states:StartExecution'], resources: [machineArn] }));
      role.addToPrincipalPolicy(new PolicyStatement({ sid: 'WatchOwnMapChildren', actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executionsArn] }));
      Validations.of(role).acknowledge({
        // Rendered from the policy's own ARN: literal region and account when the stack's environment is known.
        id: iam5ResourceFinding(role, executionsArn),
        reason: 'The Distributed Map\'s child executions of this state machine only; their names are made by Step Functions at run time.',
      });
    }

    const logGroup = encryptedLogGroup(this, `${construct}StateMachineLogs`, {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small (AWS guidance).
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy,
    });

    const stateMachine = new StateMachine(this, `${construct}StateMachine`, {
      stateMachineName,
      stateMachineType: definition.type === 'EXPRESS' ? StateMachineType.EXPRESS : StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(definitionPath),
      definitionSubstitutions: substitutions,
      role,
      tracingEnabled: true,
      // The definition and every execution's history (input, state, output) under our own key;
      // CDK grants this role kms:Decrypt/GenerateDataKey on it for this state machine only
      // (encryption context aws:states:stateMachineArn), and GenerateDataKey for log delivery.
      encryptionConfiguration: new CustomerManagedEncryptionConfiguration(need(bindings.workflowsKey), DATA_KEY_REUSE),
      // ERROR, without execution data: the signup input carries the new password, and every
      // workflow's state carries identifiers of people in care.
      logs: { destination: logGroup, level: LogLevel.ERROR, includeExecutionData: false },
    });

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions logging (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) support no resource-level permissions.',
    });
    Validations.of(stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        definition.type === 'EXPRESS'
          ? 'Logging ALL events would write execution history to logs; this Express workflow runs with level ERROR and no execution data because its input carries the new password and personal data of the person signing up.'
          : 'Level ERROR without execution data: the state carries identifiers of people in care; the full history of a Standard execution is kept by Step Functions itself (90 days) for investigations.',
    });

    new CfnOutput(this, `${construct}StateMachineArn`, { value: stateMachine.stateMachineArn });
    return { definition, stateMachine, stateMachineName, functions };
  }
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('WorkflowsStack: the bindings have no workflowsKey (the state machines\' key).');
  return value;
}

/** Whether any Map state of the definition runs in DISTRIBUTED mode. */
function usesDistributedMap(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(usesDistributedMap);
  if (node === null || typeof node !== 'object') return false;
  const state = node as AslNode;
  const config = (state.ItemProcessor as AslNode | undefined)?.ProcessorConfig as AslNode | undefined;
  if (state.Type === 'Map' && config?.Mode === 'DISTRIBUTED') return true;
  return Object.values(state).some(usesDistributedMap);
}

interface AslNode {
  readonly [key: string]: unknown;
}

/** Every `${...}` in the file is a task of the registry and every task appears in the file. */
function checkPlaceholders(definition: WorkflowDefinition, text: string): void {
  const inFile = new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));
  const inRegistry = new Set(Object.keys(definition.tasks));
  const unknown = [...inFile].filter((p) => p && !inRegistry.has(p));
  const unused = [...inRegistry].filter((p) => !inFile.has(p));
  if (unknown.length > 0 || unused.length > 0) {
    throw new Error(
      `${definition.definitionFile} and workflows/registry.ts disagree: ` +
        `placeholders without a task: [${unknown.join(', ')}]; tasks without a placeholder: [${unused.join(', ')}]`,
    );
  }
}

/** Resource placeholder -> the smallest TimeoutSeconds of the Task states that use it. */
function taskTimeouts(node: unknown, found = new Map<string, number>()): Map<string, number> {
  if (Array.isArray(node)) {
    for (const item of node) taskTimeouts(item, found);
  } else if (node !== null && typeof node === 'object') {
    const state = node as AslNode;
    if (state.Type === 'Task' && typeof state.Resource === 'string') {
      const timeout = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : DEFAULT_TASK_TIMEOUT_SECONDS;
      found.set(state.Resource, Math.min(found.get(state.Resource) ?? Infinity, timeout));
    }
    for (const value of Object.values(state)) taskTimeouts(value, found);
  }
  return found;
}
