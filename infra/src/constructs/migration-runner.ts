import * as path from 'node:path';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

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

    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: handler('OnEvent', 'onEvent'),
      isCompleteHandler: handler('IsComplete', 'isComplete'),
      queryInterval: Duration.seconds(15),
      totalTimeout: Duration.minutes(30),
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: props.logRetentionDays }),
      waiterStateMachineLogOptions: {
        destination: new logs.LogGroup(this, 'WaiterLogs', { retention: props.logRetentionDays }),
        level: cr.LogLevel.ERROR,
      },
    });

    const stack = Stack.of(this);
    this.handlerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WatchMigrationTasks',
        actions: ['ecs:DescribeTasks'],
        resources: [stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${props.cluster.clusterName}/*` })],
      }),
    );
    this.suppressFindings();
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

  private suppressFindings(): void {
    NagSuppressions.addResourceSuppressions(
      this,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'ecs:DescribeTasks is scoped to task/<this cluster>/* (task ids are not known in advance); the provider ' +
            "framework's generated policies invoke its own handler versions (<function arn>:*) and log to its own groups.",
          appliesTo: [
            { regex: '/^Resource::arn:<AWS::Partition>:ecs:.*:task\\/.*\\/\\*$/g' },
            { regex: '/^Resource::<MigrationsOnEvent[A-Za-z0-9]+\\.Arn>:\\*$/g' },
            { regex: '/^Resource::<MigrationsIsComplete[A-Za-z0-9]+\\.Arn>:\\*$/g' },
            { regex: '/^Resource::<MigrationsProviderframework[A-Za-z0-9]+\\.Arn>:\\*$/g' },
            'Resource::*',
          ],
        },
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "The CDK provider framework's own Lambda functions use AWSLambdaBasicExecutionRole (log writing only); " +
            'the framework does not accept a custom role for them here.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            "The provider framework's functions use the Node.js runtime that this aws-cdk-lib release pins; " +
            'our own handlers use the latest (nodejs24.x).',
        },
        {
          id: 'AwsSolutions-SF2',
          reason: "X-Ray tracing cannot be enabled on the provider framework's waiter state machine; its errors are logged.",
        },
      ],
      true,
    );
  }
}
