import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface NagFinding {
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly paths: string[];
}

/**
 * Runs the cdk-nag AwsSolutions pack over a construct tree. Acknowledged findings
 * (see `acknowledge` in nag.ts) are not returned.
 */
export function checkAwsSolutions(scope: IConstruct): NagFinding[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope);
  return report.violations.map((violation) => ({
    rule: violation.ruleName,
    severity: violation.severity ?? 'error',
    description: violation.description,
    paths: violation.violatingResources.map((resource) => resource.constructPath ?? resource.resourceLogicalId ?? '?'),
  }));
}

export function formatFindings(findings: readonly NagFinding[]): string {
  return findings
    .map((finding) => `[${finding.severity}] ${finding.rule}: ${finding.description}\n  ${finding.paths.join('\n  ')}`)
    .join('\n');
}
