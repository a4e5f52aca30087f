import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildChairbookApp, type ChairbookApp } from '../app';
import { resolveConfig } from '../config/environments';

/** The context of cdk.json (feature flags included), so tests synthesise what `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/**
 * Builds every stack the way `cdk synth` does, from cdk.json plus `context`, ignoring the
 * process environment (a CI runner's GITHUB_REPOSITORY must not change what is asserted).
 */
export function buildTestApp(context: Record<string, unknown> = {}): ChairbookApp & { app: App } {
  const app = new App({ context: { ...cdkJsonContext(), ...context } });
  const config = resolveConfig({ context: (key) => app.node.tryGetContext(key), env: () => undefined });
  return { app, ...buildChairbookApp(app, config) };
}

/** One context for the stack tests: production with a domain and an SMS number, staging without. */
export const TEST_CONTEXT = {
  imageTag: '0123456789abcdef0123456789abcdef01234567',
  stagingAccount: '111111111111',
  productionAccount: '222222222222',
  productionDomain: 'app.chairbook.example',
  productionHostedZoneId: 'Z0123456789ABCDEFGHIJ',
  productionHostedZoneName: 'chairbook.example',
  productionAlertEmails: 'oncall@chairbook.example,owner@chairbook.example',
  productionAlertPhones: '+353861234567',
  githubRepository: 'chairbook/chairbook',
};
