import { CfnOutput, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { Construct } from 'constructs';
import {
  APPS,
  APP_NAMES,
  METRICS_PATH,
  MIGRATE_COMMAND,
  SECRETS_BY_APP,
  type AppName,
  type SecretVariable,
} from '../config/app-contract';
import { ChairbookService } from '../constructs/chairbook-service';
import { MigrationRunner } from '../constructs/migration-runner';
import { ChairbookStack, type ChairbookStackProps } from './chairbook-stack';
import { SUBNETS } from './network-stack';
import type { AppSecrets } from './stateful-stack';
import { acknowledge } from '../nag';

/** What the services need from the stateful stack (typed, so either side can evolve). */
export interface StatefulResources {
  readonly database: rds.IDatabaseCluster;
  readonly databaseSecret: secretsmanager.ISecret;
  readonly databaseClientSecurityGroup: ec2.ISecurityGroup;
  readonly brokerClientSecurityGroup: ec2.ISecurityGroup;
  readonly brokerUrlSecret: secretsmanager.ISecret;
  readonly appSecrets: AppSecrets;
}

export interface ServicesStackProps extends ChairbookStackProps {
  readonly vpc: ec2.IVpc;
  readonly stateful: StatefulResources;
  /** Image tag of all three services: the commit SHA in the pipeline. */
  readonly imageTag: string;
  /** Account and region of the ECR repositories (the delivery stack). */
  readonly registry: { readonly account: string; readonly region: string };
}

/**
 * The stateless part: ECS cluster, the three Fargate services behind one public ALB, their
 * migrations, and service-to-service discovery. Safe to destroy and recreate at any time.
 */
export class ServicesStack extends ChairbookStack {
  readonly cluster: ecs.Cluster;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly services: Readonly<Record<AppName, ChairbookService>>;
  /** Base URL customers and the canary use (https://domain, or http://alb-dns without a domain). */
  readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: ServicesStackProps) {
    super(scope, id, props);
    const { config, vpc, stateful } = props;
    const prefix = config.resourcePrefix;
    const appSubnets: ec2.SubnetSelection = { subnetGroupName: SUBNETS.app };

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      clusterName: prefix,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
      // Service Connect: booking and messaging reach core-api at http://core-api:3000 through
      // the Envoy proxy ECS injects, without leaving the VPC or passing the public ALB and WAF.
      defaultCloudMapNamespace: {
        name: `${config.name}.chairbook.internal`,
        type: servicediscovery.NamespaceType.HTTP,
        useForServiceConnect: true,
      },
    });

    // --- Load balancer ------------------------------------------------------------------------
    const accessLogs = new s3.Bucket(this, 'LoadBalancerAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: true,
      loadBalancerName: prefix,
      vpcSubnets: { subnetGroupName: SUBNETS.public },
      dropInvalidHeaderFields: true,
      deletionProtection: config.name === 'production',
    });
    this.loadBalancer.logAccessLogs(accessLogs, 'alb');

    let listener: elbv2.ApplicationListener;
    if (config.domain) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: config.domain.hostedZoneId,
        zoneName: config.domain.hostedZoneName,
      });
      const certificate = new acm.Certificate(this, 'Certificate', {
        domainName: config.domain.name,
        validation: acm.CertificateValidation.fromDns(zone),
      });
      listener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [certificate],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        open: true,
      });
      this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
      new route53.ARecord(this, 'Alias', {
        zone,
        recordName: config.domain.name,
        target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.loadBalancer)),
      });
      this.publicUrl = `https://${config.domain.name}`;
    } else {
      listener = this.loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: true });
      this.publicUrl = `http://${this.loadBalancer.loadBalancerDnsName}`;
    }

    // --- Services -------------------------------------------------------------------------------
    // Images come from the delivery stack's repositories (possibly another account), by ARN.
    const repositories = Object.fromEntries(
      APP_NAMES.map((app) => {
        const repositoryName = APPS[app].repositoryName;
        const repositoryArn = `arn:${this.partition}:ecr:${props.registry.region}:${props.registry.account}:repository/${repositoryName}`;
        return [app, ecr.Repository.fromRepositoryAttributes(this, `${pascal(app)}Repository`, { repositoryName, repositoryArn })];
      }),
    ) as Record<AppName, ecr.IRepository>;
    const imageOf = (app: AppName) => ecs.ContainerImage.fromEcrRepository(repositories[app], props.imageTag);
    const secrets = this.secretsFor(stateful);
    const coreApiUrl = `http://${APPS['core-api'].name}:${APPS['core-api'].port}`;
    const environmentFor = (app: AppName): Record<string, string> => {
      const spec = APPS[app];
      const env: Record<string, string> = {
        NODE_ENV: 'production',
        LOG_LEVEL: config.app.logLevel,
        [spec.portVariable]: String(spec.port),
      };
      if (spec.database) {
        env.DB_HOST = stateful.database.clusterEndpoint.hostname;
        env.DB_PORT = Token.asString(stateful.database.clusterEndpoint.port);
        env[spec.database.nameVariable] = spec.database.name;
      }
      if (app === 'booking' || app === 'messaging') {
        env.CORE_API_URL = coreApiUrl;
        env.BOOKING_PUBLIC_URL = this.publicUrl;
      }
      if (app === 'messaging') {
        Object.assign(env, {
          SMS_PROVIDER: 'twilio',
          SMS_API_BASE_URL: config.app.smsApiBaseUrl,
          SMS_FROM: config.app.smsFrom,
          EMAIL_PROVIDER: 'smtp',
          SMTP_HOST: config.app.smtpHost,
          SMTP_PORT: String(config.app.smtpPort),
          SMTP_FROM: config.app.smtpFrom,
        });
      }
      return env;
    };
    const secretsFor = (app: AppName) =>
      Object.fromEntries(SECRETS_BY_APP[app].map((variable) => [variable, secrets[variable]])) as Record<string, ecs.Secret>;
    // Imported immutable: membership only. Otherwise the load balancer's rules towards the
    // tasks would be written into these groups, i.e. into the stateful stack (a dependency cycle).
    const membership = (id: string, group: ec2.ISecurityGroup) =>
      ec2.SecurityGroup.fromSecurityGroupId(this, id, group.securityGroupId, { mutable: false, allowAllOutbound: true });
    const databaseClients = membership('DatabaseClients', stateful.databaseClientSecurityGroup);
    const brokerClients = membership('BrokerClients', stateful.brokerClientSecurityGroup);
    const dataClientGroups = (app: AppName) => (APPS[app].database ? [databaseClients, brokerClients] : []);

    const services = {} as Record<AppName, ChairbookService>;
    for (const app of APP_NAMES) {
      services[app] = new ChairbookService(this, pascal(app), {
        app: APPS[app],
        resourcePrefix: prefix,
        cluster: this.cluster,
        image: imageOf(app),
        sizing: config.services[app],
        environment: environmentFor(app),
        secrets: secretsFor(app),
        subnets: appSubnets,
        securityGroups: dataClientGroups(app),
        logRetentionDays: config.logRetentionDays,
        serviceConnect: { server: app === 'core-api' },
      });
    }
    this.services = services;
    for (const client of ['booking', 'messaging'] as const) {
      services['core-api'].securityGroup.addIngressRule(
        services[client].securityGroup,
        ec2.Port.tcp(APPS['core-api'].port),
        `Service Connect from ${client}`,
      );
    }

    // --- Routing: /metrics never leaves the VPC; /book to booking; /messaging to messaging; the rest to core-api
    listener.addAction('CoreApi', { action: elbv2.ListenerAction.forward([services['core-api'].targetGroup]) });
    listener.addAction('BlockMetrics', {
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns([METRICS_PATH, `${METRICS_PATH}/*`])],
      action: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'application/json',
        messageBody: '{"code":"NOT_FOUND","message":"Not found"}',
      }),
    });
    listener.addAction('Booking', {
      priority: 10,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/book', '/book/*'])],
      action: elbv2.ListenerAction.forward([services.booking.targetGroup]),
    });
    listener.addAction('Messaging', {
      priority: 20,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/messaging/*'])],
      action: elbv2.ListenerAction.forward([services.messaging.targetGroup]),
    });
    for (const app of APP_NAMES) services[app].finishAfterListenerAttached(config.scaling);

    // --- Migrations: a one-off task per schema, finished before the service rolls ------------------
    const migrationTasks: ecs.FargateTaskDefinition[] = [];
    const migrations = new MigrationRunner(this, 'Migrations', {
      cluster: this.cluster,
      logRetentionDays: config.logRetentionDays,
    });
    for (const app of APP_NAMES) {
      const spec = APPS[app];
      if (!spec.database) continue;
      const service = services[app];
      const task = new ecs.FargateTaskDefinition(this, `${pascal(app)}MigrationTask`, {
        family: `${prefix}-${app}-migrate`,
        cpu: 256,
        memoryLimitMiB: 512,
        runtimePlatform: {
          operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
          cpuArchitecture: ecs.CpuArchitecture.X86_64,
        },
      });
      task.addVolume({ name: 'tmp' });
      migrationTasks.push(task);
      // Same program, same configuration as the service (its config validation runs in the CLI too).
      const container = task.addContainer('migrate', {
        containerName: app,
        image: imageOf(app),
        command: MIGRATE_COMMAND,
        environment: environmentFor(app),
        secrets: secretsFor(app),
        readonlyRootFilesystem: true,
        logging: ecs.LogDrivers.awsLogs({ logGroup: service.logGroup, streamPrefix: 'migrations' }),
      });
      container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
      const run = migrations.addMigration(`${pascal(app)}Migrations`, {
        serviceName: app,
        taskDefinition: task,
        containerName: app,
        logGroupName: service.logGroup.logGroupName,
        subnets: vpc.selectSubnets(appSubnets).subnets,
        securityGroups: [service.securityGroup, ...dataClientGroups(app)],
        imageTag: props.imageTag,
      });
      service.service.node.addDependency(run);
    }

    const taskDefinitions = [
      ...APP_NAMES.map((app) => services[app].taskDefinition),
      ...migrationTasks,
    ];
    for (const taskDefinition of taskDefinitions) {
      acknowledge(
        taskDefinition,
        {
          id: 'AwsSolutions-ECS2',
          reason:
            'Plain environment holds only non-secret settings (ports, hosts, database names, NODE_ENV, LOG_LEVEL, sender ' +
            'names); every credential arrives through ECS secrets from Secrets Manager (asserted by the infra tests).',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'The execution role\u2019s ecr:GetAuthorizationToken has no resource-level permission; image pulls are limited ' +
            'to the service\u2019s own repository and secret reads to the secrets the service needs.',
        },
      );
    }

    new CfnOutput(this, 'PublicUrl', { value: this.publicUrl, description: 'Base URL of the platform' });
    new CfnOutput(this, 'ClusterName', { value: this.cluster.clusterName });
    new CfnOutput(this, 'ImageTag', { value: props.imageTag, description: 'Image tag deployed by this stack' });

    acknowledge(this.loadBalancer,
        {
          id: 'AwsSolutions-EC23',
          reason: 'The public entry point: open on 80/443 to the internet by design, with AWS WAF (rate limit, managed rules) in front.',
        },
    );
    acknowledge(accessLogs,
      {
        id: 'AwsSolutions-S1',
        reason: 'This bucket receives the load balancer access logs; logging access to the log bucket itself would recurse.',
      },
    );
  }

  private secretsFor(stateful: StatefulResources): Record<SecretVariable, ecs.Secret> {
    const { appSecrets } = stateful;
    const field = (secret: secretsmanager.ISecret, key: string) => ecs.Secret.fromSecretsManager(secret, key);
    return {
      DB_USER: field(stateful.databaseSecret, 'username'),
      DB_PASSWORD: field(stateful.databaseSecret, 'password'),
      RABBITMQ_URL: ecs.Secret.fromSecretsManager(stateful.brokerUrlSecret),
      SMS_ACCOUNT_SID: field(appSecrets.sms, 'accountSid'),
      SMS_AUTH_TOKEN: field(appSecrets.sms, 'authToken'),
      SMTP_USER: field(appSecrets.smtp, 'username'),
      SMTP_PASSWORD: field(appSecrets.smtp, 'password'),
      BOOKING_API_USER: field(appSecrets.bookingApi, 'username'),
      BOOKING_API_PASSWORD: field(appSecrets.bookingApi, 'password'),
      LINK_SIGNING_SECRET: ecs.Secret.fromSecretsManager(appSecrets.linkSigning),
    };
  }
}

export function pascal(name: string): string {
  return name
    .split(/[-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
