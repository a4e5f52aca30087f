import * as path from 'node:path';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, functionVersionsOf, wildcardResource } from '../nag';

export interface MigrationRunnerProps {
  readonly cluster: ecs.ICluster;
  readonly logRetentionDays: number;
}

export interface MigrationProps {
  readonly serviceName: string;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly containerName: string;
  readonly logGroupName: string;
  readonly subnets: ec2.ISubnet[];
  readonly securityGroups: ec2.ISecurityGroup[];
  /** Changing it (a new image) re-runs the migrations. */
  readonly imageTag: string;
}

/**
 * Runs `node cli.js migrate` as a one-off Fargate task inside the CloudFormation deployment.
 *
 * Why a custom resource rather than a pipeline step: the ECS service depends on it, so
 * CloudFormation itself guarantees the order (migrate, then roll the service), whoever runs
 * `cdk deploy` (the pipeline or an engineer during an incident); a failed migration fails the
 * stack update, which rolls back and leaves the old version serving. The provider's
 * isComplete handler polls the task every 15 s for up to 30 minutes.
 *
 * Migrations must be backwards compatible (expand, deploy, contract later): the old version
 * keeps serving while they run, and still serves if the deployment rolls back.
 */
export class MigrationRunner extends Construct {
  private readonly provider: cr.Provider;
  private readonly handlerRole: iam.Role;
  private readonly cluster: ecs.ICluster;

  constructor(scope: Construct, id: string, props: MigrationRunnerProps) {
    super(scope, id);
    this.cluster = props.cluster;
    const code = lambda.Code.fromAsset(path.join(__dirname, '..', 'runtime', 'migration-runner'));

    this.handlerRole = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Starts and watches the one-off migration tasks',
    });
    const handler = (name: string, entry: string) => {
      const logGroup = new logs.LogGroup(this, `${name}Logs`, { retention: props.logRetentionDays });
      const fn = new lambda.Function(this, name, {
        runtime: lambda.Runtime.NODEJS_24_X,
        code,
        handler: `index.${entry}`,
        role: this.handlerRole,
        timeout: Duration.seconds(30),
        memorySize: 256,
        logGroup,
        description: `Migration runner: ${entry}`,
      });
      logGroup.grantWrite(this.handlerRole);
      return fn;
    };

    const onEvent = handler('OnEvent', 'onEvent');
    const isComplete = handler('IsComplete', 'isComplete');
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: Duration.seconds(15),
      totalTimeout: Duration.minutes(30),
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: props.logRetentionDays }),
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: {
        destination: new logs.LogGroup(this, 'WaiterLogs', { retention: props.logRetentionDays }),
        // One execution per deployment: logging ALL costs nothing and shows every poll.
        level: sfn.LogLevel.ALL,
      },
    });

    const stack = Stack.of(this);
    const runningTasks = stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${props.cluster.clusterName}/*` });
    this.handlerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WatchMigrationTasks',
        actions: ['ecs:DescribeTasks'],
        resources: [runningTasks],
      }),
    );
    this.acknowledgeFindings(runningTasks, [onEvent, isComplete]);
  }

  /** Adds one migration; make the service depend on the returned resource. */
  addMigration(id: string, props: MigrationProps): CustomResource {
    this.handlerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: `Run${id}`,
        actions: ['ecs:RunTask'],
        resources: [props.taskDefinition.taskDefinitionArn],
        conditions: { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } },
      }),
    );
    const roles = [props.taskDefinition.taskRole, props.taskDefinition.obtainExecutionRole()];
    this.handlerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: `Pass${id}Roles`,
        actions: ['iam:PassRole'],
        resources: roles.map((role) => role.roleArn),
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    return new CustomResource(this, id, {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::ChairbookMigrations',
      properties: {
        ServiceName: props.serviceName,
        ClusterArn: this.cluster.clusterArn,
        TaskDefinitionArn: props.taskDefinition.taskDefinitionArn,
        ContainerName: props.containerName,
        LogGroupName: props.logGroupName,
        Subnets: props.subnets.map((subnet) => subnet.subnetId),
        SecurityGroups: props.securityGroups.map((group) => group.securityGroupId),
        ImageTag: props.imageTag,
      },
    });
  }

  private acknowledgeFindings(runningTasks: string, handlers: lambda.IFunction[]): void {
    acknowledge(this.handlerRole, {
      id: wildcardResource(this, runningTasks),
      reason: 'ecs:DescribeTasks on task/<this cluster>/*: the id of the task to watch is only known once RunTask has started it.',
    });
    const framework = ['framework-onEvent', 'framework-isComplete', 'framework-onTimeout'].map(
      (id) => this.provider.node.findChild(id) as lambda.Function,
    );
    acknowledge(
      this.provider,
      ...[...handlers, ...framework].map((fn) => ({
        id: functionVersionsOf(fn),
        reason:
          "Generated by the CDK provider framework: its functions and waiter invoke this handler's versions (<arn>:*), nothing else.",
      })),
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "The provider framework's own functions get AWSLambdaBasicExecutionRole (CloudWatch Logs only); the framework " +
          'offers no way to replace it. Our handlers use a role of their own with only ecs:RunTask, ecs:DescribeTasks and iam:PassRole.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'The waiter state machine\u2019s log delivery: CloudWatch Logs vended-log actions (CreateLogDelivery, ' +
          'PutResourcePolicy, Describe*) do not support resource-level permissions.',
      },
      {
        id: 'AwsSolutions-SF2',
        reason: "The provider framework's waiter state machine cannot enable X-Ray; it logs ALL events instead.",
      },
    );
  }
}
