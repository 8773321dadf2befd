/**
 * Two Cognito user pools, because the sign-in rules differ:
 * - clients: email is the username, no self sign-up (signup goes through POST /v1/signup and
 *   AdminCreateUser inside the signup workflow), group `client`, optional TOTP MFA;
 * - staff: MFA required with an authenticator app (TOTP only), groups therapist, coordinator,
 *   supervisor, admin; staff accounts are created by an administrator.
 * Both use THE password policy (shared/domain/password-policy.ts) so that the API never accepts
 * a password a pool would refuse, and public app clients (no secret) for our own API's
 * USER_PASSWORD_AUTH flow.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolProps,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { PASSWORD_POLICY } from '../../shared/domain/password-policy.js';
import { STAFF_ROLES } from '../../shared/domain/roles.js';
import type { StageConfig } from '../config.js';
import { pascal, resourceName } from '../naming.js';

/** How long a staff member stays signed in without the password and TOTP again. */
export const STAFF_REFRESH_TOKEN_HOURS = 12;

export interface AuthStackProps extends StackProps {
  readonly config: StageConfig;
}

export interface PoolWithClient {
  readonly pool: UserPool;
  readonly client: UserPoolClient;
}

export class AuthStack extends Stack {
  readonly clientPool: PoolWithClient;
  readonly staffPool: PoolWithClient;

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);
    const { config } = props;

    const common: UserPoolProps = {
      signInAliases: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: false,
      autoVerify: { email: true },
      // An email change takes effect only once the new address is verified; until then the
      // verified one stays the sign-in email (issue 9, finding 11). Our API never changes it.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: PASSWORD_POLICY.minLength,
        requireUppercase: PASSWORD_POLICY.requireUppercase,
        requireLowercase: PASSWORD_POLICY.requireLowercase,
        requireDigits: PASSWORD_POLICY.requireDigits,
        requireSymbols: PASSWORD_POLICY.requireSymbols,
        tempPasswordValidity: Duration.days(PASSWORD_POLICY.temporaryPasswordValidityDays),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode:
        config.threatProtection === 'enforced' ? StandardThreatProtectionMode.FULL_FUNCTION : StandardThreatProtectionMode.AUDIT_ONLY,
      deletionProtection: config.deletionProtection,
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    };

    const clientPool = new UserPool(this, 'ClientUserPool', {
      ...common,
      userPoolName: resourceName(config.stage, 'clients'),
      // A client may add an authenticator app (POST /v1/me/mfa/setup and /verify); no SMS:
      // codes by text can be intercepted, and a text about MoodRx on a shared phone discloses care.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      // The signup request that created the identity: a retried CreateIdentity recognizes its
      // own user instead of mistaking it for someone else's (shared/use-cases/signup/create-identity.ts).
      customAttributes: { signupRequestId: new StringAttribute({ mutable: true, maxLen: 128 }) },
    });
    clientPool.addGroup('ClientGroup', { groupName: 'client', description: 'People in care' });
    Validations.of(clientPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'Clients sign in with email and password through POST /v1/auth/login, with an authenticator app (TOTP) if they turn it on (MFA optional); MFA is required in the staff pool, where clinicians and admins read health records. Threat protection (Plus plan) watches client sign-ins.',
    });

    const staffPool = new UserPool(this, 'StaffUserPool', {
      ...common,
      userPoolName: resourceName(config.stage, 'staff'),
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
    });
    for (const role of STAFF_ROLES) {
      staffPool.addGroup(`${pascal(role)}Group`, { groupName: role });
    }

    // Refresh tokens: a staff session reaches a whole caseload's health records, so it lasts a
    // working day (sign in again with password and TOTP each day); a client's reaches their own
    // record only, and a phone app that asks for the password every day gets abandoned or
    // written down, so it keeps 30 days. Both are revoked by POST /v1/auth/logout.
    this.clientPool = { pool: clientPool, client: this.appClient(clientPool, 'ClientAppClient', Duration.days(30)) };
    this.staffPool = { pool: staffPool, client: this.appClient(staffPool, 'StaffAppClient', Duration.hours(STAFF_REFRESH_TOKEN_HOURS)) };

    new CfnOutput(this, 'ClientUserPoolId', { value: clientPool.userPoolId });
    new CfnOutput(this, 'ClientUserPoolClientId', { value: this.clientPool.client.userPoolClientId });
    new CfnOutput(this, 'StaffUserPoolId', { value: staffPool.userPoolId });
    new CfnOutput(this, 'StaffUserPoolClientId', { value: this.staffPool.client.userPoolClientId });
  }

  /**
   * A public client for our API's password flow: no secret, no hosted UI, short access tokens.
   * A signed-in user can call Cognito directly with their access token, so what the app client
   * lets them write is what anyone can write about themselves: only `locale` (issue 9, finding
   * 11). Not email (the sign-in and the address we write to), not names, not
   * `custom:signupRequestId` (signup trusts it). One harmless attribute rather than an empty
   * list, because an app client without write attributes falls back to all writable ones.
   */
  private appClient(pool: UserPool, id: string, refreshTokenValidity: Duration): UserPoolClient {
    return pool.addClient(id, {
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
      generateSecret: false,
      authFlows: { userPassword: true },
      disableOAuth: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
  }
}
