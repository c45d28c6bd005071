import * as path from 'node:path';
import type { Facts } from '../context.js';
import { UserError } from '../errors.js';
import type { Inputs } from '../inputs.js';
import { defaultTags } from './defaults.js';
import type { ImageRef } from './images.js';
import { ociLabels } from './labels.js';
import { rulePaths } from './rule-paths.js';
import { DEFAULT_FLAVOR, evaluateTagRules, finish, type Flavor, type TagResult, type TagRule } from './metadata.js';
import { keepPreviewTagsOnly, previewTagPattern, renameReservedBranchTags } from './reserved.js';
import { applyRuleTags, describeRule, matchRule, type BuildRule } from './rules.js';
import { releaseVersion, type ReleaseInfo } from './semver.js';
import { dedupeTags, isValidTag, shortSha, TAG_RULE, type TagDecision } from './tags.js';
import { decideTrust, untrusted, type HostCode, type Trust } from './trust.js';
import type { Distribution } from './distribute.js';

/** One image build: a Dockerfile, its context, and the tags it gets. */
export interface BuildPlan {
  /** "default" or the rule that asked for it. */
  name: string;
  context: string;
  file: string;
  tags: TagDecision[];
  labels: Record<string, string>;
  version: string;
  /** The OCI keys autobuild writes, for manifest annotations (labels without the user's own). */
  annotations?: Record<string, string>;
  /** Set when the build releases a version: the push phase guards its moving tags. */
  release?: ReleaseInfo;
}

export interface PushDecision {
  enabled: boolean;
  reason: string;
}

/** Everything the run will do, decided before any work. A pure function of (facts, inputs, now). */
export interface Plan {
  images: ImageRef[];
  builds: BuildPlan[];
  push: PushDecision;
  /** Who wrote the code being built, and what follows from it (trust.ts). */
  trust: Trust;
  /** Whether the repository's hooks/ and autotest compose files run on the runner. */
  hostCode: HostCode;
  /** Why nothing is built, when `builds` is empty. */
  skipped?: string;
  /** Where the tags came from: "defaults", "tags", "rules", or "rules, then tags". */
  tagSource?: string;
  /** Things the user should know about the decision (printed with the plan). */
  notes?: string[];
  /** A closed pull request with pr-preview: remove its preview tags instead of building. */
  cleanup?: PreviewCleanup;
  /** This job builds a share of the image's platforms; the others are other jobs' (input distribute). */
  distribution?: Distribution;
}

/** Which tags of each image are a closed pull request's preview. */
export interface PreviewCleanup {
  pr: number;
  /** Matches the preview tags a push of this pull request gives (see previewTagPattern). */
  pattern: RegExp;
}

/** The preview tags of a pull request, what its clean-up deletes (reserved.ts). */
export { previewTagPattern };

/** The part of the inputs the plan reads. */
export type PlanInputs = Pick<Inputs, 'images' | 'context' | 'file' | 'labels' | 'rules' | 'push' | 'prPreview'> & Partial<Pick<Inputs, 'allowUntrustedHostCode' | 'secrets' | 'platforms' | 'distribute' | 'rebuild'>> & {
  tags: TagRule[];
  flavor: Flavor;
};

export function refsFor(images: ImageRef[], tags: TagDecision[]): string[] {
  return images.flatMap((image) => tags.map((t) => `${image.name}:${t.tag}`));
}

export function decidePush(facts: Facts, inputs: Pick<Inputs, 'push' | 'prPreview'>, trust: Trust = decideTrust(facts)): PushDecision {
  if (inputs.push === 'false') return { enabled: false, reason: "push: false" };
  if (trust.author === 'fork') {
    if (inputs.push === 'true') {
      throw new UserError(
        `Input 'push' is 'true' but the code comes from a fork (${trust.why}): autobuild never pushes a fork's code, whatever credentials the event has. Use push: auto to build and test it without pushing.`,
      );
    }
    return { enabled: false, reason: `${trust.why}: build and test only, never push` };
  }
  if (inputs.push === 'true') {
    if (facts.pr?.action === 'closed') return { enabled: false, reason: `pull request #${facts.pr.number} was closed` };
    return { enabled: true, reason: 'push: true' };
  }
  if (!trust.autoPush) return { enabled: false, reason: `${facts.eventName} event: build and test only, ${trust.noPush ?? 'not an event that publishes'} (push: true pushes)` };
  if (facts.pr) {
    if (facts.pr.action === 'closed') return { enabled: false, reason: `pull request #${facts.pr.number} was closed` };
    if (inputs.prPreview) return { enabled: true, reason: `pr-preview: true for pull request #${facts.pr.number}` };
    return { enabled: false, reason: `pull request #${facts.pr.number}: build and test only (set pr-preview: true to push a preview image)` };
  }
  return { enabled: true, reason: `${facts.eventName} event on ${facts.ref || 'this ref'}` };
}

