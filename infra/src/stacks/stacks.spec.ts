import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { APPS, APP_NAMES, SECRETS_BY_APP, SECRET_VARIABLES } from '../config/app-contract';
import { buildTestApp, TEST_CONTEXT } from '../testing/build-test-app';

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string }>;

const built = buildTestApp(TEST_CONTEXT);
const staging = built.environments.staging;
const production = built.environments.production;
const templates = {
  stagingNetwork: Template.fromStack(staging.network),
  stagingStateful: Template.fromStack(staging.stateful),
  stagingServices: Template.fromStack(staging.services),
  stagingWaf: Template.fromStack(staging.waf),
  stagingObservability: Template.fromStack(staging.observability),
  productionNetwork: Template.fromStack(production.network),
  productionStateful: Template.fromStack(production.stateful),
  productionServices: Template.fromStack(production.services),
  productionObservability: Template.fromStack(production.observability),
  delivery: Template.fromStack(built.delivery),
};

function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

function logicalIdOf(template: Template, type: string, predicate: (props: Record<string, any>) => boolean): string {
  const match = Object.entries(resourcesOf(template, type)).find(([, resource]) => predicate(resource.Properties));
  if (!match) throw new Error(`no ${type} matches`);
  return match[0];
}

describe('network stack', () => {
  it('spreads public, app and isolated data subnets over the configured AZs', () => {
    const subnets = Object.values(resourcesOf(templates.productionNetwork, 'AWS::EC2::Subnet'));
    expect(subnets).toHaveLength(9);
    // The region's first three zones, resolved by CloudFormation (no lookup, no hard-coded names).
    expect(new Set(subnets.map((subnet) => JSON.stringify(subnet.Properties.AvailabilityZone)))).toEqual(
      new Set([0, 1, 2].map((index) => JSON.stringify({ 'Fn::Select': [index, { 'Fn::GetAZs': '' }] }))),
    );
    expect(resourcesOf(templates.stagingNetwork, 'AWS::EC2::Subnet')).toBeDefined();
  });

  it('uses NAT gateways per the config, and interface endpoints only where configured', () => {
    templates.stagingNetwork.resourceCountIs('AWS::EC2::NatGateway', 1);
    templates.productionNetwork.resourceCountIs('AWS::EC2::NatGateway', 3);
    templates.stagingNetwork.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    const endpoints = Object.values(resourcesOf(templates.productionNetwork, 'AWS::EC2::VPCEndpoint'));
    expect(endpoints.map((endpoint) => JSON.stringify(endpoint.Properties.ServiceName)).join(' ')).toEqual(
      expect.stringMatching(/ecr\.api.*ecr\.dkr.*logs.*secretsmanager/s),
    );
  });

  it('records VPC flow logs', () => {
    templates.stagingNetwork.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
  });
});

