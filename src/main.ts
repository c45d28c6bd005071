import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGitHubFacts, type Facts } from './context.js';
import { getErrorMessage, UserError } from './errors.js';
import { inputsNeedYaml, readInputs, type Inputs, type TimeoutPhase } from './inputs.js';
import { checkBuildFiles } from './engine/build.js';
import { buildxVersion, describeCapabilities, detectCapabilities } from './engine/capabilities.js';
import { checkCompression } from './engine/compression.js';
import { withinPhase } from './engine/deadline.js';
import { Docker } from './engine/docker.js';
import { checkPlatforms } from './engine/platforms.js';
import { credentialsFor, login, removeDockerConfig, reserveDockerConfig, writeDockerConfig } from './engine/login.js';
import { describePlan } from './plan/describe.js';
import { makePlan, refsFor, type Plan } from './plan/plan.js';
import { chooseBackend, planCache } from './plan/cache.js';
import { untrusted } from './plan/trust.js';
import { buildImage, removeLoadedNames } from './phases/build.js';
import { removePreview } from './phases/cleanup.js';
import { describeDockerHub, findHooks, HookRunner, type HookSet } from './phases/hooks.js';
import { describeImage } from './phases/image.js';
import { publishPreview } from './phases/preview.js';
import { gatePush } from './phases/push-gate.js';
import { announceCache, cacheReadAccess } from './phases/cache.js';
import { pushImage } from './phases/push.js';
import { publish, type RunReport } from './phases/report.js';
import { checkDiskSpace } from './phases/sizes.js';
import { timed, type BuildUnit, type RunContext } from './phases/run-context.js';
import { autotestsFor, checkAutotests, testImage, testPlatforms } from './phases/test.js';
import { saveState } from './state.js';
import { loadYaml } from './yaml.js';

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
    if (inputsNeedYaml(options.getInput)) await loadYaml();
    inputs = readInputs(facts.workspace, options.getInput);
    const plan = makePlan(facts, inputs);
    // The plan says so: code that is not a writer's gets no build secrets.
    if (untrusted(plan.trust)) inputs = { ...inputs, secrets: [] };
    report.trust = plan.trust;
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
    // They run on the runner: for code that is not a writer's, only when the workflow allows it.
    const { hooks: hookMode, testCompose } = inputs;
    const found = plan.builds.map((b) => findHooks(b, hookMode));
    const foundTests = plan.builds.map((b, i) => autotestsFor(b, testCompose, found[i]!));
    const onHost = plan.hostCode !== 'off';
    const hooks = onHost ? found : found.map((): HookSet => new Map());
    const autotests = onHost ? foundTests : foundTests.map((): string[] => []);
    await core.group('Plan', async () => {
      for (const line of describePlan(facts, plan)) core.info(line);
      plan.builds.forEach((b, i) =>
        describeDockerHub(b.name, found[i]!, foundTests[i]!, facts.workspace, onHost ? undefined : plan.trust.why).forEach((l) => core.info(l)),
      );
    });
    for (const image of plan.images.filter((i) => i.lowercased)) core.notice(`autobuild: image '${image.input}' was lower-cased to ${image.name} (repository names must be lower case).`);
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
    if (autotests.some((files) => files.length)) await loadYaml();
    for (const files of autotests) checkAutotests(files, facts.workspace);
    await pipeline(facts, inputs, plan, report, hooks, autotests);
  } catch (error) {
    report.error = getErrorMessage(error);
    core.setFailed(report.error);
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack);
  } finally {
    // The run-local image names go once nothing needs them any more (until the pushes are done,
    // they are the only names of the image no other run can move), then the credentials: the
    // step logs out itself. What cannot be removed stays in the state for the post step.
    await removeLoadedNames();
    logOut();
    if (report.facts && inputs) await publishPreview(report.facts, inputs, report);
    try {
      await publish(report);
    } catch (error) {
      core.warning(`Could not write outputs or the job summary: ${getErrorMessage(error)}`);
    }
  }
  return report;
}

/** This run's private docker config, while it exists. */
let privateConfig: string | undefined;

/** Removes the private docker config with the run's logins (the post step checks again). */
function logOut(): void {
  if (!privateConfig) return;
  try {
    removeDockerConfig(privateConfig);
    privateConfig = undefined;
    core.info('Logged out: removed the private docker config.');
  } catch (error) {
    core.warning(`Could not remove the private docker config ${privateConfig} (the post step tries again): ${getErrorMessage(error)}`);
  }
}