function checkTags(tags: TagDecision[]): TagDecision[] {
  for (const t of tags) {
    if (!isValidTag(t.tag)) {
      // Every producer sanitises; reaching this is a bug, but it must never reach docker.
      throw new UserError(`${t.why} produced the tag '${t.tag}', which Docker does not accept: a tag is ${TAG_RULE}.`);
    }
  }
  return dedupeTags(tags);
}

function eventWords(facts: Facts): string {
  if (facts.pr) return `pull request #${facts.pr.number}`;
  if (facts.refType === 'tag') return `tag '${facts.tag}'`;
  if (facts.refType === 'branch') return `${facts.eventName} on branch '${facts.branch}'`;
  return `${facts.eventName} on ${facts.ref || '(no ref)'}`;
}

/** Tags for one rule build: the rule's comma list, and, for a release tag, which of them move. */
function ruleTags(rule: BuildRule, facts: Facts, refType: 'branch' | 'tag', refName: string, flavor: Flavor): TagResult | undefined {
  const entries = applyRuleTags(rule, refType, refName);
  if (!entries) return undefined;
  const why = describeRule(rule);
  if (entries.length === 0) {
    throw new UserError(`Input 'rules': ${why} matches ${refType} '${refName}' but its tag template gave no tag (every entry was empty).`);
  }
  const v = refType === 'tag' ? releaseVersion(refName) : undefined;
  const tags: TagDecision[] = entries.map(({ tag, fromBranch }) => {
    const d: TagDecision = { tag, why };
    if (fromBranch) d.fromBranch = true;
    if (v && tag === 'latest') d.moves = 'latest';
    else if (v && v.prerelease.length === 0 && tag === `${v.major}.${v.minor}`) d.moves = 'minor';
    else if (v && v.prerelease.length === 0 && tag === `${v.major}`) d.moves = 'major';
    return d;
  });
  const version = v?.version ?? tags.find((t) => t.tag !== 'latest')?.tag ?? tags[0]!.tag;
  return finish(dedupeTags(tags), version, flavor, [], v ? { text: v.version, scheme: 'semver', prerelease: v.prerelease.length > 0 } : undefined);
}

/**
 * The `tags` rules, or the defaults when there are none. A scheduled run with `rebuild:
 * base-changed` is a rebuild of the default branch (Docker Hub's repository link): it gets the
 * tags a push to the default branch gets, not `nightly`.
 */
function tagResult(facts: Facts, inputs: PlanInputs, now: Date): TagResult {
  const tagFacts = rebuildsDefaultBranch(facts, inputs) ? { ...facts, eventName: 'push' } : facts;
  return inputs.tags.length ? evaluateTagRules(tagFacts, inputs.tags, inputs.flavor, now) : defaultTags(tagFacts, inputs.flavor, now);
}

/** A scheduled run with `rebuild: base-changed`, on the default branch (where GitHub runs schedules). */
export function rebuildsDefaultBranch(facts: Facts, inputs: Pick<PlanInputs, 'rebuild'>): boolean {
  return inputs.rebuild === 'base-changed' && facts.eventName === 'schedule' && facts.isDefaultBranch;
}

export function makePlan(facts: Facts, inputs: PlanInputs, now: Date = new Date()): Plan {
  const plan = planBuilds(facts, inputs, now);
  // One job's share of a distributed image (input distribute): slicing is part of the plan.
  const share = inputs.distribute ?? [];
  return share.length ? { ...plan, distribution: { platforms: inputs.platforms ?? [], share } } : plan;
}

