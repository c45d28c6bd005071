/**
 * `rebuild: base-changed`: before any login or build, the registries are asked (no pull, no
 * build) whether a build would change anything; and every build records its base images'
 * digests in the image (labels), which is what the next check compares. The decision itself is
 * pure (plan/rebuild.ts).
 */
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Facts } from '../context.js';
import { getErrorMessage } from '../errors.js';
import type { Inputs } from '../inputs.js';
import { credentialsFor, type Credential } from '../engine/login.js';
import { registryClientFor, type RegistryClient } from '../engine/registry.js';
import { DEFAULT_RETRY } from '../engine/retry.js';
import { normalizePlatform } from '../engine/platforms.js';
import { dockerfileBases, type DockerfileBases, type ImageReference } from '../plan/dockerfile.js';
import type { ImageRef } from '../plan/images.js';
import type { BuildPlan, Plan } from '../plan/plan.js';
import { BASE_DIGEST_LABEL, BASE_NAME_LABEL, baseLabels, DIGEST, decideRebuild, type MovedBase, type Pushed, type RebuildDecision, type ResolvedBase } from '../plan/rebuild.js';
import { untrusted } from '../plan/trust.js';
import { buildArgsRecord } from './image.js';
import type { RunReport } from './report.js';
import type { BuildUnit, RunContext } from './run-context.js';

/** What the check found, for the summary and `metadata`. */
export interface RebuildReport {
  mode: 'base-changed';
  /** Whether this run builds. */
  rebuild: boolean;
  builds: { name: string; reason: string; bases: ResolvedBase[]; moved: MovedBase[] }[];
}

/** Registry requests of the check: quick, one retry (a failure is a warning and a rebuild, not a failed run). */
const CHECK_OPTIONS = { timeoutMs: 15_000, retry: { policy: { ...DEFAULT_RETRY, attempts: 2, totalMs: 30_000 } } };

function clients(credentials: Credential[]): (registry: string) => RegistryClient {
  const made = new Map<string, RegistryClient>();
  return (registry) => {
    let client = made.get(registry);
    if (!client) made.set(registry, (client = registryClientFor(registry, credentials, CHECK_OPTIONS)));
    return client;
  };
}

/**
 * The digest each base's reference names now: one manifest HEAD a base (side by side), with the
 * run's credentials for that registry (anonymous where it has none). A reference pinned by digest
 * is its own answer. A multi-platform base's digest is its index's.
 */
export async function resolveBases(bases: ImageReference[], credentials: Credential[]): Promise<ResolvedBase[]> {
  const client = clients(credentials);
  return Promise.all(
    bases.map(async (base): Promise<ResolvedBase> => {
      if (base.digest) return { name: base.name, digest: base.digest };
      try {
        const digest = await client(base.registry).manifestDigest(base.repository, base.tag ?? 'latest');
        if (!digest) return { name: base.name, error: 'the registry has no such tag' };
        return DIGEST.test(digest) ? { name: base.name, digest } : { name: base.name, error: 'the registry named no valid digest' };
      } catch (error) {
        return { name: base.name, error: getErrorMessage(error) };
      }
    }),
  );
}

function basesOf(build: BuildPlan, inputs: Pick<Inputs, 'target' | 'buildArgs'>): DockerfileBases {
  if (!fs.existsSync(build.file)) return { bases: [], unresolved: [], error: `no Dockerfile at ${build.file}` };
  return dockerfileBases(fs.readFileSync(build.file, 'utf8'), { target: inputs.target || undefined, buildArgs: buildArgsRecord(inputs.buildArgs) });
}

interface ManifestJson {
  mediaType?: string;
  config?: { digest?: string };
  manifests?: { digest: string; platform?: { os?: string; architecture?: string; variant?: string } }[];
}

