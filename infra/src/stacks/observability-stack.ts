import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { APP_NAMES, BROKER_VHOST, DLQ_NAME, type AppName } from '../config/app-contract';
import type { ChairbookService } from '../constructs/chairbook-service';
import { HeartbeatCanary } from '../constructs/heartbeat-canary';
import { ChairbookStack, type ChairbookStackProps } from './chairbook-stack';
import { WAF_RULES } from './waf-stack';

export interface ObservabilityStackProps extends ChairbookStackProps {
  readonly services: Readonly<Record<AppName, ChairbookService>>;
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly database: rds.IDatabaseCluster;
  readonly brokerName: string;
  readonly publicUrl: string;
  readonly canaryCredential: secretsmanager.ISecret;
}

/**
 * Alarms that page a person (SNS: email and SMS from the config), the heartbeat canary and
 * one dashboard. Every alarm's name, meaning and first check are in docs/operations.md.
 */
export class ObservabilityStack extends ChairbookStack {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly canary: HeartbeatCanary;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { config, services } = props;
    const prefix = config.resourcePrefix;

    // --- Paging -------------------------------------------------------------------------------
    const key = new kms.Key(this, 'AlertsKey', {
      description: `${prefix} alert topic encryption`,
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm notifications into the encrypted topic.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Alerts', {
      topicName: `${prefix}-alerts`,
      displayName: `Chairbook ${config.name}`,
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of config.alerts.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    for (const phone of config.alerts.smsNumbers) this.topic.addSubscription(new subscriptions.SmsSubscription(phone));
    const page = new cwActions.SnsAction(this.topic);

    const alarm = (id: string, alarmProps: Omit<cloudwatch.AlarmProps, 'alarmName'> & { name: string }) => {
      const { name, ...rest } = alarmProps;
      const created = new cloudwatch.Alarm(this, id, { alarmName: `${prefix}-${name}`, ...rest });
      created.addAlarmAction(page);
      created.addOkAction(page);
      this.alarms.push(created);
      return created;
    };
    const five = Duration.minutes(5);
    const one = Duration.minutes(1);

    // --- Per service: 5xx rate, p99 latency, unhealthy hosts -------------------------------------
    for (const app of APP_NAMES) {
      const tg = services[app].targetGroup;
      const errors = tg.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: five, statistic: 'Sum' });
      const requests = tg.metrics.requestCount({ period: five, statistic: 'Sum' });
      alarm(`${app}FiveXxRate`, {
        name: `${app}-5xx-rate`,
        alarmDescription:
          `${app}: more than ${config.alerts.fiveXxRatePercent}% of requests answered 5xx ` +
          '(at least 20 requests in 5 minutes). See docs/operations.md#5xx-rate.',
        metric: new cloudwatch.MathExpression({
          label: `${app} 5xx %`,
          expression: 'IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)',
          usingMetrics: { errors, requests },
          period: five,
        }),
        threshold: config.alerts.fiveXxRatePercent,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm(`${app}P99Latency`, {
        name: `${app}-p99-latency`,
        alarmDescription: `${app}: p99 target response time above ${config.alerts.p99LatencySeconds}s for 15 minutes. See docs/operations.md#p99-latency.`,
        metric: tg.metrics.targetResponseTime({ period: five, statistic: 'p99' }),
        threshold: config.alerts.p99LatencySeconds,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm(`${app}UnhealthyHosts`, {
        name: `${app}-unhealthy-hosts`,
        alarmDescription: `${app}: a task has failed its /health check for 3 of the last 5 minutes. See docs/operations.md#unhealthy-hosts.`,
        metric: tg.metrics.unhealthyHostCount({ period: one, statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm(`${app}NoHealthyHosts`, {
        name: `${app}-no-healthy-hosts`,
        alarmDescription: `${app}: no task passes its /health check: the service is down. See docs/operations.md#no-healthy-hosts.`,
        metric: tg.metrics.healthyHostCount({ period: one, statistic: 'Minimum' }),
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }

    // --- The load balancer itself answering 5xx (no healthy target, timeouts) ----------------------
    alarm('LoadBalancer5xx', {
      name: 'alb-5xx',
      alarmDescription: 'The load balancer itself answered 502/503/504 more than 10 times in 5 minutes. See docs/operations.md#alb-5xx.',
      metric: props.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: five, statistic: 'Sum' }),
      threshold: 10,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // --- Messaging pipeline: dead letters ---------------------------------------------------------
    // Amazon MQ publishes RabbitMQ queue metrics with Broker, VirtualHost and Queue dimensions.
    const dlqDepth = new cloudwatch.Metric({
      namespace: 'AWS/AmazonMQ',
      metricName: 'MessageCount',
      dimensionsMap: { Broker: props.brokerName, VirtualHost: BROKER_VHOST, Queue: DLQ_NAME },
      period: five,
      statistic: 'Maximum',
    });
    alarm('DeadLetters', {
      name: 'dlq-depth',
      alarmDescription: `Messages are waiting in ${DLQ_NAME}: events messaging could not process. See docs/operations.md#dlq-depth.`,
      metric: dlqDepth,
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // --- Data stores -------------------------------------------------------------------------------
    const databaseCpu = props.database.metricCPUUtilization({ period: five, statistic: 'Average' });
    alarm('DatabaseCpu', {
      name: 'aurora-cpu',
      alarmDescription: 'Aurora CPU above 80% for 15 minutes (Serverless v2: of the maximum capacity). See docs/operations.md#aurora-cpu.',
      metric: databaseCpu,
      threshold: 80,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const brokerMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/AmazonMQ',
        metricName,
        dimensionsMap: { Broker: props.brokerName },
        period: five,
        statistic: 'Maximum',
      });
    const brokerMemory = new cloudwatch.MathExpression({
      label: 'RabbitMQ memory % of high watermark',
      expression: '100 * used / limit',
      usingMetrics: { used: brokerMetric('RabbitMQMemUsed'), limit: brokerMetric('RabbitMQMemLimit') },
      period: five,
    });
    alarm('BrokerMemory', {
      name: 'broker-memory',
      alarmDescription:
        'RabbitMQ memory above 80% of its high watermark; at 100% the broker blocks every publisher. See docs/operations.md#broker-memory.',
      metric: brokerMemory,
      threshold: 80,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // --- The heartbeat -------------------------------------------------------------------------------
    this.canary = new HeartbeatCanary(this, 'Heartbeat', {
      canaryName: `${config.name}-heartbeat`,
      baseUrl: props.publicUrl,
      credential: props.canaryCredential,
      every: Duration.minutes(config.canary.everyMinutes),
      artifactRetentionDays: config.logRetentionDays,
    });
    const canarySuccess = this.canary.canary.metricSuccessPercent({
      period: Duration.minutes(config.canary.everyMinutes),
      statistic: 'Average',
    });
    alarm('HeartbeatFailing', {
      name: 'heartbeat',
      alarmDescription:
        'The heartbeat canary (health, find a slot, book, cancel) failed twice in a row, or stopped reporting. ' +
        'See docs/operations.md#heartbeat.',
      metric: canarySuccess,
      threshold: 100,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // A canary that stops running is as bad as one that fails.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    // --- Dashboard ----------------------------------------------------------------------------------
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: prefix,
      defaultInterval: Duration.hours(6),
    });
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8, right?: cloudwatch.IMetric[]) =>
      new cloudwatch.GraphWidget({ title, left, right, width, height: 6 });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          `# Chairbook ${config.name}\n` +
          `Public URL: ${props.publicUrl} · runbook: docs/operations.md · alarms page ${this.topic.topicName}`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }));
    for (const app of APP_NAMES) {
      const { targetGroup: tg, service } = services[app];
      this.dashboard.addWidgets(
        graph(`${app}: requests and 5xx`, [tg.metrics.requestCount({ period: one })], 6, [
          tg.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: one }),
        ]),
        graph(`${app}: latency`, [
          tg.metrics.targetResponseTime({ period: one, statistic: 'p50' }),
          tg.metrics.targetResponseTime({ period: one, statistic: 'p99' }),
        ], 6),
        graph(`${app}: healthy / unhealthy tasks`, [
          tg.metrics.healthyHostCount({ period: one }),
          tg.metrics.unhealthyHostCount({ period: one }),
        ], 6),
        graph(`${app}: CPU and memory %`, [
          service.metricCpuUtilization({ period: one }),
          service.metricMemoryUtilization({ period: one }),
        ], 6),
      );
    }
    this.dashboard.addWidgets(
      graph('Aurora: CPU % and connections', [databaseCpu], 8, [
        props.database.metric('DatabaseConnections', { period: five, statistic: 'Maximum' }),
      ]),
      graph('Aurora: capacity (ACU)', [props.database.metric('ServerlessDatabaseCapacity', { period: five, statistic: 'Average' })]),
      graph('RabbitMQ: memory % and messages', [brokerMemory], 8, [
        brokerMetric('MessageCount').with({ label: 'all queues' }),
        dlqDepth.with({ label: DLQ_NAME }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Heartbeat: success % and duration', [canarySuccess], 12, [
        this.canary.canary.metricDuration({ period: Duration.minutes(config.canary.everyMinutes) }),
      ]),
      graph(
        'WAF: blocked requests',
        [WAF_RULES.blockMetrics, WAF_RULES.bookingRateLimit, WAF_RULES.common, WAF_RULES.knownBadInputs].map(
          (rule) =>
            new cloudwatch.Metric({
              namespace: 'AWS/WAFV2',
              metricName: 'BlockedRequests',
              dimensionsMap: { WebACL: prefix, Region: this.region, Rule: rule },
              period: five,
              statistic: 'Sum',
              label: rule,
            }),
        ),
        12,
      ),
    );
  }
}
