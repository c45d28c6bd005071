/**
 * Tag names that belong to one kind of build, kept from the others. Pure.
 *
 * A pull request pushes only its preview tags, `pr-<N>` and `pr-<N>` followed by `-`, `_` or `.`
 * and more: those are what its clean-up deletes once it is closed. Any other tag it has (a
 * `type=sha` or `type=raw` line) could overwrite a tag a branch or release build pushed, so it
 * stays a local name for the tests.
 *
 * A branch name becomes a tag as it is, so a branch could take a name other builds own:
 * `latest` and versions (moved by releases, behind the moving-tag guard), `pr-<N>...` (deleted by
 * a pull request's clean-up) or `sha-<commit>` (one commit's image). Such a tag is renamed
 * `branch-<name>`.
 */
import type { Facts } from '../context.js';
import { expandFlavor, type Flavor, type TagResult } from './metadata.js';
import type { Plan } from './plan.js';
import { sanitizeTag, type TagDecision } from './tags.js';

/**
 * The preview tags of pull request `pr`: `pr-<N>` alone or followed by `-`, `_` or `.` and more
 * (`pr-4`, `pr-4-1a2b3c4`, `pr-4-rule2`, `pr-4-1a2b3c4-alpine`; not `pr-42` nor `pr-4x`). The
 * same for every `flavor`, so no prefix or suffix can make it match another pull request's tags.
 * Given `\\d+` for `pr`, it matches the preview tags of every pull request.
 */
export function previewTagPattern(pr: number | string): RegExp {
  return new RegExp(`^pr-${pr}(?:[-_.].*)?$`);
}

/** The preview tags of pull request `pr`, in words. */
function previewTagWords(pr: number): string {
  return `pr-${pr}, or pr-${pr} followed by -, _ or . and more`;
}

interface Reserved {
  pattern: RegExp;
  /** Who owns names of this kind, for the plan's note. */
  owner: string;
  /** The flavor puts its prefix and suffix on this kind only with `onlatest=true`. */
  latest?: boolean;
}

const RESERVED: Reserved[] = [
  { pattern: /^latest$/, owner: 'the newest release or the default branch', latest: true },
  // 1, 1.2, 1.2.3, v1.2.3, and with a pre-release after two or three parts (1.2.3-rc.1); a branch
  // such as `123-fix-login` (an issue number, then words) is not a version.
  { pattern: /^v?\d+(?:\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?)?$/i, owner: 'release versions, which the moving-tag guard keeps from going backwards' },
  { pattern: previewTagPattern('\\d+'), owner: "pull-request previews, which a closed pull request's clean-up deletes" },
  { pattern: /^sha-[0-9a-f]{7,40}$/, owner: 'the image of one commit' },
];

/** The rendered flavor affixes that stand around the name in a tag of this kind. */
function affixes(kind: Reserved, flavor: Flavor): { prefix: string; suffix: string } {
  return {
    prefix: kind.latest && !flavor.prefixLatest ? '' : flavor.prefix,
    suffix: kind.latest && !flavor.suffixLatest ? '' : flavor.suffix,
  };
}

/**
 * Whether a tag made from a branch name takes a reserved name, and its new name. The flavor's
 * prefix and suffix go on the tags other builds give too (`1.2-alpine` for release 1.2.3 with
 * `suffix=-alpine`), so the name between them counts as well; the new name keeps them around
 * `branch-<name>`.
 */
export function reservedBranchTag(tag: string, flavor: Flavor): { tag: string; name: string; owner: string } | undefined {
  const whole = RESERVED.find((kind) => kind.pattern.test(tag));
  if (whole) return { tag: sanitizeTag(`branch-${tag}`), name: tag, owner: whole.owner };
  for (const kind of RESERVED) {
    const { prefix, suffix } = affixes(kind, flavor);
    if (!prefix && !suffix) continue;
    if (tag.length <= prefix.length + suffix.length || !tag.startsWith(prefix) || !tag.endsWith(suffix)) continue;
    const name = tag.slice(prefix.length, tag.length - suffix.length);
    if (kind.pattern.test(name)) return { tag: sanitizeTag(`${prefix}branch-${name}${suffix}`), name, owner: kind.owner };
  }
  return undefined;
}

