import type { App } from 'aws-cdk-lib';
import { APP_NAMES } from './config/app-contract';
import { ENVIRONMENT_NAMES, resolveConfig, settingsFrom, type ChairbookConfig, type EnvironmentName } from './config/environments';
import { DeliveryStack } from './stacks/delivery-stack';
import { NetworkStack } from './stacks/network-stack';
import { ObservabilityStack } from './stacks/observability-stack';
import { ServicesStack } from './stacks/services-stack';
import { StatefulStack } from './stacks/stateful-stack';
import { WafStack } from './stacks/waf-stack';

export interface EnvironmentStacks {
  readonly network: NetworkStack;
  readonly stateful: StatefulStack;
  readonly services: ServicesStack;
  readonly waf: WafStack;
  readonly observability: ObservabilityStack;
}

export interface ChairbookApp {
  readonly config: ChairbookConfig;
  readonly delivery: DeliveryStack;
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentStacks>>;
}

/** Image tag of the three services: `-c imageTag=<sha>` in the pipeline, `latest` for a local synth. */
export function imageTagFrom(app: App): string {
  const tag = app.node.tryGetContext('imageTag');
  if (tag === undefined || tag === null || tag === '') return 'latest';
  if (typeof tag !== 'string' || !/^[\w][\w.-]{0,127}$/.test(tag)) {
    throw new Error(`imageTag "${String(tag)}" is not a valid image tag`);
  }
  return tag;
}

/**
 * All stacks: `Chairbook-Delivery` (ECR, CI roles; deployed by hand once) and, per environment,
 * Network -> Stateful -> Services -> Waf and Observability. Deploy one environment with
 * `npx cdk deploy 'Chairbook-Staging-*'`.
 */
export function buildChairbookApp(app: App, config: ChairbookConfig = resolveConfig(settingsFrom(app.node))): ChairbookApp {
  const imageTag = imageTagFrom(app);
  const delivery = new DeliveryStack(app, 'Chairbook-Delivery', {
    delivery: config.delivery,
    environments: config.environments,
    description: 'Chairbook: ECR repositories and GitHub OIDC roles for the pipeline',
  });

  const environments = {} as Record<EnvironmentName, EnvironmentStacks>;
  for (const name of ENVIRONMENT_NAMES) {
    const env = config.environments[name];
    const id = (part: string) => `${env.stackPrefix}-${part}`;
    const network = new NetworkStack(app, id('Network'), {
      config: env,
      description: `Chairbook ${name}: VPC, subnets, NAT, endpoints, flow logs`,
    });
    const stateful = new StatefulStack(app, id('Stateful'), {
      config: env,
      vpc: network.vpc,
      description: `Chairbook ${name}: Aurora MySQL, Amazon MQ for RabbitMQ, secrets (termination protected)`,
    });
    const services = new ServicesStack(app, id('Services'), {
      config: env,
      vpc: network.vpc,
      stateful,
      imageTag,
      registry: { account: config.delivery.account, region: config.delivery.region },
      description: `Chairbook ${name}: ECS Fargate services (${APP_NAMES.join(', ')}), load balancer, migrations`,
    });
    const waf = new WafStack(app, id('Waf'), {
      config: env,
      loadBalancerArn: services.loadBalancer.loadBalancerArn,
      description: `Chairbook ${name}: AWS WAF on the public load balancer`,
    });
    const observability = new ObservabilityStack(app, id('Observability'), {
      config: env,
      services: services.services,
      loadBalancer: services.loadBalancer,
      database: stateful.database,
      brokerName: stateful.brokerName,
      publicUrl: services.publicUrl,
      canaryCredential: stateful.appSecrets.canary,
      description: `Chairbook ${name}: alarms, paging, dashboard, heartbeat canary`,
    });
    environments[name] = { network, stateful, services, waf, observability };
  }
  return { config, delivery, environments };
}