function planBuilds(facts: Facts, inputs: PlanInputs, now: Date): Plan {
  const trust = decideTrust(facts);
  const hostCode: HostCode = !untrusted(trust) ? 'run' : inputs.allowUntrustedHostCode ? 'allowed' : 'off';
  const push = decidePush(facts, inputs, trust);
  if (facts.pr?.action === 'closed') {
    // Nothing to build for a closed pull request; its preview, if any, is removed.
    const pr = facts.pr.number;
    const cleanup = inputs.prPreview && !untrusted(trust) ? { pr, pattern: previewTagPattern(pr) } : undefined;
    return {
      images: inputs.images,
      trust,
      hostCode,
      builds: [],
      push,
      skipped: `pull request #${pr} was closed${cleanup ? ': removing its preview tags' : ''}`,
      cleanup,
    };
  }
  const notes: string[] = [];
  if (rebuildsDefaultBranch(facts, inputs)) notes.push(`rebuild: base-changed on a schedule: the tags of the default branch '${facts.defaultBranch}' (not nightly), built only when the commit or a base image moved since they were pushed`);
  // A Dockerfile that is not a writer's could send a build secret anywhere (RUN --mount=type=secret):
  // the build gets none (main.ts leaves them out).
  if (untrusted(trust) && inputs.secrets?.length) {
    notes.push(`the build secrets of 'secrets' are not given to this build: ${trust.why}, and its Dockerfile could send them anywhere`);
  }
  const builds: BuildPlan[] = [];
  const flavor = inputs.flavor ?? DEFAULT_FLAVOR;
  const fallback = { context: inputs.context, file: inputs.file || path.join(inputs.context, 'Dockerfile') };
  const build = (name: string, context: string, file: string, result: TagResult): BuildPlan => {
    result = renameReservedBranchTags(facts, result, flavor, now, notes);
    const tags = checkTags(result.tags);
    const { labels, annotations } = ociLabels(facts, result.version, inputs.labels, now);
    const b: BuildPlan = { name, context, file, tags, version: result.version, labels, annotations };
    if (result.release && tags.some((t) => t.moves)) b.release = result.release;
    return b;
  };
  const defaultBuild = (result: TagResult): void => {
    notes.push(...result.notes);
    if (result.tags.length === 0) {
      if (push.enabled) {
        throw new UserError(
          `Input 'tags': no line gives a tag for ${eventWords(facts)}, so there is nothing to push (lines, by priority: ${inputs.tags.map((r) => `${r.line}: ${r.text}`).join('; ')}). Add a line for this event, e.g. type=ref,event=branch, type=ref,event=pr or type=sha.`,
        );
      }
      // Nothing will be pushed: a local name is enough to build and test the image.
      result = { ...result, tags: [{ tag: `sha-${shortSha(facts.sha)}`, why: 'no line in tags gives a tag for this event; used as a local name only (nothing is pushed)' }] };
      notes.push(`no line in 'tags' gives a tag for ${eventWords(facts)}; the image is built and tested as sha-${shortSha(facts.sha)} and not pushed`);
    }
    builds.push(build('default', fallback.context, fallback.file, result));
  };
  const tagSource = inputs.tags.length ? 'tags' : 'defaults';

  if (inputs.rules.length > 0) {
    const refType = facts.refType === 'branch' || facts.refType === 'tag' ? facts.refType : undefined;
    if (facts.pr) {
      // A pull request builds (and tests) what each rule on its target branch would build, tagged pr-<N>.
      const base = facts.baseRef ?? '';
      const matching = inputs.rules.filter((r) => r.autobuild && matchRule(r, 'branch', base));
      if (matching.length) {
        matching.forEach((rule, i) => {
          const tag = i === 0 ? `pr-${facts.pr!.number}` : `pr-${facts.pr!.number}-rule${rule.index}`;
          const result: TagResult = { tags: [{ tag, why: `pull request #${facts.pr!.number} into '${base}', built as ${describeRule(rule)}` }], version: tag, notes: [] };
          const { context, file } = rulePaths(facts.workspace, rule, fallback);
          builds.push(build(describeRule(rule), context, file, result));
        });
        return refuseSharedTags(facts, { images: inputs.images, builds, push, trust, hostCode, tagSource: 'rules', notes });
      }
      notes.push(`no rule in 'rules' builds the target branch '${base}': the pull request is built from 'context'/'file' with ${tagSource === 'tags' ? "the 'tags' lines" : 'the default tags'}`);
      defaultBuild(tagResult(facts, inputs, now));
      return refuseSharedTags(facts, { images: inputs.images, builds, push, trust, hostCode, tagSource, notes });
    }
    if (refType) {
      const refName = (refType === 'branch' ? facts.branch : facts.tag) ?? '';
      for (const rule of inputs.rules) {
        if (!rule.autobuild) continue;
        const result = ruleTags(rule, facts, refType, refName, flavor);
        if (!result) continue;
        const { context, file } = rulePaths(facts.workspace, rule, fallback);
        builds.push(build(describeRule(rule), context, file, result));
      }
      if (builds.length) return refuseSharedTags(facts, { images: inputs.images, builds, push, trust, hostCode, tagSource: 'rules', notes });
      if (!inputs.tags.length) {
        return { images: inputs.images, builds, push, trust, hostCode, tagSource: 'rules', notes, skipped: `no rule in 'rules' matches ${refType} '${refName}'` };
      }
      notes.push(`no rule in 'rules' matches ${refType} '${refName}': the 'tags' lines decide`);
      defaultBuild(tagResult(facts, inputs, now));
      return refuseSharedTags(facts, { images: inputs.images, builds, push, trust, hostCode, tagSource: 'rules, then tags', notes });
    }
  }

  defaultBuild(tagResult(facts, inputs, now));
  return refuseSharedTags(facts, { images: inputs.images, builds, push, trust, hostCode, tagSource, notes });
}

/**
 * Refuses a tag two builds would both push: each tag names one image. Then a pull request keeps
 * every tag but its preview tags from the registry (reserved.ts).
 */
function refuseSharedTags(facts: Facts, plan: Plan): Plan {
  const owner = new Map<string, string>();
  for (const b of plan.builds) {
    for (const t of b.tags) {
      const other = owner.get(t.tag);
      if (other && other !== b.name) {
        throw new UserError(
          `Input 'rules': ${other} and ${b.name} both give the tag '${t.tag}' for ${eventWords(facts)}; a tag can name only one image. Change one of the tag templates.`,
        );
      }
      owner.set(t.tag, b.name);
    }
  }
  return keepPreviewTagsOnly(facts, plan);
}
