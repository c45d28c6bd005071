/**
 * The push of a distributed image (input `distribute`): this job's tested platform images go to
 * every repository by digest only, a report a platform goes to the meeting place (meeting.ts),
 * and the job that finds every platform of the image passed puts the index under the tags,
 * through the moving-tag guard. The index is the same bytes whichever job writes it, so jobs
 * finishing at once store the same digest.
 */
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getErrorMessage, UserError } from '../errors.js';
import { credentialsFor } from '../engine/login.js';
import { readArchive, type PlatformImage } from '../engine/oci-archive.js';
import { normalizePlatform } from '../engine/platforms.js';
import { registryClientFor, type RegistryClient } from '../engine/registry.js';
import { canonicalIndex, meetingKey, standing, type PlatformReport } from '../plan/distribute.js';
import { splitTag, type ImageRef } from '../plan/images.js';
import { hasMeetingPlace, meetingFor, type Meeting } from './meeting.js';
import { layerLimitError, layerLimitFor, layersOf } from './sizes.js';
import { eachLimited, tagsKeptOff } from './push.js';
import type { BuildUnit, RunContext } from './run-context.js';

/** Blobs of one platform image uploaded at once. */
const UPLOADS = 3;

/** The meeting of this build's jobs, and this job's attempt. */
export function meetingOf(ctx: Pick<RunContext, 'facts' | 'plan' | 'workDir'>, unit: Pick<BuildUnit, 'build'>): { meeting: Meeting; key: string; attempt: number } {
  const d = ctx.plan.distribution!;
  const key = meetingKey({ sha: ctx.facts.sha, build: unit.build.name, images: ctx.plan.images.map((i) => i.name), platforms: d.platforms, run: process.env.GITHUB_RUN_ID });
  return { meeting: meetingFor(key, ctx.workDir), key, attempt: Number(process.env.GITHUB_RUN_ATTEMPT) || 1 };
}

/** Meetings this job has left its reports in (passed or failed). */
const reported = new Set<string>();

/**
 * The tested image's platform images, as the engine saves them, in a folder of their own; `done`
 * removes it (the push reads the blobs from there).
 */
export async function savedPlatforms(ctx: RunContext, unit: BuildUnit): Promise<{ images: PlatformImage[]; done: () => void }> {
  const dir = path.join(ctx.workDir, `image-${unit.index}`);
  fs.mkdirSync(dir, { recursive: true });
  const done = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const file = path.join(dir, 'image.tar');
    await ctx.docker.ok(['save', '-o', file, unit.localRef ?? unit.report.imageId!], `Saving the image of ${unit.build.name}`);
    return { images: await readArchive(file, dir), done };
  } catch (error) {
    done();
    throw error;
  }
}

/** Stores platform images in a repository by digest: the blobs it lacks, then each manifest. */
export async function pushByDigest(client: RegistryClient, image: ImageRef, platforms: PlatformImage[]): Promise<void> {
  for (const p of platforms) {
    const blobs = [...new Map(p.blobs.map((b) => [b.digest, b])).values()];
    let uploaded = 0;
    const results = await eachLimited(blobs, UPLOADS, async (blob) => {
      if (await client.hasBlob(image.path, blob.digest)) return;
      await client.uploadBlob(image.path, blob);
      uploaded++;
    });
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const stored = await client.putManifest(image.path, p.manifest.digest, p.manifest);
    if (stored !== p.manifest.digest) throw new UserError(`${image.name} stored the ${p.platform} manifest ${p.manifest.digest} as ${stored}.`);
    core.info(`Pushed ${image.name}@${p.manifest.digest} (${p.platform}, by digest, no tag; ${uploaded} of ${blobs.length} blobs uploaded, the rest were there).`);
  }
}

/** Says in the meeting that this job's platforms of the build failed (so that no job tags the image). Never throws. */
export async function reportFailed(ctx: Pick<RunContext, 'facts' | 'plan' | 'workDir'>, unit: Pick<BuildUnit, 'build'>, error: unknown): Promise<void> {
  const d = ctx.plan.distribution;
  // Without a meeting place there is no one to tell (the step failed saying so).
  if (!d || !ctx.plan.push.enabled || !hasMeetingPlace()) return;
  try {
    const { meeting, key, attempt } = meetingOf(ctx, unit);
    if (reported.has(key)) return;
    reported.add(key);
    const why = getErrorMessage(error).split('\n')[0]!.slice(0, 300);
    for (const platform of d.share) await meeting.put({ key, platform, attempt, passed: false, error: why });
    core.info(`Told the other jobs (through ${meeting.where}) that ${d.share.join(', ')} failed: no tag moves.`);
  } catch (e) {
    core.warning(`Could not tell the other jobs that ${d.share.join(', ')} failed: ${getErrorMessage(e)}`);
  }
}

