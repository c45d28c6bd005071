import { createHash } from 'node:crypto';
import * as semver from 'semver';
import type { Facts } from '../context.js';

/** One tag the plan decided on, and why. */
export interface TagDecision {
  tag: string;
  /** Which rule produced it, in words: "default: semver {{major}}". */
  why: string;
  /**
   * Set on tags that move between releases (`latest`, `1`, `1.2`) when made from a release
   * version: the push phase checks the registry so they never go backwards.
   */
  release?: string;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/**
 * Makes any ref name a valid Docker tag: runs of other characters become '-', lower case,
 * no leading '.' or '-', and names over 128 characters are cut with a stable hash suffix.
 */
export function sanitizeTag(name: string): string {
  let tag = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '');
  if (tag.length > 128) {
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
    tag = `${tag.slice(0, 119).replace(/[.-]+$/, '')}-${hash}`;
  }
  return tag || 'unnamed';
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** A git tag read as a release version: `v1.2.3` and `1.2.3` are; `1.2` and `latest` are not. */
export function releaseVersion(tag: string): semver.SemVer | undefined {
  const v = semver.parse(tag.replace(/^v/i, ''), { loose: false });
  return v ?? undefined;
}

/** Docker Hub defaults, used when neither `tags` nor `rules` is given. */
export function defaultTags(facts: Facts): TagDecision[] {
  const out: TagDecision[] = [];
  const sha: TagDecision = { tag: `sha-${shortSha(facts.sha)}`, why: 'default: commit sha' };
  if (facts.eventName === 'schedule') {
    return [{ tag: 'nightly', why: 'default: schedule' }];
  }
  if (facts.pr) {
    return [{ tag: `pr-${facts.pr.number}`, why: 'default: pull request number' }, { ...sha, why: 'default: pull request head sha' }];
  }
  if (facts.refType === 'tag' && facts.tag !== undefined) {
    const v = releaseVersion(facts.tag);
    if (v && v.prerelease.length === 0) {
      const version = v.version;
      out.push({ tag: version, why: 'default: semver {{version}}' });
      out.push({ tag: `${v.major}.${v.minor}`, why: 'default: semver {{major}}.{{minor}}', release: version });
      if (v.major > 0) out.push({ tag: `${v.major}`, why: 'default: semver {{major}}', release: version });
      out.push({ tag: 'latest', why: 'default: latest release', release: version });
    } else if (v) {
      out.push({ tag: v.version, why: 'default: semver pre-release {{version}} (no moving tags)' });
    } else {
      out.push({ tag: sanitizeTag(facts.tag), why: 'default: git tag name' });
    }
    out.push(sha);
    return out;
  }
  if (facts.refType === 'branch' && facts.branch !== undefined) {
    if (facts.isDefaultBranch) out.push({ tag: 'latest', why: `default: default branch (${facts.defaultBranch})` });
    out.push({ tag: sanitizeTag(facts.branch), why: 'default: branch name' });
    out.push(sha);
    return out;
  }
  return [sha];
}

/** Drops repeated tags, keeping the first decision for each. */
export function dedupeTags(tags: TagDecision[]): TagDecision[] {
  const seen = new Set<string>();
  return tags.filter((t) => (seen.has(t.tag) ? false : (seen.add(t.tag), true)));
}
