import { ArnFormat, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { METRICS_PATH } from '../config/app-contract';
import { ChairbookStack, type ChairbookStackProps } from './chairbook-stack';

export interface WafStackProps extends ChairbookStackProps {
  readonly loadBalancerArn: string;
}

/** Rule names, also the CloudWatch metric names of the rules. */
export const WAF_RULES = {
  blockMetrics: 'block-metrics',
  bookingRateLimit: 'booking-rate-limit',
  common: 'aws-common',
  knownBadInputs: 'aws-known-bad-inputs',
} as const;

/**
 * AWS WAF in front of the public load balancer: /metrics blocked whatever its spelling,
 * a per-IP rate limit on the public booking pages (they send SMS: the classic SMS-pumping
 * target), and AWS's managed common and known-bad-input rules.
 */
export class WafStack extends ChairbookStack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: WafStackProps) {
    super(scope, id, props);
    const { config } = props;
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: config.resourcePrefix,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(config.resourcePrefix),
      customResponseBodies: {
        'too-many-requests': {
          contentType: 'APPLICATION_JSON',
          content: '{"code":"RATE_LIMITED","message":"Too many requests, please try again in a few minutes"}',
        },
      },
      rules: [
        {
          // The ALB already answers 404 for /metrics; this also catches /METRICS, //metrics,
          // /book/../metrics and percent-encoded forms that a case-insensitive router might serve.
          name: WAF_RULES.blockMetrics,
          priority: 0,
          action: { block: {} },
          statement: {
            byteMatchStatement: {
              fieldToMatch: { uriPath: {} },
              positionalConstraint: 'STARTS_WITH',
              searchString: METRICS_PATH,
              textTransformations: [
                { priority: 0, type: 'URL_DECODE' },
                { priority: 1, type: 'NORMALIZE_PATH' },
                { priority: 2, type: 'LOWERCASE' },
              ],
            },
          },
          visibilityConfig: visibility(WAF_RULES.blockMetrics),
        },
        {
          name: WAF_RULES.bookingRateLimit,
          priority: 1,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'too-many-requests',
                responseHeaders: [{ name: 'Retry-After', value: '300' }],
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: config.waf.bookingRequestsPer5MinPerIp,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: '/book',
                  textTransformations: [
                    { priority: 0, type: 'URL_DECODE' },
                    { priority: 1, type: 'NORMALIZE_PATH' },
                    { priority: 2, type: 'LOWERCASE' },
                  ],
                },
              },
            },
          },
          visibilityConfig: visibility(WAF_RULES.bookingRateLimit),
        },
        {
          name: WAF_RULES.common,
          priority: 2,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              // The Phorest-compatible API takes bodies over 8 KB (multi-service bookings,
              // purchases): count, do not block, oversized bodies.
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          visibilityConfig: visibility(WAF_RULES.common),
        },
        {
          name: WAF_RULES.knownBadInputs,
          priority: 3,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' },
          },
          visibilityConfig: visibility(WAF_RULES.knownBadInputs),
        },
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'LoadBalancerAssociation', {
      resourceArn: props.loadBalancerArn,
      webAclArn: this.webAcl.attrArn,
    });

    // WAF requires the aws-waf-logs- prefix; the logs answer "who did we block, and why".
    const logGroupName = `aws-waf-logs-${config.resourcePrefix}`;
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        this.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // Basic-auth headers never reach the logs.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
    });
    logging.node.addDependency(logGroup);
  }
}