/**
 * A run that failed before its builds reported (the engine, a platform check, the login, a
 * phase's time limit): each build that has not reported says its share failed, so that the other
 * jobs do not wait for it. Never throws.
 */
export async function reportUnreported(ctx: Pick<RunContext, 'facts' | 'plan' | 'workDir'>, error: unknown): Promise<void> {
  for (const build of ctx.plan.builds) await reportFailed(ctx, { build }, error);
}

/**
 * This job's share of a distributed build, once tested: by digest into every repository. Returns
 * the reports for the meeting (see meet).
 */
export async function pushShare(ctx: RunContext, unit: BuildUnit): Promise<PlatformReport[]> {
  const d = ctx.plan.distribution!;
  const { key, attempt } = meetingOf(ctx, unit);
  try {
    const pushed = await pushPlatforms(ctx, unit, d.share);
    unit.report.distribution = { share: d.share, platforms: d.platforms, manifests: pushed.map((r) => ({ platform: r.platform, digest: r.digest! })), state: 'waiting' };
    unit.report.digest = pushed[0]?.digest;
    return pushed.map((r) => ({ ...r, key, attempt }));
  } catch (error) {
    // A share that did not reach every repository is a failed share: no job tags the image.
    await reportFailed(ctx, unit, error);
    throw error;
  }
}

/** Leaves this job's reports for the other jobs, reads theirs, and tags the image if every platform passed. */
export async function meet(ctx: RunContext, unit: BuildUnit, mine: PlatformReport[]): Promise<void> {
  const { meeting, key } = meetingOf(ctx, unit);
  reported.add(key);
  for (const report of mine) await meeting.put(report);
  core.info(`Reported ${mine.map((r) => r.platform).join(', ')} as passed, in ${meeting.where}.`);
  // This job's own reports count whether or not the listing shows them yet.
  await tagIfComplete(ctx, unit, [...(await meeting.list()), ...mine], meeting.where);
}

/**
 * The platforms `share` of a tested image, saved from the engine, by digest into every repository
 * that took the login. Returns a passed report a platform (without meeting key and attempt).
 */
export async function pushPlatforms(ctx: RunContext, unit: BuildUnit, share: string[]): Promise<PlatformReport[]> {
  const found = await savedPlatforms(ctx, unit);
  try {
    const saved = found.images;
    const mine = saved.filter((p) => share.some((s) => normalizePlatform(s) === p.platform));
    const missing = share.filter((s) => !mine.some((p) => p.platform === normalizePlatform(s)));
    if (missing.length) throw new UserError(`The image of ${unit.build.name} holds no ${missing.join(', ')} (it has ${saved.map((p) => p.platform).join(', ') || 'no platform'}): nothing was pushed.`);
    // The index needs every platform in every repository: a registry that refused the login fails the share.
    const refused = ctx.plan.images.filter((i) => ctx.loginFailures.has(i.registry));
    if (refused.length) throw new UserError(`${share.join(', ')} of ${unit.build.name} cannot reach ${refused.map((i) => i.name).join(', ')} (the login was refused): nothing was pushed by digest, so no job can tag the image.`);
    const credentials = credentialsFor(ctx.plan.images, ctx.inputs, process.env.GITHUB_ACTOR);
    const targets = ctx.plan.images;
    // A layer over a registry's limit fails the share before anything is uploaded anywhere: the
    // index needs every platform in every repository. The sizes are the ones that would go up.
    for (const image of targets) {
      const limit = layerLimitFor(image.registry);
      const over = limit ? mine.flatMap((p) => layersOf(JSON.parse(Buffer.from(p.manifest.bytes).toString()), p.config, p.platform).filter((l) => l.size > limit.bytes)) : [];
      if (limit && over.length) throw new UserError(layerLimitError(image, limit, over));
    }
    for (const image of targets) {
      try {
        await pushByDigest(registryClientFor(image.registry, credentials), image, mine);
      } catch (error) {
        throw new UserError(`Pushing ${share.join(', ')} of ${unit.build.name} to ${image.name} by digest failed: ${getErrorMessage(error)}`);
      }
    }
    return mine.map((p) => ({ key: '', attempt: 0, platform: p.platform, passed: true, digest: p.manifest.digest, size: p.manifest.bytes.length, mediaType: p.manifest.mediaType }));
  } finally {
    found.done();
  }
}

