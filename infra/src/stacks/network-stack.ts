import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ChairbookStack, type ChairbookStackProps } from './chairbook-stack';

export type NetworkStackProps = ChairbookStackProps;

/** Subnet group names, shared with the stacks that place resources in them. */
export const SUBNETS = {
  /** The load balancer and NAT gateways. */
  public: 'public',
  /** Fargate tasks: private, outbound through NAT (SMS and SMTP providers live on the internet). */
  app: 'app',
  /** Aurora and the broker: no route to or from the internet at all. */
  data: 'data',
} as const;

/**
 * VPC across the configured AZs: public, app (private with egress) and data (isolated)
 * subnets, VPC flow logs, and optionally interface endpoints so image pulls, logs and secret
 * reads do not pay for or depend on the NAT gateways.
 */
export class NetworkStack extends ChairbookStack {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { config } = props;

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: `/chairbook/${config.name}/vpc-flow-logs`,
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(config.network.cidr),
      maxAzs: config.azCount,
      natGateways: config.network.natGateways,
      subnetConfiguration: [
        { name: SUBNETS.public, subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: SUBNETS.app, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: SUBNETS.data, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      // Restricting the default security group needs a custom-resource Lambda; nothing here
      // uses the default group (every resource gets its own), so it is left alone.
      restrictDefaultSecurityGroup: false,
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });

    if (config.network.vpcEndpoints) {
      this.vpc.addGatewayEndpoint('S3Endpoint', {
        service: ec2.GatewayVpcEndpointAwsService.S3,
        subnets: [{ subnetGroupName: SUBNETS.app }],
      });
      const interfaceEndpoints: Record<string, ec2.InterfaceVpcEndpointAwsService> = {
        EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
        EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
        Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
        SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      };
      // HTTPS from inside the VPC only (the literal CIDR, so the rule is checkable before deploy).
      const endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: this.vpc,
        description: 'Interface endpoints: HTTPS from the VPC',
        allowAllOutbound: false,
      });
      endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(config.network.cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
      for (const [name, service] of Object.entries(interfaceEndpoints)) {
        this.vpc.addInterfaceEndpoint(`${name}Endpoint`, {
          service,
          subnets: { subnetGroupName: SUBNETS.app },
          privateDnsEnabled: true,
          securityGroups: [endpointSecurityGroup],
          open: false,
        });
      }
    }
  }
}
