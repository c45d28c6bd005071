/**
 * One image, several jobs: each job of a matrix builds, tests and pushes (by digest) its share of
 * `platforms`, and the image is tagged once every platform has passed. Pure: the slice of the
 * plan each job has, the name the jobs meet under, and the one index they all put together.
 */
import { createHash } from 'node:crypto';
import { normalizePlatform } from '../engine/platforms.js';

export interface Distribution {
  /** Every platform of the image (input `platforms`), in the order given. */
  platforms: string[];
  /** The ones this job builds (input `distribute`). */
  share: string[];
}

/** What one job says of one platform once it is done with it. */
export interface PlatformReport {
  /** The meeting (see meetingKey). */
  key: string;
  platform: string;
  /** GITHUB_RUN_ATTEMPT of the job: a re-run's report replaces the earlier one. */
  attempt: number;
  passed: boolean;
  /** The platform manifest, stored by digest in every repository (when passed). */
  digest?: string;
  size?: number;
  mediaType?: string;
  /** Why it did not pass. */
  error?: string;
}

/**
 * The name the jobs of one image meet under: the same for every job of a run that builds this
 * build of this commit for these repositories and platforms; another for anything else (another
 * run, a second autobuild step of the run for other repositories, another rule). Pure.
 */
export function meetingKey(parts: { sha: string; build: string; images: string[]; platforms: string[]; run?: string }): string {
  // No tags: a {{date}} tag is each job's own time. The run keeps runs of one commit apart.
  const canonical = JSON.stringify({
    run: parts.run ?? '',
    sha: parts.sha,
    build: parts.build,
    images: [...parts.images].sort(),
    platforms: parts.platforms.map(normalizePlatform).sort(),
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** `linux/arm/v7` -> `linux-arm-v7`, for names. Pure. */
export function platformSlug(platform: string): string {
  return normalizePlatform(platform).replace(/\//g, '-');
}

/** The latest report of each platform (the highest attempt; a pass over a failure in one attempt). Pure. */
export function latestReports(reports: PlatformReport[]): Map<string, PlatformReport> {
  const out = new Map<string, PlatformReport>();
  for (const r of reports) {
    const platform = normalizePlatform(r.platform);
    const seen = out.get(platform);
    if (!seen || r.attempt > seen.attempt || (r.attempt === seen.attempt && r.passed && !seen.passed)) out.set(platform, r);
  }
  return out;
}

export type Standing =
  | { state: 'complete'; manifests: PlatformReport[] }
  | { state: 'failed'; failed: PlatformReport[]; waiting: string[] }
  | { state: 'waiting'; waiting: string[] };

/** Where the image stands given the reports so far: every platform passed, one failed, or some still to come. Pure. */
export function standing(platforms: string[], reports: PlatformReport[], attempt = Infinity): Standing {
  // A report of a later attempt than this job's cannot be (the run attempt only grows).
  const latest = latestReports(reports.filter((r) => Number.isInteger(r.attempt) && r.attempt <= attempt));
  const failed = platforms.map((p) => latest.get(normalizePlatform(p))).filter((r): r is PlatformReport => Boolean(r && !r.passed));
  const waiting = platforms.filter((p) => !latest.has(normalizePlatform(p)));
  if (failed.length) return { state: 'failed', failed, waiting };
  if (waiting.length) return { state: 'waiting', waiting };
  return { state: 'complete', manifests: platforms.map((p) => latest.get(normalizePlatform(p))!) };
}

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/**
 * The index of the platform manifests, byte for byte the same whichever job writes it: platforms
 * in the order of `platforms`, keys in a fixed order, no whitespace. A Docker manifest list when
 * every manifest is a Docker one (registries that take those take the list), else an OCI index,
 * with the build's OCI annotations. Pure.
 */
export function canonicalIndex(manifests: PlatformReport[], annotations: Record<string, string> = {}): { mediaType: string; bytes: Uint8Array<ArrayBuffer>; digest: string } {
  const docker = manifests.every((m) => m.mediaType === DOCKER_MANIFEST);
  const mediaType = docker ? DOCKER_LIST : OCI_INDEX;
  const entries = manifests.map((m) => {
    // As containerd normalizes platforms (and BuildKit writes them): arm64's v8 implied, arm's v7 named.
    const [os = 'linux', architecture = 'unknown', given] = normalizePlatform(m.platform).split('/');
    const variant = given ?? (architecture === 'arm' ? 'v7' : undefined);
    return {
      mediaType: m.mediaType,
      digest: m.digest,
      size: m.size,
      platform: variant ? { architecture, os, variant } : { architecture, os },
    };
  });
  // Each job's own clock must not change the bytes: the created time (which falls back to the
  // job's time where the commit's is unknown, as in a pull request's shallow merge) stays out.
  const keys = Object.keys(annotations).filter((k) => k !== 'org.opencontainers.image.created').sort();
  const body: Record<string, unknown> = { schemaVersion: 2, mediaType, manifests: entries };
  if (!docker && keys.length) body.annotations = Object.fromEntries(keys.map((k) => [k, annotations[k]]));
  const bytes = new Uint8Array(Buffer.from(JSON.stringify(body)));
  return { mediaType, bytes, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` };
}
