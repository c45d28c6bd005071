import * as core from '@actions/core';
import { tagAndPush } from '../engine/push.js';
import type { ImageRef } from '../plan/images.js';
import type { BuildUnit, RunContext } from './run-context.js';

/** The default push step: the tested image under every planned reference (of one repository, when given). */
export async function pushImage(ctx: RunContext, unit: BuildUnit, image?: ImageRef): Promise<void> {
  const br = unit.report;
  for (const ref of br.refs.filter((r) => !image || r.startsWith(`${image.name}:`))) {
    const pushed = await tagAndPush(ctx.docker, br.imageId!, ref);
    br.pushedRefs.push(ref);
    br.digest ??= pushed.digest;
    ctx.report.pushed = true;
    core.info(`Pushed ${ref}@${pushed.digest}`);
  }
}
