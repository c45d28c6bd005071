import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGitHubFacts, type Facts } from './context.js';
import { getErrorMessage, UserError } from './errors.js';
import { inputsNeedYaml, readInputs, type Inputs, type TimeoutPhase } from './inputs.js';
import { buildxVersion, describeCapabilities, detectCapabilities } from './engine/capabilities.js';
import { checkCompression } from './engine/compression.js';
import { withinPhase } from './engine/deadline.js';
import { Docker } from './engine/docker.js';
import { buildsEachPlatform, checkPlatforms } from './engine/platforms.js';
import { credentialsFor, login, removeDockerConfig, reserveDockerConfig, writeDockerConfig } from './engine/login.js';
import { makePlan, refsFor, type Plan } from './plan/plan.js';
import { chooseBackend, planCache } from './plan/cache.js';
import { untrusted } from './plan/trust.js';
import { buildImage, removeLoadedNames } from './phases/build.js';
import { removePreview } from './phases/cleanup.js';
import { removeHookBuilders } from './phases/hook-tools.js';
import { HookRunner, type HookSet } from './phases/hooks.js';
import { describeImage } from './phases/image.js';
import { checkPlanFiles, dockerHubFiles, planGroupLines } from './phases/plan-group.js';
import { publishPreview } from './phases/preview.js';
import { nothingMoved } from './phases/rebuild.js';
import { gatePush } from './phases/push-gate.js';
import { announceCache, cacheReadAccess } from './phases/cache.js';
import { pushImage } from './phases/push.js';
import { updateHubDescription } from './phases/hub-description.js';
import { meet, meetingOf, pushPlatforms, pushShare, reportFailed, reportUnreported, tagIndex } from './phases/distribute.js';
import { checkMeetingPlace } from './phases/meeting.js';
import { publish, type RunReport } from './phases/report.js';
import { checkDiskSpace } from './phases/sizes.js';
import { timed, type BuildUnit, type RunContext } from './phases/run-context.js';
import { testImage, testPlatforms } from './phases/test.js';
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
  let distributed: { facts: Facts; plan: Plan } | undefined;
  try {
    const facts = options.facts ?? (await readGitHubFacts());
    report.facts = facts;
    if (inputsNeedYaml(options.getInput)) await loadYaml();
    inputs = readInputs(facts.workspace, options.getInput);
    const plan = makePlan(facts, inputs);
    if (plan.distribution) distributed = { facts, plan };
    // A job of a distributed image builds, tests and pushes its share of the platforms alone; the
    // jobs must have a place to meet before any of them starts work.
    if (plan.distribution) {
      if (plan.push.enabled) checkMeetingPlace();
      inputs = { ...inputs, platforms: plan.distribution.share };
    }
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
    const files = dockerHubFiles(plan, inputs);
    const { hooks, autotests } = files;
    if (plan.distribution && plan.push.enabled) refusePushHooks(hooks, "Input 'distribute'");
    const lines = planGroupLines(facts, inputs, plan, files);
    await core.group('Plan', async () => {
      for (const line of lines) core.info(line);
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
    // rebuild: base-changed: the registries are asked first; nothing moved, nothing to do.
    if (await nothingMoved(facts, inputs, plan, report)) return report;
    await checkPlanFiles(plan, autotests, facts.workspace);
    await pipeline(facts, inputs, plan, report, hooks, autotests);
    // Once every push succeeded: the README as the Docker Hub description (never fails the step).
    await updateHubDescription(facts, inputs, plan, report);
  } catch (error) {
    report.error = getErrorMessage(error);
    core.setFailed(report.error);
    // The other jobs of a distributed image learn that this one's share failed: no tag moves.
    if (distributed) {
      const workDir = path.join(process.env.RUNNER_TEMP || os.tmpdir(), `autobuild-meeting-${process.pid}`);
      await reportUnreported({ ...distributed, workDir }, error);
      fs.rmSync(workDir, { recursive: true, force: true });
    }
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack);
  } finally {
    // The run-local image names go once nothing needs them any more (until the pushes are done,
    // they are the only names of the image no other run can move), then the credentials: the
    // step logs out itself. What cannot be removed stays in the state for the post step.
    await removeLoadedNames();
    // Builders the hooks created go with the run, as on Docker Hub (their state is in the private config).
    await removeHookBuilders(privateConfig);
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
  // The classic image store holds one platform of an image: each platform is built, tested and
  // pushed on its own there, and the index is put together in the registry.
  const eachPlatform = buildsEachPlatform(caps, inputs.platforms);
  if (eachPlatform) {
    if (hookSets.some((set) => set.has('build'))) {
      throw new UserError(
        `Input 'platforms' asks for ${inputs.platforms.length} platforms (${inputs.platforms.join(', ')}), but this engine keeps images in the classic image store, where autobuild builds each platform on its own, and hooks/build builds one image: turn on the containerd image store (dockerd's "features": {"containerd-snapshotter": true}), or build one platform a job (input distribute).`,
      );
    }
    if (plan.push.enabled) refusePushHooks(hookSets, "Input 'platforms' on the classic image store");
    core.info(`The classic image store holds one platform of an image: ${inputs.platforms.join(', ')} are built and tested one after the other, each pushed by digest, then one index is tagged.`);
  }

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
  const onePlatform = (platform: string): RunContext => ({ ...ctx, inputs: { ...ctx.inputs, platforms: [platform] } });
  for (const unit of units) {
    try {
      await buildAndTest(unit);
    } catch (error) {
      // The other jobs of a distributed image learn that this share failed: no tag moves.
      await reportFailed(ctx, unit, error);
      throw error;
    }
  }
  async function buildAndTest(unit: BuildUnit): Promise<void> {
    let described: Promise<void> | undefined;
    await within('build', async () => {
      await hooks.run(unit, 'post_checkout');
      await hooks.run(unit, 'pre_build');
      if (eachPlatform) {
        // One image a platform, each with a report of its own that shares the build's test results.
        unit.platformUnits = inputs.platforms.map((platform, i) => ({
          platform,
          unit: { index: unit.index + 100 * (i + 1), build: unit.build, report: { ...unit.report, tests: unit.report.tests } },
        }));
        for (const p of unit.platformUnits) await timed(report, 'build', () => buildImage(onePlatform(p.platform), p.unit));
        // The build's image id, cache and checks are its first platform's; steps are counted over all.
        const subs = unit.platformUnits.map((p) => p.unit);
        const { tests: _tests, pushedRefs: _pushed, ...first } = subs[0]!.report;
        const sum = (key: 'cachedSteps' | 'totalSteps'): number => subs.reduce((n, u) => n + (u.report[key] ?? 0), 0);
        Object.assign(unit.report, first, { cachedSteps: sum('cachedSteps'), totalSteps: sum('totalSteps') });
        Object.assign(unit, { image: subs[0]!.image, localRef: subs[0]!.localRef });
      } else if (!(await hooks.build(unit))) await timed(report, 'build', () => buildImage(ctx, unit));
      // Size and base image, for the summary: asked of the engine while the test runs.
      described = describeImage(ctx, unit);
      await hooks.run(unit, 'post_build');
    });
    try {
      await within('test', async () => {
        await hooks.run(unit, 'pre_test');
        if (unit.platformUnits) for (const p of unit.platformUnits) await timed(report, 'test', () => testImage(onePlatform(p.platform), p.unit, autotests[unit.index]), false);
        else await timed(report, 'test', () => testImage(ctx, unit, autotests[unit.index]), false);
        // hooks/test runs once a platform, with DOCKER_DEFAULT_PLATFORM naming it (docker run and
        // Compose then use that platform's image).
        for (const platform of testPlatforms(inputs.platforms)) await hooks.run(unit, 'test', undefined, platform);
        await hooks.run(unit, 'post_test');
        await hooks.checkNameAfterTests(unit);
      });
    } finally {
      await described;
    }
  }
  if (!plan.push.enabled) {
    core.info(`Not pushing: ${plan.push.reason}.`);
    return;
  }
  if (eachPlatform) {
    // Each platform's image by digest, then the index under the tags (or, for a job's share of a
    // distributed image, the reports for the other jobs, and the tags once all have passed).
    for (const unit of units) {
      const manifests = await phase('push', async () => {
        try {
          const pushed = [];
          for (const p of unit.platformUnits ?? []) pushed.push(...(await pushPlatforms(onePlatform(p.platform), p.unit, [p.platform])));
          return pushed;
        } catch (error) {
          await reportFailed(ctx, unit, error);
          throw error;
        }
      });
      if (!plan.distribution) await phase('push', () => tagIndex(ctx, unit, manifests));
      else {
        const { key, attempt } = meetingOf(ctx, unit);
        unit.report.distribution = { share: plan.distribution.share, platforms: plan.distribution.platforms, manifests: manifests.map((m) => ({ platform: m.platform, digest: m.digest! })), state: 'waiting' };
        unit.report.digest = manifests[0]?.digest;
        await timed(report, 'distribute', () => within('push', () => meet(ctx, unit, manifests.map((m) => ({ ...m, key, attempt })))));
      }
    }
    return;
  }
  if (plan.distribution) {
    // This job's platforms by digest, then the tags once every platform has passed (distribute.ts).
    for (const unit of units) {
      const mine = await phase('push', () => pushShare(ctx, unit));
      await timed(report, 'distribute', () => within('push', () => meet(ctx, unit, mine)));
    }
    return;
  }
  // Push hooks run once per repository, with that repository as DOCKER_REPO. A repository that
  // fails does not stop the others: every result is reported, then the step fails.
  const failures: string[] = [];
  for (const unit of units) {
    for (const image of plan.images) {
      const refused = loginFailures.get(image.registry);
      if (refused) {
        failures.push(`${units.length > 1 ? `${unit.build.name}, ` : ''}${image.name}: not pushed, ${refused}`);
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
        // As on Docker Hub, where each rule was a build of its own, one build's failed push (or
        // post_push) does not stop the others' pushes.
        if (plan.images.length === 1 && units.length === 1) throw error;
        failures.push(`${units.length > 1 ? `${unit.build.name}, ` : ''}${image.name}: ${getErrorMessage(error)}`);
      }
    }
  }
  if (failures.length) {
    const pushed = report.builds.flatMap((b) => b.pushedRefs);
    const what = units.length > 1 ? (failures.length === 1 ? 'one build' : `${failures.length} builds and repositories`) : failures.length === 1 ? 'one repository' : `${failures.length} repositories`;
    throw new UserError(
      `Pushing failed for ${what}:\n${failures.map((f) => `- ${f}`).join('\n')}\n${
        pushed.length ? `These references were pushed:\n${pushed.map((r) => `- ${r}`).join('\n')}` : 'Nothing was pushed.'
      }`,
    );
  }
}

/**
 * Push hooks push by tag, which a build pushed platform by platform by digest (a job of a
 * distributed image, or several platforms on the classic store) cannot do: refused before any push.
 */
function refusePushHooks(hookSets: HookSet[], what: string): void {
  const found = [...new Set(hookSets.flatMap((set) => [...set.keys()].filter((h) => h === 'pre_push' || h === 'push' || h === 'post_push')))];
  if (found.length) {
    throw new UserError(
      `${what}: hooks/${found.join(', hooks/')} cannot run where each platform is pushed by digest and the index is tagged at the end. Build the platforms in one job on the containerd image store, or set hooks: off.`,
    );
  }
}

/** The post step lives in post.ts, so that step loads only what it needs. */
export { post } from './post.js';
