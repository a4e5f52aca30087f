import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { checkAwsSolutions, formatFindings } from './nag-check';
import { buildTestApp, TEST_CONTEXT } from './testing/build-test-app';

/** Every acknowledgement recorded in the tree, with where it was made. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  const visit = (node: IConstruct) => {
    for (const entry of node.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data) {
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          found.push({ path: node.node.path, id: id.replace(/^annotation::/i, ''), reason: String(reason) });
        }
      }
    }
    node.node.children.forEach(visit);
  };
  visit(root);
  return found;
}

describe('cdk-nag AwsSolutions', () => {
  // Staging without a domain, production with one: both listener shapes are checked.
  const withDomain = buildTestApp(TEST_CONTEXT);
  const findings = checkAwsSolutions(withDomain.app);

  it('reports no unacknowledged errors (or warnings) in any stack', () => {
    if (findings.length > 0) console.error(formatFindings(findings));
    expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('gives every acknowledgement a written reason', () => {
    // CDK records acknowledgements of its own (e.g. CloudFormation-Validate rules); ours are cdk-nag's.
    const recorded = acknowledgements(withDomain.app).filter(({ id }) => id.startsWith('AwsSolutions-'));
    expect(recorded.length).toBeGreaterThan(10);
    for (const { id, reason } of recorded) {
      expect(id).toMatch(/^AwsSolutions-[A-Z0-9]+(\[.+\])?$/);
      expect(reason.length).toBeGreaterThan(40);
    }
  });

  it('never acknowledges a rule for a whole stack', () => {
    const stackPaths = new Set(withDomain.app.node.children.filter(Stack.isStack).map((stack) => stack.node.path));
    for (const { path } of acknowledgements(withDomain.app)) expect(stackPaths.has(path)).toBe(false);
  });
});
