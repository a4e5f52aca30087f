import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HEALTH_PATH, containerHealthCommand, type AppSpec } from '../config/app-contract';
import type { ServiceSizing } from '../config/environments';

export interface ChairbookServiceProps {
  readonly app: AppSpec;
  readonly resourcePrefix: string;
  readonly cluster: ecs.ICluster;
  readonly image: ecs.ContainerImage;
  readonly sizing: ServiceSizing;
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, ecs.Secret>;
  readonly subnets: ec2.SubnetSelection;
  /** Extra groups, e.g. the database and broker client groups. */
  readonly securityGroups: ec2.ISecurityGroup[];
  readonly logRetentionDays: number;
  /** Service Connect: core-api is a server (`http://core-api:3000`), the others clients. */
  readonly serviceConnect: { readonly server: boolean };
}

/**
 * One Chairbook service on Fargate: its log group, task definition (read-only root file
 * system, container health check through Node's fetch), the ECS service with the deployment
 * circuit breaker and rollback, and its ALB target group with `/health` as the check.
 */
export class ChairbookService extends Construct {
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly logGroup: logs.LogGroup;
  readonly securityGroup: ec2.SecurityGroup;
  private readonly props: ChairbookServiceProps;

  constructor(scope: Construct, id: string, props: ChairbookServiceProps) {
    super(scope, id);
    this.props = props;
    const { app, sizing } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/chairbook/${props.resourcePrefix.replace(/^chairbook-/, '')}/${app.name}`,
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      family: `${props.resourcePrefix}-${app.name}`,
      cpu: sizing.cpu,
      memoryLimitMiB: sizing.memoryMiB,
      runtimePlatform: {
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
      },
    });
    // The services write nothing to disk but temporary files.
    this.taskDefinition.addVolume({ name: 'tmp' });

    this.container = this.taskDefinition.addContainer('app', {
      containerName: app.name,
      image: props.image,
      essential: true,
      environment: props.environment,
      secrets: props.secrets,
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: app.port, name: 'http', appProtocol: ecs.AppProtocol.http }],
      healthCheck: {
        command: containerHealthCommand(app.port),
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(60),
      },
      // Graceful shutdown: stop taking work, finish in-flight requests and messages.
      stopTimeout: Duration.seconds(30),
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'ecs' }),
    });
    this.container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.cluster.vpc,
      description: `${app.name} tasks`,
      // Outbound to the SMS provider, SMTP relay, AWS APIs and the data stores.
      allowAllOutbound: true,
    });

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: app.name,
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: sizing.desiredCount,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
      vpcSubnets: props.subnets,
      securityGroups: [this.securityGroup, ...props.securityGroups],
      assignPublicIp: false,
      enableExecuteCommand: false,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      serviceConnectConfiguration: props.serviceConnect.server
        ? {
            services: [{ portMappingName: 'http', dnsName: app.name, port: app.port, discoveryName: app.name }],
            logDriver: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'service-connect' }),
          }
        : { logDriver: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'service-connect' }) },
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.cluster.vpc,
      port: app.port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.service.loadBalancerTarget({ containerName: app.name, containerPort: app.port })],
      healthCheck: {
        path: HEALTH_PATH,
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
      // Matches stopTimeout: in-flight requests finish before the task is stopped.
      // No stickiness: the services are stateless, and a WebSocket client reconnects to any task.
      deregistrationDelay: Duration.seconds(30),
    });
  }

  /**
   * After the target group is attached to a listener: CPU and request-count scaling, and an
   * alarm that rolls a deployment back when the new tasks are healthy but answer 5xx.
   */
  finishAfterListenerAttached(scaling: { cpuTargetPercent: number; requestsPerTarget: number }): cloudwatch.Alarm {
    const { app, sizing } = this.props;
    const capacity = this.service.autoScaleTaskCount({ minCapacity: sizing.minCount, maxCapacity: sizing.maxCount });
    capacity.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: scaling.cpuTargetPercent,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });
    capacity.scaleOnRequestCount('Requests', {
      requestsPerTarget: scaling.requestsPerTarget,
      targetGroup: this.targetGroup,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });

    // A literal name: ECS refers to the alarm by name, and a Ref would tie the two resources in a cycle.
    const alarmName = `${this.props.resourcePrefix}-${app.name}-deployment-5xx`;
    const deployGuard = new cloudwatch.Alarm(this, 'DeploymentGuard', {
      alarmName,
      alarmDescription:
        `${app.name}: target 5xx during a deployment. ECS rolls the deployment back when this fires ` +
        '(the circuit breaker only sees tasks that fail health checks).',
      metric: this.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
        period: Duration.minutes(1),
        statistic: 'Sum',
      }),
      threshold: 10,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.service.enableDeploymentAlarms([alarmName], {
      behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
    });
    return deployGuard;
  }
}