/**
 * The flavor with its prefix and suffix rendered for this event. A rule build does not use the
 * flavor, so a flavor that cannot be rendered (which fails a `tags` or defaults build on its own)
 * stands around none of its tags.
 */
function renderedAffixes(flavor: Flavor, facts: Facts, now: Date): Flavor {
  try {
    return expandFlavor(flavor, facts, now);
  } catch {
    return { ...flavor, prefix: '', suffix: '' };
  }
}

/**
 * Renames the tags of a build (not a pull request's) that are made from the branch name and
 * take a reserved name, with a note each. `version` follows its tag when that tag is renamed.
 * `flavor` is the `flavor` input, not yet rendered.
 */
export function renameReservedBranchTags(facts: Facts, result: TagResult, flavor: Flavor, now: Date, notes: string[]): TagResult {
  if (facts.pr || !result.tags.some((t) => t.fromBranch)) return result;
  const rendered = renderedAffixes(flavor, facts, now);
  const renamed = new Map<string, string>();
  const tags = result.tags.map((t): TagDecision => {
    const found = t.fromBranch ? reservedBranchTag(t.tag, rendered) : undefined;
    if (!found) return t;
    renamed.set(t.tag, found.tag);
    const named = found.name === t.tag ? '' : ` (the name '${found.name}' between the flavor's prefix and suffix)`;
    notes.push(
      `branch '${facts.branch ?? ''}' gives the tag '${t.tag}'${named}, a name reserved for ${found.owner}: it is tagged '${found.tag}' instead`,
    );
    return { ...t, tag: found.tag, why: `${t.why}, renamed from '${t.tag}' (a reserved name)` };
  });
  if (!renamed.size) return result;
  const follows = renamed.get(result.version);
  const version = follows && !tags.some((t) => t.tag === result.version) ? follows : result.version;
  return { ...result, tags, version };
}

/** Why a pull request's tag that is not a preview tag stays local. */
function localWhy(pr: number): string {
  return `not a preview tag of pull request #${pr} (${previewTagWords(pr)}): pushing it could overwrite a tag a branch or release build pushed`;
}

/**
 * A pull request's plan, with every tag that is not one of its preview tags marked `local`: the
 * image is built and tested under it, but only preview tags are pushed. In each build the preview
 * tags come first, so the first name (the hooks' $IMAGE_NAME, the first reference) is one that is
 * pushed whenever the build has one. When the plan pushes, a note names each local tag, and a plan
 * with no preview tag at all pushes nothing, and says why.
 */
export function keepPreviewTagsOnly(facts: Facts, plan: Plan): Plan {
  if (!facts.pr || plan.builds.length === 0) return plan;
  const pr = facts.pr.number;
  const preview = previewTagPattern(pr);
  const notes = [...(plan.notes ?? [])];
  const builds = plan.builds.map((b) => {
    const own = b.tags.filter((t) => preview.test(t.tag));
    const local = b.tags.filter((t) => !preview.test(t.tag)).map((t): TagDecision => ({ ...t, local: localWhy(pr) }));
    if (plan.push.enabled) for (const t of local) notes.push(`tag '${t.tag}' is a local name for the tests only, not pushed: ${localWhy(pr)}`);
    return { ...b, tags: [...own, ...local] };
  });
  const out: Plan = { ...plan, builds, notes };
  if (plan.push.enabled && !builds.some((b) => b.tags.some((t) => !t.local))) {
    const reason = `pull request #${pr} has no preview tag (${previewTagWords(pr)}), and its other tags could overwrite tags a branch or release build pushed`;
    out.push = { enabled: false, reason };
    notes.push(`nothing is pushed: ${reason}`);
  }
  return out;
}