async function pipeline(facts: Facts, inputs: Inputs, plan: Plan, report: RunReport, hookSets: HookSet[], autotests: string[][]): Promise<void> {
  // Where the docker CLI would talk to a local socket, the quick questions (info, inspect, tag,
  // untag) go to the engine's API on it; the buildx plugin is asked meanwhile.
  const api = Docker.localApi();
  const asking = new Docker(undefined, undefined, api);
  const answering = asking.requireEngine();
  const buildx = api ? buildxVersion(asking) : undefined;
  buildx?.catch(() => undefined); // awaited below, unless the engine is not there
  const engine = await answering;
  // The post step must find the config even if this step is cancelled at any later point:
  // its path is saved while the folder is still empty, before it holds any credential.
  const runId = randomBytes(4).toString('hex');
  const configDir = reserveDockerConfig(process.env.RUNNER_TEMP || os.tmpdir());
  privateConfig = configDir;
  saveState({ dockerConfig: configDir, runId });
  writeDockerConfig(configDir);
  const docker = new Docker(configDir, runId, api);
  const caps = await detectCapabilities(docker, engine, process.env, buildx);
  report.builder = describeCapabilities(caps);
  // Every platform asked for can be built and run here (an emulator where the CPU is not native).
  await checkPlatforms(docker, caps, inputs.platforms);
  // A compression the engine cannot keep fails here, before any login or build.
  checkCompression(inputs.compression, caps);
  // Code that is not a writer's logs in nowhere (its build could use the logins: private base
  // images, the cache), unless the workflow asked for its push. The registry cache is read only
  // where this run can read (credentials, or a repository the registry lets anyone read).
  const credentials = untrusted(plan.trust) && !plan.push.enabled ? [] : credentialsFor(plan.images, inputs, process.env.GITHUB_ACTOR);
  // The disk check asks the registry for the previous image while the run logs in; awaited before the build.
  const disk = checkDiskSpace({ info: engine.info, local: api !== undefined, plan, platforms: inputs.platforms, credentials, report });
  const read = await cacheReadAccess(chooseBackend(caps, inputs.cache).backend, plan.images[0], credentials, configDir);
  const cache = planCache(caps, facts, inputs, plan, { homeDir: os.homedir(), read });
  announceCache(report, cache, caps);
  const ctx: RunContext = { facts, inputs, plan, docker, caps, report, cache, workDir: path.join(configDir, 'work'), loginFailures: new Map() };

  // Each phase runs within its time limit (input `timeout`). `within` bounds a phase together
  // with its Docker Hub hooks: they share one budget (see the build, test and push steps below).
  const within = <T>(name: TimeoutPhase, fn: () => Promise<T>): Promise<T> => withinPhase(name, inputs.timeout[name], fn);
  const phase = <T>(name: TimeoutPhase, fn: () => Promise<T>): Promise<T> => timed(report, name, () => within(name, fn));

  // With several registries, one that refuses the login does not stop the others: the image is
  // still built, tested and pushed where it can be, and the step fails at the end.
  const { loginFailures } = ctx;
  if (credentials.length) {
    await phase('login', async () => {
      for (const cred of credentials) {
        try {
          await login(docker, cred);
        } catch (error) {
          if (credentials.length === 1 || !(error instanceof UserError)) throw error;
          core.error(error.message, { title: `Login to ${cred.registry} failed` });
          loginFailures.set(cred.registry, error.message);
        }
      }
      if (loginFailures.size === credentials.length) throw new UserError([...loginFailures.values()].join('\n'));
    });
  }

  await disk;
  const units: BuildUnit[] = plan.builds.map((build, index) => ({ index, build, report: report.builds[index]! }));
  // Every build is built and tested before anything is pushed. Docker Hub hooks run around
  // each step; hooks/build, hooks/test and hooks/push replace the default one. A step and its
  // hooks share the step's time limit, counted as the step is: once per build (push: once per
  // build and repository). So `timeout: build=60m` bounds post_checkout to post_build together.
  const hooks = new HookRunner(ctx, hookSets);
  for (const unit of units) {
    let described: Promise<void> | undefined;
    await within('build', async () => {
      await hooks.run(unit, 'post_checkout');
      await hooks.run(unit, 'pre_build');
      if (!(await hooks.build(unit))) await timed(report, 'build', () => buildImage(ctx, unit));
      // Size and base image, for the summary: asked of the engine while the test runs.
      described = describeImage(ctx, unit);
      await hooks.run(unit, 'post_build');
    });
    try {
      await within('test', async () => {
        await hooks.run(unit, 'pre_test');
        await timed(report, 'test', () => testImage(ctx, unit, autotests[unit.index]), false);
        // hooks/test runs once a platform, with DOCKER_DEFAULT_PLATFORM naming it (docker run and
        // Compose then use that platform's image).
        for (const platform of testPlatforms(inputs.platforms)) await hooks.run(unit, 'test', undefined, platform);
        await hooks.run(unit, 'post_test');
      });
    } finally {
      await described;
    }
  }
  if (!plan.push.enabled) {
    core.info(`Not pushing: ${plan.push.reason}.`);
    return;
  }
  // Push hooks run once per repository, with that repository as DOCKER_REPO. A repository that
  // fails does not stop the others: every result is reported, then the step fails.
  const failures: string[] = [];
  for (const unit of units) {
    for (const image of plan.images) {
      const refused = loginFailures.get(image.registry);
      if (refused) {
        failures.push(`${image.name}: not pushed, ${refused}`);
        continue;
      }
      try {
        await within('push', async () => {
          await hooks.nameForPush(unit, image);
          await hooks.run(unit, 'pre_push', image);
          if (await hooks.run(unit, 'push', image)) core.info(`hooks/push replaced the push to ${image.name}.`);
          else await timed(report, 'push', () => pushImage(ctx, unit, image));
          await hooks.run(unit, 'post_push', image);
        });
      } catch (error) {
        if (plan.images.length === 1) throw error;
        failures.push(`${image.name}: ${getErrorMessage(error)}`);
      }
    }
  }
  if (failures.length) {
    const pushed = report.builds.flatMap((b) => b.pushedRefs);
    throw new UserError(
      `Pushing failed for ${failures.length === 1 ? 'one repository' : `${failures.length} repositories`}:\n${failures.map((f) => `- ${f}`).join('\n')}\n${
        pushed.length ? `These references were pushed:\n${pushed.map((r) => `- ${r}`).join('\n')}` : 'Nothing was pushed.'
      }`,
    );
  }
}

/** The post step lives in post.ts, so that step loads only what it needs. */
export { post } from './post.js';
