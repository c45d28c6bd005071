import * as core from '@actions/core';
import { getErrorMessage } from '../errors.js';
import { credentialsFor } from '../engine/login.js';
import { partialPushError, tagAll, tagAndPush } from '../engine/push.js';
import { RegistryClient } from '../engine/registry.js';
import type { ImageRef } from '../plan/images.js';
import { heldMovingTags, releasesIn, type Listing } from '../plan/semver.js';
import type { BuildUnit, RunContext } from './run-context.js';

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
    const cred = credentials.find((c) => c.registry === image.registry);
    try {
      const client = new RegistryClient({ registry: image.registry, credentials: cred && { username: cred.username, password: cred.password } });
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
 * The default push step: the tested image under every planned reference (of one repository, when
 * given), but no moving tag that would go backwards. The guard looks at every repository once per
 * build, so a newer release in any of them holds the tag back in all of them.
 */
export async function pushImage(ctx: RunContext, unit: BuildUnit, image?: ImageRef): Promise<void> {
  const br = unit.report;
  if (!unit.guarded) {
    unit.guarded = true;
    const held = await guardMovingTags(ctx, unit);
    for (const t of br.tags) {
      const reason = held.get(t.tag);
      if (reason) t.held = reason;
    }
  }
  const held = new Set(br.tags.filter((t) => t.held).map((t) => t.tag));
  const refs = br.refs.filter((r) => (!image || r.startsWith(`${image.name}:`)) && !held.has(r.slice(r.lastIndexOf(':') + 1)));
  // Each name goes up once per image, the first on its own: it uploads the layers. The others
  // then only add a manifest each, and go side by side (PUSH_CONCURRENCY at a time).
  const push = async (ref: string): Promise<void> => {
    const pushed = await tagAndPush(ctx.docker, br.imageId!, ref, undefined, undefined, true);
    br.pushedRefs.push(ref);
    br.digest ??= pushed.digest;
    ctx.report.pushed = true;
    core.info(`Pushed ${ref}@${pushed.digest}${pushed.attempts > 1 ? ` (after ${pushed.attempts} attempts)` : ''}`);
  };
  try {
    await tagAll(ctx.docker, br.imageId!, refs);
    if (refs[0]) await push(refs[0]);
    const results = await eachLimited(refs.slice(1), PUSH_CONCURRENCY, push);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    // Say exactly which of this repository's tags reached the registry before the failure.
    throw partialPushError(error, refs, br.pushedRefs.filter((r) => refs.includes(r)));
  } finally {
    br.pushedRefs.sort((x, y) => br.refs.indexOf(x) - br.refs.indexOf(y));
  }
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
