/**
 * The tags autobuild gives when neither `tags` nor `rules` is set: Docker Hub's behaviour
 * (the default branch is `latest`) plus semver fan-out, `sha-<7>`, `pr-<N>` and `nightly`. Pure.
 * A pull request gets only its preview tags, `pr-<N>` and `pr-<N>-<head7>`: a `sha-` tag of the
 * head commit would overwrite the one a branch or release build pushed for it.
 */
import type { Facts } from '../context.js';
import { expandFlavor, finish, DEFAULT_FLAVOR, FORCED_LATEST_WHY, PR_NEVER_MOVES, type Flavor, type TagResult } from './metadata.js';
import { releaseVersion } from './semver.js';
import { dedupeTags, sanitizeTag, shortSha, type TagDecision } from './tags.js';

export function defaultTags(facts: Facts, template: Flavor = DEFAULT_FLAVOR, now: Date = new Date()): TagResult {
  // {{...}} in the flavor's prefix and suffix, rendered as on the `tags` path.
  const flavor = expandFlavor(template, facts, now);
  const out: TagDecision[] = [];
  // The flavor's prefix and suffix go on every tag, as metadata-action puts them on every
  // value; `sha-` and `pr-` are those rules' own prefixes, so only the suffix is added there.
  const withFlavor = (name: string, ownPrefix?: string): string =>
    sanitizeTag(`${ownPrefix ?? flavor.prefix}${name}${flavor.suffix}`);
  const add = (name: string, why: string, ownPrefix?: string): void => {
    out.push({ tag: withFlavor(name, ownPrefix), why });
  };
  // No commit, no sha tag (a bare `sha-` would be pushed), as metadata-action's type=sha.
  const sha = (why: string): void => {
    if (facts.sha) add(shortSha(facts.sha), why, 'sha-');
  };
  let latest = false;
  let latestWhy = '';
  let rel: Parameters<typeof finish>[4];
  let version: string | undefined;

  if (facts.eventName === 'schedule') {
    add('nightly', 'default: schedule event');
  } else if (facts.pr) {
    add(String(facts.pr.number), 'default: pull request number', 'pr-');
    // A reviewer can pull the exact commit of a preview: pr-<N>-<sha7> never moves.
    add(`${facts.pr.number}-${shortSha(facts.sha)}`, 'default: pull request number and head commit', 'pr-');
  } else if (facts.refType === 'tag' && facts.tag !== undefined) {
    const v = releaseVersion(facts.tag);
    if (v && v.prerelease.length === 0) {
      add(v.version, 'default: release version');
      out.push({ tag: withFlavor(`${v.major}.${v.minor}`), why: 'default: release, major.minor', moves: 'minor' });
      // `0` would follow every 0.x release, each of which may break the last: no major tag before 1.0.0.
      if (v.major > 0) out.push({ tag: withFlavor(`${v.major}`), why: 'default: release, major', moves: 'major' });
      latest = true;
      latestWhy = 'default: newest release';
    } else if (v) {
      add(v.version, 'default: pre-release version (no moving tags)');
    } else {
      out.push({ tag: sanitizeTag(`${flavor.prefix}${sanitizeTag(facts.tag, { lower: true })}${flavor.suffix}`), why: 'default: git tag name (not a semver version)' });
    }
    if (v) {
      rel = { text: v.version, scheme: 'semver', prerelease: v.prerelease.length > 0 };
      version = v.version;
    }
    sha('default: commit sha');
  } else if (facts.refType === 'branch' && facts.branch !== undefined) {
    if (facts.isDefaultBranch) {
      latest = true;
      latestWhy = `default: default branch (${facts.defaultBranch})`;
    }
    out.push({ tag: sanitizeTag(`${flavor.prefix}${sanitizeTag(facts.branch, { lower: true })}${flavor.suffix}`), why: 'default: branch name', fromBranch: true });
    sha('default: commit sha');
  } else {
    sha('default: commit sha');
  }

  const notes: string[] = [];
  if (flavor.latest === 'true' && facts.pr) {
    notes.push(`flavor latest=true: 'latest' left out: ${PR_NEVER_MOVES}`);
  } else if (flavor.latest === 'true') {
    latest = true;
    latestWhy = FORCED_LATEST_WHY;
  } else if (flavor.latest === 'false') {
    latest = false;
  }
  version ??= out[0]?.tag ?? '';
  if (latest) {
    const latestTag = sanitizeTag(`${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`);
    const decision: TagDecision = { tag: latestTag, why: latestWhy, moves: 'latest' };
    // A release lists its versions first (1.2.3, 1.2, 1, latest, sha-...); a branch starts with latest.
    if (rel) out.splice(out.length - 1, 0, decision);
    else out.unshift(decision);
  }
  return finish(dedupeTags(out), version, flavor, notes, rel);
}