/** Tags the index when every platform has passed; says what it waits for, or which platform failed. */
export async function tagIfComplete(ctx: RunContext, unit: BuildUnit, reports: PlatformReport[], where: string): Promise<void> {
  const d = ctx.plan.distribution!;
  const dist = (unit.report.distribution ??= { share: d.share, platforms: d.platforms, manifests: [], state: 'waiting' });
  const now = standing(d.platforms, reports, meetingOf(ctx, unit).attempt);
  if (now.state === 'failed') {
    dist.state = 'failed';
    dist.failed = now.failed.map((r) => ({ platform: r.platform, error: r.error ?? 'failed' }));
    core.warning(`Not tagging ${unit.build.name}: ${now.failed.map((r) => `${r.platform} failed in its job (${r.error ?? 'no reason given'})`).join('; ')}. No tag moves until every platform passes.`, { title: 'Platforms failed' });
    return;
  }
  if (now.state === 'waiting') {
    dist.waiting = now.waiting;
    core.info(`${now.waiting.join(', ')} ${now.waiting.length === 1 ? 'has' : 'have'} not reported yet (read from ${where}): the job that finishes last tags the image.`);
    return;
  }
  try {
    await tagIndex(ctx, unit, now.manifests);
  } finally {
    dist.waiting = undefined;
    dist.state = unit.report.pushedRefs.length ? 'tagged' : 'untagged';
  }
}

/**
 * A report of another job is only a claim: before its digest goes into the index, every
 * repository must hold that manifest (read back, its bytes hashed), of the reported media type
 * and size. Throws, naming the platform, when one does not.
 */
async function checkManifests(ctx: RunContext, manifests: PlatformReport[]): Promise<void> {
  const credentials = credentialsFor(ctx.plan.images, ctx.inputs, process.env.GITHUB_ACTOR);
  for (const m of manifests) {
    if (!/^sha256:[a-f0-9]{64}$/.test(m.digest ?? '') || !m.mediaType || !m.size) throw new UserError(`The report for ${m.platform} names no valid manifest: no tag moves.`);
    for (const image of ctx.plan.images) {
      const stored = await registryClientFor(image.registry, credentials).getManifest(image.path, m.digest!).catch((error: unknown) => {
        throw new UserError(`${image.name} does not hold the ${m.platform} manifest ${m.digest} its job reported (${getErrorMessage(error)}): no tag moves.`);
      });
      if (stored.bytes.length !== m.size || stored.mediaType !== m.mediaType) {
        throw new UserError(`${image.name} holds ${m.digest} for ${m.platform}, but not as its job reported it (${stored.mediaType}, ${stored.bytes.length} bytes): no tag moves.`);
      }
    }
  }
}

/**
 * Puts the index of `manifests` (every platform of the image, each already in every repository by
 * digest) under the build's tags, but no moving tag the guard holds back.
 */
export async function tagIndex(ctx: RunContext, unit: BuildUnit, manifests: PlatformReport[]): Promise<void> {
  const br = unit.report;
  await checkManifests(ctx, manifests);
  const index = canonicalIndex(manifests, unit.build.annotations);
  const skip = await tagsKeptOff(ctx, unit);
  const credentials = credentialsFor(ctx.plan.images, ctx.inputs, process.env.GITHUB_ACTOR);
  const platforms = manifests.map((m) => m.platform).join(', ');
  // A repository that refuses does not stop the others; the step fails at the end, naming it.
  const failures: string[] = [];
  for (const image of ctx.plan.images.filter((i) => !ctx.loginFailures.has(i.registry))) {
    const client = registryClientFor(image.registry, credentials);
    const refs = br.refs.filter((r) => r.startsWith(`${image.name}:`) && !skip.has(splitTag(r)!.tag));
    const manifest = { digest: index.digest, mediaType: index.mediaType, bytes: index.bytes };
    try {
      await client.putManifest(image.path, index.digest, manifest);
      for (const ref of refs) {
        await client.putManifest(image.path, splitTag(ref)!.tag, manifest);
        br.pushedRefs.push(ref);
        core.info(`Pushed ${ref}@${index.digest} (the index of ${platforms})`);
      }
    } catch (error) {
      failures.push(`Tagging the index of ${unit.build.name} in ${image.name} failed: ${getErrorMessage(error)}`);
    }
  }
  br.pushedRefs.sort((x, y) => br.refs.indexOf(x) - br.refs.indexOf(y));
  if (br.pushedRefs.length) {
    br.digest = index.digest;
    ctx.report.pushed = true;
  }
  if (failures.length) throw new UserError(`${failures.join('\n')}\n${br.pushedRefs.length ? `These references were pushed:\n${br.pushedRefs.map((r) => `- ${r}`).join('\n')}` : 'Nothing was tagged.'}`);
}
