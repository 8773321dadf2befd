/** The dev stage, synthesized once: `npx cdk synth -c stage=dev`. */
import { describeMoodRx } from './support/moodrx-suite.js';

describeMoodRx('dev');
