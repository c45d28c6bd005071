import * as fs from 'node:fs';
import * as path from 'node:path';
import * as semver from 'semver';
import { UserError } from '../errors.js';
import type { Inputs } from '../inputs.js';
import type { BuildPlan } from '../plan/plan.js';
import { countCacheHits } from './cache.js';
import { checkBuildArgs } from './checks.js';
import { loadArgs } from './compression.js';
import type { Capabilities } from './capabilities.js';
import type { Docker } from './docker.js';
import { tail } from './exec.js';
import { imageFacts, type ImageFacts } from './image.js';
import { execFormatHint, NATIVE_PLATFORM, normalizePlatform } from './platforms.js';

export interface BuildRequest {
  build: BuildPlan;
  inputs: Pick<Inputs, 'buildArgs' | 'target' | 'secrets' | 'platforms' | 'check'> & Partial<Pick<Inputs, 'compression'>>;
  /** Local name the built image is loaded under, for testing before any push. */
  localTag: string;
  /** --cache-from / --cache-to arguments chosen by the cache planner. */
  cacheArgs: string[];
  iidFile: string;
  metadataFile: string;
  /** Resolve every base image in its registry (`--pull`), never an older copy the engine holds (rebuild: base-changed). */
  pull?: boolean;
}

/** buildx's `--annotation` flag came with this release. */
const ANNOTATION_BUILDX = '0.12.0';

/**
 * Whether OCI annotations given to the build reach the pushed manifest. The image is loaded into
 * the engine and pushed from there, so they survive only where the engine keeps the manifest
 * BuildKit wrote: the containerd image store. The classic store keeps the image config alone and
 * `docker push` writes a new manifest, without annotations (the labels carry the same keys).
 */
export function canAnnotate(caps: Pick<Capabilities, 'buildx' | 'containerdStore'>): boolean {
  const buildx = caps.buildx && semver.valid(caps.buildx);
  return Boolean(buildx && semver.gte(buildx, ANNOTATION_BUILDX) && caps.containerdStore);
}

/**
 * `--annotation` arguments: on each image manifest, and on the index too when several platforms
 * are built (a single-platform image has no index: BuildKit refuses `index:` then).
 */
export function annotationArgs(annotations: Record<string, string> | undefined, platforms: string[]): string[] {
  const levels = platforms.length > 1 ? ['index', 'manifest'] : ['manifest'];
  return Object.entries(annotations ?? {}).flatMap(([k, v]) => levels.flatMap((level) => ['--annotation', `${level}:${k}=${v}`]));
}

/**
 * The environment of the build command. BuildKit's check findings go into the metadata file where
 * the builder runs checks; buildx 0.2x's provenance summary (a build-record query after each build,
 * which autobuild never reads) stays out of it. Older buildx ignores both. Pure.
 */
export function buildEnv(inputs: Pick<Inputs, 'check'>, caps: Pick<Capabilities, 'buildChecks'>): Record<string, string> {
  return {
    DOCKER_BUILDKIT: '1',
    BUILDKIT_PROGRESS: 'plain',
    BUILDX_METADATA_PROVENANCE: 'disabled',
    ...(caps.buildChecks && inputs.check !== 'off' ? { BUILDX_METADATA_WARNINGS: '1' } : {}),
  };
}

/**
 * Whether base images are pulled afresh (`--pull`) for a build of another platform than the
 * native one: the BuildKit of Docker 26 and older (0.13 and before, with the engine's own builder
 * and the containerd image store) takes a base image that is in the engine's store for one
 * platform only (after a `docker pull` or `docker load` of it) for every platform, so the other
 * platforms' images hold the native platform's files. Docker 27 and newer resolve each platform's
 * base on its own.
 */
export function pullsBasesAfresh(
  platforms: readonly string[],
  caps: Partial<Pick<Capabilities, 'buildx' | 'containerdStore' | 'driver' | 'buildkit'>>,
  native = NATIVE_PLATFORM,
): boolean {
  if (!platforms.some((p) => normalizePlatform(p) !== native) || !caps.buildx || !caps.containerdStore || caps.driver !== 'docker') return false;
  const buildkit = caps.buildkit && semver.coerce(caps.buildkit);
  return Boolean(buildkit && semver.lt(buildkit, '0.14.0'));
}

