import { Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/** A cdk-nag finding accepted on purpose, with the reason a reviewer can check. */
export interface Acknowledgement {
  /** Rule id, with the finding for multi-finding rules: `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  readonly reason: string;
}

/**
 * Records acknowledgements (cdk-nag 3 reads CDK's `Validations` metadata; an acknowledgement
 * on a construct covers everything below it).
 */
export function acknowledge(scopes: IConstruct | IConstruct[], ...rules: Acknowledgement[]): void {
  for (const scope of Array.isArray(scopes) ? scopes : [scopes]) {
    Validations.of(scope).acknowledge(...rules);
  }
}

/**
 * The finding id cdk-nag's IAM5 rule reports for a wildcard resource, computed from the same
 * ARN expression the policy uses, so an acknowledgement names exactly one permission.
 */
export function wildcardResource(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

/** `<function arn>:*`: the provider framework invokes any version of its own handlers. */
export function functionVersionsOf(fn: lambda.IFunction): string {
  return wildcardResource(fn, `${fn.functionArn}:*`);
}
