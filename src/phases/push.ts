import * as core from '@actions/core';
import { getErrorMessage } from '../errors.js';
import { remainingMs } from '../engine/deadline.js';
import { credentialsFor } from '../engine/login.js';
import { partialPushError, tagAll, tagAndPush } from '../engine/push.js';
import { registryClientFor } from '../engine/registry.js';
import { DEFAULT_RETRY } from '../engine/retry.js';
import { splitTag, type ImageRef } from '../plan/images.js';
import { heldMovingTags, releasesIn, type Listing } from '../plan/semver.js';
import type { BuildUnit, RunContext } from './run-context.js';
import { checkLayerLimit } from './sizes.js';

/**
 * The moving-tag guard: before `latest`, `1` or `1.2` move to a release, list what each
 * registry already holds. A repository that does not exist yet holds nothing newer; any other
 * listing failure is a warning, and the moving tags stay where they are (see heldMovingTags).
 */
export async function guardMovingTags(ctx: RunContext, unit: BuildUnit): Promise<Map<string, string>> {
  const { build } = unit;
  if (!build.release || !build.tags.some((t) => t.moves)) return new Map();
  const credentials = credentialsFor(ctx.plan.images, ctx.inputs, process.env.GITHUB_ACTOR);
  const tags: string[] = [];
  const errors: string[] = [];
  for (const image of ctx.plan.images) {
    // A registry that refused the login gets nothing pushed: its listing (a 401) must not hold
    // back the moving tags of the registries that took the login.
    if (ctx.loginFailures.has(image.registry)) continue;
    try {
      const client = registryClientFor(image.registry, credentials);
      const found = await client.listTags(image.path);
      if (found === undefined) {
        core.info(`${image.name} does not exist yet: no release is newer than ${build.release.version}.`);
        continue;
      }
      const releases = releasesIn(found, build.release);
      core.info(`${image.name} holds ${found.length} tag(s)${releases.length ? `, releases ${releases.join(', ')}` : ', no release'}.`);
      tags.push(...found);
    } catch (error) {
      const message = getErrorMessage(error);
      errors.push(`${image.name}: ${message}`);
      core.warning(`Could not list the tags of ${image.name} (${message}): ${build.tags.filter((t) => t.moves).map((t) => t.tag).join(', ')} will not be moved.`);
    }
  }
  const listing: Listing = errors.length ? { error: errors.join('; ') } : { tags };
  const held = heldMovingTags(build.tags, build.release, listing);
  // A log line here; the one annotation per held tag is raised with the report (annotationsOf).
  for (const [tag, reason] of held) core.info(`Not moving '${tag}' to ${build.release.version}: ${reason}.`);
  return held;
}

/**
 * The tags of a build that stay off the registry: moving tags the guard holds back (asked of the
 * registries once per build, each held tag marked in the report) and a pull request's local-only
 * names (reserved.ts).
 */
export async function tagsKeptOff(ctx: RunContext, unit: BuildUnit): Promise<Set<string>> {
  const br = unit.report;
  if (!unit.guarded) {
    unit.guarded = true;
    const held = await guardMovingTags(ctx, unit);
    for (const t of br.tags) {
      const reason = held.get(t.tag);
      if (reason) t.held = reason;
    }
  }
  return new Set(br.tags.filter((t) => t.held || t.local).map((t) => t.tag));
}

/**
 * The default push step: the tested image under every planned reference (of one repository, when
 * given), but no moving tag that would go backwards. The guard looks at every repository once per
 * build, so a newer release in any of them holds the tag back in all of them.
 */
