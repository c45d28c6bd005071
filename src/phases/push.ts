import * as core from '@actions/core';
import { partialPushError, tagAndPush } from '../engine/push.js';
import type { BuildUnit, RunContext } from './run-context.js';

/** The default push step: the tested image under every planned reference. */
export async function pushImage(ctx: RunContext, unit: BuildUnit): Promise<void> {
  const br = unit.report;
  for (const ref of br.refs) {
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
