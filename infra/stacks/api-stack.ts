/**
 * The REST API, built from THE route table (shared/http/routes.ts): each route's function (in
 * the route functions stack, infra/stacks/route-functions-stack.ts) behind a Lambda proxy integration, a Cognito authorizer over both user pools on every
 * non-public route (clients send the ACCESS token, `Authorization: Bearer <accessToken>`),
 * access logs, X-Ray, stage throttling, problem+json gateway responses, and a WAF web ACL.
 * CORS: every resource of the route table answers the OPTIONS preflight with a MOCK integration
 * (no authorizer, no function) for the stage's allowed origins (config `corsOrigins`); the
 * functions add the headers to their own answers from CORS_ALLOWED_ORIGINS.
 * Roles are checked in the handlers (shared/http/api-handler.ts); the authorizer only proves
 * the caller holds a valid token of one of our pools.
 */
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
  type Method,
  type MethodDeploymentOptions,
} from 'aws-cdk-lib/aws-apigateway';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { problem, SECURITY_HEADERS } from '../../shared/http/problem.js';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS } from '../../shared/http/cors.js';
import { ROUTES, type RouteDefinition } from '../../shared/http/routes.js';
import type { StageConfig } from '../config.js';
import type { AppBindings } from '../constructs/app-function.js';
import { encryptedLogGroup } from '../constructs/logs-key.js';
import { addProblemGatewayResponses } from '../constructs/problem-gateway-responses.js';
import { pascal, resourceName } from '../naming.js';

/** The scope every Cognito access token carries; an ID token has none, so it is refused. */
export const ACCESS_TOKEN_SCOPE = 'aws.cognito.signin.user.admin';

export interface ApiStackProps extends StackProps {
  readonly config: StageConfig;
  readonly bindings: AppBindings;
}

