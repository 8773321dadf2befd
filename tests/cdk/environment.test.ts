/**
 * `cdk deploy` runs with an account and a region (CDK_DEFAULT_ACCOUNT/REGION), so ARNs in
 * policies carry them literally and cdk-nag names its findings with them: an acknowledgement
 * written for the environment-agnostic synth of the other CDK tests (`<AWS::Region>`) no longer
 * covers its finding there, and the error stops the synth. Both stages, synthesized as a
 * deployment would (the functions not bundled: the assets do not change a finding).
 */
import { describe, expect, it } from 'vitest';
import { synthesize, validationReport } from './support/synth.js';

const DEPLOYMENT = { account: '123456789012', region: 'us-east-1' };

describe.each(['dev', 'prod'] as const)('synthesized for an account and a region (%s)', (stage) => {
  it('leaves no cdk-nag finding unacknowledged (synth throws on an error; warnings in the report)', () => {
    const synth = synthesize(stage, { environment: DEPLOYMENT, bundle: false });
    expect(synth.config).toMatchObject({ account: DEPLOYMENT.account, region: DEPLOYMENT.region });
    expect(validationReport(synth).pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });
});
