import * as core from '@actions/core';
import { getErrorMessage } from '../errors.js';
import { credentialsFor } from '../engine/login.js';
import { partialPushError, tagAndPush } from '../engine/push.js';
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
  for (const [tag, reason] of held) core.notice(`Not moving '${tag}' to ${build.release.version}: ${reason}.`);
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
  for (const ref of br.refs.filter((r) => !image || r.startsWith(`${image.name}:`))) {
    if (held.has(ref.slice(ref.lastIndexOf(':') + 1))) continue;
    let pushed;
    try {
      pushed = await tagAndPush(ctx.docker, br.imageId!, ref);
    } catch (error) {
      // Say exactly which tags reached which registry before the failure.
      throw partialPushError(error, br.refs, br.pushedRefs);
    }
    br.pushedRefs.push(ref);
    br.digest ??= pushed.digest;
    ctx.report.pushed = true;
    core.info(`Pushed ${ref}@${pushed.digest}${pushed.attempts > 1 ? ` (after ${pushed.attempts} attempts)` : ''}`);
  }
}