/**
 * What the registries hold under the tags this build would push: every tag of every repository
 * present and, within a repository, naming one image; the first repository's image config is
 * read for its labels (an index: the manifest of the first platform built, else its first
 * platform that is not an attestation).
 */
async function readPushed(images: ImageRef[], tags: string[], platforms: string[], client: (registry: string) => RegistryClient): Promise<Pushed> {
  if (!tags.length) return { state: 'missing', why: 'this build has no tag to push' };
  try {
    let found: { image: ImageRef; digest: string } | undefined;
    for (const image of images) {
      const c = client(image.registry);
      const digests = await Promise.all(tags.map((tag) => c.manifestDigest(image.path, tag)));
      const absent = tags.find((_, i) => !digests[i]);
      if (absent) return { state: 'missing', why: `${image.name}:${absent} does not exist yet` };
      const other = tags.findIndex((_, i) => digests[i] !== digests[0]);
      if (other > 0) return { state: 'missing', why: `${image.name}:${tags[0]} and ${image.name}:${tags[other]} name different images` };
      found ??= { image, digest: digests[0]! };
    }
    const { image, digest } = found!;
    const c = client(image.registry);
    const read = async (d: string): Promise<ManifestJson> => JSON.parse(Buffer.from((await c.getManifest(image.path, d)).bytes).toString()) as ManifestJson;
    let manifest = await read(digest);
    if (manifest.manifests) {
      const wanted = platforms[0] && normalizePlatform(platforms[0]);
      const name = (p: NonNullable<ManifestJson['manifests']>[number]['platform']): string => normalizePlatform([p?.os, p?.architecture, p?.variant].filter(Boolean).join('/'));
      const entry = (wanted && manifest.manifests.find((m) => name(m.platform) === wanted)) || manifest.manifests.find((m) => m.platform?.os && m.platform.os !== 'unknown');
      if (!entry) return { state: 'unreadable', why: `${image.name}:${tags[0]} is an index without an image manifest` };
      manifest = await read(entry.digest);
    }
    if (!manifest.config?.digest) return { state: 'unreadable', why: `${image.name}:${tags[0]} has no image config` };
    const config = JSON.parse(Buffer.from(await c.getBlob(image.path, manifest.config.digest)).toString()) as { config?: { Labels?: Record<string, string> | null } };
    return { state: 'found', ref: `${image.name}:${tags[0]}`, digest, labels: config.config?.Labels ?? {} };
  } catch (error) {
    return { state: 'unreadable', why: getErrorMessage(error) };
  }
}

function say(decision: RebuildDecision, prefix: string): void {
  const line = `rebuild: base-changed: ${prefix}${decision.reason}.`;
  if (decision.level === 'warning') core.warning(line);
  else if (decision.level === 'notice') core.notice(line);
  else core.info(line);
}

/**
 * The check, before login: true when nothing would change (then the run ends, nothing built or
 * pushed, with one line naming each base and its digest). It applies to runs that push; a run
 * that does not (a pull request) builds and tests as always. When one build of several
 * (`rules`) must be rebuilt, every build is: the builds' hooks and autotests run as one run.
 */