describe('stateful stack', () => {
  it('is termination protected', () => {
    expect(staging.stateful.terminationProtection).toBe(true);
    expect(production.stateful.terminationProtection).toBe(true);
    expect(staging.services.terminationProtection).toBe(false);
  });

  it('runs Aurora MySQL 3, encrypted, backed up and deletion protected, with a generated secret', () => {
    for (const template of [templates.stagingStateful, templates.productionStateful]) {
      template.hasResource('AWS::RDS::DBCluster', {
        DeletionPolicy: 'Snapshot',
        Properties: Match.objectLike({
          Engine: 'aurora-mysql',
          EngineVersion: Match.stringLikeRegexp('^8\\.0\\.mysql_aurora\\.3\\.'),
          StorageEncrypted: true,
          DeletionProtection: true,
          BackupRetentionPeriod: Match.anyValue(),
          EnableCloudwatchLogsExports: ['error', 'slowquery'],
          MasterUserPassword: Match.objectLike({
            'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('resolve:secretsmanager')])]),
          }),
        }),
      });
    }
    templates.productionStateful.hasResourceProperties('AWS::RDS::DBCluster', {
      BackupRetentionPeriod: 14,
      ServerlessV2ScalingConfiguration: { MinCapacity: 2, MaxCapacity: 32 },
    });
    // Production has a reader in the writer's tier to fail over to; staging a writer only.
    templates.productionStateful.resourceCountIs('AWS::RDS::DBInstance', 2);
    templates.stagingStateful.resourceCountIs('AWS::RDS::DBInstance', 1);
    templates.stagingStateful.hasResourceProperties('AWS::RDS::DBInstance', { PubliclyAccessible: false });
  });

  it('admits MySQL and AMQPS only from the client security groups', () => {
    const ingress = Object.values(resourcesOf(templates.stagingStateful, 'AWS::EC2::SecurityGroupIngress'));
    expect(ingress.map((rule) => rule.Properties.FromPort).sort()).toEqual([3306, 5671]);
    for (const rule of ingress) {
      expect(rule.Properties.SourceSecurityGroupId).toBeDefined();
      expect(rule.Properties.CidrIp).toBeUndefined();
    }
  });

  it('runs RabbitMQ 3.13 that is not publicly accessible, clustered in production', () => {
    templates.stagingStateful.hasResourceProperties('AWS::AmazonMQ::Broker', {
      EngineType: 'RABBITMQ',
      EngineVersion: '3.13',
      PubliclyAccessible: false,
      DeploymentMode: 'SINGLE_INSTANCE',
      AutoMinorVersionUpgrade: true,
    });
    templates.productionStateful.hasResourceProperties('AWS::AmazonMQ::Broker', {
      PubliclyAccessible: false,
      DeploymentMode: 'CLUSTER_MULTI_AZ',
    });
    const broker = Object.values(resourcesOf(templates.stagingStateful, 'AWS::AmazonMQ::Broker'))[0];
    // The password is a dynamic reference to the broker secret, never a literal.
    expect(JSON.stringify(broker.Properties.Users)).toContain('{{resolve:secretsmanager:');
  });

  it('builds RABBITMQ_URL as a secret from the broker endpoint and the broker password', () => {
    const url = Object.values(resourcesOf(templates.stagingStateful, 'AWS::SecretsManager::Secret')).find(
      (secret) => secret.Properties.Name === 'chairbook/staging/rabbitmq-url',
    );
    const joined = JSON.stringify(url?.Properties.SecretString);
    expect(joined).toContain('amqps://chairbook:{{resolve:secretsmanager:');
    expect(joined).toContain('AmqpEndpoints');
  });
});

