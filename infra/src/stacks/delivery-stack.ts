import { CfnOutput, Duration, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag';
import { APPS, APP_NAMES, type AppName } from '../config/app-contract';
import type { DeliveryConfig, EnvironmentConfig, EnvironmentName } from '../config/environments';

export interface DeliveryStackProps extends StackProps {
  readonly delivery: DeliveryConfig;
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentConfig>>;
}

const GITHUB_ISSUER = 'token.actions.githubusercontent.com';
/** The default qualifier of `cdk bootstrap`: the roles the CDK CLI assumes to deploy. */
const CDK_QUALIFIER = 'hnb659fds';

/**
 * Deployed once by hand (it creates the roles the pipeline then uses): the three ECR
 * repositories, and GitHub OIDC roles so the workflow never holds long-lived AWS keys.
 *
 * - `chairbook-ci-publish`: push images; assumable from pushes to main.
 * - `chairbook-ci-deploy-<env>`: assume the CDK bootstrap roles of that environment's account;
 *   assumable only from a job that runs in the GitHub environment of the same name (production
 *   has required reviewers, so nobody deploys production without an approval).
 *
 * The environments' accounts must be bootstrapped with `--trust <delivery account>`.
 */
export class DeliveryStack extends Stack {
  readonly repositories: Readonly<Record<AppName, ecr.Repository>>;

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    super(scope, id, {
      ...props,
      env: { account: props.delivery.account, region: props.delivery.region },
      terminationProtection: true,
    });
    Tags.of(this).add('chairbook:stack', id);
    const { delivery, environments } = props;
    const otherAccounts = [...new Set(Object.values(environments).map((env) => env.account))].filter(
      (account) => account !== delivery.account,
    );

    const repositories = {} as Record<AppName, ecr.Repository>;
    for (const app of APP_NAMES) {
      const repository = new ecr.Repository(this, `${app}Repository`, {
        repositoryName: APPS[app].repositoryName,
        // Tags are commit SHAs: immutable, so "redeploy the previous tag" means exactly that image.
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        imageScanOnPush: true,
        // Keep enough history to roll back weeks of deploys.
        lifecycleRules: [{ description: 'Keep the last 200 images', maxImageCount: 200 }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const account of otherAccounts) {
        repository.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: `Pull${account}`,
            principals: [new iam.AccountPrincipal(account)],
            actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          }),
        );
      }
      repositories[app] = repository;
    }
    this.repositories = repositories;

    const providerArn = delivery.createOidcProvider
      ? new iam.OidcProviderNative(this, 'GithubOidc', {
          url: `https://${GITHUB_ISSUER}`,
          clientIds: ['sts.amazonaws.com'],
        }).oidcProviderArn
      : this.formatArn({ service: 'iam', region: '', resource: 'oidc-provider', resourceName: GITHUB_ISSUER });

    const githubRole = (id: string, roleName: string, subjects: string[], description: string) =>
      new iam.Role(this, id, {
        roleName,
        description,
        maxSessionDuration: Duration.hours(2),
        assumedBy: new iam.FederatedPrincipal(
          providerArn,
          {
            StringEquals: { [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com' },
            StringLike: { [`${GITHUB_ISSUER}:sub`]: subjects },
          },
          'sts:AssumeRoleWithWebIdentity',
        ),
      });

    const repo = delivery.githubRepository;
    const publish = githubRole(
      'PublishRole',
      'chairbook-ci-publish',
      [`repo:${repo}:ref:refs/heads/main`],
      'GitHub Actions on main: push images to the Chairbook ECR repositories',
    );
    for (const repository of Object.values(repositories)) repository.grantPullPush(publish);
    ecr.AuthorizationToken.grantRead(publish);
    acknowledge(publish, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource-level permission; pushes are limited to the three repositories.',
    });

    for (const env of Object.values(environments)) {
      const role = githubRole(
        `Deploy${env.name}Role`,
        `chairbook-ci-deploy-${env.name}`,
        [`repo:${repo}:environment:${env.name}`],
        `GitHub Actions in the "${env.name}" environment: cdk deploy through the CDK bootstrap roles`,
      );
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'AssumeCdkBootstrapRoles',
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          resources: ['deploy', 'file-publishing', 'image-publishing'].map(
            (kind) => `arn:${this.partition}:iam::${env.account}:role/cdk-${CDK_QUALIFIER}-${kind}-role-${env.account}-${env.region}`,
          ),
        }),
      );
      new CfnOutput(this, `Deploy${env.name}RoleArn`, { value: role.roleArn });
    }
    new CfnOutput(this, 'PublishRoleArn', { value: publish.roleArn });
    new CfnOutput(this, 'RegistryUri', {
      value: `${this.account}.dkr.ecr.${this.region}.${this.urlSuffix}`,
      description: 'ECR registry of the chairbook/* images',
    });
  }
}
