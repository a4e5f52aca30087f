import { App } from 'aws-cdk-lib';
import { buildChairbookApp } from './app';
import { checkAwsSolutions, formatFindings } from './nag-check';

const app = new App();
buildChairbookApp(app);
// `-c nag=true`: run the cdk-nag AwsSolutions pack during synth too (the tests always do).
if (String(app.node.tryGetContext('nag')) === 'true') {
  const findings = checkAwsSolutions(app);
  if (findings.length > 0) console.error(formatFindings(findings));
  if (findings.some((finding) => finding.severity === 'error')) {
    throw new Error('cdk-nag: unacknowledged AwsSolutions errors (listed above)');
  }
}
app.synth();