export class ApiStack extends Stack {
  readonly api: RestApi;
  readonly apiName: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, bindings } = props;
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const retention = config.logRetentionDays as RetentionDays;
    this.apiName = resourceName(config.stage, 'api');

    const accessLogs = encryptedLogGroup(this, 'AccessLogs', { retention, removalPolicy });
    this.api = new RestApi(this, 'Api', {
      restApiName: this.apiName,
      description: 'MoodRx API (routes: shared/http/routes.ts)',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      failOnWarnings: true,
      deployOptions: {
        stageName: config.stage,
        tracingEnabled: true,
        metricsEnabled: true,
        // Execution logs of failures only, and never request or response bodies: bodies carry
        // passwords, tokens and health data.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: config.apiThrottling.rateLimit,
        throttlingBurstLimit: config.apiThrottling.burstLimit,
        methodOptions: authMethodThrottling(config),
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            requestTime: AccessLogField.contextRequestTime(),
            ip: AccessLogField.contextIdentitySourceIp(),
            httpMethod: AccessLogField.contextHttpMethod(),
            resourcePath: AccessLogField.contextResourcePath(),
            protocol: AccessLogField.contextProtocol(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            responseLatency: AccessLogField.contextResponseLatency(),
            integrationLatency: AccessLogField.contextIntegrationLatency(),
            errorType: AccessLogField.contextErrorResponseType(),
            wafStatus: AccessLogField.contextWafResponseCode(),
            xrayTraceId: AccessLogField.contextXrayTraceId(),
          }),
        ),
      },
    });
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level role API Gateway assumes to write execution logs uses the AWS-managed policy made for it; only apigateway.amazonaws.com can assume it.',
      },
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Every handler validates its request with the route table\'s zod schemas (unknown fields rejected, per-field errors, 64 KB body limit) and answers problem+json; API Gateway models would duplicate them and answer in another format.',
      },
      {
        id: 'HIPAA.Security-APIGWCacheEnabledAndEncrypted',
        reason:
          'Caching is off on purpose: responses are personal (profile, care data) and marked Cache-Control: no-store; a stage cache could serve one person\'s data to another.',
      },
      {
        id: 'HIPAA.Security-APIGWSSLEnabled',
        reason:
          'A stage client certificate lets an HTTP backend authenticate API Gateway; every integration here is a Lambda function invoked through IAM, so there is no HTTP backend to present it to.',
      },
    );

    const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      authorizerName: resourceName(config.stage, 'cognito'),
      cognitoUserPools: [need(bindings.clientPool).pool, need(bindings.staffPool).pool],
      identitySource: 'method.request.header.Authorization',
      resultsCacheTtl: Duration.minutes(5),
    });

    for (const route of ROUTES) {
      // The route's function (RouteFunctionsStack), by its deterministic name: no export.
      const fn = LambdaFunction.fromFunctionAttributes(this, `${pascal(route.id)}Function`, {
        functionArn: Stack.of(this).formatArn({ service: 'lambda', resource: 'function', resourceName: resourceName(config.stage, route.id), arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        // Same account and region: the invoke permission is created here, next to its method.
        sameEnvironment: true,
      });
      const integration = new LambdaIntegration(fn, { proxy: true, allowTestInvoke: false });
      const resource = this.api.root.resourceForPath(route.path);
      const method: Method =
        route.access === 'public'
          ? resource.addMethod(route.method, integration, { operationName: route.id, authorizationType: AuthorizationType.NONE })
          : resource.addMethod(route.method, integration, {
              operationName: route.id,
              authorizer,
              authorizationType: AuthorizationType.COGNITO,
              authorizationScopes: [ACCESS_TOKEN_SCOPE],
            });
      if (route.access === 'public') {
        const reason = `${route.method} ${route.path} is public by design (route table: access 'public'): it is how a person without an account or a token signs up, signs in or reads public documents; the handler validates the request and the WAF and throttling apply.`;
        Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason }, { id: 'AwsSolutions-COG4', reason });
      }
    }

    this.corsPreflights(config);
    addProblemGatewayResponses(this.api, config.corsOrigins as [string, ...string[]]);
    this.webAcl(config, retention, removalPolicy);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL; routes start with v1/' });
  }

  /**
   * One OPTIONS method per resource of the route table. CDK's preflight echoes the Origin when
   * it is one of the allowed origins (a mapping template), and otherwise names the first one,
   * which a browser on another origin refuses. No Access-Control-Allow-Credentials: the API
   * takes bearer tokens, not cookies.
   */
  private corsPreflights(config: StageConfig): void {
    const methodsByPath = new Map<string, string[]>();
    for (const route of ROUTES) methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
    for (const [path, methods] of methodsByPath) {
      // cdk-nag's APIG4/COG4 do not flag OPTIONS methods: nothing to acknowledge (the suite
      // refuses acknowledgements of findings that do not exist).
      this.api.root.resourceForPath(path).addCorsPreflight({
        allowOrigins: [...config.corsOrigins],
        allowMethods: [...methods, 'OPTIONS'],
        allowHeaders: [...CORS_ALLOWED_HEADERS],
        exposeHeaders: [...CORS_EXPOSED_HEADERS],
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
        allowCredentials: false,
        statusCode: 204,
      });
    }
  }

  private webAcl(config: StageConfig, retention: RetentionDays, removalPolicy: RemovalPolicy): void {
    const managed = (name: string, priority: number, ruleActionOverrides?: CfnWebACL.RuleActionOverrideProperty[]): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ...(ruleActionOverrides ? { ruleActionOverrides } : {}) } },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: false },
    });
    const acl = new CfnWebACL(this, 'WebAcl', {
      name: resourceName(config.stage, 'api'),
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      // Sampled requests would keep request headers (bearer tokens) in the WAF console: off.
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: resourceName(config.stage, 'api-waf'), sampledRequestsEnabled: false },
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: TOO_MANY_REQUESTS_ACTION,
          statement: { rateBasedStatement: { limit: config.wafRateLimitPer5Min, aggregateKeyType: 'IP', evaluationWindowSec: RATE_WINDOW_SECONDS } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'RateLimitPerIp', sampledRequestsEnabled: false },
        },
        managed('AWSManagedRulesAmazonIpReputationList', 1),
        // The handlers answer 413 above 64 KB with a problem document; the common rule set's
        // 8 KB body rule would turn legitimate 8-64 KB requests into opaque 403s, so it counts.
        managed('AWSManagedRulesCommonRuleSet', 2, [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 3),
        authRateRule(config, 4),
      ],
      customResponseBodies: { [TOO_MANY_REQUESTS_BODY_KEY]: { contentType: 'APPLICATION_JSON', content: tooManyRequestsBody() } },
    });
    const association = new CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
    association.node.addDependency(this.api.deploymentStage);

    // Blocked and counted requests only (allowed traffic is in the access logs), without the
    // Authorization header. WAF requires the `aws-waf-logs-` prefix and the ARN without `:*`.
    const wafLogGroupName = `aws-waf-logs-${resourceName(config.stage, 'api')}`;
    const wafLogs = encryptedLogGroup(this, 'WafLogs', { logGroupName: wafLogGroupName, retention, removalPolicy });
    const logging = new CfnLoggingConfiguration(this, 'WebAclLogging', {
      resourceArn: acl.attrArn,
      logDestinationConfigs: [this.formatArn({ service: 'logs', resource: 'log-group', resourceName: wafLogGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      },
    });
    logging.node.addDependency(wafLogs);
  }
}

