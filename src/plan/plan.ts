import * as path from 'node:path';
import type { Facts } from '../context.js';
import { UserError } from '../errors.js';
import type { Inputs } from '../inputs.js';
import type { ImageRef } from './images.js';
import { ociLabels } from './labels.js';
import { rulePaths } from './rule-paths.js';
import { applyRule, describeRule } from './rules.js';
import { dedupeTags, defaultTags, isValidTag, releaseVersion, type TagDecision } from './tags.js';

/** One image build: a Dockerfile, its context, and the tags it gets. */
export interface BuildPlan {
  /** "default" or the rule that asked for it. */
  name: string;
  context: string;
  file: string;
  tags: TagDecision[];
  labels: Record<string, string>;
  version: string;
}

export interface PushDecision {
  enabled: boolean;
  reason: string;
}

/** Everything the run will do, decided before any work. A pure function of (facts, inputs). */
export interface Plan {
  images: ImageRef[];
  builds: BuildPlan[];
  push: PushDecision;
  /** Why nothing is built, when `builds` is empty. */
  skipped?: string;
}

export function refsFor(images: ImageRef[], tags: TagDecision[]): string[] {
  return images.flatMap((image) => tags.map((t) => `${image.name}:${t.tag}`));
}

export function decidePush(facts: Facts, inputs: Inputs): PushDecision {
  if (inputs.push === 'false') return { enabled: false, reason: "push: false" };
  if (facts.pr) {
    if (facts.pr.fork) {
      if (inputs.push === 'true') {
        throw new UserError(
          `Input 'push' is 'true' but this is a pull request from a fork (#${facts.pr.number}): forks get no registry credentials, so nothing can be pushed. Use push: auto to build and test fork pull requests without pushing.`,
        );
      }
      return { enabled: false, reason: `pull request #${facts.pr.number} comes from a fork: build and test only, never push` };
    }
    if (facts.pr.action === 'closed') return { enabled: false, reason: `pull request #${facts.pr.number} was closed` };
    if (inputs.push === 'true') return { enabled: true, reason: 'push: true' };
    if (inputs.prPreview) return { enabled: true, reason: `pr-preview: true for pull request #${facts.pr.number}` };
    return { enabled: false, reason: `pull request #${facts.pr.number}: build and test only (set pr-preview: true to push a preview image)` };
  }
  if (inputs.push === 'true') return { enabled: true, reason: 'push: true' };
  return { enabled: true, reason: `${facts.eventName} event on ${facts.ref || 'this ref'}` };
}

function versionOf(facts: Facts, tags: TagDecision[]): string {
  if (facts.tag !== undefined) {
    const v = releaseVersion(facts.tag);
    if (v) return v.version;
  }
  return tags.find((t) => t.tag !== 'latest')?.tag ?? tags[0]?.tag ?? '';
}

function checkTags(tags: TagDecision[], source: string): TagDecision[] {
  for (const t of tags) {
    if (!isValidTag(t.tag)) {
      throw new UserError(
        `${source} produced the tag '${t.tag}', which Docker does not accept: a tag is 1-128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'.`,
      );
    }
  }
  return dedupeTags(tags);
}

export function makePlan(facts: Facts, inputs: Inputs): Plan {
  const push = decidePush(facts, inputs);
  const defaultFile = inputs.file || path.join(inputs.context, 'Dockerfile');
  const build = (name: string, context: string, file: string, tags: TagDecision[]): BuildPlan => {
    const version = versionOf(facts, tags);
    return { name, context, file, tags, version, labels: ociLabels(facts, version, inputs.labels) };
  };

  if (inputs.rules.length > 0 && !facts.pr && (facts.refType === 'branch' || facts.refType === 'tag')) {
    const refName = (facts.refType === 'branch' ? facts.branch : facts.tag) ?? '';
    const builds: BuildPlan[] = [];
    for (const rule of inputs.rules) {
      if (!rule.autobuild) continue;
      const tags = applyRule(rule, facts.refType, refName);
      if (!tags) continue;
      const name = describeRule(rule);
      if (tags.length === 0) throw new UserError(`Input 'rules': ${name} produced no tag for ${facts.refType} '${refName}'.`);
      const { context, file } = rulePaths(facts.workspace, rule, { context: inputs.context, file: defaultFile });
      builds.push(build(name, context, file, checkTags(tags.map((tag) => ({ tag, why: name })), name)));
    }
    if (builds.length === 0) {
      return { images: inputs.images, builds, push, skipped: `no rule in 'rules' matches ${facts.refType} '${refName}'` };
    }
    return { images: inputs.images, builds, push };
  }

  const tags = checkTags(defaultTags(facts), 'The default tag rules');
  if (tags.length === 0) throw new UserError(`No tag rule produced a tag for ${facts.ref}.`);
  return { images: inputs.images, builds: [build('default', inputs.context, defaultFile, tags)], push };
}