/** The exact argv for the build. Pure: tested table-style. */
export function buildArgv(
  req: BuildRequest,
  caps: Pick<Capabilities, 'buildx' | 'containerdStore' | 'buildChecks'> & Partial<Pick<Capabilities, 'driver' | 'buildkit'>>,
): string[] {
  const { build, inputs } = req;
  const args = caps.buildx ? ['buildx', 'build'] : ['build'];
  args.push('--file', build.file, '--tag', req.localTag);
  for (const [k, v] of Object.entries(build.labels)) args.push('--label', `${k}=${v}`);
  if (canAnnotate(caps)) args.push(...annotationArgs(build.annotations, inputs.platforms));
  for (const a of inputs.buildArgs) args.push('--build-arg', a);
  if (caps.buildChecks) args.push(...checkBuildArgs(inputs.check, inputs.buildArgs));
  if (inputs.target) args.push('--target', inputs.target);
  args.push('--iidfile', req.iidFile);
  if (caps.buildx) {
    for (const s of inputs.secrets) args.push('--secret', s);
    if (inputs.platforms.length) args.push('--platform', inputs.platforms.join(','));
    if (req.pull || pullsBasesAfresh(inputs.platforms, caps)) args.push('--pull');
    // A single-platform image stays a plain manifest: provenance would turn it into a list.
    args.push('--provenance=false', '--metadata-file', req.metadataFile, ...loadArgs(inputs.compression ?? { type: 'gzip' }));
    args.push(...req.cacheArgs);
  }
  if (!caps.buildx && req.pull) args.push('--pull');
  args.push(build.context);
  return args;
}

export interface BuildResult {
  imageId: string;
  /** Size and labels, when the engine was asked for the id (else describeImage asks). */
  facts?: ImageFacts;
  seconds: number;
  /** Steps that came from a cache (local or imported) / total steps with work, from the progress log. */
  cachedSteps: number;
  totalSteps: number;
  /** BuildKit's plain progress log (for the cache phase: what was imported, whether the export worked). */
  log: string;
}

/** A failed build, with BuildKit's log, so a caller can tell a failed cache export from a failed build. */
export class BuildFailed extends UserError {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message);
  }
}

export function checkBuildFiles(build: BuildPlan): void {
  if (!fs.existsSync(build.context) || !fs.statSync(build.context).isDirectory()) {
    throw new UserError(`The build context '${build.context}' (${build.name}) does not exist or is not a folder.`);
  }
  if (!fs.existsSync(build.file)) {
    throw new UserError(
      `No Dockerfile at '${build.file}' (${build.name}). Set 'file' to the Dockerfile's path, or 'context' to the folder that holds it.`,
    );
  }
}

/** The image digest BuildKit exported, from buildx's --metadata-file (`containerimage.digest`); undefined when it is not there. */
export function exportedDigest(metadataFile: string): string | undefined {
  try {
    const digest = (JSON.parse(fs.readFileSync(metadataFile, 'utf8')) as Record<string, unknown> | null)?.['containerimage.digest'];
    return typeof digest === 'string' && /^sha256:[a-f0-9]{64}$/.test(digest) ? digest : undefined;
  } catch {
    return undefined;
  }
}

export async function runBuild(docker: Docker, req: BuildRequest, caps: Capabilities, timeoutMs?: number): Promise<BuildResult> {
  const started = Date.now();
  fs.mkdirSync(path.dirname(req.iidFile), { recursive: true });
  const r = await docker.run(buildArgv(req, caps), {
    stream: true,
    timeoutMs,
    env: buildEnv(req.inputs, caps),
  });
  const log = r.stderr + r.stdout;
  if (r.code !== 0) {
    const hint = execFormatHint(log, req.inputs.platforms);
    throw new BuildFailed(`The build of ${req.build.name} failed (exit ${r.code}):\n${tail(r, 12)}${hint ? `\n${hint}` : ''}`, log);
  }
  // The engine's own id for what was loaded (with the containerd store this is the manifest
  // digest, not the config digest buildx writes to --iidfile). The docker driver loads into the
  // engine what BuildKit exported, so it is the digest --metadata-file names; other drivers load
  // a tarball, and the engine is asked by the run-local name.
  const exported = caps.driver === 'docker' ? exportedDigest(req.metadataFile) : undefined;
  const facts = exported ? undefined : await imageFacts(docker, req.localTag);
  const imageId = exported ?? facts?.id ?? fs.readFileSync(req.iidFile, 'utf8').trim();
  const hits = countCacheHits(log);
  return {
    imageId,
    facts,
    seconds: (Date.now() - started) / 1000,
    cachedSteps: hits.cached,
    totalSteps: hits.steps,
    log,
  };
}
