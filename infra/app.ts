/**
 * `npx cdk synth -c stage=dev|prod` (cdk.json runs this file with tsx).
 */
import { App } from 'aws-cdk-lib';
import { loadStageConfig, StageConfigError, type StageConfig } from './config.js';
import { createMoodRx } from './moodrx-app.js';

const app = new App();
let config: StageConfig;
try {
  config = loadStageConfig((key) => app.node.tryGetContext(key));
} catch (error) {
  // A configuration mistake is the operator's, not a bug: the sentence, without a stack trace.
  if (!(error instanceof StageConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
createMoodRx(app, config);
app.synth();
