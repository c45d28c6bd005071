import * as core from '@actions/core';
import * as path from 'node:path';
import { BuildFailed, pullsBasesAfresh, runBuild } from '../engine/build.js';
import { checksFromLog, checksFromMetadata, checkViolation, describeCheck } from '../engine/checks.js';
import { getErrorMessage, UserError } from '../errors.js';
import type { Docker } from '../engine/docker.js';
import { removeLocalTags } from '../engine/run.js';
import { saveState } from '../state.js';
import { buildWithCache, pushedBefore } from './cache.js';
import { recordBases } from './rebuild.js';
import type { BuildUnit, RunContext } from './run-context.js';

/** Run-local names builds were loaded under and not yet removed; the post step removes what is left. */
const loaded = new Set<string>();
let loadedBy: Docker | undefined;

function rememberLoaded(): void {
  saveState({ localTags: loaded.size ? JSON.stringify([...loaded]) : '' });
}

/**
 * The run-local name of a build (Docker.localTag), recorded before the engine gets it, so that
 * the end of the main step (or the post step) removes it whatever happens next.
 */
function reserveLocalName(ctx: RunContext, unit: BuildUnit): string {
  const localTag = ctx.docker.localTag(unit.report.refs[0]!, unit.index);
  loaded.add(localTag);
  loadedBy = ctx.docker;
  rememberLoaded();
  unit.localRef = localTag;
  return localTag;
}

/** Gives an image built by other means (hooks/build) the run-local name the default build loads under. */
export async function tagLocalName(ctx: RunContext, unit: BuildUnit, image: string): Promise<string> {
  const localTag = reserveLocalName(ctx, unit);
  await ctx.docker.tag(image, localTag);
  return localTag;
}

/** The default build step: one `docker buildx build`, loaded into the engine under a name unique to this run. */
export async function buildImage(ctx: RunContext, unit: BuildUnit): Promise<void> {
  const { build, report: br, index } = unit;
  const localTag = reserveLocalName(ctx, unit);
  const metadataFile = path.join(ctx.workDir, `metadata-${index}.json`);
  if (pullsBasesAfresh(ctx.inputs.platforms, ctx.caps)) {
    core.info(
      `Base images are pulled afresh for ${ctx.inputs.platforms.join(', ')}: the builder of Docker ${ctx.caps.engineVersion} (BuildKit ${ctx.caps.buildkit}) would take a base image stored locally for the engine's own platform for every platform.`,
    );
  }
  // Asked while the bases are looked up: whether this commit's image and cache are there already.
  const before = pushedBefore(ctx, unit).catch(() => undefined);
  // The base images' digests go into the labels: what rebuild: base-changed compares next time.
  await recordBases(ctx, unit);
  let result;
  try {
    result = await buildWithCache(
      ctx,
      unit,
      (cacheArgs) =>
        runBuild(
          ctx.docker,
          { build, inputs: ctx.inputs, localTag, cacheArgs, iidFile: path.join(ctx.workDir, `iid-${index}`), metadataFile, pull: ctx.inputs.rebuild === 'base-changed' },
          ctx.caps,
        ),
      before,
    );
  } catch (error) {
    throw checkFailure(ctx, unit, error) ?? error;
  }
  br.imageId = result.imageId;
  unit.image = result.facts;
  reportChecks(ctx, unit, checksFromMetadata(metadataFile) ?? checksFromLog(result.log));
  // Also under its first reference, for later steps of the job (the pipeline itself uses the id).
  // Named after the build, not by it: BuildKit fails a build whose name another run on this
  // engine creates at the same moment, and the engine's tag replaces a name.
  if (br.refs[0]) {
    await ctx.docker.tag(result.imageId, br.refs[0]).catch((error: unknown) => core.info(`Could not name the image ${br.refs[0]}: ${getErrorMessage(error)}`));
  }
  br.cachedSteps = result.cachedSteps;
  br.totalSteps = result.totalSteps;
  core.info(`Built ${result.imageId} in ${result.seconds.toFixed(1)}s (${result.cachedSteps}/${result.totalSteps} steps cached).`);
}

/** The build's check findings, into its report (annotations and summary come from there) and the log. */
function reportChecks(ctx: RunContext, unit: BuildUnit, checks: ReturnType<typeof checksFromLog>, failed = false): void {
  const br = unit.report;
  br.checkFile = path.relative(ctx.facts.workspace, unit.build.file) || unit.build.file;
  if (!ctx.caps.buildChecks) {
    br.checksNote = ctx.inputs.check === 'off' ? undefined : `not run: ${ctx.caps.buildChecksNote ?? 'the builder has none'}`;
    if (br.checksNote) core.info(`Dockerfile checks: ${br.checksNote}.`);
    return;
  }
  if (ctx.inputs.check === 'off') {
    br.checksNote = 'off (input check)';
    return;
  }
  br.checks = checks.map((c) => ({ ...c, level: failed || ctx.inputs.check === 'error' ? 'error' : 'warning' }));
  core.info(checks.length ? `Dockerfile checks: ${checks.length} finding${checks.length === 1 ? '' : 's'} in ${br.checkFile}: ${checks.map(describeCheck).join(', ')}.` : `Dockerfile checks: no findings in ${br.checkFile}.`);
}

/**
 * A build that failed on its checks (`check: error`, or the Dockerfile's own `# check=error=true`):
 * the findings as errors on their lines, and one message naming them. Undefined for other failures.
 */
function checkFailure(ctx: RunContext, unit: BuildUnit, error: unknown): UserError | undefined {
  if (!(error instanceof BuildFailed)) return undefined;
  const rules = checkViolation(error.log);
  if (!rules) return undefined;
  const checks = checksFromLog(error.log);
  reportChecks(ctx, unit, checks, true);
  // Every rule BuildKit names, with its line where its log gave the finding (a busy builder's log
  // can lack some findings).
  const found = [...checks.map(describeCheck), ...rules.filter((r) => !checks.some((c) => c.rule === r))].join(', ');
  const why = ctx.inputs.check === 'error' ? "input 'check' is 'error'" : `the Dockerfile's own check directive makes findings errors`;
  return new UserError(`The build of ${unit.build.name} failed its Dockerfile checks (${why}): ${found} in ${unit.report.checkFile}. Fix them, or set check: warn to report them without failing.`);
}

/**
 * At the end of the main step, also after a failure: removes the run-local names (the images keep
 * their other names). Never throws: what it cannot remove stays in the state for the post step.
 */
export async function removeLoadedNames(): Promise<void> {
  if (!loaded.size || !loadedBy) return;
  try {
    if (!(await removeLocalTags(loadedBy, [...loaded]))) return;
  } catch {
    return;
  }
  loaded.clear();
  rememberLoaded();
}