export async function pushImage(ctx: RunContext, unit: BuildUnit, image?: ImageRef): Promise<void> {
  const br = unit.report;
  const skip = await tagsKeptOff(ctx, unit);
  const refs = br.refs.filter((r) => (!image || r.startsWith(`${image.name}:`)) && !skip.has(r.slice(r.lastIndexOf(':') + 1)));
  // Each name goes up once per image, the first on its own with `docker push`: it uploads the
  // layers. The others only add a manifest each: the registry is asked to store the one just
  // pushed under them (tagInRegistry); what that leaves is pushed side by side (PUSH_CONCURRENCY
  // at a time).
  const pushed = (ref: string, digest: string, how = ''): void => {
    br.pushedRefs.push(ref);
    br.digest ??= digest;
    ctx.report.pushed = true;
    core.info(`Pushed ${ref}@${digest}${how}`);
  };
  const push = async (ref: string): Promise<string> => {
    const r = await tagAndPush(ctx.docker, br.imageId!, ref, undefined, undefined, true);
    pushed(ref, r.digest, r.attempts > 1 ? ` (after ${r.attempts} attempts)` : '');
    return r.digest;
  };
  // A re-run whose image every tag already names (the same digest; on the classic store, whose
  // manifest digest is made at push time, the same image config) pushes nothing.
  const already = image && refs.length ? await unchangedIn(ctx, image, refs, br.imageId!) : undefined;
  if (image && already) {
    // The job's later steps find the image under its names, as after a push.
    await tagAll(ctx.docker, br.imageId!, refs);
    for (const ref of refs) br.pushedRefs.push(ref);
    br.pushedRefs.sort((x, y) => br.refs.indexOf(x) - br.refs.indexOf(y));
    br.digest ??= already;
    br.unchanged = [...(br.unchanged ?? []), image.name];
    ctx.report.pushed = true;
    core.info(`${image.name} already holds this image under every tag (${refs.map((r) => r.slice(r.lastIndexOf(':') + 1)).join(', ')} -> ${already}): nothing pushed.`);
    return;
  }
  // A layer over the registry's limit fails here, before anything is uploaded.
  if (image && refs.length) await checkLayerLimit(ctx, unit, image);
  try {
    await tagAll(ctx.docker, br.imageId!, refs);
    const first = refs[0] ? await push(refs[0]) : undefined;
    let rest = refs.slice(1);
    if (image && first && rest.length) {
      const tagged = await tagInRegistry(ctx, image, first, rest);
      for (const ref of tagged) pushed(ref, first, ' (tagged in the registry)');
      rest = rest.filter((ref) => !tagged.includes(ref));
    }
    const results = await eachLimited(rest, PUSH_CONCURRENCY, async (ref) => void (await push(ref)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    // Say exactly which of this repository's tags reached the registry before the failure.
    throw partialPushError(error, refs, br.pushedRefs.filter((r) => refs.includes(r)));
  } finally {
    br.pushedRefs.sort((x, y) => br.refs.indexOf(x) - br.refs.indexOf(y));
  }
}

/**
 * The digest every one of `refs` names in the registry, when that is the image `imageId` (one
 * manifest HEAD a tag, side by side; then, where the digest is not the image id, one manifest
 * read to compare its config); undefined when any tag is missing, names something else, or the
 * registry does not answer (the push then goes ahead as always).
 */
export async function unchangedIn(ctx: Pick<RunContext, 'inputs'>, image: ImageRef, refs: string[], imageId: string): Promise<string | undefined> {
  const credentials = credentialsFor([image], ctx.inputs, process.env.GITHUB_ACTOR);
  const timeoutMs = Math.max(1_000, Math.min(10_000, (remainingMs() ?? Infinity) - 5_000));
  const client = registryClientFor(image.registry, credentials, { timeoutMs, retry: TAG_IN_REGISTRY });
  try {
    const digests = await Promise.all(refs.map((ref) => client.manifestDigest(image.path, splitTag(ref)!.tag)));
    const digest = digests[0];
    if (!digest || digests.some((d) => d !== digest)) return undefined;
    if (digest === imageId) return digest;
    const manifest = JSON.parse(Buffer.from((await client.getManifest(image.path, digest)).bytes).toString()) as { config?: { digest?: string } };
    return manifest.config?.digest === imageId ? digest : undefined;
  } catch (error) {
    core.debug(`Could not compare the tags of ${image.name} with this image: ${getErrorMessage(error)}`);
    return undefined;
  }
}

/** Registry requests of tagInRegistry: one attempt each (`docker push` is there to fall back on). */
const TAG_IN_REGISTRY = { policy: { ...DEFAULT_RETRY, attempts: 1 } };

/**
 * Stores the manifest `digest`, just pushed to `image`, under more tags of that repository,
 * straight in the registry: it is read once and put under each tag (one request a tag, side by
 * side), where a `docker push` a tag would start the CLI and check every layer again. Returns
 * the references done. Needs this run's credentials for the registry; whatever does not work
 * (no credentials, a refusal, a fault, no answer within 10 s) is left to `docker push`, with a
 * log line and no retry here.
 */
export async function tagInRegistry(ctx: Pick<RunContext, 'inputs'>, image: ImageRef, digest: string, refs: string[]): Promise<string[]> {
  const credentials = credentialsFor([image], ctx.inputs, process.env.GITHUB_ACTOR);
  if (!credentials.length) return [];
  const timeoutMs = Math.max(1_000, Math.min(10_000, (remainingMs() ?? Infinity) - 5_000));
  const client = registryClientFor(image.registry, credentials, { timeoutMs, retry: TAG_IN_REGISTRY });
  const done: string[] = [];
  try {
    const manifest = await client.getManifest(image.path, digest);
    const settled = await Promise.allSettled(
      refs.map(async (ref) => {
        const stored = await client.putManifest(image.path, splitTag(ref)!.tag, manifest);
        if (stored !== digest) throw new Error(`the registry stored ${stored} under ${ref}`);
        done.push(ref);
      }),
    );
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) core.info(`Tagging ${digest} in ${image.name} did not work for every name (${getErrorMessage(failed.reason)}): pushing the others with docker push.`);
  } catch (error) {
    core.info(`Could not tag ${digest} in ${image.name} directly (${getErrorMessage(error)}): pushing the other names with docker push.`);
  }
  return refs.filter((ref) => done.includes(ref));
}

/** Names of one image pushed at once, after the first. */
const PUSH_CONCURRENCY = 4;

/** Runs `fn` over the items, at most `limit` at a time; every item runs, and each result is kept. */
export async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<PromiseSettledResult<void>[]> {
  const results: PromiseSettledResult<void>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await fn(items[i]!) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
