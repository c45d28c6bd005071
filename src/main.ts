import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGitHubFacts, type Facts } from './context.js';
import { getErrorMessage, UserError } from './errors.js';
import { readInputs, type Inputs, type TimeoutPhase } from './inputs.js';
import { checkBuildFiles } from './engine/build.js';
import { describeCapabilities, detectCapabilities } from './engine/capabilities.js';
import { withinPhase } from './engine/deadline.js';
import { Docker } from './engine/docker.js';
import { credentialsFor, login, removeDockerConfig, reserveDockerConfig, writeDockerConfig } from './engine/login.js';
import { removeRunLeftovers } from './engine/run.js';
import { describePlan } from './plan/describe.js';
import { makePlan, refsFor, type Plan } from './plan/plan.js';
import { buildImage } from './phases/build.js';
import { pushImage } from './phases/push.js';
import { publish, type RunReport } from './phases/report.js';
import { timed, type BuildUnit, type RunContext } from './phases/run-context.js';
import { testImage } from './phases/test.js';
import { loadState, saveState, type PostState } from './state.js';

export interface RunOptions {
  /** Facts of the event; read from the GitHub environment when absent. */
  facts?: Facts;
  /** Input reader; core.getInput when absent. */
  getInput?: (name: string) => string;
}

/** The main step: plan, log in, build, test, push, report. Returns the report (also on failure). */
export async function run(options: RunOptions = {}): Promise<RunReport> {
  const report: RunReport = { builds: [], timings: {}, pushed: false };
  try {
    const facts = options.facts ?? (await readGitHubFacts());
    report.facts = facts;
    const inputs = readInputs(facts.workspace, options.getInput);
    const plan = makePlan(facts, inputs);
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
    await core.group('Plan', async () => {
      for (const line of describePlan(facts, plan)) core.info(line);
    });
    if (plan.skipped) {
      core.notice(`autobuild: nothing to build: ${plan.skipped}.`);
      return report;
    }
    for (const b of plan.builds) checkBuildFiles(b);
    await pipeline(facts, inputs, plan, report);
  } catch (error) {
    report.error = getErrorMessage(error);
    core.setFailed(report.error);
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack);
  } finally {
    try {
      await publish(report);
    } catch (error) {
      core.warning(`Could not write outputs or the job summary: ${getErrorMessage(error)}`);
    }
  }
  return report;
}

async function pipeline(facts: Facts, inputs: Inputs, plan: Plan, report: RunReport): Promise<void> {
  const engineVersion = await new Docker().requireEngine();
  // The post step must find the config even if this step is cancelled at any later point:
  // its path is saved while the folder is still empty, before it holds any credential.
  const runId = randomBytes(4).toString('hex');
  const configDir = reserveDockerConfig(process.env.RUNNER_TEMP || os.tmpdir());
  saveState({ dockerConfig: configDir, runId });
  writeDockerConfig(configDir);
  const docker = new Docker(configDir, runId);
  const caps = await detectCapabilities(docker, engineVersion);
  report.builder = describeCapabilities(caps);
  const ctx: RunContext = { facts, inputs, plan, docker, caps, report, workDir: path.join(configDir, 'work') };

  // Each phase runs within its time limit (input `timeout`).
  const phase = <T>(name: TimeoutPhase, fn: () => Promise<T>): Promise<T> =>
    timed(report, name, () => withinPhase(name, inputs.timeout[name], fn));

  const credentials = facts.pr?.fork ? [] : credentialsFor(plan.images, inputs, process.env.GITHUB_ACTOR);
  if (credentials.length) {
    await phase('login', async () => {
      for (const cred of credentials) await login(docker, cred);
    });
  }

  const units: BuildUnit[] = plan.builds.map((build, index) => ({ index, build, report: report.builds[index]! }));
  // Every build is built and tested before anything is pushed.
  for (const unit of units) {
    await phase('build', () => buildImage(ctx, unit));
    await phase('test', () => testImage(ctx, unit));
  }
  if (!plan.push.enabled) {
    core.info(`Not pushing: ${plan.push.reason}.`);
    return;
  }
  for (const unit of units) await phase('push', () => pushImage(ctx, unit));
}

/**
 * The post step: log out (remove the private docker config with its credentials), then remove
 * what a cancelled or failed run left behind (its test containers, its run-local image names).
 * Runs also when the main step failed or was cancelled, and never fails the job.
 */
export async function post(): Promise<void> {
  let state: PostState = {};
  try {
    state = loadState();
  } catch (error) {
    core.warning(`Could not read the main step's state: ${getErrorMessage(error)}`);
  }
  if (state.dockerConfig) {
    try {
      removeDockerConfig(state.dockerConfig);
      core.info('Logged out: removed the private docker config.');
    } catch (error) {
      core.warning(`Could not remove the private docker config ${state.dockerConfig}: ${getErrorMessage(error)}`);
    }
  }
  if (state.runId) {
    try {
      const left = await removeRunLeftovers(new Docker(), state.runId);
      if (left.containers) core.info(`Removed ${left.containers} container${left.containers === 1 ? '' : 's'} left by this run.`);
      if (left.tags) core.debug(`Untagged ${left.tags} run-local image name${left.tags === 1 ? '' : 's'}.`);
    } catch (error) {
      core.warning(`Cleanup did not finish: ${getErrorMessage(error)}`);
    }
  }
}
