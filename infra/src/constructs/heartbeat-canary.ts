import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { acknowledge, wildcardResource } from '../nag';

export const HEARTBEAT_SCRIPT_PATH = path.join(__dirname, '..', 'runtime', 'heartbeat-canary', 'index.js');

export interface HeartbeatCanaryProps {
  /** Lower-case, at most 21 characters. */
  readonly canaryName: string;
  readonly baseUrl: string;
  readonly credential: secretsmanager.ISecret;
  readonly every: Duration;
  readonly artifactRetentionDays: number;
}

/**
 * The seed's heartbeat end-to-end test as a CloudWatch Synthetics canary: health, find a slot,
 * hold it, cancel it (src/runtime/heartbeat-canary/index.js, inlined into the template).
 */
export class HeartbeatCanary extends Construct {
  readonly canary: synthetics.Canary;

  constructor(scope: Construct, id: string, props: HeartbeatCanaryProps) {
    super(scope, id);
    const artifacts = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.artifactRetentionDays) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    this.canary = new synthetics.Canary(this, 'Canary', {
      canaryName: props.canaryName,
      runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_13_0,
      test: synthetics.Test.custom({
        code: synthetics.Code.fromInline(readFileSync(HEARTBEAT_SCRIPT_PATH, 'utf8')),
        handler: 'index.handler',
      }),
      schedule: synthetics.Schedule.rate(props.every),
      timeout: Duration.seconds(60),
      environmentVariables: {
        BASE_URL: props.baseUrl,
        CANARY_SECRET_ARN: props.credential.secretArn,
      },
      artifactsBucketLocation: { bucket: artifacts, prefix: 'heartbeat' },
      successRetentionPeriod: Duration.days(7),
      failureRetentionPeriod: Duration.days(props.artifactRetentionDays),
      provisionedResourceCleanup: true,
      startAfterCreation: true,
    });
    props.credential.grantRead(this.canary.role);

    acknowledge(artifacts,
      {
        id: 'AwsSolutions-S1',
        reason: 'Holds only canary screenshots and step logs, expired automatically; access logging it adds cost and no signal.',
      },
    );
    // The execution role the Canary construct generates, permission by permission.
    const syntheticsLogs = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: '/aws/lambda/cwsyn-*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    acknowledge(
      this.canary,
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Required by every Synthetics canary: s3:ListAllMyBuckets has no resource-level permission, and ' +
          'cloudwatch:PutMetricData is conditioned on the CloudWatchSynthetics namespace.',
      },
      {
        id: wildcardResource(this, artifacts.arnForObjects('heartbeat/*')),
        reason: 'The canary writes screenshots and step logs under its own prefix of its own artifacts bucket.',
      },
      {
        id: wildcardResource(this, syntheticsLogs),
        reason: 'Synthetics runs the canary as a Lambda function named cwsyn-<canary>-<id>; the id is chosen by the service.',
      },
    );
  }
}
