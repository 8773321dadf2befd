/** The prod stage, synthesized once: `npx cdk synth -c stage=prod`. */
import { describeMoodRx } from './support/moodrx-suite.js';

describeMoodRx('prod');