/** Sign-in and signup: the routes password guessing, credential stuffing and account farming use. */
export function isAuthRoute(route: Pick<RouteDefinition, 'path'>): boolean {
  return route.path.startsWith('/v1/auth/') || route.path === '/v1/signup' || route.path.startsWith('/v1/signup/');
}

/** Per-method throttling of the sign-in and signup routes, below the stage's (infra/config.ts). */
function authMethodThrottling(config: StageConfig): Record<string, MethodDeploymentOptions> {
  return Object.fromEntries(
    ROUTES.filter(isAuthRoute).map((route) => [
      `${route.path}/${route.method}`,
      {
        throttlingRateLimit: config.authThrottling.rateLimit,
        throttlingBurstLimit: config.authThrottling.burstLimit,
        // A method's settings replace the stage's for that method: keep the same logging.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
      },
    ]),
  );
}

/** WAF rate-based rules count over this window; a blocked IP is let through once it falls below. */
const RATE_WINDOW_SECONDS = 300;
const TOO_MANY_REQUESTS_BODY_KEY = 'TooManyRequests';

/**
 * A rate block answers 429 with Retry-After and a problem document, like API Gateway's own
 * throttling (infra/constructs/problem-gateway-responses.ts), instead of WAF's bare 403. WAF
 * bodies are static: no request id, and WAF only sends `application/json` as the media type.
 */
const TOO_MANY_REQUESTS_ACTION: CfnWebACL.RuleActionProperty = {
  block: {
    customResponse: {
      responseCode: 429,
      customResponseBodyKey: TOO_MANY_REQUESTS_BODY_KEY,
      responseHeaders: [
        { name: 'Retry-After', value: String(RATE_WINDOW_SECONDS) },
        ...Object.entries(SECURITY_HEADERS).map(([name, value]) => ({ name, value })),
      ],
    },
  },
};

export function tooManyRequestsBody(): string {
  return JSON.stringify(
    problem('too_many_requests', `Too many requests from your network. Try again in ${RATE_WINDOW_SECONDS / 60} minutes.`, ''),
  );
}

/**
 * A tighter per-IP limit on sign-in and signup. WAF sees the path as sent: with the stage in
 * front on the execute-api URL (`/dev/v1/auth/login`), without it behind a custom domain; both
 * are matched, after URL decoding and path normalization (`//v1/./auth` is `/v1/auth`).
 */
function authRateRule(config: StageConfig, priority: number): CfnWebACL.RuleProperty {
  const prefixes = ['/v1/auth/', '/v1/signup'].flatMap((prefix) => [prefix, `/${config.stage}${prefix}`]);
  const startsWith = (prefix: string): CfnWebACL.StatementProperty => ({
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: 'STARTS_WITH',
      searchString: prefix,
      textTransformations: [
        { priority: 0, type: 'URL_DECODE' },
        { priority: 1, type: 'NORMALIZE_PATH' },
        { priority: 2, type: 'LOWERCASE' },
      ],
    },
  });
  return {
    name: 'AuthRateLimitPerIp',
    priority,
    action: TOO_MANY_REQUESTS_ACTION,
    statement: {
      rateBasedStatement: {
        limit: config.wafAuthRateLimitPer5Min,
        aggregateKeyType: 'IP',
        evaluationWindowSec: RATE_WINDOW_SECONDS,
        scopeDownStatement: { orStatement: { statements: prefixes.map(startsWith) } },
      },
    },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'AuthRateLimitPerIp', sampledRequestsEnabled: false },
  };
}

function need<T>(binding: T | undefined): T {
  if (binding === undefined) throw new Error('ApiStack needs both user pools in its bindings.');
  return binding;
}
