import * as core from '@actions/core';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGitHubFacts, type Facts } from './context.js';
import { getErrorMessage, UserError } from './errors.js';
import { readInputs, type Inputs } from './inputs.js';
import { checkBuildFiles } from './engine/build.js';
import { describeCapabilities, detectCapabilities } from './engine/capabilities.js';
import { removeProjects } from './engine/compose.js';
import { Docker } from './engine/docker.js';
import { createDockerConfig, credentialsFor, login, removeDockerConfig } from './engine/login.js';
import { describePlan } from './plan/describe.js';
import { makePlan, refsFor, type Plan } from './plan/plan.js';
import { planCache } from './plan/cache.js';
import { buildImage } from './phases/build.js';
import { removePreview } from './phases/cleanup.js';
import { describeDockerHub, findHooks, HookRunner, type HookSet } from './phases/hooks.js';
import { describeImage } from './phases/image.js';
import { publishPreview } from './phases/preview.js';
import { gatePush } from './phases/push-gate.js';
import { announceCache } from './phases/cache.js';
import { pushImage } from './phases/push.js';
import { publish, type RunReport } from './phases/report.js';
import { timed, type BuildUnit, type RunContext } from './phases/run-context.js';
import { autotestsFor, checkAutotests, testImage } from './phases/test.js';
import { loadState, saveState } from './state.js';

export interface RunOptions {
  /** Facts of the event; read from the GitHub environment when absent. */
  facts?: Facts;
  /** Input reader; core.getInput when absent. */
  getInput?: (name: string) => string;
}

/** The main step: plan, log in, build, test, push, report. Returns the report (also on failure). */
export async function run(options: RunOptions = {}): Promise<RunReport> {
  const report: RunReport = { builds: [], timings: {}, pushed: false };
  let inputs: Inputs | undefined;
  try {
    const facts = options.facts ?? (await readGitHubFacts());
    report.facts = facts;
    inputs = readInputs(facts.workspace, options.getInput);
    const plan = makePlan(facts, inputs);
    plan.push = gatePush(plan.push, facts, inputs, plan.images, credentialsFor(plan.images, inputs, process.env.GITHUB_ACTOR));
    report.push = plan.push;
    report.skipped = plan.skipped;
    report.builds = plan.builds.map((build) => ({
      name: build.name,
      tags: build.tags.map((t) => ({ ...t })),
      refs: refsFor(plan.images, build.tags),
      pushedRefs: [],
      version: build.version,
      labels: build.labels,
      tests: [],
    }));
    // Docker Hub files next to each Dockerfile: hooks/ and the autotest compose files.
    const { hooks: hookMode, testCompose } = inputs;
    const hooks = plan.builds.map((b) => findHooks(b, hookMode));
    const autotests = plan.builds.map((b, i) => autotestsFor(b, testCompose, hooks[i]!));
    await core.group('Plan', async () => {
      for (const line of describePlan(facts, plan)) core.info(line);
      plan.builds.forEach((b, i) => describeDockerHub(b.name, hooks[i]!, autotests[i]!, facts.workspace).forEach((l) => core.info(l)));
    });
    if (plan.cleanup) {
      const cleanup = plan.cleanup;
      const credentials = credentialsFor(plan.images, inputs, process.env.GITHUB_ACTOR);
      report.cleanup = await timed(report, 'cleanup', () => removePreview(plan.images, cleanup, credentials));
    }
    if (plan.skipped) {
      core.notice(`autobuild: nothing to build: ${plan.skipped}.`);
      return report;
    }
    for (const b of plan.builds) checkBuildFiles(b);
    for (const files of autotests) checkAutotests(files, facts.workspace);
    await pipeline(facts, inputs, plan, report, hooks, autotests);
  } catch (error) {
    report.error = getErrorMessage(error);
    core.setFailed(report.error);
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack);
  } finally {
    if (report.facts && inputs) await publishPreview(report.facts, inputs, report);
    try {
      await publish(report);
    } catch (error) {
      core.warning(`Could not write outputs or the job summary: ${getErrorMessage(error)}`);
    }
  }
  return report;
}

async function pipeline(facts: Facts, inputs: Inputs, plan: Plan, report: RunReport, hookSets: HookSet[], autotests: string[][]): Promise<void> {
  const engineVersion = await new Docker().requireEngine();
  const configDir = createDockerConfig(process.env.RUNNER_TEMP || os.tmpdir());
  saveState({ dockerConfig: configDir });
  const docker = new Docker(configDir);
  const caps = await detectCapabilities(docker, engineVersion);
  report.builder = describeCapabilities(caps);
  const cache = planCache(caps, facts, inputs, plan, { homeDir: os.homedir() });
  announceCache(report, cache, caps);
  const ctx: RunContext = { facts, inputs, plan, docker, caps, report, cache, workDir: path.join(configDir, 'work') };

  const credentials = facts.pr?.fork ? [] : credentialsFor(plan.images, inputs, process.env.GITHUB_ACTOR);
  if (credentials.length) {
    await timed(report, 'login', async () => {
      for (const cred of credentials) await login(docker, cred);
    });
  }

  const units: BuildUnit[] = plan.builds.map((build, index) => ({ index, build, report: report.builds[index]! }));
  // Every build is built and tested before anything is pushed. Docker Hub hooks run around
  // each step; hooks/build, hooks/test and hooks/push replace the default one.
  const hooks = new HookRunner(ctx, hookSets);
  for (const unit of units) {
    await hooks.run(unit, 'post_checkout');
    await hooks.run(unit, 'pre_build');
    if (!(await hooks.build(unit))) await timed(report, 'build', () => buildImage(ctx, unit));
    await describeImage(ctx, unit);
    await hooks.run(unit, 'post_build');
    await hooks.run(unit, 'pre_test');
    await timed(report, 'test', () => testImage(ctx, unit, autotests[unit.index]), false);
    await hooks.run(unit, 'test');
    await hooks.run(unit, 'post_test');
  }
  if (!plan.push.enabled) {
    core.info(`Not pushing: ${plan.push.reason}.`);
    return;
  }
  // Push hooks run once per repository, with that repository as DOCKER_REPO.
  for (const unit of units) {
    for (const image of plan.images) {
      await hooks.run(unit, 'pre_push', image);
      if (await hooks.run(unit, 'push', image)) core.info(`hooks/push replaced the push to ${image.name}.`);
      else await timed(report, 'push', () => pushImage(ctx, unit, image));
      await hooks.run(unit, 'post_push', image);
    }
  }
}

/** The post step: log out (remove the private docker config) and never fail the job. */
export async function post(): Promise<void> {
  try {
    const state = loadState();
    if (state.composeProjects) {
      const removed = await removeProjects(new Docker(state.dockerConfig), state.composeProjects);
      if (removed.length) core.info(`Removed compose test projects left by the main step: ${removed.join(', ')}.`);
    }
    if (state.dockerConfig) {
      removeDockerConfig(state.dockerConfig);
      core.info('Logged out: removed the private docker config.');
    }
  } catch (error) {
    core.warning(`Cleanup did not finish: ${getErrorMessage(error)}`);
  }
}
