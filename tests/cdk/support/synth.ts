/**
 * Synthesizes the whole CDK app for one stage, the way `npx cdk synth -c stage=<stage>` does
 * (the context of cdk.json, real esbuild bundling, both cdk-nag packs), into a temporary
 * directory, and gives typed access to the templates. Each test file synthesizes once.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Validations, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { loadStageConfig, type Stage, type StageConfig } from '../../../infra/config.js';
import { REPO_ROOT } from '../../../infra/constructs/app-function.js';
import { createMoodRx, type MoodRxStacks } from '../../../infra/moodrx-app.js';

export type Concern = keyof MoodRxStacks;

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface Synthesized {
  readonly config: StageConfig;
  readonly app: App;
  readonly stacks: MoodRxStacks;
  readonly assembly: CloudAssembly;
  readonly outdir: string;
  readonly templates: Record<Concern, Template>;
}

export interface SynthesizeOptions {
  /**
   * The CDK_DEFAULT_ACCOUNT/REGION a `cdk deploy` runs with. Default none: an
   * environment-agnostic synth, the same on every machine.
   */
  readonly environment?: { account: string; region: string };
  /** Bundle the functions with esbuild (default true); off, the assets are placeholders (faster). */
  readonly bundle?: boolean;
}

export function synthesize(stage: Stage, options: SynthesizeOptions = {}): Synthesized {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  const outdir = mkdtempSync(path.join(tmpdir(), `moodrx-cdk-${stage}-`));
  const bundling = options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {};
  const app = new App({ outdir, context: { ...cdkJson.context, ...bundling, stage } });
  const environment = options.environment ? { CDK_DEFAULT_ACCOUNT: options.environment.account, CDK_DEFAULT_REGION: options.environment.region } : {};
  const config = loadStageConfig((key) => app.node.tryGetContext(key), environment);
  const stacks = createMoodRx(app, config);
  const assembly = app.synth();
  const templates = Object.fromEntries(
    (Object.entries(stacks) as [Concern, Stack][]).map(([concern, stack]) => [concern, Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template)]),
  ) as Record<Concern, Template>;
  return { config, app, stacks, assembly, outdir, templates };
}

/** `Template.findResources`, typed. */
export function find(template: Template, type: string, filter?: Record<string, unknown>): Record<string, CfnResourceJson> {
  return template.findResources(type, filter) as Record<string, CfnResourceJson>;
}

/** Resources of a type, across the given templates (all by default), as [logicalId, resource]. */
export function resourcesOf(synth: Synthesized, type: string, concerns?: readonly Concern[]): [string, CfnResourceJson][] {
  const selected = concerns ?? (Object.keys(synth.templates) as Concern[]);
  return selected.flatMap((concern) => Object.entries(find(synth.templates[concern], type)));
}

export function props(resource: CfnResourceJson): Record<string, unknown> {
  return resource.Properties ?? {};
}

/** The validation report CDK writes next to the templates (the cdk-nag findings that remain). */
export function validationReport(synth: Synthesized): { pluginReports: { violations?: unknown[] }[] } {
  return JSON.parse(readFileSync(path.join(synth.outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { violations?: unknown[] }[] };
}

export interface Finding {
  readonly rule: string;
  readonly path: string;
}

export interface Acknowledgement {
  readonly rule: string;
  readonly path: string;
  readonly reason: string;
}

/**
 * What both packs find when acknowledgements are ignored. cdk-nag 3 filters acknowledged
 * findings inside the pack (its private `isAcknowledged`); overriding it on our own pack
 * instances shows the raw findings, so a test can prove every acknowledgement still matches a
 * finding (none is stale or broader than needed).
 */
export function rawFindings(synth: Synthesized): Finding[] {
  const findings: Finding[] = [];
  for (const pack of [new AwsSolutionsChecks(), new HIPAASecurityChecks()] as NagPack[]) {
    Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
    for (const violation of pack.validateScope(synth.app).violations) {
      for (const resource of violation.violatingResources) findings.push({ rule: violation.ruleName, path: resource.constructPath ?? '' });
    }
  }
  return findings;
}

export function acknowledgements(synth: Synthesized): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  const visit = (construct: IConstruct): void => {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ rule: id.replace(/^[A-Za-z.]+::/, ''), path: construct.node.path, reason });
      }
    }
    construct.node.children.forEach(visit);
  };
  visit(synth.app);
  return found;
}

/** The acknowledgement that covers a finding: same rule, on the resource or an ancestor. */
export function coveringAcknowledgement(acks: readonly Acknowledgement[], finding: Finding): Acknowledgement | undefined {
  return acks.find((ack) => ack.rule === finding.rule && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`)));
}
