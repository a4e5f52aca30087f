import { Duration, Fn, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as mq from 'aws-cdk-lib/aws-amazonmq';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import { APPS } from '../config/app-contract';
import type { EnvironmentConfig } from '../config/environments';
import { ChairbookStack, type ChairbookStackProps } from './chairbook-stack';
import { SUBNETS } from './network-stack';
import { acknowledge } from '../nag';

export interface StatefulStackProps extends ChairbookStackProps {
  readonly vpc: ec2.IVpc;
}

/** Secrets whose values belong to the application (third-party accounts, shared keys). */
export interface AppSecrets {
  /** `{accountSid, authToken}` of the Twilio-compatible SMS provider: set by an operator. */
  readonly sms: secretsmanager.ISecret;
  /** `{username, password}` of the SMTP relay: set by an operator. */
  readonly smtp: secretsmanager.ISecret;
  /** `{username, password}`: the booking service's credential for core-api (generated). */
  readonly bookingApi: secretsmanager.ISecret;
  /** Plain string: key that signs cancel/reschedule links (generated). */
  readonly linkSigning: secretsmanager.ISecret;
  /** `{username, password, businessId, branchId, serviceId, clientId, staffId?}` for the heartbeat canary: set by an operator. */
  readonly canary: secretsmanager.ISecret;
}

export const BROKER_USERNAME = 'chairbook';
const OPERATOR_SETS_THIS = 'SET_ME';

/**
 * Everything that holds data: Aurora MySQL, the RabbitMQ broker and the secrets. Termination
 * protected and deployed separately from the stateless services, so that no services change
 * can replace a database (aws-cdk-examples' cross-stack pattern).
 */
export class StatefulStack extends ChairbookStack {
  readonly database: rds.DatabaseCluster;
  readonly databaseSecret: secretsmanager.ISecret;
  /** Attach to a task to let it reach the database (the database admits only this group). */
  readonly databaseClientSecurityGroup: ec2.SecurityGroup;
  readonly brokerClientSecurityGroup: ec2.SecurityGroup;
  readonly broker: mq.CfnBroker;
  readonly brokerName: string;
  /** Plain string `amqps://user:password@host:5671`, the services' RABBITMQ_URL. */
  readonly brokerUrlSecret: secretsmanager.ISecret;
  readonly appSecrets: AppSecrets;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const { config, vpc } = props;
    const prefix = config.resourcePrefix;
    const dataSubnets: ec2.SubnetSelection = { subnetGroupName: SUBNETS.data };

    // --- Aurora MySQL -------------------------------------------------------------------
    this.databaseClientSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseClients', {
      vpc,
      description: 'Tasks that may connect to Aurora (core-api, messaging, their migrations)',
      allowAllOutbound: false,
    });
    const databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc,
      description: 'Aurora MySQL: MySQL from database clients only',
      allowAllOutbound: false,
    });
    databaseSecurityGroup.addIngressRule(this.databaseClientSecurityGroup, ec2.Port.tcp(3306), 'MySQL from database clients');

    const clusterIdentifier = prefix;
    // Pre-created so the exported logs get a retention without a log-retention Lambda.
    const databaseLogGroups = ['error', 'slowquery'].map(
      (kind) =>
        new logs.LogGroup(this, `DatabaseLog-${kind}`, {
          logGroupName: `/aws/rds/cluster/${clusterIdentifier}/${kind}`,
          retention: config.logRetentionDays,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );

    const parameterGroup = new rds.ParameterGroup(this, 'DatabaseParameters', {
      engine: this.engine(),
      description: 'Chairbook: slow query log for the "which queries push IOPS" question; triggers without SUPER',
      parameters: {
        slow_query_log: '1',
        long_query_time: '1',
        log_output: 'FILE',
        // core-api's migrations create triggers (the calendar version); with binary logging on,
        // a user without SUPER (Aurora's admin has none) may only create them with this set.
        log_bin_trust_function_creators: '1',
      },
    });

    this.database = new rds.DatabaseCluster(this, 'Database', {
      clusterIdentifier,
      engine: this.engine(),
      parameterGroup,
      credentials: rds.Credentials.fromGeneratedSecret('chairbook_admin', {
        secretName: `chairbook/${config.name}/database`,
      }),
      defaultDatabaseName: APPS['core-api'].database?.name,
      ...this.instances(config),
      vpc,
      vpcSubnets: dataSubnets,
      securityGroups: [databaseSecurityGroup],
      storageEncrypted: true,
      backup: {
        retention: Duration.days(config.database.backupRetentionDays),
        preferredWindow: '01:00-02:00',
      },
      preferredMaintenanceWindow: 'mon:02:30-mon:03:30',
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      iamAuthentication: true,
      enablePerformanceInsights: true,
      cloudwatchLogsExports: ['error', 'slowquery'],
      copyTagsToSnapshot: true,
    });
    for (const group of databaseLogGroups) this.database.node.addDependency(group);
    if (!this.database.secret) throw new Error('Aurora cluster was created without a secret');
    this.databaseSecret = this.database.secret;

    // --- Amazon MQ for RabbitMQ -----------------------------------------------------------
    this.brokerName = prefix;
    const brokerCredentials = new secretsmanager.Secret(this, 'BrokerCredentials', {
      secretName: `chairbook/${config.name}/broker`,
      description: 'RabbitMQ user of the Chairbook services',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: BROKER_USERNAME }),
        generateStringKey: 'password',
        // The password is embedded in an amqps:// URL: letters and digits need no escaping.
        excludePunctuation: true,
        passwordLength: 32,
      },
    });
    this.brokerClientSecurityGroup = new ec2.SecurityGroup(this, 'BrokerClients', {
      vpc,
      description: 'Tasks that may connect to RabbitMQ (core-api, messaging)',
      allowAllOutbound: false,
    });
    const brokerSecurityGroup = new ec2.SecurityGroup(this, 'BrokerSecurityGroup', {
      vpc,
      description: 'RabbitMQ: AMQPS from broker clients only',
      allowAllOutbound: false,
    });
    brokerSecurityGroup.addIngressRule(this.brokerClientSecurityGroup, ec2.Port.tcp(5671), 'AMQPS from broker clients');

    const dataSubnetIds = vpc.selectSubnets(dataSubnets).subnetIds;
    const single = config.broker.deployment === 'single-instance';
    this.broker = new mq.CfnBroker(this, 'Broker', {
      brokerName: this.brokerName,
      engineType: 'RABBITMQ',
      engineVersion: '3.13',
      // Amazon MQ requires automatic minor upgrades for RabbitMQ 3.13 and later.
      autoMinorVersionUpgrade: true,
      hostInstanceType: config.broker.instanceType,
      deploymentMode: single ? 'SINGLE_INSTANCE' : 'CLUSTER_MULTI_AZ',
      publiclyAccessible: false,
      subnetIds: single ? [dataSubnetIds[0]] : dataSubnetIds,
      securityGroups: [brokerSecurityGroup.securityGroupId],
      users: [
        {
          username: BROKER_USERNAME,
          // A CloudFormation dynamic reference: the template holds the secret's ARN, never the password.
          password: brokerCredentials.secretValueFromJson('password').unsafeUnwrap(),
        },
      ],
      logs: { general: true },
      maintenanceWindowStartTime: { dayOfWeek: 'MONDAY', timeOfDay: '03:30', timeZone: 'UTC' },
    });

    // amqps://chairbook:<password>@b-xxxx.mq.<region>.amazonaws.com:5671, assembled by
    // CloudFormation from the endpoint and a dynamic reference to the password.
    const brokerHostAndPort = Fn.select(1, Fn.split('://', Fn.select(0, this.broker.attrAmqpEndpoints)));
    this.brokerUrlSecret = new secretsmanager.Secret(this, 'BrokerUrl', {
      secretName: `chairbook/${config.name}/rabbitmq-url`,
      description: 'RABBITMQ_URL of the Chairbook services (built from the broker credentials)',
      secretStringValue: SecretValue.unsafePlainText(
        Fn.join('', [
          'amqps://',
          BROKER_USERNAME,
          ':',
          brokerCredentials.secretValueFromJson('password').unsafeUnwrap(),
          '@',
          brokerHostAndPort,
        ]),
      ),
    });

    // --- Application secrets ------------------------------------------------------------------
    const operatorSecret = (name: string, description: string, template: Record<string, string>, generatedKey: string) =>
      new secretsmanager.Secret(this, name, {
        secretName: `chairbook/${config.name}/${kebab(name)}`,
        description,
        generateSecretString: {
          secretStringTemplate: JSON.stringify(template),
          generateStringKey: generatedKey,
          excludePunctuation: true,
          passwordLength: 40,
        },
      });
    this.appSecrets = {
      sms: operatorSecret(
        'SmsProvider',
        'SMS provider account: replace accountSid and authToken with the real values (docs/operations.md)',
        { accountSid: OPERATOR_SETS_THIS },
        'authToken',
      ),
      smtp: operatorSecret(
        'SmtpRelay',
        'SMTP relay login: replace username and password with the real values (docs/operations.md)',
        { username: OPERATOR_SETS_THIS },
        'password',
      ),
      bookingApi: operatorSecret(
        'BookingApiCredential',
        "The booking service's Basic-auth credential for core-api (generated; core-api accepts it)",
        { username: 'global/booking-service@chairbook.internal' },
        'password',
      ),
      linkSigning: new secretsmanager.Secret(this, 'LinkSigningKey', {
        secretName: `chairbook/${config.name}/link-signing-key`,
        description: 'Key that signs the cancel/reschedule links sent to customers',
        generateSecretString: { excludePunctuation: true, passwordLength: 64 },
      }),
      canary: operatorSecret(
        'CanaryCredential',
        'Heartbeat canary: API credential and the ids of a test salon, service and client (docs/operations.md)',
        {
          username: OPERATOR_SETS_THIS,
          businessId: OPERATOR_SETS_THIS,
          branchId: OPERATOR_SETS_THIS,
          serviceId: OPERATOR_SETS_THIS,
          clientId: OPERATOR_SETS_THIS,
        },
        'password',
      ),
    };

    this.acknowledgeFindings(config, [
      brokerCredentials,
      this.brokerUrlSecret,
      // The generated secret itself (database.secret is its attachment).
      this.database.node.findChild('Secret'),
      ...Object.values(this.appSecrets),
    ]);
  }

  private engine(): rds.IClusterEngine {
    // Aurora MySQL 3 (MySQL 8.0 compatible), pinned to a minor line: upgrades are a deliberate change.
    return rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_10_4 });
  }

  private instances(config: EnvironmentConfig): Pick<
    rds.DatabaseClusterProps,
    'writer' | 'readers' | 'serverlessV2MinCapacity' | 'serverlessV2MaxCapacity'
  > {
    const db = config.database;
    const common = { enablePerformanceInsights: true, publiclyAccessible: false, autoMinorVersionUpgrade: true };
    const readerIds = Array.from({ length: db.readers }, (_, i) => `Reader${i + 1}`);
    if (db.kind === 'serverless-v2') {
      return {
        writer: rds.ClusterInstance.serverlessV2('Writer', common),
        // Readers in the writer's promotion tier scale with it, so a failover lands on a warm instance.
        readers: readerIds.map((id) => rds.ClusterInstance.serverlessV2(id, { ...common, scaleWithWriter: true })),
        serverlessV2MinCapacity: db.minCapacity,
        serverlessV2MaxCapacity: db.maxCapacity,
      };
    }
    const instanceType = new ec2.InstanceType(db.instanceType);
    return {
      writer: rds.ClusterInstance.provisioned('Writer', { ...common, instanceType }),
      readers: readerIds.map((id) => rds.ClusterInstance.provisioned(id, { ...common, instanceType, promotionTier: 1 })),
    };
  }

  private acknowledgeFindings(config: EnvironmentConfig, secrets: IConstruct[]): void {
    acknowledge(secrets,
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Tasks read secrets only at start, so an unattended rotation would break running services until they restart. ' +
          'Rotation is a runbook step (docs/operations.md: rotate, then force a new deployment); the third-party ' +
          'credentials (SMS, SMTP) are rotated at the provider.',
      },
    );
    acknowledge(this.database,
      {
        id: 'AwsSolutions-RDS11',
        reason:
          'The default MySQL port is kept (DB_PORT defaults to 3306 everywhere); the port is no boundary: the cluster ' +
          'sits in isolated subnets and its security group admits only the database-clients group.',
      },
      {
        id: 'AwsSolutions-RDS14',
        reason:
          'Recovery is point-in-time restore from continuous backups into a new cluster. Backtrack rewinds the whole ' +
          'shared cluster in place, which would also erase every other salon\u2019s bookings made since.',
      },
    );
    acknowledge(this.broker,
      {
        id: 'AwsSolutions-MQ3',
        reason:
          config.broker.deployment === 'single-instance'
            ? 'Staging runs a single-instance broker to save cost; production runs a multi-AZ cluster (validated in the config).'
            : 'A RabbitMQ broker is a multi-AZ cluster (CLUSTER_MULTI_AZ); MQ3 checks the ActiveMQ active/standby mode.',
      },
    );
  }
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
