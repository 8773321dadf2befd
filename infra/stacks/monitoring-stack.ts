/**
 * Alarms and a dashboard. The watched resources have deterministic names (infra/naming.ts), so
 * this stack addresses their metrics by name and imports nothing from the stacks it watches;
 * it is deployed after them.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.js';
import type { AppFunction } from '../constructs/app-function.js';
import { AUDIT_VERIFICATION_METRICS } from '../../shared/use-cases/access/verify-audit-chains.js';
import { resourceName, stateMachineArn, streamFailureQueueName } from '../naming.js';

export interface MonitoringStackProps extends StackProps {
  readonly config: StageConfig;
  /** The API's name (ApiName dimension); its stage is the config stage. */
  readonly apiName: string;
  readonly functions: readonly AppFunction[];
  /** Workflow ids of the state machines (`moodrx-<stage>-<id>`). */
  readonly workflowIds: readonly string[];
  /** Ids of the stream consumers (workflows/stream-consumers.ts): their failure queues and iterator age. */
  readonly streamConsumerIds: readonly string[];
}

export class MonitoringStack extends Stack {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config } = props;

    const key = new Key(this, 'AlarmTopicKey', {
      description: `MoodRx ${config.stage}: encryption of the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic.
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      topicName: resourceName(config.stage, 'alarms'),
      displayName: `MoodRx ${config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (config.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
    const action = new SnsAction(this.alarmTopic);

    const api = (metricName: string, statistic = 'Sum'): Metric =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: props.apiName, Stage: config.stage },
        statistic,
        period: Duration.minutes(5),
      });
    this.add(
      new Alarm(this, 'Api5xxAlarm', {
        alarmName: `${props.apiName}-5xx`,
        alarmDescription: 'The API answered with a 5xx status (a crash, a timeout or an internal_error problem).',
        metric: api('5XXError'),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      action,
    );

    for (const fn of props.functions) this.add(fn.createErrorsAlarm(this, `${fn.node.id}ErrorsAlarm`), action);

    // The scheduled verifier (functions/scheduled/verify-audit-chains.ts) publishes these with
    // Powertools (namespace and service as app-function.ts sets them); any broken or unverified
    // chain is an alarm. Its Errors alarm above fires too, since such a run fails.
    const auditMetric = (metricName: string): Metric =>
      new Metric({ namespace: 'MoodRx', metricName, dimensionsMap: { service: 'moodrx' }, statistic: 'Maximum', period: Duration.hours(1) });
    this.add(
      new Alarm(this, 'AuditChainBrokenAlarm', {
        alarmName: resourceName(config.stage, 'audit-chain-broken'),
        alarmDescription: 'The audit-chain verifier found a broken audit chain (or could not verify one): possible tampering with the audit trail. Its log names the client id, position and problem.',
        metric: new MathExpression({
          expression: 'broken + unverified',
          usingMetrics: { broken: auditMetric(AUDIT_VERIFICATION_METRICS.broken), unverified: auditMetric(AUDIT_VERIFICATION_METRICS.unverified) },
          label: 'audit chains broken or unverified',
          period: Duration.hours(1),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      action,
    );

    // A stream consumer answers failed records as batch item failures, so its invocations do not
    // error: what shows a record that could not be handled is its failure queue (after the
    // retries) and, before that, the age of the oldest record waiting in the stream.
    for (const consumerId of props.streamConsumerIds) {
      const queueName = streamFailureQueueName(config.stage, consumerId);
      this.add(
        new Alarm(this, `${consumerId}-FailuresAlarm`, {
          alarmName: queueName,
          alarmDescription: `Stream records the ${consumerId} function could not handle after its retries: the message names the shard and sequence numbers (for the audit archive, the events are still in the table and must be archived again).`,
          metric: new Metric({
            namespace: 'AWS/SQS',
            metricName: 'ApproximateNumberOfMessagesVisible',
            dimensionsMap: { QueueName: queueName },
            statistic: 'Maximum',
            period: Duration.minutes(5),
          }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
        action,
      );
      this.add(
        new Alarm(this, `${consumerId}-IteratorAgeAlarm`, {
          alarmName: `${resourceName(config.stage, consumerId)}-iterator-age`,
          alarmDescription: `The ${consumerId} function is more than an hour behind the table's stream (retrying a record, or failing): records older than 24 h leave the stream.`,
          metric: new Metric({
            namespace: 'AWS/Lambda',
            metricName: 'IteratorAge',
            dimensionsMap: { FunctionName: resourceName(config.stage, consumerId) },
            statistic: 'Maximum',
            period: Duration.minutes(5),
          }),
          threshold: 60 * 60 * 1000,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
        action,
      );
    }

    const stateMachineMetric = (workflowId: string, metricName: string): Metric =>
      new Metric({
        namespace: 'AWS/States',
        metricName,
        dimensionsMap: { StateMachineArn: stateMachineArn(this, config.stage, workflowId) },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    for (const workflowId of props.workflowIds) {
      for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        this.add(
          new Alarm(this, `${workflowId}-${metricName}-Alarm`, {
            alarmName: `${resourceName(config.stage, workflowId)}-${metricName}`,
            alarmDescription: `The ${workflowId} workflow: ${metricName}.`,
            metric: stateMachineMetric(workflowId, metricName),
            threshold: 1,
            evaluationPeriods: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
          action,
        );
      }
    }

    const lambdaErrors: IMetric[] = props.functions.map(
      (fn) =>
        new Metric({
          namespace: 'AWS/Lambda',
          metricName: 'Errors',
          dimensionsMap: { FunctionName: fn.functionName },
          statistic: 'Sum',
          period: Duration.minutes(5),
          label: fn.functionName.replace(`moodrx-${config.stage}-`, ''),
        }),
    );
    new Dashboard(this, 'Dashboard', {
      dashboardName: resourceName(config.stage, 'overview'),
      widgets: [
        [new TextWidget({ markdown: `# MoodRx ${config.stage}\nAPI, functions and workflows. Alarms notify the ${resourceName(config.stage, 'alarms')} topic.`, width: 24, height: 2 })],
        [
          new GraphWidget({ title: 'API requests', left: [api('Count')], width: 8 }),
          new GraphWidget({ title: 'API errors', left: [api('4XXError'), api('5XXError')], width: 8 }),
          new GraphWidget({
            title: 'API latency (p50, p95)',
            left: [api('Latency', 'p50'), api('Latency', 'p95')],
            right: [api('IntegrationLatency', 'p95')],
            width: 8,
          }),
        ],
        [
          new GraphWidget({ title: 'Lambda errors', left: lambdaErrors, width: 12, height: 8 }),
          new GraphWidget({
            title: 'Workflow executions',
            left: props.workflowIds.flatMap((id) => [stateMachineMetric(id, 'ExecutionsSucceeded'), stateMachineMetric(id, 'ExecutionsFailed')]),
            right: [
              new MathExpression({
                expression: props.workflowIds.map((_, i) => `t${i}`).join(' + ') || '0',
                usingMetrics: Object.fromEntries(props.workflowIds.map((id, i) => [`t${i}`, stateMachineMetric(id, 'ExecutionsTimedOut')])),
                label: 'timed out (all)',
                period: Duration.minutes(5),
              }),
            ],
            width: 12,
            height: 8,
          }),
        ],
      ],
    });
  }

  private add(alarm: Alarm, action: SnsAction): void {
    alarm.addAlarmAction(action);
    this.alarms.push(alarm);
  }
}