describe('services stack', () => {
  const services = resourcesOf(templates.stagingServices, 'AWS::ECS::Service');
  const taskDefinitions = resourcesOf(templates.stagingServices, 'AWS::ECS::TaskDefinition');
  const containers = Object.values(taskDefinitions).flatMap((task) => task.Properties.ContainerDefinitions as any[]);

  it('runs the three services on Fargate with circuit breaker rollback and an alarm rollback', () => {
    expect(Object.values(services).map((service) => service.Properties.ServiceName).sort()).toEqual([...APP_NAMES].sort());
    for (const service of Object.values(services)) {
      expect(service.Properties.LaunchType).toBe('FARGATE');
      expect(service.Properties.DeploymentConfiguration).toMatchObject({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        Alarms: { Enable: true, Rollback: true, AlarmNames: [expect.stringMatching(/^chairbook-staging-.*-deployment-5xx$/)] },
        MinimumHealthyPercent: 100,
      });
      expect(service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    }
  });

  it('deploys the image tag from context, from the delivery account\u2019s repositories', () => {
    for (const app of APP_NAMES) {
      const container = containers.find((c) => c.Name === app && !c.Command);
      expect(JSON.stringify(container.Image)).toContain(`/${APPS[app].repositoryName}:${TEST_CONTEXT.imageTag}`);
      expect(JSON.stringify(container.Image)).toContain('111111111111.dkr.ecr.eu-west-1.');
    }
  });

  it('checks /health on the load balancer and in the container, with node instead of curl', () => {
    const groups = Object.values(resourcesOf(templates.stagingServices, 'AWS::ElasticLoadBalancingV2::TargetGroup'));
    expect(groups).toHaveLength(3);
    for (const group of groups) {
      expect(group.Properties).toMatchObject({ HealthCheckPath: '/health', Matcher: { HttpCode: '200' }, TargetType: 'ip' });
    }
    for (const app of APP_NAMES) {
      const container = containers.find((c) => c.Name === app && !c.Command);
      expect(container.HealthCheck.Command.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
      expect(container.HealthCheck.Command[3]).toContain(`http://127.0.0.1:${APPS[app].port}/health`);
      expect(JSON.stringify(container.HealthCheck)).not.toMatch(/curl|wget/);
      expect(container.PortMappings[0].ContainerPort).toBe(APPS[app].port);
      expect(container.ReadonlyRootFilesystem).toBe(true);
    }
  });

  it('injects every credential through ECS secrets, never plain environment', () => {
    expect(containers.length).toBe(5);
    for (const container of containers) {
      const plain = (container.Environment as { Name: string; Value: unknown }[]).map((env) => env.Name);
      for (const variable of SECRET_VARIABLES) expect(plain).not.toContain(variable);
      expect(JSON.stringify(container.Environment)).not.toMatch(/resolve:secretsmanager|password|SecretString/i);
      const app = container.Name as keyof typeof SECRETS_BY_APP;
      expect((container.Secrets as { Name: string }[]).map((secret) => secret.Name).sort()).toEqual([...SECRETS_BY_APP[app]].sort());
    }
  });

  it('sets the shared configuration names each service reads', () => {
    const envOf = (app: string) =>
      Object.fromEntries(
        (containers.find((c) => c.Name === app && !c.Command).Environment as { Name: string; Value: unknown }[]).map((e) => [
          e.Name,
          e.Value,
        ]),
      );
    expect(envOf('core-api')).toMatchObject({ NODE_ENV: 'production', CORE_API_PORT: '3000', CORE_API_DB_NAME: 'chairbook_core' });
    expect(envOf('booking')).toMatchObject({ BOOKING_PORT: '3001', CORE_API_URL: 'http://core-api:3000' });
    expect(envOf('messaging')).toMatchObject({
      MESSAGING_PORT: '3002',
      MESSAGING_DB_NAME: 'chairbook_messaging',
      CORE_API_URL: 'http://core-api:3000',
      SMS_PROVIDER: 'twilio',
      EMAIL_PROVIDER: 'smtp',
      SMTP_PORT: '587',
    });
    for (const app of ['core-api', 'messaging']) expect(envOf(app)).toHaveProperty('DB_HOST');
    expect(envOf('booking')).not.toHaveProperty('DB_HOST');
    expect(JSON.stringify(envOf('messaging').BOOKING_PUBLIC_URL)).toContain('DNSName');
    const productionContainers = Object.values(resourcesOf(templates.productionServices, 'AWS::ECS::TaskDefinition')).flatMap(
      (task) => task.Properties.ContainerDefinitions as any[],
    );
    const booking = productionContainers.find((c) => c.Name === 'booking');
    expect(booking.Environment).toContainEqual({ Name: 'BOOKING_PUBLIC_URL', Value: 'https://app.chairbook.example' });
  });

  it('routes /book to booking, /messaging to messaging and everything else to core-api', () => {
    const targetGroupOf = (app: string) =>
      logicalIdOf(templates.stagingServices, 'AWS::ElasticLoadBalancingV2::TargetGroup', (props) => props.Port === APPS[app as 'booking'].port);
    templates.stagingServices.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/book', '/book/*'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: targetGroupOf('booking') } }],
    });
    templates.stagingServices.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/messaging/*'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: targetGroupOf('messaging') } }],
    });
    templates.stagingServices.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: targetGroupOf('core-api') } }],
    });
    for (const group of Object.values(resourcesOf(templates.stagingServices, 'AWS::ElasticLoadBalancingV2::TargetGroup'))) {
      const attributes = JSON.stringify(group.Properties.TargetGroupAttributes ?? []);
      expect(attributes).not.toContain('stickiness.enabled","Value":"true');
    }
  });

  it('answers /metrics with a 404 at the load balancer, before any other rule', () => {
    const rules = Object.values(resourcesOf(templates.stagingServices, 'AWS::ElasticLoadBalancingV2::ListenerRule'));
    const metrics = rules.find((rule) => JSON.stringify(rule.Properties.Conditions).includes('/metrics'));
    expect(metrics?.Properties.Actions).toEqual([
      expect.objectContaining({ Type: 'fixed-response', FixedResponseConfig: expect.objectContaining({ StatusCode: '404' }) }),
    ]);
    expect(metrics?.Properties.Conditions[0].PathPatternConfig.Values).toEqual(['/metrics', '/metrics/*']);
    const priorities = rules.map((rule) => rule.Properties.Priority);
    expect(metrics?.Properties.Priority).toBe(Math.min(...priorities));
  });

  it('serves HTTPS with a redirect from HTTP when a domain is configured', () => {
    templates.productionServices.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
    });
    templates.productionServices.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS' }) })],
    });
    templates.productionServices.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'app.chairbook.example' });
    templates.productionServices.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
  });

  it('scales every service on CPU and on requests per target', () => {
    const policies = Object.values(resourcesOf(templates.stagingServices, 'AWS::ApplicationAutoScaling::ScalingPolicy'));
    const metricTypes = policies.map((policy) => policy.Properties.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType);
    expect(metricTypes.filter((type) => type === 'ECSServiceAverageCPUUtilization')).toHaveLength(3);
    expect(metricTypes.filter((type) => type === 'ALBRequestCountPerTarget')).toHaveLength(3);
    templates.productionServices.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 12 });
  });

  it('keeps logs for the configured retention', () => {
    const groups = Object.values(resourcesOf(templates.stagingServices, 'AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(14);
    templates.productionServices.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/chairbook/production/core-api', RetentionInDays: 90 });
  });

  it('grants each execution role only the secrets its service reads; task roles get nothing', () => {
    const policies = resourcesOf(templates.stagingServices, 'AWS::IAM::Policy');
    const bookingPolicy = Object.entries(policies).find(([id]) => id.startsWith('BookingTaskExecutionRole'))?.[1];
    const secretStatement = bookingPolicy?.Properties.PolicyDocument.Statement.find((s: any) =>
      JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue'),
    );
    expect(secretStatement.Resource).toHaveLength(2);
    expect(JSON.stringify(secretStatement.Resource)).not.toMatch(/Database|Broker/);
    expect(Object.keys(policies).some((id) => /Task(Task)?Role[A-Z0-9]*DefaultPolicy/.test(id) && !id.includes('Execution'))).toBe(false);
  });

  it('runs migrations as a one-off task that must finish before core-api and messaging roll', () => {
    const migrations = resourcesOf(templates.stagingServices, 'Custom::ChairbookMigrations');
    expect(Object.values(migrations).map((m) => m.Properties.ServiceName).sort()).toEqual(['core-api', 'messaging']);
    for (const [id, migration] of Object.entries(migrations)) {
      const app = migration.Properties.ServiceName;
      const service = Object.values(services).find((s) => s.Properties.ServiceName === app);
      expect(service?.DependsOn).toContain(id);
      expect(migration.Properties.ImageTag).toBe(TEST_CONTEXT.imageTag);
    }
    const migrate = containers.filter((c) => Array.isArray(c.Command));
    expect(migrate.map((c) => c.Command)).toEqual([
      ['node', 'cli.js', 'migrate'],
      ['node', 'cli.js', 'migrate'],
    ]);
    templates.stagingServices.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'ecs:RunTask', Condition: { ArnEquals: { 'ecs:cluster': Match.anyValue() } } }),
        ]),
      },
    });
  });

  it('lets booking and messaging reach core-api through Service Connect only', () => {
    const core = Object.values(services).find((s) => s.Properties.ServiceName === 'core-api');
    expect(core?.Properties.ServiceConnectConfiguration.Services[0]).toMatchObject({
      PortName: 'http',
      ClientAliases: [{ DnsName: 'core-api', Port: 3000 }],
    });
    const ingress = Object.values(resourcesOf(templates.stagingServices, 'AWS::EC2::SecurityGroupIngress'));
    expect(ingress.filter((rule) => rule.Properties.FromPort === 3000 && (rule.Properties.Description as string).startsWith('Service Connect'))).toHaveLength(2);
  });
});

describe('WAF stack', () => {
  it('rate limits the booking pages per IP and applies the AWS common rules', () => {
    templates.stagingWaf.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'block-metrics',
          Priority: 0,
          Action: { Block: {} },
          Statement: { ByteMatchStatement: Match.objectLike({ SearchString: '/metrics' }) },
        }),
        Match.objectLike({
          Name: 'booking-rate-limit',
          Action: { Block: Match.objectLike({ CustomResponse: Match.objectLike({ ResponseCode: 429 }) }) },
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: 300,
              AggregateKeyType: 'IP',
              ScopeDownStatement: { ByteMatchStatement: Match.objectLike({ SearchString: '/book', PositionalConstraint: 'STARTS_WITH' }) },
            }),
          },
        }),
        Match.objectLike({
          Name: 'aws-common',
          Statement: { ManagedRuleGroupStatement: Match.objectLike({ VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' }) },
        }),
      ]),
    });
    templates.stagingWaf.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    templates.stagingWaf.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
    });
  });
});

describe('observability stack', () => {
  const expectedAlarms = [
    ...APP_NAMES.flatMap((app) => ['5xx-rate', 'p99-latency', 'unhealthy-hosts', 'no-healthy-hosts'].map((kind) => `${app}-${kind}`)),
    'alb-5xx',
    'dlq-depth',
    'aurora-cpu',
    'broker-memory',
    'heartbeat',
  ].map((name) => `chairbook-production-${name}`);

  it('pages through SNS on every alarm, and again when it clears', () => {
    const alarms = Object.values(resourcesOf(templates.productionObservability, 'AWS::CloudWatch::Alarm'));
    expect(alarms.map((alarm) => alarm.Properties.AlarmName).sort()).toEqual([...expectedAlarms].sort());
    const topic = logicalIdOf(templates.productionObservability, 'AWS::SNS::Topic', () => true);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.AlarmDescription).toContain('docs/operations.md#');
    }
  });

  it('explains every alarm in docs/operations.md, under the heading its description links to', () => {
    const doc = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'operations.md'), 'utf8');
    const anchors = new Set(
      [...doc.matchAll(/^#{2,4} (.+)$/gm)].map(([, heading]) => heading.trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')),
    );
    for (const alarm of Object.values(resourcesOf(templates.productionObservability, 'AWS::CloudWatch::Alarm'))) {
      const anchor = /docs\/operations\.md#([a-z0-9-]+)/.exec(alarm.Properties.AlarmDescription)?.[1];
      expect(anchors).toContain(anchor);
    }
  });

  it('subscribes the configured emails and phone numbers to an encrypted topic', () => {
    templates.productionObservability.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    templates.productionObservability.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sms', Endpoint: '+353861234567' });
    templates.productionObservability.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@chairbook.example' });
    templates.productionObservability.resourceCountIs('AWS::SNS::Subscription', 3);
  });

  it('watches the dead-letter queue and broker memory of the right broker', () => {
    templates.productionObservability.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'chairbook-production-dlq-depth',
      Namespace: 'AWS/AmazonMQ',
      MetricName: 'MessageCount',
      Dimensions: [
        { Name: 'Broker', Value: 'chairbook-production' },
        { Name: 'Queue', Value: 'messaging.core-events.dlq' },
        { Name: 'VirtualHost', Value: '/' },
      ],
      Threshold: 0,
    });
    templates.productionObservability.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'chairbook-production-broker-memory',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * used / limit' })]),
    });
  });

  it('runs the heartbeat canary every five minutes: health, find a slot, book RESERVED, cancel', () => {
    const canary = Object.values(resourcesOf(templates.stagingObservability, 'AWS::Synthetics::Canary'))[0];
    expect(canary.Properties).toMatchObject({
      Name: 'staging-heartbeat',
      RuntimeVersion: 'syn-nodejs-puppeteer-13.0',
      Schedule: { Expression: 'rate(5 minutes)' },
      StartCanaryAfterCreation: true,
    });
    const script: string = canary.Properties.Code.Script;
    for (const fragment of ['/health', '/appointments/availability', "bookingStatus: 'RESERVED'", '/cancel', 'CANARY_SECRET_ARN']) {
      expect(script).toContain(fragment);
    }
    expect(Object.keys(canary.Properties.RunConfig.EnvironmentVariables).sort()).toEqual(['BASE_URL', 'CANARY_SECRET_ARN']);
    templates.stagingObservability.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'chairbook-staging-heartbeat',
      MetricName: 'SuccessPercent',
      TreatMissingData: 'breaching',
    });
  });

  it('draws one dashboard per environment', () => {
    templates.stagingObservability.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'chairbook-staging' });
  });
});

describe('delivery stack', () => {
  it('keeps immutable, scanned image repositories that outlive the stack', () => {
    for (const app of APP_NAMES) {
      templates.delivery.hasResource('AWS::ECR::Repository', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          RepositoryName: APPS[app].repositoryName,
          ImageTagMutability: 'IMMUTABLE',
          ImageScanningConfiguration: { ScanOnPush: true },
        }),
      });
    }
  });

  it('trusts GitHub OIDC only for main (publish) and for the matching GitHub environment (deploy)', () => {
    templates.delivery.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com' });
    const roles = resourcesOf(templates.delivery, 'AWS::IAM::Role');
    const subjects = Object.fromEntries(
      Object.values(roles).map((role) => [
        role.Properties.RoleName,
        role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringLike['token.actions.githubusercontent.com:sub'],
      ]),
    );
    expect(subjects).toEqual({
      'chairbook-ci-publish': ['repo:chairbook/chairbook:ref:refs/heads/main'],
      'chairbook-ci-deploy-staging': ['repo:chairbook/chairbook:environment:staging'],
      'chairbook-ci-deploy-production': ['repo:chairbook/chairbook:environment:production'],
    });
    // Production's deploy role may only assume production's CDK bootstrap roles.
    const productionPolicy = Object.values(resourcesOf(templates.delivery, 'AWS::IAM::Policy')).find((policy) =>
      JSON.stringify(policy.Properties.Roles).includes('Deployproduction'),
    );
    expect(JSON.stringify(productionPolicy?.Properties.PolicyDocument)).toContain(':iam::222222222222:role/cdk-hnb659fds-deploy-role-222222222222-eu-west-1');
    expect(JSON.stringify(productionPolicy?.Properties.PolicyDocument)).not.toContain('111111111111');
  });
});

describe('the cloud assembly', () => {
  it('synthesises offline: no context lookups are left to the CLI', () => {
    const assembly = built.app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
    expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual([
      'Chairbook-Delivery',
      'Chairbook-Production-Network',
      'Chairbook-Production-Observability',
      'Chairbook-Production-Services',
      'Chairbook-Production-Stateful',
      'Chairbook-Production-Waf',
      'Chairbook-Staging-Network',
      'Chairbook-Staging-Observability',
      'Chairbook-Staging-Services',
      'Chairbook-Staging-Stateful',
      'Chairbook-Staging-Waf',
    ]);
  });

  it('passes CDK\u2019s built-in CloudFormation validation without a finding', () => {
    const assembly = built.app.synth();
    const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations?: unknown[] }[];
    };
    expect(report.pluginReports.flatMap((plugin) => plugin.violations ?? [])).toEqual([]);
  });
});
