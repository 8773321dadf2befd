/**
 * Email through SES (the functions use @aws-sdk/client-ses, the v1 API): the sender identity of
 * the stage config and a configuration set that refuses to deliver over plain SMTP, suppresses
 * addresses that bounced or complained, and publishes reputation metrics.
 *
 * Deploying creates the identity; SES then waits for it to be verified (a link mailed to the
 * address, or the DKIM CNAME records of a domain, printed as outputs), and a new account is in
 * the SES sandbox until AWS grants production access.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { ConfigurationSet, ConfigurationSetTlsPolicy, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.js';
import { sesConfigurationSetName } from '../naming.js';

export interface NotificationsStackProps extends StackProps {
  readonly config: StageConfig;
}

export class NotificationsStack extends Stack {
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;

  constructor(scope: Construct, id: string, props: NotificationsStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: sesConfigurationSetName(config.stage),
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      sendingEnabled: true,
    });

    const isAddress = config.emailIdentity.includes('@');
    this.identity = new EmailIdentity(this, 'SenderIdentity', {
      identity: isAddress ? Identity.email(config.emailIdentity) : Identity.domain(config.emailIdentity),
      configurationSet: this.configurationSet,
    });

    new CfnOutput(this, 'EmailIdentity', { value: config.emailIdentity, description: 'Verify this SES identity before sending' });
    new CfnOutput(this, 'SesConfigurationSet', { value: this.configurationSet.configurationSetName });
    if (!isAddress) {
      this.identity.dkimRecords.forEach((record, index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, { value: `${record.name} CNAME ${record.value}`, description: 'DNS record that verifies the domain' });
      });
    }
  }
}
