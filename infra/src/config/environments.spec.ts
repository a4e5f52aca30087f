import { resolveConfig, validateConfig, type ChairbookConfig, type SettingSource } from './environments';

function source(context: Record<string, unknown> = {}, env: Record<string, string> = {}): SettingSource {
  return { context: (key) => context[key], env: (key) => env[key] };
}

function withEnvironment(config: ChairbookConfig, name: 'staging' | 'production', patch: Record<string, unknown>): ChairbookConfig {
  return {
    ...config,
    environments: { ...config.environments, [name]: { ...config.environments[name], ...patch } },
  };
}

describe('environment configuration', () => {
  it('synthesises with placeholders when nothing is set (offline, no credentials)', () => {
    const config = resolveConfig(source());
    expect(config.environments.staging).toMatchObject({ account: '111111111111', region: 'eu-west-1', azCount: 2 });
    expect(config.environments.production).toMatchObject({ account: '222222222222', azCount: 3 });
    expect(config.delivery).toMatchObject({ account: '111111111111', githubRepository: 'chairbook/chairbook', createOidcProvider: true });
    expect(config.environments.staging.domain).toBeUndefined();
  });

  it('differs between staging and production where it should', () => {
    const { staging, production } = resolveConfig(source()).environments;
    expect(staging.database).toMatchObject({ kind: 'serverless-v2', minCapacity: 0.5, readers: 0 });
    expect(production.database).toMatchObject({ kind: 'serverless-v2', readers: 1 });
    expect(staging.broker.deployment).toBe('single-instance');
    expect(production.broker.deployment).toBe('cluster-multi-az');
    expect(staging.network).toMatchObject({ natGateways: 1, vpcEndpoints: false });
    expect(production.network).toMatchObject({ natGateways: 3, vpcEndpoints: true });
    expect(production.services['core-api'].desiredCount).toBeGreaterThan(staging.services['core-api'].desiredCount);
  });

  it('reads accounts, domain and contacts from context first, then the environment', () => {
    const config = resolveConfig(
      source(
        { productionAccount: '333333333333', productionDomain: 'app.chairbook.example', productionHostedZoneId: 'Z1' },
        {
          CHAIRBOOK_PRODUCTION_ACCOUNT: '444444444444',
          CHAIRBOOK_STAGING_REGION: 'eu-central-1',
          CHAIRBOOK_PRODUCTION_ALERT_EMAILS: 'a@chairbook.example, b@chairbook.example',
          CHAIRBOOK_PRODUCTION_ALERT_PHONES: '+353861234567',
          GITHUB_REPOSITORY: 'salon/chairbook',
        },
      ),
    );
    expect(config.environments.production.account).toBe('333333333333');
    expect(config.environments.staging.region).toBe('eu-central-1');
    expect(config.environments.staging.app.smtpHost).toBe('email-smtp.eu-central-1.amazonaws.com');
    expect(config.environments.production.domain).toEqual({
      name: 'app.chairbook.example',
      hostedZoneId: 'Z1',
      hostedZoneName: 'chairbook.example',
    });
    expect(config.environments.production.alerts.emails).toEqual(['a@chairbook.example', 'b@chairbook.example']);
    expect(config.environments.production.alerts.smsNumbers).toEqual(['+353861234567']);
    expect(config.delivery.githubRepository).toBe('salon/chairbook');
  });

  it('names every problem at once', () => {
    expect(() => resolveConfig(source({ stagingAccount: '12345', productionDomain: 'app.chairbook.example', productionAlertPhones: '0861234567' }))).toThrow(
      /staging: account "12345" is not a 12-digit AWS account id[\s\S]*production: alert phone "0861234567" is not in E\.164 form[\s\S]*productionHostedZoneId/,
    );
  });

  it('refuses configurations that would break the platform', () => {
    const base = resolveConfig(source());
    const problems = (config: ChairbookConfig) => validateConfig(config).join('\n');
    expect(problems(withEnvironment(base, 'staging', { network: { cidr: '10.10.0.0/16', natGateways: 0, vpcEndpoints: true } }))).toMatch(
      /natGateways must be at least 1: messaging reaches the SMS provider/,
    );
    expect(problems(withEnvironment(base, 'production', { broker: { instanceType: 'mq.m7g.large', deployment: 'single-instance' } }))).toMatch(
      /production: the broker must be a multi-AZ cluster/,
    );
    expect(
      problems(
        withEnvironment(base, 'staging', {
          database: { kind: 'serverless-v2', minCapacity: 8, maxCapacity: 4, readers: 0, backupRetentionDays: 3 },
        }),
      ),
    ).toMatch(/database capacity 8-4 ACU/);
    expect(
      problems(withEnvironment(base, 'staging', { services: { ...base.environments.staging.services, booking: { cpu: 256, memoryMiB: 512, desiredCount: 5, minCount: 1, maxCount: 2 } } })),
    ).toMatch(/booking desiredCount 5 must lie within 1-2/);
    expect(problems(base)).toBe('');
  });
});
