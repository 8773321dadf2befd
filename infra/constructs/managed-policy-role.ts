/**
 * An IAM role whose every grant lands in ONE customer-managed policy attached to it, instead of
 * the inline `DefaultPolicy` CDK normally creates. The HIPAA Security pack rejects inline
 * policies (IAMNoInlinePolicy): managed policies are versioned, can be reviewed on their own
 * and can be attached elsewhere for an investigation. The L2 grant methods (`grantInvoke`, the
 * X-Ray and logging statements of Lambda and Step Functions) all go through
 * `addToPrincipalPolicy`, so they end up here too.
 */
import { ManagedPolicy, Role, type AddToPrincipalPolicyResult, type PolicyStatement, type RoleProps } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export class ManagedPolicyRole extends Role {
  private managedPolicy?: ManagedPolicy;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id, props);
  }

  /** The role's policy; created with the first statement (an empty policy is invalid). */
  get policy(): ManagedPolicy | undefined {
    return this.managedPolicy;
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.managedPolicy ??= new ManagedPolicy(this, 'Policy', {
      description: `Least-privilege permissions of ${this.node.path}`,
      roles: [this],
    });
    this.managedPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.managedPolicy };
  }
}
