import { createHash } from 'node:crypto';

/** How a tag moves between releases: `latest` follows the newest release, `major`/`minor` the newest of their line. */
export type Moves = 'latest' | 'major' | 'minor';

/** One tag the plan decided on, and why. */
export interface TagDecision {
  tag: string;
  /** Which rule produced it, in words: "default: semver {{major}}", "tags line 2: type=sha". */
  why: string;
  /**
   * Set on tags that move between releases (`latest`, `1`, `1.2`) when made from a release
   * version: the push phase checks the registry so they never go backwards.
   */
  release?: string;
  /** What the tag follows; set together with `release`. */
  moves?: Moves;
  /**
   * Set on a tag made from the branch name (the defaults' branch tag, `type=ref,event=branch`,
   * a rule's `{sourceref}` on a branch): the plan renames it `branch-<name>` when it would be a
   * name other builds own, such as `latest`, `1.2` or `pr-42` (reserved.ts).
   */
  fromBranch?: boolean;
  /**
   * Set, with why, on a pull request's tags that are not its preview tags: the image is built
   * and tested under that name, but it is never pushed (reserved.ts).
   */
  local?: string;
}

/** Docker's tag grammar: 1-128 characters, the first a letter, digit or '_'. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const TAG_RULE = "1-128 letters, digits, '_', '.' and '-', not starting with '.' or '-'";

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export interface SanitizeOptions {
  /** Lower-case the result (the defaults do; `tags` and `rules` keep case, as docker/metadata-action does). */
  lower?: boolean;
}

function hash8(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * Makes any text a valid Docker tag, changing nothing in text that already is one:
 * runs of other characters become '-', leading '.' and '-' are dropped, and a result over
 * 128 characters is cut to 119 plus '-' and a stable 8-character hash of the whole input,
 * so two long names that share a beginning still get different tags.
 * Text with nothing usable left becomes `ref-<hash>`.
 */
export function sanitizeTag(name: string, options: SanitizeOptions = {}): string {
  let tag = (options.lower ? name.toLowerCase() : name).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  if (tag.length > 128) tag = `${tag.slice(0, 119).replace(/[.-]+$/, '')}-${hash8(name)}`;
  return tag || `ref-${hash8(name)}`;
}

export function shortSha(sha: string, length = 7): string {
  return sha.slice(0, length);
}

/**
 * Drops repeated tags, keeping the first decision for each, in its place; but a tag made from
 * the branch name gives way to the same tag from another rule, which owns that name (a branch
 * called `latest` on the default branch is the `latest` the defaults give it).
 */
export function dedupeTags(tags: TagDecision[]): TagDecision[] {
  const out: TagDecision[] = [];
  const at = new Map<string, number>();
  for (const t of tags) {
    const i = at.get(t.tag);
    if (i === undefined) at.set(t.tag, out.push(t) - 1);
    else if (out[i]!.fromBranch && !t.fromBranch) out[i] = t;
  }
  return out;
}
