import { Fn, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environments';

export interface ChairbookStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * Base of every per-environment stack: concrete account and region from the typed config,
 * the region's first N availability zones resolved by CloudFormation (Fn::GetAZs) instead of
 * an AZ context lookup, so synth never needs AWS credentials, and the tags cost reports and
 * incident reviews filter by.
 */
export abstract class ChairbookStack extends Stack {
  readonly config: EnvironmentConfig;

  protected constructor(scope: Construct, id: string, props: ChairbookStackProps) {
    super(scope, id, {
      ...props,
      env: { account: props.config.account, region: props.config.region },
    });
    this.config = props.config;
    Tags.of(this).add('chairbook:environment', props.config.name);
    Tags.of(this).add('chairbook:stack', id);
  }

  override get availabilityZones(): string[] {
    return Array.from({ length: this.config.azCount }, (_, index) => Fn.select(index, Fn.getAzs()));
  }
}
