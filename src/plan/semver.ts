import * as pep440 from '@renovatebot/pep440';
import * as semver from 'semver';
import type { Moves, TagDecision } from './tags.js';

/** A git tag read as a release version: `v1.2.3`, `V1.2.3` and `1.2.3` are; `1.2`, `v1` and `latest` are not. */
export function releaseVersion(tag: string): semver.SemVer | undefined {
  return semver.parse(tag.trim().replace(/^v/i, ''), { loose: false }) ?? undefined;
}

export type VersionScheme = 'semver' | 'pep440';

/** The version a build releases, and what the moving-tag guard needs to compare it with the registry. */
export interface ReleaseInfo {
  /** Canonical version: `1.4.9`, `2.0.0-rc.1`, `1.2.3rc1`. */
  version: string;
  scheme: VersionScheme;
  prerelease: boolean;
  /**
   * How this build writes a full version into a tag (`''`+`''` for `1.4.9`, `''`+`'-alpine'` for
   * `1.4.9-alpine`): existing registry tags of these shapes are read back as releases.
   */
  affixes: { prefix: string; suffix: string }[];
  /** `flavor: latest=true`: `latest` is pushed even when a newer release exists. */
  forceLatest: boolean;
}

interface Parsed {
  text: string;
  major: number;
  minor: number;
  prerelease: boolean;
}

function parseVersion(scheme: VersionScheme, text: string): Parsed | undefined {
  if (scheme === 'semver') {
    const v = semver.valid(text) ? semver.parse(text) : null;
    if (!v) return undefined;
    return { text: v.version, major: v.major, minor: v.minor, prerelease: v.prerelease.length > 0 };
  }
  if (!pep440.valid(text)) return undefined;
  const e = pep440.explain(text);
  if (!e) return undefined;
  return {
    text: pep440.clean(text) ?? text,
    major: pep440.major(text),
    minor: pep440.minor(text),
    prerelease: e.is_prerelease || e.is_devrelease || e.is_postrelease,
  };
}

function greater(scheme: VersionScheme, a: string, b: string): boolean {
  return scheme === 'semver' ? semver.gt(a, b) : pep440.gt(a, b);
}

/** Every shape a release tag may have in the registry: the build's own, and plain `1.2.3`/`v1.2.3`. */
function allAffixes(release: ReleaseInfo): { prefix: string; suffix: string }[] {
  const out = [{ prefix: '', suffix: '' }, ...release.affixes];
  return out.filter((a, i) => out.findIndex((b) => b.prefix === a.prefix && b.suffix === a.suffix) === i);
}

/**
 * Releases (full versions, no pre-releases) that the registry's tags show.
 * Only full versions count: `2` or `2.0` alone never hold anything back, and neither does a
 * date such as `20260102`.
 */
export function releasesIn(tags: string[], release: ReleaseInfo): string[] {
  const found = new Set<string>();
  for (const tag of tags) {
    for (const { prefix, suffix } of allAffixes(release)) {
      if (!tag.startsWith(prefix) || !tag.endsWith(suffix) || tag.length <= prefix.length + suffix.length) continue;
      const v = parseVersion(release.scheme, tag.slice(prefix.length, tag.length - suffix.length));
      if (v && !v.prerelease) found.add(v.text);
    }
  }
  return [...found];
}

/** Where to find the full version in the tags of a build: the text around it in each tag that holds it. */
export function affixesOf(tags: TagDecision[], version: string): { prefix: string; suffix: string }[] {
  const out: { prefix: string; suffix: string }[] = [];
  for (const t of tags) {
    const at = t.tag.indexOf(version);
    if (at < 0 || t.moves) continue;
    const a = { prefix: t.tag.slice(0, at), suffix: t.tag.slice(at + version.length) };
    if (!out.some((b) => b.prefix === a.prefix && b.suffix === a.suffix)) out.push(a);
  }
  return out;
}

/** What the registry showed: its tags (none for a repository that does not exist yet), or why it could not be listed. */
export type Listing = { tags: string[] } | { error: string };

function scopeOf(moves: Moves, v: Parsed): string {
  return moves === 'latest' ? 'release' : moves === 'major' ? `${v.major}.x release` : `${v.major}.${v.minor}.x release`;
}

/**
 * The moving-tag guard, pure: which of a build's moving tags must not be pushed, and why.
 * `latest` stays where it is when any newer release exists, `1` when a newer 1.x exists,
 * `1.2` when a newer 1.2.x exists. When the registry could not be listed, every moving tag
 * is held (a tag that stays behind is put right by the next release; one that went backwards
 * has already shipped the wrong code), except `latest` with `flavor: latest=true`.
 */
export function heldMovingTags(tags: TagDecision[], release: ReleaseInfo | undefined, listing: Listing): Map<string, string> {
  const held = new Map<string, string>();
  if (!release) return held;
  const self = parseVersion(release.scheme, release.version);
  if (!self) return held;
  const existing = 'tags' in listing ? releasesIn(listing.tags, release) : [];
  for (const t of tags) {
    if (!t.moves) continue;
    if (t.moves === 'latest' && release.forceLatest) continue;
    if ('error' in listing) {
      held.set(t.tag, `the registry's tags could not be listed (${listing.error}), so it is not known whether a newer release exists${t.moves === 'latest' ? '; flavor latest=true pushes latest anyway' : ''}`);
      continue;
    }
    const newer = existing
      .map((text) => parseVersion(release.scheme, text)!)
      .filter((v) => (t.moves === 'latest' || v.major === self.major) && (t.moves !== 'minor' || v.minor === self.minor))
      .filter((v) => greater(release.scheme, v.text, self.text))
      .sort((a, b) => (greater(release.scheme, a.text, b.text) ? -1 : 1));
    if (newer.length) {
      held.set(t.tag, `${newer[0]!.text} is a newer ${scopeOf(t.moves, self)} than ${self.text}${t.moves === 'latest' ? ' (flavor latest=true pushes it anyway)' : ''}`);
    }
  }
  return held;
}
