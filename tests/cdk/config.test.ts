import { describe, expect, it } from 'vitest';
import { assertAuthLimitsBelowStage, loadStageConfig, StageConfigError } from '../../infra/config.js';

const context =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

describe('stage configuration', () => {
  it('defaults to dev, environment-agnostic, sending from the default address', () => {
    const config = loadStageConfig(context({}), {});
    expect(config).toMatchObject({ stage: 'dev', emailFrom: 'no-reply@moodrx.example', emailIdentity: 'no-reply@moodrx.example', deletionProtection: false });
    expect(config.account).toBeUndefined();
  });

  it('protects and retains prod data', () => {
    expect(loadStageConfig(context({ stage: 'prod' }), {})).toMatchObject({
      stage: 'prod',
      deletionProtection: true,
      removalPolicy: 'retain',
      threatProtection: 'enforced',
    });
  });

  it('refuses an unknown stage with a sentence naming the valid ones', () => {
    expect(() => loadStageConfig(context({ stage: 'staging' }), {})).toThrow(StageConfigError);
    expect(() => loadStageConfig(context({ stage: 'staging' }), {})).toThrow('Unknown stage "staging": use -c stage=dev or -c stage=prod.');
  });

  it('takes overrides from the command line and validates them', () => {
    const config = loadStageConfig(context({ stage: 'prod', emailFrom: 'care@example.org', emailIdentity: 'example.org', alarmEmail: 'ops@example.org' }), {});
    expect(config).toMatchObject({ emailFrom: 'care@example.org', emailIdentity: 'example.org', alarmEmail: 'ops@example.org' });
    expect(() => loadStageConfig(context({ emailFrom: 'not-an-address' }), {})).toThrow(/emailFrom/);
    expect(() => loadStageConfig(context({ appBaseUrl: 'http://insecure.example' }), {})).toThrow(/appBaseUrl/);
  });

  it('requires the SES identity to be the sender address or its domain', () => {
    expect(() => loadStageConfig(context({ emailFrom: 'care@example.org', emailIdentity: 'other.org' }), {})).toThrow(/must be emailFrom itself or its domain/);
  });

  it('takes the account and region the CDK CLI resolved', () => {
    expect(loadStageConfig(context({}), { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' })).toMatchObject({
      account: '123456789012',
      region: 'eu-west-1',
    });
  });

  it('allows browser apps from the stage web app only (CORS), overridable with exact https origins', () => {
    expect(loadStageConfig(context({}), {}).corsOrigins).toEqual(['https://dev.moodrx.example']);
    expect(loadStageConfig(context({ stage: 'prod' }), {}).corsOrigins).toEqual(['https://app.moodrx.example']);
    // The default follows appBaseUrl, as an origin (no path).
    expect(loadStageConfig(context({ appBaseUrl: 'https://care.example.org/app' }), {}).corsOrigins).toEqual(['https://care.example.org']);
    expect(loadStageConfig(context({ corsOrigins: 'https://app.example.org, https://admin.example.org' }), {}).corsOrigins).toEqual([
      'https://app.example.org',
      'https://admin.example.org',
    ]);
    for (const bad of ['*', 'http://app.example.org', 'https://*.example.org', 'https://app.example.org/', 'http://localhost:*', 'null']) {
      expect(() => loadStageConfig(context({ corsOrigins: bad }), {}), bad).toThrow(/corsOrigins/);
    }
  });
});

describe('sign-in and signup limits', () => {
  it('are tighter than the API-wide ones in every stage', () => {
    for (const stage of ['dev', 'prod']) {
      const config = loadStageConfig(context({ stage }), {});
      expect(config.wafAuthRateLimitPer5Min).toBeLessThan(config.wafRateLimitPer5Min);
      expect(config.authThrottling.rateLimit).toBeLessThan(config.apiThrottling.rateLimit);
      expect(config.authThrottling.burstLimit).toBeLessThan(config.apiThrottling.burstLimit);
    }
  });

  it('refuse a sign-in limit that is not below the API-wide one, with a sentence naming it', () => {
    const config = loadStageConfig(context({}), {});
    expect(() => assertAuthLimitsBelowStage({ ...config, wafAuthRateLimitPer5Min: config.wafRateLimitPer5Min })).toThrow(/wafAuthRateLimitPer5Min .* must be below/);
    expect(() => assertAuthLimitsBelowStage({ ...config, authThrottling: { ...config.authThrottling, burstLimit: config.apiThrottling.burstLimit } })).toThrow(
      /authThrottling .* must be below apiThrottling/,
    );
    expect(() => assertAuthLimitsBelowStage(config)).not.toThrow();
  });
});
