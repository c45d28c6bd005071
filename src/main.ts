import * as core from '@actions/core';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGitHubFacts, type Facts } from './context.js';
import { getErrorMessage, UserError } from './errors.js';
import { readInputs, type Inputs } from './inputs.js';
import { checkBuildFiles, runBuild } from './engine/build.js';
import { describeCapabilities, detectCapabilities } from './engine/capabilities.js';
import { Docker } from './engine/docker.js';
import { createDockerConfig, credentialsFor, login, removeDockerConfig } from './engine/login.js';
import { tagAndPush } from './engine/push.js';
import { runTestCommand } from './engine/run.js';
import { describePlan } from './plan/describe.js';
import { makePlan, refsFor, type Plan } from './plan/plan.js';
import { publish, type RunReport } from './phases/report.js';
import { loadState, saveState } from './state.js';

export interface RunOptions {
  /** Facts of the event; read from the GitHub environment when absent. */
  facts?: Facts;
  /** Input reader; core.getInput when absent. */
  getInput?: (name: string) => string;
}

async function timed<T>(report: RunReport, phase: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await core.group(phase, fn);
  } finally {
    report.timings[phase] = (report.timings[phase] ?? 0) + (Date.now() - started) / 1000;
  }
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
  const configDir = createDockerConfig(process.env.RUNNER_TEMP || os.tmpdir());
  saveState({ dockerConfig: configDir });
  const docker = new Docker(configDir);
  const caps = await detectCapabilities(docker, engineVersion);
  report.builder = describeCapabilities(caps);

  const credentials = facts.pr?.fork ? [] : credentialsFor(plan.images, inputs, process.env.GITHUB_ACTOR);
  if (credentials.length) {
    await timed(report, 'login', async () => {
      for (const cred of credentials) await login(docker, cred);
    });
  }

  const workDir = path.join(configDir, 'work');
  for (const [i, build] of plan.builds.entries()) {
    const br = report.builds[i]!;
    const refs = br.refs;
    const result = await timed(report, 'build', () =>
      runBuild(
        docker,
        {
          build,
          inputs,
          localTag: refs[0]!,
          cacheArgs: [],
          iidFile: path.join(workDir, `iid-${i}`),
          metadataFile: path.join(workDir, `metadata-${i}.json`),
        },
        caps,
      ),
    );
    br.imageId = result.imageId;
    br.cachedSteps = result.cachedSteps;
    br.totalSteps = result.totalSteps;
    core.info(`Built ${result.imageId} in ${result.seconds.toFixed(1)}s (${result.cachedSteps}/${result.totalSteps} steps cached).`);

    if (inputs.testCommand) {
      await timed(report, 'test', async () => {
        const started = Date.now();
        const r = await runTestCommand(docker, result.imageId, inputs.testCommand, `autobuild-test-${process.pid}-${i}`);
        const passed = r.code === 0;
        br.tests.push({ name: `test-command: ${inputs.testCommand}`, passed, seconds: (Date.now() - started) / 1000 });
        if (!passed) {
          throw new UserError(`The test command failed (exit ${r.code}) inside ${refs[0]}; nothing was pushed.`);
        }
      });
    }
  }

  if (!plan.push.enabled) {
    core.info(`Not pushing: ${plan.push.reason}.`);
    return;
  }
  await timed(report, 'push', async () => {
    for (const br of report.builds) {
      for (const ref of br.refs) {
        const pushed = await tagAndPush(docker, br.imageId!, ref);
        br.pushedRefs.push(ref);
        br.digest ??= pushed.digest;
        report.pushed = true;
        core.info(`Pushed ${ref}@${pushed.digest}`);
      }
    }
  });
}

/** The post step: log out (remove the private docker config) and never fail the job. */
export async function post(): Promise<void> {
  try {
    const state = loadState();
    if (state.dockerConfig) {
      removeDockerConfig(state.dockerConfig);
      core.info('Logged out: removed the private docker config.');
    }
  } catch (error) {
    core.warning(`Cleanup did not finish: ${getErrorMessage(error)}`);
  }
}
