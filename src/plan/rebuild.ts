/**
 * `rebuild: base-changed`, the pure part: the labels that record an image's base images, and the
 * decision whether a pushed image is still what a build would make (same commit, every base
 * image at the digest it was built on). Docker Hub's "repository links", without Docker Hub.
 */
import { shortSha } from './tags.js';

export const REBUILD_MODES = ['always', 'base-changed'] as const;
export type RebuildMode = (typeof REBUILD_MODES)[number];

/** OCI: the image this one is based on (a fully qualified reference) and its digest. */
export const BASE_NAME_LABEL = 'org.opencontainers.image.base.name';
export const BASE_DIGEST_LABEL = 'org.opencontainers.image.base.digest';
/** autobuild's own, for a Dockerfile with several base images: `name@digest` entries, comma separated. */
export const BASES_LABEL = 'io.autobuild.bases';
export const REVISION_LABEL = 'org.opencontainers.image.revision';

/** A content digest (`sha256:` and hex, or another algorithm): what registries and labels give is checked against it before it is used or shown. */
export const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** A base image and the digest its reference names in its registry now (or why that is unknown). */
export interface ResolvedBase {
  /** Fully qualified reference: docker.io/library/alpine:3.20. */
  name: string;
  digest?: string;
  error?: string;
}

/**
 * The labels that record the bases: the OCI pair for the image the final stage starts from, and,
 * when the build takes files from more than one image, all of them in BASES_LABEL. A base whose
 * digest is unknown is left out (a check then rebuilds, as for an image pushed without labels).
 */
export function baseLabels(bases: ResolvedBase[], runtime?: string): Record<string, string> {
  const out: Record<string, string> = {};
  const main = bases.find((b) => b.name === runtime);
  if (main?.digest) {
    out[BASE_NAME_LABEL] = main.name;
    out[BASE_DIGEST_LABEL] = main.digest;
  }
  const known = bases.filter((b) => b.digest);
  if (bases.length > 1 && known.length) out[BASES_LABEL] = known.map((b) => `${b.name}@${b.digest}`).join(',');
  return out;
}

/** The base digests an image records, by base name (BASES_LABEL, then the OCI pair). */
export function recordedBases(labels: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of (labels[BASES_LABEL] ?? '').split(',')) {
    const at = entry.trim().lastIndexOf('@');
    const digest = entry.trim().slice(at + 1);
    if (at > 0 && DIGEST.test(digest)) out.set(entry.trim().slice(0, at), digest);
  }
  const name = labels[BASE_NAME_LABEL];
  const digest = labels[BASE_DIGEST_LABEL];
  if (name && digest && DIGEST.test(digest) && !out.has(name)) out.set(name, digest);
  return out;
}

/** What the registry holds under the tags a rebuild would push. */
export type Pushed =
  | { state: 'found'; ref: string; digest: string; labels: Record<string, string> }
  /** A tag is missing, or the tags name different images: the push would change something. */
  | { state: 'missing'; why: string }
  | { state: 'unreadable'; why: string };

export interface RebuildInput {
  /** The commit this run builds. */
  sha: string;
  /** The final stage's bases as the plan resolves them, with their digests now. */
  bases: ResolvedBase[];
  /** Base references the plan cannot tell (an ARG without a value). */
  unresolved: string[];
  /** Why the Dockerfile's bases could not be read at all. */
  dockerfileError?: string;
  pushed: Pushed;
}

export interface MovedBase {
  name: string;
  from?: string;
  to?: string;
}

export interface RebuildDecision {
  rebuild: boolean;
  /** One line: why it rebuilds, or that nothing moved (naming each base and its digest). */
  reason: string;
  /** warning: something could not be read, so the build goes ahead; notice: the image records too little. */
  level: 'info' | 'notice' | 'warning';
  moved: MovedBase[];
}

function basesWords(bases: ResolvedBase[]): string {
  if (!bases.length) return 'no base image (FROM scratch)';
  return bases.map((b) => `base ${b.name} is still ${b.digest}`).join(', ');
}

/** Whether a build would change what `pushed` is. Pure. */
export function decideRebuild(input: RebuildInput): RebuildDecision {
  const rebuild = (reason: string, level: RebuildDecision['level'] = 'info', moved: MovedBase[] = []): RebuildDecision => ({ rebuild: true, reason, level, moved });
  const { pushed } = input;
  if (pushed.state === 'unreadable') return rebuild(`could not read the pushed image (${pushed.why}): rebuilding`, 'warning');
  if (pushed.state === 'missing') return rebuild(`${pushed.why}: building`);
  if (input.dockerfileError) return rebuild(`could not tell the base images (${input.dockerfileError}): rebuilding`, 'warning');
  const revision = pushed.labels[REVISION_LABEL];
  if (!revision) return rebuild(`${pushed.ref} has no ${REVISION_LABEL} label, so its commit is unknown: rebuilding`, 'notice');
  if (revision !== input.sha) {
    const shown = /^[0-9a-f]{7,64}$/i.test(revision) ? `commit ${shortSha(revision)}` : 'another commit';
    return rebuild(`${pushed.ref} was built from ${shown}, this run builds ${shortSha(input.sha)}: rebuilding`);
  }
  if (input.unresolved.length) {
    return rebuild(`the base image ${input.unresolved.map((u) => `'${u}'`).join(', ')} names a build argument without a value, so whether it moved cannot be told: rebuilding (give it a default, or a value in build-args)`, 'warning');
  }
  const unreadable = input.bases.filter((b) => !b.digest);
  if (unreadable.length) {
    return rebuild(`could not read the digest of ${unreadable.map((b) => `${b.name} (${b.error ?? 'no digest'})`).join(', ')}: rebuilding`, 'warning');
  }
  const recorded = recordedBases(pushed.labels);
  const unrecorded = input.bases.filter((b) => !recorded.has(b.name));
  if (unrecorded.length) {
    return rebuild(
      `${pushed.ref} records no digest for ${unrecorded.map((b) => b.name).join(', ')} (it was pushed without the labels ${BASE_NAME_LABEL}/${BASE_DIGEST_LABEL}${input.bases.length > 1 ? ` and ${BASES_LABEL}` : ''}, which autobuild writes): rebuilding, and this build records them`,
      'notice',
    );
  }
  const moved = input.bases.filter((b) => recorded.get(b.name) !== b.digest).map((b) => ({ name: b.name, from: recorded.get(b.name), to: b.digest }));
  if (moved.length) return rebuild(`${moved.map((m) => `base ${m.name} moved from ${m.from} to ${m.to}`).join(', ')}: rebuilding`, 'info', moved);
  return { rebuild: false, reason: `${pushed.ref} is up to date: commit ${shortSha(input.sha)}, ${basesWords(input.bases)}`, level: 'info', moved: [] };
}
