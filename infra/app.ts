/**
 * `npx cdk synth -c stage=dev|prod` (cdk.json runs this file with tsx).
 */
import { App } from 'aws-cdk-lib';
import { loadStageConfig } from './config.js';
import { createMoodRx } from './moodrx-app.js';

const app = new App();
createMoodRx(app, loadStageConfig((key) => app.node.tryGetContext(key)));
app.synth();