export async function nothingMoved(facts: Facts, inputs: Inputs, plan: Plan, report: RunReport & { rebuild?: RebuildReport }): Promise<boolean> {
  if (inputs.rebuild !== 'base-changed') return false;
  if (!plan.push.enabled) {
    core.info(`rebuild: base-changed: this run does not push (${plan.push.reason}), so it builds and tests as always.`);
    return false;
  }
  if (plan.distribution) {
    core.info('rebuild: base-changed: a job of a distributed image (input distribute) always builds its share: the jobs must all build, or none.');
    return false;
  }
  const credentials = credentialsFor(plan.images, inputs, process.env.GITHUB_ACTOR);
  const client = clients(credentials);
  const started = Date.now();
  const results = await Promise.all(
    plan.builds.map(async (build) => {
      const bases = basesOf(build, inputs);
      const tags = build.tags.filter((t) => !t.local).map((t) => t.tag);
      const [resolved, pushed] = await Promise.all([resolveBases(bases.bases, credentials), readPushed(plan.images, tags, inputs.platforms, client)]);
      const decision = decideRebuild({ sha: facts.sha, bases: resolved, unresolved: bases.unresolved, dockerfileError: bases.error, pushed });
      return { build, resolved, decision };
    }),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const rebuild = results.some((r) => r.decision.rebuild);
  report.rebuild = {
    mode: 'base-changed',
    rebuild,
    builds: results.map((r) => ({ name: r.build.name, reason: r.decision.reason, bases: r.resolved, moved: r.decision.moved })),
  };
  const prefix = (name: string): string => (results.length > 1 ? `${name}: ` : '');
  if (!rebuild) {
    const line = results.map((r) => `${prefix(r.build.name)}${r.decision.reason}`).join('; ');
    report.skipped = `nothing moved since the last push (rebuild: base-changed): ${line}`;
    report.push = { enabled: false, reason: 'rebuild: base-changed, and the registry already holds what this run would build' };
    core.notice(`autobuild: nothing to build: ${line} (asked the registries in ${seconds}s; rebuild: base-changed).`);
    return true;
  }
  for (const r of results) {
    if (r.decision.rebuild) say(r.decision, prefix(r.build.name));
    else core.info(`rebuild: base-changed: ${prefix(r.build.name)}${r.decision.reason}; built again with the builds that changed.`);
  }
  return false;
}

const recorded = new WeakMap<BuildPlan, Promise<void>>();

/**
 * Records the build's base images in its labels (and, for the OCI keys, its annotations) just
 * before the build: one manifest HEAD a base. A base that cannot be read is left out, with a log
 * line; a label the `labels` input sets is not replaced. Once per build (every platform of it).
 */
export function recordBases(ctx: RunContext, unit: BuildUnit): Promise<void> {
  let done = recorded.get(unit.build);
  if (!done) recorded.set(unit.build, (done = record(ctx, unit.build)));
  return done;
}

async function record(ctx: RunContext, build: BuildPlan): Promise<void> {
  try {
    const bases = basesOf(build, ctx.inputs);
    const file = path.relative(ctx.facts.workspace, build.file) || build.file;
    if (bases.error) {
      core.info(`Base images not recorded in the image: ${bases.error}.`);
      return;
    }
    for (const u of bases.unresolved) core.info(`Base image '${u}' of ${file} not recorded in the image: it names a build argument without a value.`);
    if (!bases.bases.length) return;
    const credentials = untrusted(ctx.plan.trust) && !ctx.plan.push.enabled ? [] : credentialsFor(ctx.plan.images, ctx.inputs, process.env.GITHUB_ACTOR);
    const resolved = await resolveBases(bases.bases, credentials);
    for (const b of resolved) if (!b.digest) core.info(`Base image ${b.name} not recorded in the image: ${b.error}.`);
    const own = new Set(ctx.inputs.labels.map((l) => l.slice(0, l.indexOf('=')).trim()));
    const labels = baseLabels(resolved, bases.runtime?.name);
    if (own.has(BASE_NAME_LABEL) || own.has(BASE_DIGEST_LABEL)) {
      delete labels[BASE_NAME_LABEL];
      delete labels[BASE_DIGEST_LABEL];
    }
    for (const [k, v] of Object.entries(labels)) {
      if (own.has(k)) continue;
      build.labels[k] = v;
      if (build.annotations && k.startsWith('org.opencontainers.')) build.annotations[k] = v;
    }
    const known = resolved.filter((b) => b.digest);
    if (known.length) core.info(`Base images recorded in the image: ${known.map((b) => `${b.name}@${b.digest}`).join(', ')}.`);
  } catch (error) {
    core.info(`Base images not recorded in the image: ${getErrorMessage(error)}.`);
  }
}
