import * as core from '@actions/core';
import * as path from 'node:path';
import { runBuild } from '../engine/build.js';
import { buildWithCache } from './cache.js';
import type { BuildUnit, RunContext } from './run-context.js';

/** The default build step: one `docker buildx build`, loaded into the engine under a name unique to this run. */
export async function buildImage(ctx: RunContext, unit: BuildUnit): Promise<void> {
  const { build, report: br, index } = unit;
  const result = await buildWithCache(ctx, unit, (cacheArgs) =>
    runBuild(
      ctx.docker,
      {
        build,
        inputs: ctx.inputs,
        localTag: ctx.docker.localTag(br.refs[0]!, index),
        // Also under its first reference, for later steps of the job; the pipeline itself uses the id.
        alsoTag: br.refs[0]!,
        cacheArgs,
        iidFile: path.join(ctx.workDir, `iid-${index}`),
        metadataFile: path.join(ctx.workDir, `metadata-${index}.json`),
      },
      ctx.caps,
    ),
  );
  br.imageId = result.imageId;
  unit.image = result.facts;
  br.cachedSteps = result.cachedSteps;
  br.totalSteps = result.totalSteps;
  core.info(`Built ${result.imageId} in ${result.seconds.toFixed(1)}s (${result.cachedSteps}/${result.totalSteps} steps cached).`);
}
